from django.core.management.base import BaseCommand
from django.db.models import Max
from django.utils import timezone

from review import actions, rules
from review.models import CleanupCampaign, Organisation
from review.reports.cli import parse_date


class Command(BaseCommand):
    help = (
        "后台任务：为已发起的清理逐件生成清理条目（可重复运行，中断后再运行继续完成）；"
        "列出距上次全面清理已满间隔（辖区设置，默认 2 年）的机关。 Background job: build the"
        " items of opened 清理 campaigns (idempotent) and list bodies due a full cleanup."
        " Run every few minutes."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="按此日期判断（YYYY-MM-DD），默认今天")

    def handle(self, *args, today=None, **options):
        today = parse_date(today, "--today") if today else timezone.localdate()
        built = 0
        for campaign in actions.pending_campaigns().select_related("organisation"):
            count = actions.build_campaign(campaign)
            built += 1
            self.stdout.write(f"已生成\t{campaign.title}\t{campaign.organisation}\t{count} 件")
        last = dict(
            CleanupCampaign.objects.values_list("organisation_id").annotate(m=Max("opened_at"))
        )
        issuing = Organisation.objects.filter(may_issue=True, pk__in=last.keys())
        for org in issuing.select_related("settings", "parent").order_by("code"):
            due = rules.next_cleanup_due(org.jurisdiction, timezone.localdate(last[org.pk]))
            if due <= today:
                self.stdout.write(f"应全面清理\t{org}\t上次清理 {timezone.localdate(last[org.pk])}")
        self.stdout.write(f"共生成 {built} 项清理。")
