from django.core.management.base import BaseCommand

from notifications import delivery


class Command(BaseCommand):
    help = (
        "发送待发消息（邮件等），失败的按退避间隔重试；--digest 生成每日汇总。每分钟运行，"
        "汇总每日运行一次。 Send the notification outbox with retry and backoff; --digest"
        " queues the daily digests first. Run every minute (and daily with --digest)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--digest", action="store_true", help="先生成每日汇总邮件")
        parser.add_argument("--limit", type=int, default=500, help="本次最多发送的条数")

    def handle(self, *args, digest=False, limit=500, **options):
        if digest:
            for row in delivery.queue_digests():
                self.stdout.write(f"汇总\t{row.recipient}\t{row.subject}")
        done = delivery.send_due(limit=limit)
        for row, outcome in done:
            label = {"sent": "已发送", "retry": "待重试", "failed": "发送失败"}[outcome]
            self.stdout.write(f"{label}\t{row.recipient}\t{row.subject}\t{row.message_id}")
        sent = sum(1 for _row, outcome in done if outcome == "sent")
        self.stdout.write(f"共发送 {sent} 条，{len(done) - sent} 条未成功。")
