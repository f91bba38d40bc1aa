"""The annual filing audit (年度备案审查工作报告) as PDF, DOCX, JSON or CSV.

    manage.py filing_audit --authority aksfj --year 2020 --today 2021-01-10 --format pdf --output audit.pdf

Same data and the same --today give byte-identical output.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from review.reports import audit_report, build
from review.reports.cli import check_target, emit, parse_date, parse_year
from review.reports.layout import pct


class Command(BaseCommand):
    help = (
        "生成规范性文件备案审查工作报告（报备率、报备及时率、规范率、审查率、纠错率及问题清单）。"
        " (Build the filing audit report for one body, an authority and its filers, or all bodies.)"
    )

    def add_arguments(self, parser):
        scope = parser.add_mutually_exclusive_group()
        scope.add_argument("--org", metavar="CODE", help="单位代码 (one body)")
        scope.add_argument(
            "--authority", metavar="CODE", help="备案审查机关代码：该机关及向其报备的单位"
        )
        parser.add_argument(
            "--year", metavar="YYYY", help="统计年度 (the period is that calendar year)"
        )
        parser.add_argument("--from", dest="date_from", metavar="DATE", help="起始日期 YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", metavar="DATE", help="截止日期 YYYY-MM-DD")
        parser.add_argument("--today", metavar="DATE", help="统计截止日（默认今天），使报告可重现")
        parser.add_argument("--format", choices=["pdf", "docx", "json", "csv"], default="json")
        parser.add_argument("--output", metavar="PATH", help="输出文件；缺省时写到标准输出")

    def handle(self, *args, **options):
        if options["org"] and options["authority"]:
            raise CommandError(
                "--org 与 --authority 只能指定其一 (give one of --org, --authority)."
            )
        params = {
            "organisation": options["org"],
            "authority": options["authority"],
            "year": parse_year(options["year"], "--year") if options["year"] is not None else None,
            "date_from": parse_date(options["date_from"], "--from")
            if options["date_from"]
            else None,
            "date_to": parse_date(options["date_to"], "--to") if options["date_to"] else None,
            "today": parse_date(options["today"], "--today")
            if options["today"]
            else timezone.localdate(),
        }
        fmt = options["format"]
        check_target(self, fmt, options["output"])
        try:
            report = audit_report.compute(**params)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        data = build("filing_audit", report, fmt)
        if options["output"]:  # stdout is free for a line per body
            problems = {}
            for violation in report["violations"]:
                problems[violation["organisation"]] = problems.get(violation["organisation"], 0) + 1
            for org in report["organisations"] + [{"code": "合计", "name": "", **report["totals"]}]:
                rates = "，".join(
                    f"{audit_report.RATE_LABELS[key]}{pct(org['rates'][key])}"
                    for key in audit_report.RATES
                )
                count = problems.get(org["code"], 0) if org["name"] else len(report["violations"])
                self.stdout.write(
                    f"{org['code']} {org['name']}：公布{org['issued']}件，应报备{org['due_for_filing']}件，"
                    f"已报备{org['filed']}件；{rates}；问题{count}项"
                )
        emit(self, data, fmt, options["output"], report["title"])
