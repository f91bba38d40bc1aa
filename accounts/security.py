"""Receivers that write the security log (review.security_log): logins, failures,
lockouts (django-axes), logouts, second-factor events (when review.actions records
their audit event), users, roles and settings saved anywhere (pages, admin, shell).

Each entry carries the client's address and the request's id: from the request the
signal hands over, else from the request being answered (config.requestlog), else
none (a management command).
"""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save

from config.requestlog import client_address, current_request, current_request_id
from review import security_log
from review.models import AuditEvent, JurisdictionSettings, Membership, SecurityKind

SECOND_FACTOR_ACTIONS = {
    "second_factor_enrolled": SecurityKind.SECOND_FACTOR_ENROLLED,
    "recovery_codes_issued": SecurityKind.RECOVERY_CODES_ISSUED,
    "second_factor_reset": SecurityKind.SECOND_FACTOR_RESET,
}
# Saves that are not a change of the user's account by anyone: the login stamp; a
# password change is logged as such.
_NOT_A_CHANGE = {"last_login", "password"}


def _where(request=None):
    request = request or current_request()
    if request is None:
        return {"address": "", "request_id": ""}
    return {
        "address": client_address(request),
        "request_id": getattr(request, "id", "") or current_request_id(),
    }


def _acting_user(request=None):
    actor = security_log.current_actor()
    if actor is not None:
        return actor
    request = request or current_request()
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def log(kind, *, request=None, user=None, **detail):
    """One entry of `kind` by `user` (default: the request's user)."""
    return security_log.record(
        kind, user=user or _acting_user(request), **_where(request), **detail
    )


def on_login(sender, request, user, **kwargs):
    log(SecurityKind.LOGIN, request=request, user=user)


def on_logout(sender, request, user, **kwargs):
    if user is not None:
        log(SecurityKind.LOGOUT, request=request, user=user)


def on_login_failed(sender, credentials, request=None, **kwargs):
    security_log.record(
        SecurityKind.LOGIN_FAILED, username=str(credentials.get("username", "")), **_where(request)
    )


def on_locked_out(sender, request, username, **kwargs):
    security_log.record(SecurityKind.LOCKED_OUT, username=str(username or ""), **_where(request))


def on_audit_event(sender, instance, created, **kwargs):
    kind = SECOND_FACTOR_ACTIONS.get(instance.action)
    if created and kind:
        subject = instance.data.get("username", "")
        log(kind, user=instance.actor, subject=subject, subject_id=instance.data.get("user_id"))


def on_user_saved(sender, instance, created, update_fields=None, **kwargs):
    if not created and update_fields and set(update_fields) <= _NOT_A_CHANGE:
        return
    kind = SecurityKind.USER_CREATED if created else SecurityKind.USER_CHANGED
    log(
        kind,
        subject=instance.get_username(),
        subject_id=instance.pk,
        active=instance.is_active,
        staff=instance.is_staff,
        superuser=instance.is_superuser,
    )


def on_user_deleted(sender, instance, **kwargs):
    log(SecurityKind.USER_DELETED, subject=instance.get_username(), subject_id=instance.pk)


def _subject_name(instance):
    try:
        return instance.user.get_username()
    except instance._meta.model.user.RelatedObjectDoesNotExist:  # deleted with its user
        return ""


def _membership(instance):
    return {
        "subject": _subject_name(instance),
        "subject_id": instance.user_id,
        "organisation_id": instance.organisation_id,
        "role": instance.role,
    }


def on_membership_saved(sender, instance, created, **kwargs):
    log(SecurityKind.ROLE_GRANTED, **_membership(instance), created=created)


def on_membership_deleted(sender, instance, **kwargs):
    log(SecurityKind.ROLE_REVOKED, **_membership(instance))


def on_settings_saved(sender, instance, created, **kwargs):
    log(
        SecurityKind.SETTINGS_CHANGED,
        settings_id=instance.pk,
        organisation_id=instance.organisation_id,
        created=created,
    )


def connect():
    user_model = get_user_model()
    uid = "guifan-security-log-"
    user_logged_in.connect(on_login, dispatch_uid=uid + "login")
    user_logged_out.connect(on_logout, dispatch_uid=uid + "logout")
    user_login_failed.connect(on_login_failed, dispatch_uid=uid + "failed")
    user_locked_out.connect(on_locked_out, dispatch_uid=uid + "locked")
    post_save.connect(on_audit_event, sender=AuditEvent, dispatch_uid=uid + "audit")
    post_save.connect(on_user_saved, sender=user_model, dispatch_uid=uid + "user")
    post_delete.connect(on_user_deleted, sender=user_model, dispatch_uid=uid + "user-delete")
    post_save.connect(on_membership_saved, sender=Membership, dispatch_uid=uid + "role")
    post_delete.connect(on_membership_deleted, sender=Membership, dispatch_uid=uid + "role-delete")
    post_save.connect(on_settings_saved, sender=JurisdictionSettings, dispatch_uid=uid + "settings")
