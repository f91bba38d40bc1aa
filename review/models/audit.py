"""The audit trail: append-only events chained by hash (appended by review.audit only)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("审计记录不可修改 (audit events are append-only)")

    def delete(self):
        raise PermissionError("审计记录不可删除 (audit events are append-only)")


class AuditEvent(models.Model):
    seq = models.PositiveBigIntegerField(_("序号"), unique=True)
    document = models.ForeignKey(
        "review.NormativeDocument",
        verbose_name=_("文件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
        db_index=False,  # served by the index (document, seq): see NO_INDEX
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # no query looks rows up by it: see NO_INDEX
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=150, blank=True)
    at = models.DateTimeField(_("时间"))
    action = models.CharField(_("操作"), max_length=60)
    from_state = models.CharField(_("原状态"), max_length=20, blank=True)
    to_state = models.CharField(_("新状态"), max_length=20, blank=True)
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(_("数据"), default=dict, blank=True)
    prev_hash = models.CharField(_("前一条哈希"), max_length=64)
    hash = models.CharField(_("哈希"), max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["seq"]
        indexes = [models.Index(fields=["document", "seq"])]

    def __str__(self):
        return f"#{self.seq} {self.action}"

    def save(self, *args, **kwargs):
        # review.audit.record appends through save() so that post_save receivers run;
        # anything else (an edit, a second save) is refused.
        if self.pk is not None or not kwargs.pop("_append", False):
            raise PermissionError("审计记录只能由 review.audit.record 追加，不可修改")
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("审计记录不可删除 (audit events are append-only)")


class AuditChainHead(models.Model):
    """One row: the chain's last sequence number and hash. Appenders lock it, so two
    events written at the same moment are ordered and never fork the chain."""

    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("审计链头")
        verbose_name_plural = _("审计链头")

    def __str__(self):
        return f"#{self.last_seq} {self.last_hash[:12]}"
