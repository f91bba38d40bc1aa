"""Notifications (issue 20 part 2): what a user sees under the bell, how they want to
be told, and the outbox of messages to send.

The outbox row is written in the same transaction as the event that caused it (the
audit event, the task), so a message is never lost when the process dies after the
commit, and never sent for an event that rolled back. `manage.py send_notifications`
sends it; the row's `message_id` is fixed when the row is written, so a resend after
a crash (the server accepted it, the row was not yet marked) carries the same
Message-ID and mail clients drop the twin.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    TASK_ASSIGNED = "task_assigned", _("收到待办任务")
    TASK_DUE_SOON = "task_due_soon", _("任务即将到期")
    TASK_OVERDUE = "task_overdue", _("任务已逾期")
    RETURNED = "returned", _("退回修改")
    DECISION = "decision", _("我的文件有了决定")
    COMMENT_CLOSED = "comment_closed", _("征求意见期结束")
    SUGGESTION = "suggestion", _("收到审查建议")


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,  # the leading column of (user, read_at, -created_at)
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    # Waiting for the user's daily digest (preference `daily`).
    digest_pending = models.BooleanField(_("待汇总发送"), default=False)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "read_at", "-created_at"], name="notification_inbox"),
            models.Index(
                fields=["user"],
                name="notification_digest",
                condition=models.Q(digest_pending=True),
            ),
        ]

    def __str__(self):
        return self.title


class Preference(models.Model):
    class Email(models.TextChoices):
        IMMEDIATE = "immediate", _("即时发送")
        DAILY = "daily", _("每日汇总")
        OFF = "off", _("不发送邮件")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    email = models.CharField(
        _("邮件通知"), max_length=10, choices=Email.choices, default=Email.IMMEDIATE
    )
    # Kinds the user wants no email about (they still appear under the bell).
    muted = models.JSONField(_("不发邮件的通知类型"), default=list, blank=True)

    class Meta:
        verbose_name = _("通知偏好")
        verbose_name_plural = _("通知偏好")

    def __str__(self):
        return str(self.user)

    def emails(self, kind):
        return self.email != self.Email.OFF and kind not in (self.muted or [])


class OutboxMessage(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    channel = models.CharField(_("渠道"), max_length=20, default="email")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # read forwards only
    )
    recipient = models.CharField(_("地址"), max_length=254)
    subject = models.CharField(_("主题"), max_length=200)
    body = models.TextField(_("正文"))
    message_id = models.CharField(_("Message-ID"), max_length=200, unique=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"), default=timezone.now)
    last_error = models.TextField(_("最近错误"), blank=True)
    created_at = models.DateTimeField(_("写入时间"), default=timezone.now)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("待发消息")
        verbose_name_plural = _("待发消息")
        ordering = ["pk"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="outbox_due",
                condition=models.Q(status="pending"),
            )
        ]

    def __str__(self):
        return f"{self.recipient} · {self.subject}"
