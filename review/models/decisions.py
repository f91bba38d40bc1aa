"""Collective deliberation (§5), then registration, numbering and publication (§6)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import DeliberationOutcome, MeetingType, NumberKind


class Deliberation(models.Model):
    MeetingType = MeetingType
    Outcome = DeliberationOutcome

    document = models.ForeignKey(
        "review.NormativeDocument",
        verbose_name=_("文件"),
        on_delete=models.CASCADE,
        related_name="deliberations",
    )
    meeting_type = models.CharField(_("会议类型"), max_length=20, choices=MeetingType.choices)
    meeting_name = models.CharField(
        _("会议名称"), max_length=100, blank=True, help_text=_("如 2020年第5次局务会")
    )
    meeting_date = models.DateField(_("会议日期"))
    attendance = models.TextField(_("出席人员"))
    outcome = models.CharField(_("审议结果"), max_length=20, choices=Outcome.choices)
    dissent = models.TextField(
        _("不同意见"), blank=True, help_text=_("如实载明（重大行政决策条例第三十条）")
    )
    minutes = models.TextField(_("会议纪要"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # no query looks rows up by it: see NO_INDEX
    )
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    class Meta:
        verbose_name = _("集体审议")
        verbose_name_plural = _("集体审议")
        ordering = ["document", "meeting_date"]

    def __str__(self):
        return f"{self.document} · {self.get_meeting_type_display()} {self.meeting_date}"

    @property
    def passed(self):
        return self.outcome in (self.Outcome.PASSED, self.Outcome.PASSED_AMENDED)


# --------------------------------------------------------------------------
# Registration and numbering (§6)


class NumberSequence(models.Model):
    """The last serial issued for one prefix and year. Incremented under a row lock
    inside the registering transaction, so a rolled-back registration burns nothing."""

    Kind = NumberKind

    kind = models.CharField(_("编号类型"), max_length=3, choices=Kind.choices)
    prefix = models.CharField(_("前缀"), max_length=20)
    year = models.PositiveSmallIntegerField(_("年度"))
    last = models.PositiveIntegerField(_("已用至"), default=0)

    class Meta:
        verbose_name = _("编号序列")
        verbose_name_plural = _("编号序列")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "prefix", "year"], name="unique_number_sequence"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.prefix}〔{self.year}〕 → {self.last}"


class Registration(models.Model):
    document = models.OneToOneField(
        "review.NormativeDocument",
        verbose_name=_("文件"),
        on_delete=models.PROTECT,
        related_name="registration",
    )
    version = models.ForeignKey(
        "review.DocumentVersion",
        verbose_name=_("登记版本"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    number_prefix = models.CharField(_("机关代字"), max_length=20)
    number_year = models.PositiveSmallIntegerField(_("发文年度"))
    number_serial = models.PositiveIntegerField(_("发文序号"))
    number = models.CharField(_("发文字号"), max_length=40, unique=True)
    reg_prefix = models.CharField(_("登记号前缀"), max_length=20)
    reg_year = models.PositiveSmallIntegerField(_("登记年度"))
    reg_serial = models.PositiveIntegerField(_("登记序号"))
    reg_number = models.CharField(_("登记号"), max_length=40, unique=True)
    signed_on = models.DateField(_("成文日期"))
    registered_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # no query looks rows up by it: see NO_INDEX
    )

    class Meta:
        verbose_name = _("登记编号")
        verbose_name_plural = _("登记编号")
        constraints = [
            models.UniqueConstraint(
                fields=["number_prefix", "number_year", "number_serial"], name="unique_doc_serial"
            ),
            models.UniqueConstraint(
                fields=["reg_prefix", "reg_year", "reg_serial"], name="unique_reg_serial"
            ),
        ]

    def __str__(self):
        return f"{self.number}（{self.reg_number}）"


class Publication(models.Model):
    document = models.OneToOneField(
        "review.NormativeDocument",
        verbose_name=_("文件"),
        on_delete=models.PROTECT,
        related_name="publication",
    )
    published_on = models.DateField(_("公布日期"))
    channel = models.CharField(_("公布载体"), max_length=100)
    url = models.URLField(_("网址"), blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # no query looks rows up by it: see NO_INDEX
    )

    class Meta:
        verbose_name = _("公布")
        verbose_name_plural = _("公布")

    def __str__(self):
        return f"{self.document} · {self.published_on}"

    def save(self, *args, **kwargs):
        # The document's interval in force starts no earlier than its publication.
        super().save(*args, **kwargs)
        self.document.store_in_force(self.published_on)
