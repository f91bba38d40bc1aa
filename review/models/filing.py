"""Filing with the authority, the authority's registration decision and filing
review, the correction it may require, and what follows when a body does not
correct or does not file (§7, 法规规章备案条例 art. 7, 10, 14, 17, 20).

One `FilingReview` per filing holds both decisions apart: `outcome` is the
registration decision taken at receipt (formal: 予以备案登记 / 暂缓办理备案登记 /
不予备案登记), `conclusion` the substantive review of a registered document
(审查无问题 / 提出审查意见)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import (
    FILING_MATERIALS,
    EscalationKind,
    FilingReviewConclusion,
    FilingReviewOutcome,
)
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
    Conclusion = FilingReviewConclusion

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
    # 备案条例 art. 7: the registration decision at receipt, and when it was taken.
    outcome = models.CharField(_("登记结论"), max_length=20, choices=Outcome.choices, blank=True)
    decided_on = models.DateField(_("登记日期"), null=True, blank=True)
    # 暂缓办理: the materials the body must supply (FILING_MATERIALS keys) and in words.
    missing = models.JSONField(_("缺少的材料"), default=list, blank=True)
    to_supply = models.TextField(_("需补充的材料"), blank=True)
    # 不予备案登记: why the document is out of scope (materials returned).
    refusal_reason = models.TextField(_("不予备案登记的理由"), blank=True)
    # 备案条例 art. 10, 14: the substantive review's conclusion.
    conclusion = models.CharField(
        _("审查意见结论"), max_length=20, choices=Conclusion.choices, blank=True
    )
    concluded_on = models.DateField(_("审查办结日期"), null=True, blank=True)
    findings = models.TextField(_("审查意见"), blank=True)
    # Issue 19: concluding 审查无问题 with review flags neither accepted nor dismissed.
    flags_note = models.TextField(_("未处理审查提示的说明"), blank=True)

    class Meta:
        verbose_name = _("备案审查")
        verbose_name_plural = _("备案审查")

    def __str__(self):
        return f"{self.filing} · {self.get_outcome_display() or '待登记'}"

    @property
    def registered(self):
        return self.outcome == self.Outcome.REGISTERED

    @property
    def handled_on(self):
        """The day the authority finished with this filing: the review's conclusion for a
        registered document; the decision itself for 暂缓办理 or 不予备案登记."""
        if self.registered:
            return self.concluded_on
        return self.decided_on if self.outcome else None


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
    # 备案条例 art. 17: the text reviewed, and the body's answer — the revised text as a
    # new version, or its 废止 decision (number and date).
    reviewed_version = models.ForeignKey(
        "review.DocumentVersion",
        verbose_name=_("审查所依据的版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # no query looks rows up by it: see NO_INDEX
    )
    revised_version = models.ForeignKey(
        "review.DocumentVersion",
        verbose_name=_("纠正后的版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # no query looks rows up by it: see NO_INDEX
    )
    repeal_number = models.CharField(_("废止决定文号"), max_length=60, blank=True)
    repealed_on = models.DateField(_("废止日期"), null=True, blank=True)
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
    def by_repeal(self):
        return bool(self.repeal_number)

    @property
    def closed_on_time(self):
        return (
            self.closed_on is not None
            and self.reported_on is not None
            and self.reported_on <= self.deadline
        )


class Escalation(models.Model):
    """备案条例 art. 20: the filing authority's act when a body has not corrected itself:
    撤销 or 改变 (a decision with its number and date, from its effective date), or 通报."""

    Kind = EscalationKind

    document = models.ForeignKey(
        "review.NormativeDocument",
        verbose_name=_("文件"),
        on_delete=models.PROTECT,
        related_name="escalations",
    )
    correction = models.ForeignKey(
        Correction,
        verbose_name=_("纠错"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="escalations",
        db_index=False,  # no query looks rows up by it: see NO_INDEX
    )
    kind = models.CharField(_("处理方式"), max_length=10, choices=Kind.choices)
    decision_number = models.CharField(_("决定文号"), max_length=60, blank=True)
    decided_on = models.DateField(_("决定日期"))
    effective_on = models.DateField(_("生效日期"), null=True, blank=True)
    reason = models.TextField(_("理由"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("决定人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # no query looks rows up by it: see NO_INDEX
    )

    class Meta:
        verbose_name = _("纠错处理决定")
        verbose_name_plural = _("纠错处理决定")
        ordering = ["document", "decided_on", "pk"]

    def __str__(self):
        return f"{self.document} · {self.get_kind_display()} {self.decision_number}".strip()


class FilingReopening(models.Model):
    """A filed document's review reopened by the authority (a citizen's 审查建议,
    备案条例 art. 9, or a later finding): what it had concluded, and why."""

    filing_review = models.ForeignKey(
        FilingReview,
        verbose_name=_("备案审查"),
        on_delete=models.PROTECT,
        related_name="reopenings",
    )
    reopened_on = models.DateField(_("重新审查日期"))
    reason = models.TextField(_("重新审查的理由"))
    previous_conclusion = models.CharField(
        _("原审查意见结论"), max_length=20, choices=FilingReviewConclusion.choices, blank=True
    )
    previous_concluded_on = models.DateField(_("原审查办结日期"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("决定人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # no query looks rows up by it: see NO_INDEX
    )

    class Meta:
        verbose_name = _("重新审查")
        verbose_name_plural = _("重新审查")
        ordering = ["filing_review", "reopened_on", "pk"]

    def __str__(self):
        return f"{self.filing_review.filing} · 重新审查 {self.reopened_on}"


class FilingDemand(models.Model):
    """备案条例 art. 20: 限期报送 to a body whose filing is overdue, tracked to its
    deadline; still not filed then → 通报."""

    document = models.ForeignKey(
        "review.NormativeDocument",
        verbose_name=_("文件"),
        on_delete=models.PROTECT,
        related_name="filing_demands",
    )
    authority = models.ForeignKey(
        Organisation,
        verbose_name=_("备案审查机关"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # no query looks rows up by it: see NO_INDEX
    )
    issued_on = models.DateField(_("通知日期"))
    deadline = models.DateField(_("限期"))
    deadline_provisional = models.BooleanField(_("限期暂定"), default=False)
    filed_on = models.DateField(_("报送日期"), null=True, blank=True)
    notified_on = models.DateField(_("通报日期"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("通知人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # no query looks rows up by it: see NO_INDEX
    )

    class Meta:
        verbose_name = _("限期报送")
        verbose_name_plural = _("限期报送")
        ordering = ["document", "issued_on", "pk"]

    def __str__(self):
        return f"{self.document} · 限期报送至 {self.deadline}"

    @property
    def is_open(self):
        return self.filed_on is None and self.notified_on is None
