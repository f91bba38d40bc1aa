"""Notifications: the outbox written with the event, sent at least once and never
lost, one Message-ID per row, no duplicates, preferences and the daily digest, the
receivers that turn events into notifications, the bell and the health warning."""

import datetime
from io import StringIO
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from health_check.exceptions import ServiceWarning

from config.health import OutboxBacklog
from notifications import delivery
from notifications.channels import EmailChannel
from notifications.models import Kind, Notification, OutboxMessage, Preference
from notifications.service import notify
from review.choices import ReviewOutcome
from review.states import State
from workflows.flows import IssuingFlow

NOW = datetime.datetime(2025, 6, 2, 9, 0, tzinfo=datetime.UTC)


def send(**kwargs):
    out = StringIO()
    call_command("send_notifications", stdout=out, **kwargs)
    return out.getvalue()


@pytest.fixture
def user(drafter):
    drafter.email = "drafter@example.gov.cn"
    drafter.save(update_fields=["email"])
    return drafter


def tell(user, kind=Kind.RETURNED, title="《文件》被退回修改"):
    return notify(user, kind, title=title, body="请修改", url="/documents/1/")


def test_a_notification_writes_the_bell_row_and_the_outbox_row_together(user):
    with time_machine.travel(NOW, tick=False):
        tell(user)
    assert Notification.objects.filter(user=user, read_at=None).count() == 1
    row = OutboxMessage.objects.get()
    assert (row.recipient, row.status) == ("drafter@example.gov.cn", "pending")
    assert row.message_id.startswith("<") and row.message_id.endswith("@guifan.local>")


def test_an_event_that_rolls_back_leaves_no_notification_and_nothing_to_send(user):
    with pytest.raises(RuntimeError), transaction.atomic():
        tell(user)
        raise RuntimeError("the action failed after notifying")
    assert not Notification.objects.exists() and not OutboxMessage.objects.exists()


def test_a_crash_between_commit_and_send_loses_nothing(user):
    with time_machine.travel(NOW, tick=False):
        with transaction.atomic():
            tell(user)
        # the process dies here: nothing was sent
    assert mail.outbox == []
    with time_machine.travel(NOW + datetime.timedelta(minutes=5), tick=False):
        out = send()
    assert "已发送" in out and len(mail.outbox) == 1
    assert mail.outbox[0].extra_headers["Message-ID"] == OutboxMessage.objects.get().message_id


def test_a_send_failure_is_retried_with_backoff_and_then_sent(user):
    with time_machine.travel(NOW, tick=False):
        tell(user)
        with mock.patch.object(EmailChannel, "send", side_effect=OSError("SMTP down")):
            assert "待重试" in send()
    row = OutboxMessage.objects.get()
    assert (row.status, row.attempts, row.last_error) == ("pending", 1, "SMTP down")
    with time_machine.travel(NOW + datetime.timedelta(seconds=30), tick=False):
        send()  # not due yet: the backoff holds it
    assert mail.outbox == []
    with time_machine.travel(NOW + datetime.timedelta(minutes=1, seconds=1), tick=False):
        send()
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sent", 2)


def test_a_row_that_keeps_failing_is_marked_failed_and_the_health_check_warns(user, settings):
    settings.GUIFAN_NOTIFY_MAX_ATTEMPTS = 2
    with time_machine.travel(NOW, tick=False):
        tell(user)
    with mock.patch.object(EmailChannel, "send", side_effect=OSError("refused")):
        for minutes in (0, 5):
            with time_machine.travel(NOW + datetime.timedelta(minutes=minutes), tick=False):
                send()
    assert OutboxMessage.objects.get().status == "failed"
    assert delivery.backlog() == (0, 1)
    with pytest.raises(ServiceWarning, match="1 failed"):
        OutboxBacklog().run()


def test_a_crash_after_the_server_accepted_resends_once_with_the_same_message_id(user):
    with time_machine.travel(NOW, tick=False):
        tell(user)
        with mock.patch.object(delivery, "mark_sent", side_effect=SystemExit("killed")):
            with pytest.raises(SystemExit):
                send()
    assert len(mail.outbox) == 1
    with time_machine.travel(NOW + datetime.timedelta(minutes=2), tick=False):
        send()
        send()
    assert len(mail.outbox) == 2
    ids = {m.extra_headers["Message-ID"] for m in mail.outbox}
    assert ids == {OutboxMessage.objects.get().message_id}
    assert OutboxMessage.objects.get().status == "sent"


def test_running_the_sender_twice_sends_each_message_once(user):
    with time_machine.travel(NOW, tick=False):
        tell(user)
        tell(user, title="第二条")
        send()
        send()
    assert len(mail.outbox) == 2
    assert OutboxMessage.objects.filter(status="sent").count() == 2


def test_a_daily_digest_user_gets_one_message_listing_the_day(user):
    Preference.objects.create(user=user, email=Preference.Email.DAILY)
    tell(user, title="第一条")
    tell(user, title="第二条")
    assert not OutboxMessage.objects.exists()
    out = send(digest=True)
    assert "汇总" in out and len(mail.outbox) == 1
    assert "第一条" in mail.outbox[0].body and "第二条" in mail.outbox[0].body
    send(digest=True)
    assert len(mail.outbox) == 1  # nothing listed twice


def test_a_user_who_turned_email_off_or_muted_a_kind_gets_only_the_bell(user):
    preference = Preference.objects.create(user=user, muted=[Kind.DECISION])
    tell(user, kind=Kind.DECISION)
    assert not OutboxMessage.objects.exists()
    tell(user, kind=Kind.RETURNED)
    assert OutboxMessage.objects.count() == 1
    preference.email = Preference.Email.OFF
    preference.save()
    tell(user, kind=Kind.RETURNED)
    assert OutboxMessage.objects.count() == 1
    assert Notification.objects.filter(user=user).count() == 3


def test_a_new_draft_task_and_a_return_for_revision_tell_the_drafter(walk, document, user):
    IssuingFlow.start.run(document=document)
    assigned = Notification.objects.get(user=user, kind=Kind.TASK_ASSIGNED)
    assert document.title in assigned.title
    walk.to(State.LEGALITY_REVIEW)
    walk.review(outcome=ReviewOutcome.REVISE)
    returned = Notification.objects.get(user=user, kind=Kind.RETURNED)
    assert returned.url == reverse("desk:document", args=[document.pk])


def test_the_bell_shows_the_unread_count_and_opening_marks_read(client, user, outsider):
    first = tell(user)
    tell(user, title="第二条")
    client.force_login(user)
    page = client.get(reverse("desk:inbox")).content.decode()
    assert 'class="bell-count"' in page and ">2</span>" in page
    response = client.get(reverse("notifications:open", args=[first.pk]))
    assert response.url == "/documents/1/"
    first.refresh_from_db()
    assert first.read_at is not None
    client.force_login(outsider)
    assert client.get(reverse("notifications:open", args=[first.pk])).status_code == 404


def test_preferences_are_saved_from_their_page(client, user):
    client.force_login(user)
    client.post(
        reverse("notifications:preferences"), {"email": "daily", "muted": ["task_due_soon"]}
    )
    preference = Preference.objects.get(user=user)
    assert (preference.email, preference.muted) == ("daily", ["task_due_soon"])


def test_the_outbox_is_not_a_backlog_while_fresh(user):
    tell(user)
    assert delivery.backlog(now=timezone.now()) == (0, 0)
    OutboxBacklog().run()  # no warning
    later = timezone.now() + datetime.timedelta(minutes=16)
    assert delivery.backlog(now=later) == (1, 0)
