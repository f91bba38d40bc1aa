"""Offline filing packages between deployments (issue 22, docs/filing-peers.md).

manage.py filing_package export --document ID --output PATH   # the filing; on the authority's
                                                              # side, for a received filing: its decision
manage.py filing_package export --document ID --decision --output PATH
manage.py filing_package export --document ID --output PATH   # after 报告纠正情况: the report
manage.py filing_package import PATH [--today YYYY-MM-DD]
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from review.errors import Refused
from review.models import FilingExchange, NormativeDocument
from review.peers import exchange, outgoing
from review.reports.cli import parse_date
from review.states import State


class Command(BaseCommand):
    help = gettext_lazy("备案互联离线包：导出报送（或对收到的报送导出审查决定），导入对方的包。")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        out = sub.add_parser("export", help=gettext_lazy("导出报送或决定"))
        out.add_argument("--document", required=True, type=int, metavar="ID")
        out.add_argument("--output", required=True, metavar="PATH")
        out.add_argument("--decision", action="store_true", help=gettext_lazy("导出审查决定"))
        out.add_argument("--correction", action="store_true", help=gettext_lazy("导出纠正情况报告"))
        into = sub.add_parser("import", help=gettext_lazy("导入对方的包"))
        into.add_argument("path", metavar="PATH")
        into.add_argument("--today", metavar="YYYY-MM-DD", help=gettext_lazy("接收日期（测试用）"))

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
            raise CommandError(_("没有编号为 %(id)s 的文件") % {"id": options["document"]})
        received = document.exchanges.filter(
            direction=FilingExchange.Direction.RECEIVED,
            kind=FilingExchange.Kind.FILING,
            status=FilingExchange.Status.ACCEPTED,
        ).exists()
        if options["decision"] or received:
            data, what = outgoing.export(outgoing.decision(document)), _("审查决定")
        elif options["correction"] or document.state == State.CORRECTED:
            data, what = outgoing.export(outgoing.correction(document)), _("纠正情况报告")
        else:
            data, what = outgoing.export(outgoing.filing(document)), _("报送")
        Path(options["output"]).write_bytes(data)
        self.stdout.write(
            _("已导出《%(title)s》的%(what)s：%(path)s")
            % {"title": document.title, "what": what, "path": options["output"]}
        )

    def _import(self, options):
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(_("文件不存在：%(path)s") % {"path": path})
        today = parse_date(options["today"], "--today") if options["today"] else None
        row = exchange.receive(path.read_bytes(), today=today)
        document = row.document
        self.stdout.write(
            _("%(status)s：%(kind)s《%(title)s》 → %(state)s（本方文件编号 %(id)s）")
            % {
                "status": row.get_status_display(),
                "kind": row.get_kind_display(),
                "title": document.title,
                "state": document.get_state_display(),
                "id": document.pk,
            }
        )
