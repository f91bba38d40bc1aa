"""The security log (issue 16, part 4): who logged in, failed, was locked out, logged
out, enrolled or reset a second factor, changed a password, a role, a user or the
settings, and who exported or downloaded what — apart from the documents' audit chain.

Each row has its time, the user (kept by name too: the account may go), the client's
address and the request's id (config.requestlog). Rows are written by
`review.security_log.record` and pruned after GUIFAN_SECURITY_LOG_DAYS (never under
180 days, 网络安全法 art. 21) by `manage.py prune_security_log`.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SecurityKind(models.TextChoices):
    LOGIN = "login", _("登录成功")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOCKED_OUT = "locked_out", _("账号锁定")
    LOGOUT = "logout", _("退出登录")
    SECOND_FACTOR_ENROLLED = "second_factor_enrolled", _("启用双因素认证")
    RECOVERY_CODES_ISSUED = "recovery_codes_issued", _("重新生成恢复码")
    SECOND_FACTOR_RESET = "second_factor_reset", _("重置双因素认证")
    PASSWORD_CHANGED = "password_changed", _("修改密码")
    USER_CREATED = "user_created", _("新建用户")
    USER_CHANGED = "user_changed", _("修改用户")
    USER_DELETED = "user_deleted", _("删除用户")
    ROLE_GRANTED = "role_granted", _("授予角色")
    ROLE_REVOKED = "role_revoked", _("撤销角色")
    SETTINGS_CHANGED = "settings_changed", _("修改设置")
    OUTPUT_EXPORTED = "output_exported", _("导出文书或报告")
    FILE_DOWNLOADED = "file_downloaded", _("下载文件")
    LOG_EXPORTED = "log_exported", _("导出安全日志")
    TASKS_HANDED_OVER = "tasks_handed_over", _("移交待办")
    DELEGATION_NAMED = "delegation_named", _("设置代理")
    DELEGATION_ENDED = "delegation_ended", _("结束代理")
    LOCKOUT_CLEARED = "lockout_cleared", _("解除锁定")
    SUPERUSER_REFUSED = "superuser_refused", _("拒绝超级用户登录")


class SecurityEvent(models.Model):
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    kind = models.CharField(_("事件"), max_length=40, choices=SecurityKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    username = models.CharField(_("用户名"), max_length=150, blank=True)
    address = models.CharField(_("地址"), max_length=45, blank=True)
    request_id = models.CharField(_("请求编号"), max_length=128, blank=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)

    class Meta:
        verbose_name = _("安全日志")
        verbose_name_plural = _("安全日志")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.get_kind_display()} {self.username}"


class PasswordRecord(models.Model):
    """When a user's password was last set (for GUIFAN_PASSWORD_MAX_DAYS)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_record"
    )
    changed_at = models.DateTimeField(_("密码修改时间"), default=timezone.now)

    class Meta:
        verbose_name = _("密码修改时间")
        verbose_name_plural = _("密码修改时间")

    def __str__(self):
        return f"{self.user_id} {self.changed_at:%Y-%m-%d}"
