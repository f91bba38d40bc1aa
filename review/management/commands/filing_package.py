"""Offline filing packages between deployments (issue 22, docs/filing-peers.md).

manage.py filing_package export --document ID --output PATH   # the filing; on the authority's
                                                              # side, for a received filing: its decision
manage.py filing_package export --document ID --decision --output PATH
manage.py filing_package export --document ID --output PATH   # after 报告纠正情况: the report
manage.py filing_package import PATH [--today YYYY-MM-DD]
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from review.errors import Refused
from review.models import FilingExchange, NormativeDocument
from review.peers import correction, decision, exchange, filing
from review.reports.cli import parse_date
from review.states import State


class Command(BaseCommand):
    help = (
        "备案互联离线包：导出报送（或对收到的报送导出审查决定），导入对方的包。"
        " (Offline filing packages: export a filing, or the decision on a received filing;"
        " import the other side's package.)"
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        out = sub.add_parser("export", help="导出报送或决定")
        out.add_argument("--document", required=True, type=int, metavar="ID")
        out.add_argument("--output", required=True, metavar="PATH")
        out.add_argument("--decision", action="store_true", help="导出审查决定")
        out.add_argument("--correction", action="store_true", help="导出纠正情况报告")
        into = sub.add_parser("import", help="导入对方的包")
        into.add_argument("path", metavar="PATH")
        into.add_argument("--today", metavar="YYYY-MM-DD", help="接收日期（测试用）")

    def handle(self, *args, **options):
        try:
            if options["action"] == "export":
                self._export(options)
            else:
                self._import(options)
        except Refused as refusal:
            raise CommandError(str(refusal)) from refusal

    def _export(self, options):
        document = NormativeDocument.objects.filter(pk=options["document"]).first()
        if document is None:
            raise CommandError(f"没有编号为 {options['document']} 的文件")
        received = document.exchanges.filter(
            direction=FilingExchange.Direction.RECEIVED,
            kind=FilingExchange.Kind.FILING,
            status=FilingExchange.Status.ACCEPTED,
        ).exists()
        if options["decision"] or received:
            data, what = decision.decision_package(document), "审查决定"
        elif options["correction"] or document.state == State.CORRECTED:
            data, what = correction.correction_package(document), "纠正情况报告"
        else:
            data, what = filing.filing_package(document), "报送"
        Path(options["output"]).write_bytes(data)
        self.stdout.write(f"已导出《{document.title}》的{what}：{options['output']}")

    def _import(self, options):
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        today = parse_date(options["today"], "--today") if options["today"] else None
        row = exchange.receive(path.read_bytes(), today=today)
        document = row.document
        self.stdout.write(
            f"{row.get_status_display()}：{row.get_kind_display()}《{document.title}》"
            f" → {document.get_state_display()}（本方文件编号 {document.pk}）"
        )
