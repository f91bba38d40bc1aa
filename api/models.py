"""API tokens (issue 21): a token belongs to a service user of one organisation, whose
roles (memberships) decide what it sees, exactly as a person's roles decide what the
pages show. The token itself is stored only as its SHA-256 digest; the clear text is
shown once, when it is made."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from review.models import Organisation


class TokenScope(models.TextChoices):
    READ = "read", _("只读")
    READ_WRITE = "read_write", _("读写")


class ApiToken(models.Model):
    Scope = TokenScope

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="api_tokens"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("服务账号"),
        on_delete=models.PROTECT,
        related_name="api_token",
    )
    name = models.CharField(_("名称"), max_length=100)
    # The first characters of the clear text, to recognise a token in lists and logs.
    prefix = models.CharField(_("前缀"), max_length=16, unique=True)
    digest = models.CharField(_("摘要"), max_length=64, unique=True, editable=False)
    scope = models.CharField(
        _("权限范围"), max_length=12, choices=TokenScope.choices, default=TokenScope.READ
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("有效期至"))
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撤销人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, now=None):
        now = now or timezone.now()
        return self.revoked_at is None and now < self.expires_at

    @property
    def can_write(self):
        return self.scope == TokenScope.READ_WRITE


class ApiTokenUsage(models.Model):
    """Requests made with a token on one day: one row per token and day, added to from
    the cache's counter at most once a minute per token (api.usage), never per request."""

    token = models.ForeignKey(
        ApiToken, verbose_name=_("令牌"), on_delete=models.CASCADE, related_name="usage"
    )
    day = models.DateField(_("日期"))
    requests = models.PositiveBigIntegerField(_("请求次数"), default=0)

    class Meta:
        verbose_name = _("令牌用量")
        verbose_name_plural = _("令牌用量")
        ordering = ["token", "-day"]
        constraints = [
            models.UniqueConstraint(fields=["token", "day"], name="api_usage_one_row_per_day")
        ]

    def __str__(self):
        return f"{self.token} · {self.day}: {self.requests}"
