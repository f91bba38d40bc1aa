"""Reconciling what a body issued and published with what it registered and filed
(issue 18, docs/reconciliation.md): one `ReconciliationRun` per comparison of a
发文登记簿 (and a published list) with the register, and the `ReconciliationFinding`s,
kept across runs so that the person who closes one is on record.

Nothing of a classified (密级) row is stored: a run keeps only how many such rows
it skipped. The uploaded files themselves are not kept either, only their names
and SHA-256."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import FindingClosing, FindingKind
from .organisations import Organisation


class ReconciliationRun(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("制定机关"),
        on_delete=models.PROTECT,
        related_name="reconciliation_runs",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    run_on = models.DateField(_("核对日期"))
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核对人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # no query looks rows up by it: see NO_INDEX
    )
    issued_name = models.CharField(_("发文登记簿"), max_length=200)
    issued_sha256 = models.CharField(_("发文登记簿 SHA-256"), max_length=64)
    published_name = models.CharField(_("公布清单"), max_length=200, blank=True)
    published_sha256 = models.CharField(_("公布清单 SHA-256"), max_length=64, blank=True)
    rows_read = models.PositiveIntegerField(_("读取行数"), default=0)
    skipped_classified = models.PositiveIntegerField(_("跳过的涉密行数"), default=0)

    class Meta:
        verbose_name = _("发文核对")
        verbose_name_plural = _("发文核对")
        ordering = ["-run_on", "-pk"]

    def __str__(self):
        return f"{self.organisation.short_name} {self.year} · {self.run_on}"


class ReconciliationFinding(models.Model):
    Kind = FindingKind
    Closing = FindingClosing

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("制定机关"),
        on_delete=models.PROTECT,
        related_name="reconciliation_findings",
        db_index=False,  # the leading column of the unique constraint below
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    kind = models.CharField(_("问题类型"), max_length=20, choices=Kind.choices)
    # What makes a finding the same one again in a later run: the normalised 文号
    # (or the normalised title when there is none).
    key = models.CharField(_("识别键"), max_length=300)
    number = models.CharField(_("文号"), max_length=200, blank=True)
    title = models.CharField(_("标题"), max_length=300)
    issued_on = models.DateField(_("成文日期"), null=True, blank=True)
    published_on = models.DateField(_("公布日期"), null=True, blank=True)
    url = models.CharField(_("公布网址"), max_length=500, blank=True)
    due = models.DateField(_("报送期限"), null=True, blank=True)
    due_provisional = models.BooleanField(_("报送期限暂定"), default=False)
    rule = models.CharField(_("触发规则"), max_length=300)
    document = models.ForeignKey(
        "review.NormativeDocument",
        verbose_name=_("文件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reconciliation_findings",
    )
    first_run = models.ForeignKey(
        ReconciliationRun,
        verbose_name=_("首次发现"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # read forwards only: see NO_INDEX
    )
    last_run = models.ForeignKey(
        ReconciliationRun,
        verbose_name=_("最近一次发现"),
        on_delete=models.PROTECT,
        related_name="findings",
    )
    closing = models.CharField(_("处理方式"), max_length=20, choices=Closing.choices, blank=True)
    reason = models.TextField(_("理由"), blank=True)
    closed_on = models.DateField(_("处理日期"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # read forwards only: see NO_INDEX
    )
    demand = models.ForeignKey(
        "review.FilingDemand",
        verbose_name=_("限期报送"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # read forwards only: see NO_INDEX
    )

    class Meta:
        verbose_name = _("核对发现的问题")
        verbose_name_plural = _("核对发现的问题")
        ordering = ["organisation", "year", "kind", "number", "title", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "kind", "key"], name="unique_finding"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.number or ''}《{self.title}》"

    @property
    def status(self):
        """open, not_normative, backfilled, demanded, then filed (the body filed by
        the demand's deadline or after) or notified (通报)."""
        if self.demand_id:
            if self.demand.notified_on:
                return "notified"
            if self.demand.filed_on:
                return "filed"
            return "demanded"
        return self.closing or "open"

    @property
    def is_open(self):
        return not self.closing
