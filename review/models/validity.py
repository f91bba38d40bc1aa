"""Evaluation before expiry and 清理 campaigns (domain-rules §8).

An `Evaluation` is the task a document's drafting unit (or the legal division, for an
imported document or a unit without a drafter) gets on 有效期至 − N months
(rules.evaluation_opens_on); its outcome says what happens next and its report is
kept. A `CleanupCampaign` is a 清理 over a body's documents in force on a day; its
`CleanupItem`s carry a proposed outcome and, once recorded through the
end-of-validity actions (review.actions.validity), the decision. A proposal changes
nothing: the catalogue reads the documents' dates only.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import CleanupOutcome, EvaluationOutcome


def evaluation_upload_path(instance, filename):
    return f"evaluations/{instance.document_id}/{filename}"


class Evaluation(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("待评估")
        CONCLUDED = "concluded", _("已评估")

    document = models.ForeignKey(
        "review.NormativeDocument",
        verbose_name=_("文件"),
        on_delete=models.PROTECT,
        related_name="evaluations",
    )
    valid_until = models.DateField(_("有效期至"))
    opens_on = models.DateField(_("评估开始日期"))
    organisation = models.ForeignKey(
        "review.Organisation",
        verbose_name=_("制定机关"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evaluations",
        help_text=_("空：由法制机构（合法性审核人员）办理"),
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    outcome = models.CharField(
        _("评估结论"), max_length=10, choices=EvaluationOutcome.choices, blank=True
    )
    report = models.FileField(_("评估报告"), upload_to=evaluation_upload_path, blank=True)
    report_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    note = models.TextField(_("说明"), blank=True)
    concluded_on = models.DateField(_("评估日期"), null=True, blank=True)
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评估人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # read forwards only: see NO_INDEX
    )
    successor = models.ForeignKey(
        "review.NormativeDocument",
        verbose_name=_("重新制发的文件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evaluated_from",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("有效期届满评估")
        verbose_name_plural = _("有效期届满评估")
        ordering = ["valid_until", "pk"]
        constraints = [
            # One evaluation per 有效期至: the daily timer opens it once.
            models.UniqueConstraint(
                fields=["document", "valid_until"], name="unique_evaluation_per_expiry"
            )
        ]
        indexes = [models.Index(fields=["organisation", "status"], name="evaluation_org_status")]

    def __str__(self):
        return f"{self.document} · {self.valid_until}"


class CleanupCampaign(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("待生成")
        READY = "ready", _("进行中")
        CLOSED = "closed", _("已结束")

    organisation = models.ForeignKey(
        "review.Organisation",
        verbose_name=_("组织清理的机关"),
        on_delete=models.PROTECT,
        related_name="cleanup_campaigns",
    )
    title = models.CharField(_("清理名称"), max_length=200)
    in_force_on = models.DateField(_("清理范围：截至该日有效的文件"))
    include_subordinates = models.BooleanField(_("含所属单位的文件"), default=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # read forwards only: see NO_INDEX
    )
    opened_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    built_at = models.DateTimeField(_("生成时间"), null=True, blank=True)
    item_count = models.PositiveIntegerField(_("文件数"), default=0)

    class Meta:
        verbose_name = _("规范性文件清理")
        verbose_name_plural = _("规范性文件清理")
        ordering = ["-opened_at", "-pk"]

    def __str__(self):
        return self.title


class CleanupItem(models.Model):
    campaign = models.ForeignKey(
        CleanupCampaign,
        verbose_name=_("清理"),
        on_delete=models.CASCADE,
        related_name="items",
        db_index=False,  # the leading column of the unique (campaign, document)
    )
    document = models.ForeignKey(
        "review.NormativeDocument",
        verbose_name=_("文件"),
        on_delete=models.PROTECT,
        related_name="cleanup_items",
    )
    unit = models.ForeignKey(
        "review.Organisation",
        verbose_name=_("单位"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # served by the index (campaign, unit)
    )
    proposed = models.CharField(
        _("清理意见"), max_length=20, choices=CleanupOutcome.choices, blank=True
    )
    proposal_note = models.TextField(_("理由"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提出人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # read forwards only: see NO_INDEX
    )
    decided = models.CharField(
        _("清理决定"), max_length=20, choices=CleanupOutcome.choices, blank=True
    )
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # read forwards only: see NO_INDEX
    )

    class Meta:
        verbose_name = _("清理条目")
        verbose_name_plural = _("清理条目")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "document"], name="unique_cleanup_item")
        ]
        indexes = [models.Index(fields=["campaign", "unit"], name="cleanup_item_unit")]

    def __str__(self):
        return f"{self.campaign} · {self.document}"


class CleanupProgress(models.Model):
    """Per unit of a campaign: its documents, proposals made and decisions recorded,
    counted when the items are built and kept by `propose`/`decide` (F() updates), so
    that the progress page reads a few rows instead of counting 100,000 items."""

    campaign = models.ForeignKey(
        CleanupCampaign,
        verbose_name=_("清理"),
        on_delete=models.CASCADE,
        related_name="progress",
        db_index=False,  # the leading column of the unique (campaign, unit)
    )
    unit = models.ForeignKey(
        "review.Organisation",
        verbose_name=_("单位"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # read forwards only
    )
    total = models.PositiveIntegerField(_("文件数"), default=0)
    proposed = models.PositiveIntegerField(_("已提出意见"), default=0)
    decided = models.PositiveIntegerField(_("已决定"), default=0)

    class Meta:
        verbose_name = _("清理进度")
        verbose_name_plural = _("清理进度")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit"], name="unique_cleanup_progress")
        ]

    def __str__(self):
        return f"{self.campaign} · {self.unit}"
