"""Filing with the authority, the authority's filing review, and the correction it
may require (§7)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import FILING_MATERIALS, FilingReviewOutcome
from .organisations import Organisation


class Filing(models.Model):
    document = models.ForeignKey(
        "review.NormativeDocument",
        verbose_name=_("文件"),
        on_delete=models.PROTECT,
        related_name="filings",
    )
    authority = models.ForeignKey(
        Organisation,
        verbose_name=_("备案审查机关"),
        on_delete=models.PROTECT,
        related_name="received_filings",
    )
    filed_on = models.DateField(_("报送日期"))
    due_on = models.DateField(_("报送期限"))
    due_on_provisional = models.BooleanField(_("报送期限暂定"), default=False)
    # {material key: bool} as checked when the filing was made
    materials = models.JSONField(_("备案材料"), default=dict)
    report = models.TextField(_("备案报告"), blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # no query looks rows up by it: see NO_INDEX
    )
    resubmission_of = models.ForeignKey(
        "self",
        verbose_name=_("补报前次报送"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # no query looks rows up by it: see NO_INDEX
    )

    class Meta:
        verbose_name = _("报送备案")
        verbose_name_plural = _("报送备案")
        ordering = ["document", "filed_on", "pk"]

    def __str__(self):
        return f"{self.document} → {self.authority.short_name} {self.filed_on}"

    @property
    def on_time(self):
        return self.filed_on <= self.due_on

    @property
    def days_late(self):
        return max(0, (self.filed_on - self.due_on).days)

    @property
    def missing_materials(self):
        return [key for key, _label in FILING_MATERIALS if not self.materials.get(key)]

    @property
    def review_or_none(self):
        try:
            return self.review  # read with the filing by NormativeDocument.latest_filing
        except FilingReview.DoesNotExist:
            return None

    @property
    def materials_complete(self):
        return not self.missing_materials


class FilingReview(models.Model):
    Outcome = FilingReviewOutcome

    filing = models.OneToOneField(
        Filing, verbose_name=_("报送备案"), on_delete=models.PROTECT, related_name="review"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审查人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # no query looks rows up by it: see NO_INDEX
    )
    received_on = models.DateField(_("收件日期"))
    due_on = models.DateField(_("审查期限"))
    due_on_provisional = models.BooleanField(_("审查期限暂定"), default=False)
    extended = models.BooleanField(_("已延长审查期限"), default=False)
    formal_ok = models.BooleanField(_("形式审查通过"), null=True, blank=True)
    # {key: {"ok": bool, "note": str}} for 主体、权限、内容、程序、适当性
    substantive = models.JSONField(_("实质审查"), default=dict, blank=True)
    outcome = models.CharField(_("审查结论"), max_length=20, choices=Outcome.choices, blank=True)
    findings = models.TextField(_("审查意见"), blank=True)
    to_supply = models.TextField(_("需补充的材料"), blank=True)
    decided_on = models.DateField(_("办结日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("备案审查")
        verbose_name_plural = _("备案审查")

    def __str__(self):
        return f"{self.filing} · {self.get_outcome_display() or '审查中'}"


class Correction(models.Model):
    document = models.ForeignKey(
        "review.NormativeDocument",
        verbose_name=_("文件"),
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    filing_review = models.ForeignKey(
        FilingReview,
        verbose_name=_("备案审查"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    suggestion = models.TextField(_("审查建议"))
    issued_on = models.DateField(_("建议日期"))
    deadline = models.DateField(_("纠正期限"))
    deadline_provisional = models.BooleanField(_("纠正期限暂定"), default=False)
    handling_report = models.TextField(_("处理情况报告"), blank=True)
    reported_on = models.DateField(_("报告日期"), null=True, blank=True)
    closed_on = models.DateField(_("结案日期"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("结案人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("纠错")
        verbose_name_plural = _("纠错")
        ordering = ["document", "issued_on"]

    def __str__(self):
        return f"{self.document} · 审查建议 {self.issued_on}"

    @property
    def closed_on_time(self):
        return (
            self.closed_on is not None
            and self.reported_on is not None
            and self.reported_on <= self.deadline
        )
