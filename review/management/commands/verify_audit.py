"""Walk the audit hash chain and say whether it is intact.

Run it from cron: a broken chain exits non-zero, so the scheduler's mail reaches
the administrator with the first event that does not match.
"""

from django.core.management.base import BaseCommand, CommandError

from review.audit import ChainBroken, verify
from review.comments import verify_digests


class Command(BaseCommand):
    help = (
        "校验审计链：逐条核对审计记录的序号和哈希，链条完整则报告记录条数，"
        "发现断裂则指出第一条出问题的记录并以非零状态退出。"
        " (Verify the audit hash chain; exits non-zero at the first broken event.)"
    )

    def handle(self, *args, **options):
        try:
            count = verify()
        except ChainBroken as exc:
            raise CommandError(
                f"审计链在第 {exc.seq} 号记录处断裂：{exc.reason} (audit chain broken at event {exc.seq})"
            ) from exc
        problems = verify_digests()
        if problems:
            period, reason = problems[0]
            raise CommandError(
                f"第 {period} 号征求意见期：{reason} (comments changed after the period closed)"
            )
        self.stdout.write(f"审计链完整：共 {count} 条记录 (audit chain intact: {count} events)")
