"""The second factor (TOTP through django-otp) of a person's account: confirm a new
authenticator, issue recovery codes, and the system administrator's reset. Each is
atomic and writes one audit event (no document), saying who did what to whose
account; a code itself is never written to the audit trail.
"""

from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .. import audit
from ..errors import NotPermitted, Refused
from ..roles import is_security_admin

RECOVERY_CODES = 10
AUTHENTICATOR_NAME = "authenticator"
RECOVERY_NAME = "recovery"


def _subject(user):
    return {"user_id": user.pk, "username": user.get_username()}


def pending_authenticator(user):
    """The user's unconfirmed authenticator, made on first call; its key is what the
    QR code shows until a code from it confirms it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


def _issue_codes(user):
    """Replace the user's recovery codes with new ones; returns them (shown once)."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return device, codes


def confirm_authenticator(device, token):
    """Confirm `device` with a code the user's app shows; returns (device, recovery
    codes). A wrong code → Refused, nothing written."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if device.confirmed:
            raise Refused(_("该验证器已经启用"))
        if not device.verify_token((token or "").strip()):
            raise Refused(_("验证码不正确，请核对手机上显示的 6 位数字后重试"))
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
        _static, codes = _issue_codes(device.user)
        audit.record(
            action="second_factor_enrolled",
            actor=device.user,
            note=_("启用双因素认证"),
            data=_subject(device.user),
        )
    return device, codes


def new_recovery_codes(user):
    """Replace `user`'s recovery codes (the old ones stop working); returns the new."""
    with transaction.atomic():
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            raise Refused(_("请先启用双因素认证"))
        _static, codes = _issue_codes(user)
        audit.record(
            action="recovery_codes_issued",
            actor=user,
            note=_("重新生成恢复码"),
            data=_subject(user),
        )
    return codes


def reset_second_factor(user, by, note=""):
    """Remove every authenticator and recovery code of `user` (lost phone): at the
    next login a required role enrols again. Only a security administrator may (三员分立);
    `by=None` is the command line (`manage.py reset_second_factor`). Returns the
    number of devices removed."""
    if by is not None and not is_security_admin(by):
        raise NotPermitted(_("只有安全管理员可以重置他人的双因素认证"))
    with transaction.atomic():
        authenticators = TOTPDevice.objects.filter(user=user)
        statics = StaticDevice.objects.filter(user=user)
        removed = authenticators.count() + statics.count()
        authenticators.delete()
        statics.delete()
        audit.record(
            action="second_factor_reset",
            actor=by,
            note=note or _("重置双因素认证"),
            data={**_subject(user), "devices_removed": removed},
        )
    return removed
