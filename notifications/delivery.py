"""Sending the outbox (`manage.py send_notifications`): at least once, never lost.

Each due row is first *claimed* in its own short transaction: its attempt counted and
its next attempt moved out by the backoff, then committed. Only then is it sent, and
marked sent. So:
- a send that fails leaves the row pending, retried after 1, 2, 4 … minutes (at most
  `GUIFAN_NOTIFY_MAX_DELAY_MINUTES`), and failed after `GUIFAN_NOTIFY_MAX_ATTEMPTS`;
- a crash after the server accepted the message but before the row was marked sent
  leaves it pending: it is sent once more after the backoff, with the same Message-ID
  (fixed when the row was written), and mail clients drop the twin;
- two senders running at once never take the same row: the claim is
  `SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL (on SQLite a write transaction is
  exclusive already), and a claimed row is not due again until its backoff ends.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .channels import channel
from .models import Notification, OutboxMessage
from .service import digest_body, new_message_id, preference_of


def backoff(attempts):
    minutes = min(2 ** max(attempts - 1, 0), settings.GUIFAN_NOTIFY_MAX_DELAY_MINUTES)
    return datetime.timedelta(minutes=minutes)


def _claim(pk, now):
    with transaction.atomic():
        rows = OutboxMessage.objects.select_for_update(skip_locked=True).filter(
            pk=pk, status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now
        )
        row = rows.first()
        if row is None:
            return None
        row.attempts += 1
        row.next_attempt_at = now + backoff(row.attempts)
        row.save(update_fields=["attempts", "next_attempt_at"])
    return row


def mark_sent(row):
    OutboxMessage.objects.filter(pk=row.pk).update(
        status=OutboxMessage.Status.SENT, sent_at=timezone.now(), last_error=""
    )


def _mark_failed(row, error):
    status = (
        OutboxMessage.Status.FAILED
        if row.attempts >= settings.GUIFAN_NOTIFY_MAX_ATTEMPTS
        else OutboxMessage.Status.PENDING
    )
    OutboxMessage.objects.filter(pk=row.pk).update(status=status, last_error=str(error)[:2000])
    return status


def send_due(now=None, limit=500):
    """Send the rows due now; returns [(row, "sent" | "retry" | "failed")]."""
    now = now or timezone.now()
    due = OutboxMessage.objects.filter(
        status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now
    ).order_by("next_attempt_at", "pk")
    done = []
    for pk in list(due.values_list("pk", flat=True)[:limit]):
        row = _claim(pk, now)
        if row is None:
            continue
        try:
            channel(row.channel).send(row)
        except Exception as exc:  # any failure of the channel: retried, never lost
            status = _mark_failed(row, exc)
            done.append((row, "failed" if status == OutboxMessage.Status.FAILED else "retry"))
            continue
        mark_sent(row)
        done.append((row, "sent"))
    return done


def queue_digests():
    """One outbox row per user whose notifications wait for the daily digest; the
    notifications are marked in the same transaction, so none is listed twice."""
    made = []
    users = (
        Notification.objects.filter(digest_pending=True)
        .values_list("user_id", flat=True)
        .distinct()
    )
    for user_id in list(users):
        with transaction.atomic():
            waiting = list(
                Notification.objects.select_for_update()
                .filter(user_id=user_id, digest_pending=True)
                .select_related("user")
                .order_by("created_at", "pk")
            )
            if not waiting:
                continue
            user = waiting[0].user
            if user.email and preference_of(user).email != "off":
                made.append(
                    OutboxMessage.objects.create(
                        user=user,
                        recipient=user.email,
                        subject=f"[{settings.GUIFAN_MAIL_SUBJECT_PREFIX}] "
                        f"每日通知汇总（{len(waiting)} 条）",
                        body=digest_body(waiting),
                        message_id=new_message_id(),
                    )
                )
            Notification.objects.filter(pk__in=[n.pk for n in waiting]).update(digest_pending=False)
    return made


def backlog(older_than_minutes=15, now=None):
    """Pending rows waiting longer than `older_than_minutes`, and failed rows."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(minutes=older_than_minutes)
    pending = OutboxMessage.objects.filter(
        status=OutboxMessage.Status.PENDING, created_at__lte=cutoff
    ).count()
    failed = OutboxMessage.objects.filter(status=OutboxMessage.Status.FAILED).count()
    return pending, failed
