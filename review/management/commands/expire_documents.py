from django.core.management.base import BaseCommand
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone

from review import actions, rules
from review.models import Evaluation, JurisdictionSettings, NormativeDocument
from review.reports.cli import parse_date
from review.states import IN_FORCE_STATES


class Command(BaseCommand):
    help = (
        "每日定时任务：有效期届满的文件标记为已失效（自有效期至次日起）；重新制发的文件施行之日，"
        "记录原文件失效；有效期届满前 N 个月（辖区设置，默认 6 个月）为文件开启评估任务。"
        "可重复运行，已办理的不再重复。 Daily timer: expire documents past 有效期至, end documents"
        " replaced by a re-issued one on its 施行日期, open evaluations N months before expiry."
        " Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="按此日期判断（YYYY-MM-DD），默认今天")

    def handle(self, *args, today=None, **options):
        today = parse_date(today, "--today") if today else timezone.localdate()
        in_force = NormativeDocument.objects.filter(
            state__in=IN_FORCE_STATES, valid_until__isnull=False
        ).select_related("organisation", "registration")
        expired = self.expire(in_force, today)
        replaced = self.replace(today)
        opened = self.open_evaluations(in_force, today)
        self.stdout.write(
            f"共有 {expired} 件文件有效期届满，已标记为失效；{replaced} 件由重新制发的文件取代；"
            f"新开启评估 {opened} 件。"
        )

    def expire(self, in_force, today):
        # (state, valid_until) index: only the documents that expire now are read.
        expired = 0
        for document in in_force.filter(valid_until__lt=today).order_by("valid_until", "pk"):
            actions.expire(document, on=today, system=True)
            expired += 1
            self.stdout.write(
                f"已失效\t{_number(document)}\t{document.title}\t有效期至 {document.valid_until}"
            )
        return expired

    def replace(self, today):
        replaced = 0
        for evaluation in actions.successors_in_effect(today):
            old = actions.record_successor_effect(evaluation, on=today)
            replaced += 1
            self.stdout.write(
                f"已取代\t{_number(old)}\t{old.title}\t自 {old.ended_on} 起由新文件取代"
            )
        return replaced

    def open_evaluations(self, in_force, today):
        longest = JurisdictionSettings.objects.aggregate(m=Max("evaluation_months_before_expiry"))
        months = max(longest["m"] or 0, JurisdictionSettings().evaluation_months_before_expiry)
        already = Evaluation.objects.filter(
            document=OuterRef("pk"), valid_until=OuterRef("valid_until")
        )
        candidates = (
            in_force.filter(
                valid_until__gte=today, valid_until__lte=rules.evaluation_window_end(months, today)
            )
            .exclude(Exists(already))
            .select_related("organisation__settings", "drafter")
            .order_by("valid_until", "pk")
        )
        opened = 0
        for document in candidates:
            # Each body's own number of months: the query took the longest.
            if rules.evaluation_opens_on(document.settings, document.valid_until) > today:
                continue
            evaluation, created = actions.open_evaluation(document, on=today)
            if not created:
                continue
            opened += 1
            who = evaluation.assignee or "法制机构"
            self.stdout.write(
                f"开启评估\t{_number(document)}\t{document.title}\t"
                f"有效期至 {document.valid_until}\t承办：{who}"
            )
        return opened


def _number(document):
    registration = document.registration_or_none
    return registration.number if registration else ""
