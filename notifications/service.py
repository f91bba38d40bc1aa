"""`notify(user, kind, ...)`: the one way anything tells a user something.

Call it inside the transaction of the event (an action, a flow node, a receiver): the
bell's row and, when the user's preference says so, the outbox row are written with
the event and roll back with it. Email is sent later by `send_notifications`; a
user who chose the daily digest gets one message a day listing what came.
"""

from email.utils import make_msgid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from review.models import Membership

from .models import Kind, Notification, OutboxMessage, Preference


def preference_of(user):
    found = Preference.objects.filter(user=user).first()
    return found or Preference(user=user)


def new_message_id():
    """Fixed when the outbox row is written: every resend of the row carries it."""
    return make_msgid(domain=settings.GUIFAN_MAIL_DOMAIN)


def notify(user, kind, *, title, body="", url=""):
    """Tell `user` about an event of `kind` (a `Kind`): a row under the bell, and an
    email now (outbox) or in the daily digest, as the user's preference says. Returns
    the Notification. An inactive user, or none, is told nothing."""
    if user is None or not user.is_active:
        return None
    if kind not in Kind.values:
        raise ValueError(f"unknown notification kind: {kind}")
    preference = preference_of(user)
    emails = bool(user.email) and preference.emails(kind)
    daily = emails and preference.email == Preference.Email.DAILY
    with transaction.atomic():
        notification = Notification.objects.create(
            user=user, kind=kind, title=title[:200], body=body, url=url, digest_pending=daily
        )
        if emails and not daily:
            OutboxMessage.objects.create(
                user=user,
                recipient=user.email,
                subject=f"[{settings.GUIFAN_MAIL_SUBJECT_PREFIX}] {title}"[:200],
                body=_email_body(body, url),
                message_id=new_message_id(),
            )
    return notification


def notify_role(role, organisation_id, kind, *, title, body="", url="", exclude=None):
    """Tell every active holder of `role` in the organisation (a queue's members)."""
    users = get_user_model().objects.filter(
        pk__in=Membership.objects.filter(organisation_id=organisation_id, role=role).values(
            "user_id"
        ),
        is_active=True,
    )
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return [notify(user, kind, title=title, body=body, url=url) for user in users]


def _email_body(body, url):
    link = f"{settings.GUIFAN_SITE_URL.rstrip('/')}{url}" if url else ""
    return "\n\n".join(part for part in (body, link) if part)


def digest_body(notifications):
    lines = []
    for n in notifications:
        link = f"  {settings.GUIFAN_SITE_URL.rstrip('/')}{n.url}" if n.url else ""
        lines.append(f"· {n.created_at:%Y-%m-%d %H:%M} {n.title}{link}")
    return "\n".join(lines)
