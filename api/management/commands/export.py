"""Export an organisation's documents and audit events, streaming (api.export).

manage.py export --org akmz --format jsonl --since 2024-01-01 [--output PATH]
"""

from django.core.management.base import BaseCommand, CommandError

from api.export import WRITERS
from review.models import Organisation
from review.reports.cli import parse_date


class Command(BaseCommand):
    help = (
        "导出单位的规范性文件及其审计记录（JSONL 或 CSV，流式写出）。"
        " (Export an organisation's documents and audit events.)"
    )

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, metavar="CODE", help="单位代码")
        parser.add_argument("--format", choices=sorted(WRITERS), default="jsonl")
        parser.add_argument(
            "--since", required=True, metavar="DATE", help="自该日起变更的文件和记录 YYYY-MM-DD"
        )
        parser.add_argument("--output", metavar="PATH", help="输出文件；缺省时写到标准输出")

    def handle(self, *args, **options):
        organisation = Organisation.objects.filter(code=options["org"]).first()
        if organisation is None:
            raise CommandError(f"没有单位 {options['org']} (no such organisation).")
        since = parse_date(options["since"], "--since")
        write = WRITERS[options["format"]]
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8", newline="") as out:
                n = write(out, organisation, since)
            self.stderr.write(f"{n} 条记录已写入 {options['output']} ({n} records).")
        else:
            write(self.stdout, organisation, since)
