"""Legality review (§3): the reviewer's checklist and opinion, and the legal advisor's
signed opinion on the exact text read."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import ReviewOutcome


class LegalityReview(models.Model):
    document = models.ForeignKey(
        "review.NormativeDocument",
        verbose_name=_("文件"),
        on_delete=models.CASCADE,
        related_name="legality_reviews",
    )
    version = models.ForeignKey(
        "review.DocumentVersion",
        verbose_name=_("送审稿"),
        on_delete=models.PROTECT,
        related_name="legality_reviews",
    )
    version_sha256 = models.CharField(_("送审稿 SHA-256"), max_length=64)
    started_at = models.DateTimeField(_("收件时间"), default=timezone.now)
    due_on = models.DateField(_("审核期限"))
    due_on_provisional = models.BooleanField(_("审核期限暂定"), default=False)
    # What the deadline was counted from, to count it again when a year's schedule is
    # entered (review.actions.calendar): the day of submission and the working days.
    counted_from = models.DateField(_("送审日期"), null=True, blank=True)
    working_days = models.PositiveSmallIntegerField(_("审核工作日数"), null=True, blank=True)
    urgent_reason = models.TextField(_("紧急情况说明"), blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # no query looks rows up by it: see NO_INDEX
    )
    # {key: {"ok": bool, "note": str}} for every key of CHECKLIST_KEYS
    checklist = models.JSONField(_("审核要点"), default=dict, blank=True)
    outcome = models.CharField(
        _("审核结论"), max_length=20, choices=ReviewOutcome.choices, blank=True
    )
    opinion = models.TextField(_("审核意见"), blank=True)
    # Issue 19: concluding 合法 with review flags neither accepted nor dismissed.
    flags_note = models.TextField(_("未处理审查提示的说明"), blank=True)
    completed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("合法性审核")
        verbose_name_plural = _("合法性审核")
        ordering = ["document", "started_at"]

    def __str__(self):
        return f"{self.document} · 合法性审核（{self.get_outcome_display() or '审核中'}）"

    @property
    def passed(self):
        return self.outcome == ReviewOutcome.LAWFUL


class AdvisorOpinion(models.Model):
    """法律顾问 written opinion and sign-off, bound by SHA-256 to the version read.
    A later version makes it stale."""

    review = models.ForeignKey(
        LegalityReview,
        verbose_name=_("合法性审核"),
        on_delete=models.CASCADE,
        related_name="advisor_opinions",
    )
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("法律顾问"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # no query looks rows up by it: see NO_INDEX
    )
    version = models.ForeignKey(
        "review.DocumentVersion",
        verbose_name=_("所签版本"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    version_sha256 = models.CharField(_("所签版本 SHA-256"), max_length=64)
    opinion = models.TextField(_("法律顾问意见"))
    # No default: the advisor chooses, on a conclusion already given (sign_advisor_opinion).
    agrees = models.BooleanField(_("同意审核意见"))
    signed_at = models.DateTimeField(_("签署时间"), default=timezone.now)

    class Meta:
        verbose_name = _("法律顾问意见")
        verbose_name_plural = _("法律顾问意见")
        ordering = ["review", "signed_at"]

    def __str__(self):
        return f"{self.advisor} · {self.signed_at:%Y-%m-%d}"

    def is_current_for(self, document):
        current = document.current_version
        return current is not None and current.sha256 == self.version_sha256
