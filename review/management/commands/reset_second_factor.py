"""Reset a person's second factor from the command line: for the system administrator
who has lost both the phone and the recovery codes, when no other administrator can
reset it on the page. Audited like the page's reset (actor: 系统, with the reason)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from review.actions import reset_second_factor


class Command(BaseCommand):
    help = (
        "重置用户的双因素认证（删除其验证器和恢复码，下次登录时重新绑定），记入审计日志。"
        " (Reset a user's second factor; audited.)"
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--reason", required=True, help="原因，记入审计日志 (reason, audited)")

    def handle(self, *args, username, reason, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"没有用户“{username}” (no such user)")
        removed = reset_second_factor(user, by=None, note=f"命令行：{reason}")
        self.stdout.write(
            f"已重置 {username} 的双因素认证，删除 {removed} 个设备 "
            f"(second factor of {username} reset: {removed} devices removed)"
        )
