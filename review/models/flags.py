"""Assisted review (issue 19): the table of repealed laws the detector reads, and the
reviewer's decision on each flag (review.flags)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RepealedLaw(models.Model):
    """A law or regulation repealed or replaced: a citation of it in a document dated
    on or after `repealed_on` is flagged, naming `replaced_by`. The rows of
    review/data/repealed_laws.csv are loaded by migration 0019; administrators add
    more in the admin, each with its source."""

    name = models.CharField(_("名称"), max_length=200, unique=True)
    short_name = models.CharField(_("简称"), max_length=100, blank=True)
    repealed_on = models.DateField(_("废止日期"))
    replaced_by = models.CharField(_("代替的法律法规"), max_length=200, blank=True)
    source = models.CharField(_("废止依据"), max_length=300)

    class Meta:
        verbose_name = _("已废止的法律法规")
        verbose_name_plural = _("已废止的法律法规")
        ordering = ["-repealed_on", "name"]

    def __str__(self):
        return f"《{self.name}》（{self.repealed_on:%Y-%m-%d} 废止）"


class FlagStage(models.TextChoices):
    LEGALITY = "legality", _("合法性审核")
    FILING = "filing", _("备案审查")


class FlagKind(models.TextChoices):
    REPEALED_LAW = "repealed_law", _("引用已废止的法律法规")
    POWER_WORDING = "power_wording", _("可能违法设定权力事项")
    CONSISTENCY = "consistency", _("与本机关文件不一致")


class FlagDecision(models.Model):
    """A reviewer's decision on one flag of a version at one stage: 采纳 (it goes into
    the draft 初审意见) or 不采纳, always with the reason. The flag's words are kept as
    they were shown, since a later detection may word it otherwise."""

    Stage = FlagStage
    Kind = FlagKind

    version = models.ForeignKey(
        "review.DocumentVersion",
        verbose_name=_("版本"),
        on_delete=models.CASCADE,
        related_name="flag_decisions",
        db_index=False,  # the leading column of unique_flag_decision
    )
    stage = models.CharField(_("审查环节"), max_length=20, choices=FlagStage.choices)
    kind = models.CharField(_("提示类别"), max_length=20, choices=FlagKind.choices)
    article = models.CharField(_("条"), max_length=30, blank=True)
    key = models.CharField(_("提示标识"), max_length=200)
    text = models.TextField(_("所涉文字"))
    detail = models.TextField(_("提示内容"))
    accepted = models.BooleanField(_("采纳"))
    reason = models.TextField(_("理由"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # no query looks rows up by it: see NO_INDEX
    )
    decided_at = models.DateTimeField(_("处理时间"), default=timezone.now)

    class Meta:
        verbose_name = _("审查提示处理")
        verbose_name_plural = _("审查提示处理")
        ordering = ["version", "stage", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "stage", "kind", "article", "key"],
                name="unique_flag_decision",
            )
        ]

    def __str__(self):
        verdict = _("采纳") if self.accepted else _("不采纳")
        return f"{self.article or _('标题')} · {self.get_kind_display()} · {verdict}"

    @property
    def ident(self):
        return f"{self.kind}|{self.article}|{self.key}"
