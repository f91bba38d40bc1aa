"""The 有效规范性文件目录 of a body as of any day, or its 年度目录 of a year.

manage.py catalogue --org akmz --as-of 2021-06-30 --format json
manage.py catalogue --org akmz --as-of 2021-06-30 --format pdf --output 目录.pdf
manage.py catalogue --org akmz --year 2020 --format docx --output 2020年度目录.docx
"""

from django.core.management.base import BaseCommand, CommandError

from review.models import Organisation
from review.reports import FORMATS, KINDS, build
from review.reports.cli import check_target, emit, parse_date, parse_year


class Command(BaseCommand):
    help = (
        "生成单位的有效规范性文件目录（截至某日，--as-of）或年度目录（--year，上一年度公布的文件，"
        "于1月31日前报送备案审查机关）。"
        " (The catalogue of a body's documents in force on a day, or of those it published"
        " in a year.)"
    )

    def add_arguments(self, parser):
        parser.add_argument("--org", metavar="CODE", required=True, help="单位代码，如 akmz")
        when = parser.add_mutually_exclusive_group(required=True)
        when.add_argument("--as-of", metavar="YYYY-MM-DD", help="目录所截至的日期")
        when.add_argument("--year", metavar="YYYY", help="年度目录的年度")
        parser.add_argument(
            "--format", choices=FORMATS["valid_catalogue"], default="json", help="缺省为 json"
        )
        parser.add_argument("--output", metavar="PATH", help="输出文件；缺省时写到标准输出")

    def handle(self, *args, org, as_of, year, **options):
        fmt, output = options["format"], options["output"]
        check_target(self, fmt, output)
        organisation = Organisation.objects.filter(code=org).first()
        if organisation is None:
            raise CommandError(f"未知的单位代码：{org} (unknown organisation).")
        if year is not None:
            kind = "annual_catalogue"
            params = {"year": parse_year(year, "--year"), "organisation": organisation}
            label = f"{organisation.name}{params['year']}年度规范性文件目录"
        else:
            kind = "valid_catalogue"
            params = {"date": parse_date(as_of, "--as-of"), "organisation": organisation}
            label = f"{organisation.name}{KINDS[kind]}（截至{params['date']}）"
        emit(self, build(kind, params, fmt), fmt, output, label)
