"""Writing, filtering and pruning the security log (review.models.security); the page
and its CSV export are accounts.security_views.

Nothing here knows a request: the pages pass the client's address and the request's
id in (config.requestlog). The log is kept GUIFAN_SECURITY_LOG_DAYS days (default
180), never fewer than MINIMUM_DAYS: 网络安全法 art. 21 (三) asks that network logs be
kept for no less than six months.

The two periods here (the log's retention, a password's age) are system-wide Django
settings about accounts, not a document's deadline nor a JurisdictionSettings field:
they live here, not in review.rules (tests/test_rules.py lists this exception).
"""

import contextlib
import contextvars
import datetime
import json

from django.conf import settings
from django.utils import timezone

from .models import PasswordRecord, SecurityEvent, SecurityKind

MINIMUM_DAYS = 180  # 网络安全法 art. 21 (三): 留存相关的网络日志不少于六个月


# Who is making the account changes being saved (review.actions.people), for the
# receivers that log each save (accounts.security) when no request says it.
_ACTOR = contextvars.ContextVar("guifan_security_actor", default=None)


@contextlib.contextmanager
def acting_as(user):
    token = _ACTOR.set(user)
    try:
        yield
    finally:
        _ACTOR.reset(token)


def current_actor():
    return _ACTOR.get()


def record(kind, *, user=None, username="", address="", request_id="", **detail):
    """Append one entry. `user` may be None (a failed login of an unknown name: then
    `username` says what was typed); `detail` is stored as JSON."""
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    return SecurityEvent.objects.create(
        kind=SecurityKind(kind),
        user=user,
        username=(user.get_username() if user is not None else username)[:150],
        address=(address or "")[:45],
        request_id=(request_id or "")[:128],
        detail=json.loads(json.dumps(detail, ensure_ascii=False, default=str)),
    )


def kept_days():
    """How many days the log is kept: the setting, never under MINIMUM_DAYS."""
    return max(int(getattr(settings, "GUIFAN_SECURITY_LOG_DAYS", 0) or 0), MINIMUM_DAYS)


def prune(days=None, now=None):
    """Delete entries older than `days` (default the setting); `days` under the kept
    days is raised to them, so nothing younger is ever deleted. Returns the count."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=max(days or 0, kept_days()))
    deleted, _by_model = SecurityEvent.objects.filter(at__lt=cutoff).delete()
    return deleted


def filtered(user="", kind="", since=None, until=None):
    """Entries, newest first, of a username (exact), a kind, between two dates
    (inclusive, in the site's time zone)."""
    entries = SecurityEvent.objects.all()
    if user:
        entries = entries.filter(username=user)
    if kind:
        entries = entries.filter(kind=kind)
    if since:
        entries = entries.filter(at__date__gte=since)
    if until:
        entries = entries.filter(at__date__lte=until)
    return entries


def password_changed(user, at=None):
    """Remember when `user`'s password was set."""
    PasswordRecord.objects.update_or_create(
        user=user, defaults={"changed_at": at or timezone.now()}
    )


def password_expired(user, max_days, now=None):
    """Whether `user`'s password is older than `max_days` (0: never). A password never
    recorded counts from when the account was made."""
    if not max_days:
        return False
    record_ = PasswordRecord.objects.filter(user=user).values_list("changed_at", flat=True).first()
    changed = record_ or user.date_joined
    return (now or timezone.now()) - changed > datetime.timedelta(days=max_days)
