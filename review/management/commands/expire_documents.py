from django.core.management.base import BaseCommand
from django.utils import timezone

from review import actions, rules
from review.models import NormativeDocument
from review.reports.cli import parse_date
from review.states import IN_FORCE_STATES


class Command(BaseCommand):
    help = (
        "有效期届满的规范性文件标记为已失效；列出有效期届满前应当评估的文件（默认届满前 6 个月）。"
        " Expire documents past their validity and list those due for evaluation. Run daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="按此日期判断（YYYY-MM-DD），默认今天")

    def handle(self, *args, today=None, **options):
        today = parse_date(today, "--today") if today else timezone.localdate()
        in_force = NormativeDocument.objects.filter(
            state__in=IN_FORCE_STATES, valid_until__isnull=False
        ).select_related("organisation", "registration")
        expired = 0
        for document in in_force.filter(valid_until__lt=today).order_by("valid_until", "pk"):
            actions.expire(document, on=today, system=True)
            expired += 1
            self.stdout.write(
                f"已失效\t{document.registration.number}\t{document.title}\t有效期至 {document.valid_until}"
            )
        for document in in_force.filter(valid_until__gte=today).order_by("valid_until", "pk"):
            if rules.evaluation_opens_on(document.settings, document.valid_until) <= today:
                self.stdout.write(
                    f"应评估\t{document.registration.number}\t{document.title}\t有效期至 {document.valid_until}"
                )
        self.stdout.write(f"共有 {expired} 件文件有效期届满，已标记为失效。")
