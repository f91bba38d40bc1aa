"""Close every public comment period that has ended (37号: comment before review).

Run daily beside `manage.py workflow_timers`; the drafter may also close a period
from the document page. Each closed period sends its document back to the drafter."""

from django.core.management.base import BaseCommand
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from review.errors import Refused
from review.models import NormativeDocument
from review.reports.cli import parse_date
from workflows.driving import run_handle
from workflows.flows import IssuingFlow


class Command(BaseCommand):
    help = "结束已期满的公开征求意见期（Close the public comment periods that have ended）"

    def add_arguments(self, parser):
        parser.add_argument("--today", help="按此日期判断（YYYY-MM-DD）")

    def handle(self, *args, today=None, **options):
        today = parse_date(today, "--today") if today else timezone.localdate()
        tasks = Task.objects.filter(
            flow_task=IssuingFlow.comment, status=STATUS.NEW
        ).select_related("process")
        for task in tasks:
            document = NormativeDocument.objects.get(pk=task.process.artifact_object_id)
            period = document.comment_periods.order_by("-opens_on").first()
            if period is None or period.closes_on >= today:
                continue
            try:
                run_handle(IssuingFlow.comment, task, on=today)
            except Refused as refused:
                self.stdout.write(f"{document.pk}\t{document.title}\t未结束：{refused.message}")
            else:
                self.stdout.write(
                    f"{document.pk}\t{document.title}\t已结束（{period.opens_on}～{period.closes_on}）"
                )
