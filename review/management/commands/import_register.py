"""manage.py import_register PATH.csv|PATH.xlsx: load a bureau's register (台账) of
past documents. All or nothing; see docs/import.md for the columns and rules."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from review.importer import RegisterInvalid, RegisterUnreadable, import_register
from review.reports.cli import parse_date
from review.states import State


class Command(BaseCommand):
    help = (
        "导入历史台账（.csv 或 .xlsx）：逐行校验，任何一行有错则全部不导入并列出每处错误；"
        "无错则在一个事务中全部写入，每件文件记一条“import”审计记录。列名与规则见 docs/import.md。"
        " (Import a register of past documents, all or nothing.)"
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="台账文件路径（.csv UTF-8 或 .xlsx）")
        parser.add_argument(
            "--by", metavar="USERNAME", help="记入审计记录的操作人（用户名）；不填则记为“系统”"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="只校验并报告结果，不写入任何数据"
        )
        parser.add_argument(
            "--today",
            metavar="YYYY-MM-DD",
            help="据以判断日期是否晚于今天、有效期是否届满的日期（默认今天）",
        )

    def handle(self, *args, path, by=None, dry_run=False, today=None, **options):
        today = parse_date(today, "--today") if today else None
        user = None
        if by:
            user = get_user_model().objects.filter(username=by).first()
            if user is None:
                raise CommandError(f"用户“{by}”不存在")
        try:
            result = import_register(path, by=user, today=today, dry_run=dry_run)
        except RegisterUnreadable as exc:
            raise CommandError(exc.message) from exc
        except RegisterInvalid as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(exc.message) from exc

        if result.plan.ignored_columns:
            self.stdout.write(f"已忽略无法识别的列：{'、'.join(result.plan.ignored_columns)}")
        for item in result.imported:
            self.stdout.write(item.line())
        counts = {}
        for item in result.imported:
            counts[item.row.state] = counts.get(item.row.state, 0) + 1
        by_state = "、".join(
            f"{State(state).label} {n}"
            for state, n in sorted(counts.items(), key=lambda kv: -kv[1])
        )
        sequences = "；".join(
            f"{s.get_kind_display()} {s.prefix}〔{s.year}〕已用至 {s.last}"
            for s in result.sequences
        )
        total = len(result.imported)
        if result.dry_run:
            self.stdout.write(
                f"试运行：台账校验通过，可导入 {total} 件（{by_state}）；未写入任何数据。"
            )
            self.stdout.write(f"导入后编号序列将为：{sequences}")
        else:
            self.stdout.write(f"已导入 {total} 件（{by_state}），审计记录 {total} 条。")
            self.stdout.write(f"编号序列：{sequences}（新登记的文件从其后续编）")
