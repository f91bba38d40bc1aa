"""Acting for an absent colleague (代理, issue 16 part 2): a user names a delegate for
a period; within it the delegate sees the absent user's tasks and acts on them, and
each action records both names (review.audit.on_behalf, workflows.delegation).

A delegation is ended early by setting `ended_at`; it is never deleted, so that what
the delegate did stays explained."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DelegationQuerySet(models.QuerySet):
    def active(self, on=None):
        """Delegations in force on `on` (default today): from and to dates inclusive,
        not ended, both users still active."""
        on = on or timezone.localdate()
        return self.filter(
            starts_on__lte=on,
            ends_on__gte=on,
            ended_at__isnull=True,
            delegator__is_active=True,
            delegate__is_active=True,
        )


class Delegation(models.Model):
    delegator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("委托人"),
        on_delete=models.CASCADE,
        related_name="delegations_given",
    )
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("代理人"),
        on_delete=models.CASCADE,
        related_name="delegations_taken",
    )
    starts_on = models.DateField(_("代理开始日期"))
    ends_on = models.DateField(_("代理结束日期"))
    reason = models.CharField(_("事由"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("设置人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("设置时间"), default=timezone.now)
    ended_at = models.DateTimeField(_("提前结束时间"), null=True, blank=True)

    objects = DelegationQuerySet.as_manager()

    class Meta:
        verbose_name = _("代理")
        verbose_name_plural = _("代理")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="delegation_dates_in_order"
            ),
            models.CheckConstraint(
                condition=~Q(delegator=models.F("delegate")), name="delegation_not_to_self"
            ),
        ]

    def __str__(self):
        return f"{self.delegator} → {self.delegate} {self.starts_on}~{self.ends_on}"
