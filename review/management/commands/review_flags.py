"""The assisted review's flags of a document or a .docx, as JSON (issue 19).

manage.py review_flags 草案.docx --as-of 2021-03-01 --format json
manage.py review_flags --document 12 --format json
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from review.flags import detect, store
from review.models import NormativeDocument, Organisation
from review.reports.cli import parse_date
from review.uploads import UploadRejected, check_docx, docx_text


class Command(BaseCommand):
    help = (
        "列出文件的审查提示：引用已废止的法律法规、国办发〔2018〕37号禁止设定的事项、与本机关"
        "文件的一致性。 (The review flags of a stored document or of a .docx file.)"
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", metavar="PATH.docx", help="要检查的 .docx 或 .txt")
        parser.add_argument("--document", metavar="ID", type=int, help="已存储文件的编号")
        parser.add_argument(
            "--as-of",
            metavar="YYYY-MM-DD",
            help="判断日期；缺省为文件的成文日期，未登记的文件及 PATH 为今天",
        )
        parser.add_argument(
            "--org", metavar="CODE", help="PATH 所属单位的代码：与其文件目录比对一致性"
        )
        parser.add_argument("--format", choices=["json", "text"], default="json")

    def handle(self, *args, path, document, **options):
        if (path is None) == (document is None):
            raise CommandError("请给出 PATH 或 --document 之一 (give PATH or --document).")
        as_of = parse_date(options["as_of"], "--as-of") if options["as_of"] else None
        if document is not None:
            flags = self._stored(document, as_of)
        else:
            flags = self._file(Path(path), as_of, options["org"])
        if options["format"] == "json":
            data = {"flags": [flag.as_json() for flag in flags]}
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        for flag in flags:
            self.stdout.write(f"{flag.article or '标题'}\t{flag.kind}\t{flag.text}\t{flag.detail}")

    def _stored(self, pk, as_of):
        document = NormativeDocument.objects.select_related("organisation").filter(pk=pk).first()
        if document is None:
            raise CommandError(f"没有编号为 {pk} 的文件 (no such document).")
        version = document.current_version
        if version is None:
            raise CommandError("该文件尚无正文 (the document has no text).")
        return store.flags_of(document, version, as_of)

    def _file(self, path, as_of, org):
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"无法读取 {path}：{exc.strerror} (cannot read).") from None
        try:
            if path.suffix.lower() == ".docx":
                check_docx(data)
                text = docx_text(data)
            else:
                text = data.decode("utf-8")
        except UploadRejected as exc:
            raise CommandError(exc.message) from None
        except UnicodeDecodeError:
            raise CommandError("文本文件须为 UTF-8 编码 (not UTF-8).") from None
        as_of = as_of or timezone.localdate()
        own, body = [], ""
        if org:
            organisation = Organisation.objects.filter(code=org).first()
            if organisation is None:
                raise CommandError(f"未知的单位代码：{org} (unknown organisation).")
            own, body = store.own_documents(organisation.pk, as_of), organisation.name
        return detect(
            store.articles_of_text(text),
            as_of=as_of,
            laws=store.laws(),
            own_documents=own,
            own_title=body,
        )
