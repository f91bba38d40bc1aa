"""Reconcile what a body issued and published with what it registered and filed
(issue 18, docs/reconciliation.md):

    manage.py reconcile --org akmz --year 2020 --issued 发文登记簿.xlsx \
        --published 公布清单.csv --format json --output 核对.json

The run and its findings are stored (a finding found again keeps how it was
closed); rows with a 密级 are skipped unread and only counted.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from review import reconciliation
from review.errors import Refused
from review.models import Organisation
from review.reports import reconciliation as output
from review.reports import render
from review.reports.cli import check_target, emit, parse_date, parse_year


class Command(BaseCommand):
    help = (
        "核对发文登记簿、公布清单与规范性文件台账：已印发未登记、已登记未公布、已公布未按期报备、"
        "重复公布、文号冲突。 (Reconcile a body's issued and published documents with the register.)"
    )

    def add_arguments(self, parser):
        parser.add_argument("--org", metavar="CODE", required=True, help="单位代码 (the body)")
        parser.add_argument("--year", metavar="YYYY", required=True, help="年度 (the year)")
        parser.add_argument(
            "--issued",
            metavar="PATH",
            required=True,
            help="发文登记簿 .csv/.xlsx（文号、标题、成文日期）",
        )
        parser.add_argument(
            "--published", metavar="PATH", help="公布清单 .csv/.xlsx（标题、公布日期、URL）"
        )
        parser.add_argument("--format", choices=["json", "csv", "pdf"], default="json")
        parser.add_argument("--output", metavar="PATH", help="输出文件；缺省时写到标准输出")
        parser.add_argument("--today", metavar="DATE", help="核对日（默认今天）")

    def handle(self, *args, **options):
        year = parse_year(options["year"], "--year")
        today = parse_date(options["today"], "--today") if options["today"] else None
        fmt = options["format"]
        check_target(self, fmt, options["output"])
        organisation = Organisation.objects.filter(code=options["org"]).first()
        if organisation is None:
            raise CommandError(f"未知的单位代码：{options['org']} (unknown organisation code).")
        try:
            run, findings = reconciliation.reconcile(
                organisation,
                year,
                options["issued"],
                options["published"],
                today=today or timezone.localdate(),
            )
        except Refused as exc:
            raise CommandError(exc.message) from exc
        report = reconciliation.report(run, findings)
        if fmt == "json":
            data = output.to_json(report)
        elif fmt == "csv":
            data = output.to_csv(report)
        else:
            data = render(output.compose(report, organisation.name), "pdf")
        if options["output"]:
            self.stdout.write(
                f"{organisation.name} {year}年度：问题{len(findings)}项；"
                f"跳过涉密行{run.skipped_classified}行 (skipped {run.skipped_classified} classified rows)"
            )
        elif run.skipped_classified:
            self.stderr.write(f"跳过涉密行{run.skipped_classified}行 (skipped classified rows)")
        emit(self, data, fmt, options["output"], f"{year}年度发文核对")
