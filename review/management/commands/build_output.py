"""One official output of one document, as PDF or DOCX.

manage.py build_output official_text 42 --format pdf --output 安民发〔2020〕5号.pdf
manage.py build_output valid_catalogue --date 2020-12-31 --org akmz --format docx --output 目录.docx
"""

from django.core.management.base import BaseCommand, CommandError

from review.models import NormativeDocument, Organisation
from review.reports import KINDS, MissingRecord, build
from review.reports.cli import check_target, emit, parse_date, parse_id

DOCUMENT_KINDS = [kind for kind in KINDS if kind not in {"valid_catalogue", "filing_audit"}]


class Command(BaseCommand):
    help = (
        "生成一份正式文书：合法性审核意见书、征求意见及采纳情况说明、正式文本、备案报告、"
        "备案审查意见（审查建议书）或有效规范性文件目录。"
        " (Build one official output of a document, or the catalogue of documents in force.)"
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=[*DOCUMENT_KINDS, "valid_catalogue"])
        parser.add_argument("document_id", nargs="?", help="文件编号 (not for valid_catalogue)")
        parser.add_argument("--format", choices=["pdf", "docx"], default="pdf")
        parser.add_argument("--output", metavar="PATH", help="输出文件；缺省时写到标准输出的字节流")
        parser.add_argument(
            "--date", metavar="DATE", help="valid_catalogue: 目录所截至的日期 YYYY-MM-DD"
        )
        parser.add_argument("--org", metavar="CODE", help="valid_catalogue: 只列该单位的文件")
        parser.add_argument(
            "--with-filers",
            action="store_true",
            help="valid_catalogue: 同时列出向 --org 报送备案的单位的文件",
        )

    def handle(self, *args, kind, document_id, **options):
        fmt = options["format"]
        check_target(self, fmt, options["output"])
        if kind == "valid_catalogue":
            if document_id is not None:
                raise CommandError(
                    "有效规范性文件目录不针对单个文件，请用 --date (valid_catalogue takes --date)."
                )
            if not options["date"]:
                raise CommandError(
                    "有效规范性文件目录须指定 --date (valid_catalogue needs --date)."
                )
            organisation = None
            if options["org"]:
                organisation = Organisation.objects.filter(code=options["org"]).first()
                if organisation is None:
                    raise CommandError(f"未知的单位代码：{options['org']} (unknown organisation).")
            params = {
                "date": parse_date(options["date"], "--date"),
                "organisation": organisation,
                "with_filers": options["with_filers"],
            }
            label = KINDS[kind]
            obj = params
        else:
            if document_id is None:
                raise CommandError(f"{KINDS[kind]}须指定文件编号 ({kind} needs DOCUMENT_ID).")
            document_id = parse_id(document_id, "文件编号 DOCUMENT_ID")
            obj = (
                NormativeDocument.objects.select_related("organisation")
                .filter(pk=document_id)
                .first()
            )
            if obj is None:
                raise CommandError(f"没有编号为 {document_id} 的文件 (no document {document_id}).")
            label = f"《{obj.title}》{KINDS[kind]}"
        try:
            data = build(kind, obj, fmt)
        except MissingRecord as exc:
            raise CommandError(str(exc)) from exc
        emit(self, data, fmt, options["output"], label)
