from django.core.management.base import BaseCommand

from review import comments


class Command(BaseCommand):
    help = (
        "删除征求意见期结束超过 GUIFAN_CONTACT_RETENTION_DAYS（默认 365 天）的意见的联系方式"
        "（及个人提交人的姓名）；意见及其答复保留。每天运行，可重复运行。"
        " Erase commenters' contact details kept past the retention. Run daily; idempotent."
    )

    def handle(self, *args, **options):
        erased = comments.erase_expired_contacts()
        days = comments.retention_days()
        self.stdout.write(
            f"已删除 {erased} 条意见的联系方式（保存期限 {days} 天）· erased {erased}"
        )
