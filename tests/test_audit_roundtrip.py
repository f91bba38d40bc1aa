"""The chain survives a dumpdata → loaddata copy into an emptied database (SQLite and
PostgreSQL): events are stamped to the millisecond, which JSON keeps, and events stamped
to the microsecond before that verify by recovering the digits the copy cut."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from review import audit
from review.models import AuditEvent

# What a JSON copy of the data leaves out: rows every migrate creates again.
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "admin.logentry"]


def copy_through_json(tmp_path):
    dump = tmp_path / "copy.json"
    call_command(
        "dumpdata",
        "--natural-foreign",
        *[f"--exclude={name}" for name in EXCLUDED],
        output=str(dump),
        stdout=io.StringIO(),
    )
    call_command("flush", interactive=False, stdout=io.StringIO())
    assert not AuditEvent.objects.exists()
    call_command("loaddata", str(dump), stdout=io.StringIO())


def micros():
    """Each event's microseconds, written as 0 when they are whole milliseconds."""
    ats = AuditEvent.objects.order_by("seq").values_list("at", flat=True)
    return [at.microsecond if at.microsecond % 1000 else 0 for at in ats]


def stamped_to_the_microsecond(monkeypatch):
    """Events as they were written before the millisecond stamp."""
    monkeypatch.setattr(
        audit, "_to_the_millisecond", lambda moment: moment.replace(microsecond=123456)
    )


@pytest.mark.django_db(transaction=True)
def test_a_json_copy_of_the_chain_verifies_against_the_anchors_written_before(
    walk, tmp_path, monkeypatch
):
    with monkeypatch.context() as old_release:
        stamped_to_the_microsecond(old_release)
        walk.prepare()
    walk.submit_for_review()
    old = micros()
    assert old[:5] == [0, 123456, 123456, 123456, 0]  # created, 3 old, submitted
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    count = AuditEvent.objects.count()
    hashes = list(AuditEvent.objects.values_list("hash", flat=True))

    copy_through_json(tmp_path)

    # The copy cut the old events' microseconds, and nothing else.
    assert list(AuditEvent.objects.values_list("hash", flat=True)) == hashes
    assert micros() == [0] * count
    assert [
        at.microsecond
        for at in AuditEvent.objects.filter(seq__in=[2, 3, 4]).values_list("at", flat=True)
    ] == [123000] * 3
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    assert f"共 {count} 条记录" in out.getvalue()
    assert f"与签名锚点一致：至第 {count} 号" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_a_copied_old_event_whose_content_was_changed_is_still_caught(walk, tmp_path, monkeypatch):
    with monkeypatch.context() as old_release:
        stamped_to_the_microsecond(old_release)
        walk.prepare()
    copy_through_json(tmp_path)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE review_auditevent SET note = 'x' WHERE seq = 2")

    with pytest.raises(audit.ChainBroken) as broken:
        audit.verify()
    assert broken.value.seq == 2, broken.value.reason
