from django.core.management.base import BaseCommand

from review import security_log


class Command(BaseCommand):
    help = (
        "删除超过保存期限（GUIFAN_SECURITY_LOG_DAYS，默认且至少 180 天）的安全日志。"
        " Delete security-log entries older than GUIFAN_SECURITY_LOG_DAYS (at least 180). Run daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=None, help="保存天数；小于设置时按设置（never fewer)"
        )

    def handle(self, *args, days=None, **options):
        kept = max(days or 0, security_log.kept_days())
        deleted = security_log.prune(days)
        self.stdout.write(f"已删除 {deleted} 条 {kept} 天前的安全日志 · deleted {deleted} entries")
