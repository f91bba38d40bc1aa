import io

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from review import actions, audit
from review.audit import ChainBroken
from review.errors import NotPermitted, Refused
from review.management.commands.verify_audit import Command as VerifyAudit
from review.models import AuditEvent
from review.states import State
from tests.conftest import START
from tests.pg import failures, postgres_only, run_at_once

# The actions the Walker calls on the way to 已备案 (the fixture's document is not
# important, so it does not go out for public comment).
WALKER_ACTIONS = [
    "add_version",
    "add_attachment",
    "submit_for_review",
    "classify",
    "sign_advisor_opinion",
    "record_legality_review",
    "send_to_deliberation",
    "record_deliberation",
    "register_and_number",
    "publish",
    "file_with_authority",
    "register_filing",
    "accept_filing",
]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # conftest's users get passwords; the default PBKDF2 costs a quarter second each.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def chain(walk):
    """Four events: the document's creation, its version and two attachments."""
    walk.prepare()
    assert audit.verify() == 4
    return list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))


def raw_sql(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


# --- one action, one event ------------------------------------------------


def test_every_action_on_the_way_to_filed_appends_exactly_one_event(walk, document, monkeypatch):
    appended = []

    def counting(name, action):
        def wrapper(*args, **kwargs):
            before = AuditEvent.objects.count()
            result = action(*args, **kwargs)
            appended.append((name, AuditEvent.objects.count() - before))
            return result

        return wrapper

    for name in WALKER_ACTIONS:
        monkeypatch.setattr(actions, name, counting(name, getattr(actions, name)))

    walk.to(State.FILED)

    assert document.state == State.FILED
    assert appended == [(name, 1) for name, _delta in appended]
    assert {name for name, _delta in appended} == set(WALKER_ACTIONS)
    assert document.audit_events.count() == 1 + len(appended)  # 1: its creation
    assert audit.verify() == AuditEvent.objects.count()


def test_withdrawing_a_document_appends_exactly_one_event(document, drafter):
    before = AuditEvent.objects.count()

    actions.withdraw(document, by=drafter, reason="上位法已修订，不再制定")

    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.order_by("seq").last()
    assert (event.action, event.from_state, event.to_state) == (
        "withdraw",
        State.DRAFTING,
        State.WITHDRAWN,
    )
    assert event.document == document
    assert event.actor == drafter
    assert event.note == "上位法已修订，不再制定"


def test_a_refused_action_writes_no_event(document, legal_reviewer):
    before = AuditEvent.objects.count()

    with pytest.raises(Refused):
        actions.send_to_deliberation(document, by=legal_reviewer)

    assert AuditEvent.objects.count() == before
    document.refresh_from_db()
    assert document.state == State.DRAFTING


def test_an_action_by_the_wrong_role_writes_no_event(document, legal_reviewer):
    before = AuditEvent.objects.count()

    with pytest.raises(NotPermitted):
        actions.withdraw(document, by=legal_reviewer, reason="不是起草人")

    assert AuditEvent.objects.count() == before


# --- append-only through the ORM and the admin ----------------------------


def test_an_existing_event_cannot_be_saved_again(document):
    event = document.audit_events.get()
    event.note = "改写"

    with pytest.raises(PermissionError):
        event.save()

    assert AuditEvent.objects.get(pk=event.pk).note != "改写"


def test_an_event_cannot_be_saved_except_by_audit_record(document):
    forged = AuditEvent(
        seq=99, action="forged", at=document.created_at, prev_hash="0" * 64, hash="f" * 64
    )

    with pytest.raises(PermissionError):
        forged.save()

    assert not AuditEvent.objects.filter(action="forged").exists()


def test_an_event_cannot_be_deleted(document):
    event = document.audit_events.get()

    with pytest.raises(PermissionError):
        event.delete()

    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_events_cannot_be_updated_in_bulk(document):
    with pytest.raises(PermissionError):
        AuditEvent.objects.update(note="x")
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(document=document).update(note="x")

    assert not AuditEvent.objects.filter(note="x").exists()


def test_events_cannot_be_deleted_in_bulk(document):
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()

    assert AuditEvent.objects.count() == 1


def test_the_admin_gives_even_a_superuser_no_add_change_or_delete_permission(document):
    superuser = get_user_model().objects.create_superuser("root", "root@example.com", "x-test-only")
    request = RequestFactory().get("/admin/review/auditevent/")
    request.user = superuser
    model_admin = admin.site._registry[AuditEvent]
    event = document.audit_events.get()

    assert model_admin.has_view_permission(request, event) is True
    assert model_admin.has_change_permission(request, event) is False
    assert model_admin.has_delete_permission(request, event) is False
    assert model_admin.has_add_permission(request) is False


def test_the_admin_delete_page_refuses_a_superuser(client, document):
    superuser = get_user_model().objects.create_superuser("root", "root@example.com", "x-test-only")
    client.force_login(superuser)
    event = document.audit_events.get()

    response = client.post(
        reverse("admin:review_auditevent_delete", args=[event.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


# --- tampering is caught --------------------------------------------------


def test_an_intact_chain_verifies_and_the_command_says_how_many_events(chain):
    out = io.StringIO()

    call_command("verify_audit", "--no-anchor", stdout=out)

    assert out.getvalue() == "审计链完整：共 4 条记录 (audit chain intact: 4 events)\n"


def test_the_command_has_help_text():
    assert "审计链" in VerifyAudit.help


def test_a_note_rewritten_by_raw_sql_breaks_the_chain_at_that_event(chain):
    raw_sql("UPDATE review_auditevent SET note = 'x' WHERE seq = %s", [chain[2]])

    with pytest.raises(ChainBroken) as broken:
        audit.verify()

    assert broken.value.seq == chain[2]
    assert "篡改" in broken.value.reason
    with pytest.raises(CommandError, match=f"第 {chain[2]} 号"):
        call_command("verify_audit", stdout=io.StringIO())


def test_a_row_deleted_from_the_middle_by_raw_sql_breaks_the_chain(chain):
    raw_sql("DELETE FROM review_auditevent WHERE seq = %s", [chain[2]])

    with pytest.raises(ChainBroken) as broken:
        audit.verify()

    assert broken.value.seq == chain[2]
    assert "缺少" in broken.value.reason
    with pytest.raises(CommandError, match=f"第 {chain[2]} 号"):
        call_command("verify_audit", stdout=io.StringIO())


def test_the_last_row_deleted_by_raw_sql_breaks_the_chain(chain):
    raw_sql("DELETE FROM review_auditevent WHERE seq = %s", [chain[-1]])

    with pytest.raises(ChainBroken) as broken:
        audit.verify()

    assert broken.value.seq == chain[-1]
    assert "末尾记录被删除" in broken.value.reason
    with pytest.raises(CommandError, match=f"第 {chain[-1]} 号"):
        call_command("verify_audit", stdout=io.StringIO())


def test_a_row_inserted_after_the_head_breaks_the_chain(chain):
    last = AuditEvent.objects.get(seq=chain[-1])
    raw_sql(
        "INSERT INTO review_auditevent (seq, actor_name, at, action, from_state, to_state, note, data, prev_hash, hash)"
        " VALUES (%s, '', %s, 'forged', '', '', '', '{}', %s, %s)",
        [chain[-1] + 1, last.at, last.hash, "f" * 64],
    )

    with pytest.raises(ChainBroken) as broken:
        audit.verify()

    assert broken.value.seq == chain[-1] + 1


def test_a_broken_chain_makes_the_command_exit_non_zero(chain, monkeypatch, capsys):
    raw_sql("UPDATE review_auditevent SET note = 'x' WHERE seq = %s", [chain[2]])
    # run_from_argv closes every connection when it ends, which would end the test's transaction.
    monkeypatch.setattr(connections, "close_all", lambda: None)

    with pytest.raises(SystemExit) as exit:
        VerifyAudit().run_from_argv(["manage.py", "verify_audit"])

    assert exit.value.code != 0
    assert f"第 {chain[2]} 号" in capsys.readouterr().err


def test_an_event_appended_while_the_chain_is_walked_is_not_taken_for_tampering(
    chain, document, drafter, monkeypatch
):
    real_chain_hash = audit.chain_hash
    appended = []

    def chain_hash_appending_once(prev_hash, content):
        # The walk has read every row; another request appends before the head is read again.
        if not appended and f'"seq":{chain[-1]},' in content:
            appended.append(audit.record(action="concurrent", document=document, actor=drafter))
        return real_chain_hash(prev_hash, content)

    monkeypatch.setattr(audit, "chain_hash", chain_hash_appending_once)

    assert audit.verify() == 4
    assert appended
    monkeypatch.undo()
    assert audit.verify() == 5


def test_the_chain_head_is_recreated_when_a_flush_has_emptied_it(document, drafter):
    raw_sql("DELETE FROM review_auditevent")
    raw_sql("DELETE FROM review_auditchainhead")

    event = audit.record(action="after_flush", document=document, actor=drafter)

    assert (event.seq, event.prev_hash) == (1, audit.GENESIS)
    assert audit.verify() == 1


# --- concurrency (PostgreSQL) ---------------------------------------------


@postgres_only
def test_twenty_events_appended_at_the_same_moment_form_one_gap_free_chain():
    before = AuditEvent.objects.count()

    outcomes = run_at_once(20, lambda i: audit.record(action="concurrent", note=f"线程 {i}").seq)

    assert failures(outcomes) == []
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, before + 21))
    assert sorted(value for _ok, value in outcomes) == list(range(before + 1, before + 21))
    assert AuditEvent.objects.values("prev_hash").distinct().count() == before + 20  # no fork
    assert audit.verify() == before + 20


# --- the head a connection keeps (one statement fewer per append) -------


def appended_with_statements(**kwargs):
    with CaptureQueriesContext(connection) as captured:
        event = audit.record(**kwargs)
    return event, [query["sql"] for query in captured.captured_queries]


def test_an_append_after_this_connections_own_does_not_read_the_head(document, drafter):
    first = audit.record(action="first", document=document, actor=drafter)

    event, statements = appended_with_statements(action="second", document=document, actor=drafter)

    assert len(statements) == 2  # move the head on from the one kept, insert the event
    assert statements[0].startswith("UPDATE") and statements[1].startswith("INSERT")
    assert (event.seq, event.prev_hash) == (first.seq + 1, first.hash)
    assert audit.verify() == event.seq


def test_an_append_after_another_processs_reads_the_head_and_chains_on_it(document, drafter):
    first = audit.record(action="first", document=document, actor=drafter)
    other = audit.record(action="by another process", document=document)
    # This connection still keeps the head as it left it after `first`.
    setattr(connection, audit._HEAD_ATTRIBUTE, (first.seq, first.hash))

    event, statements = appended_with_statements(action="third", document=document, actor=drafter)

    assert any(sql.startswith("SELECT") for sql in statements)  # the head, read under lock
    assert (event.seq, event.prev_hash) == (other.seq + 1, other.hash)
    assert audit.verify() == event.seq


def test_an_append_after_a_rolled_back_one_chains_on_the_last_committed_event(document, drafter):
    first = audit.record(action="first", document=document, actor=drafter)
    with pytest.raises(RuntimeError), transaction.atomic():
        audit.record(action="rolled back", document=document, actor=drafter)
        raise RuntimeError("the action failed after its event")

    event = audit.record(action="after", document=document, actor=drafter)

    assert (event.seq, event.prev_hash) == (first.seq + 1, first.hash)
    assert not AuditEvent.objects.filter(action="rolled back").exists()
    assert audit.verify() == event.seq


def test_a_returned_event_is_the_stored_row(document, drafter):
    event = audit.record(
        action="stored", document=document, actor=drafter, note="说明", data={"on": START}
    )

    stored = AuditEvent.objects.get(pk=event.pk)
    for field in AuditEvent._meta.concrete_fields:
        assert getattr(event, field.attname) == getattr(stored, field.attname), field.name
    assert event.data == {"on": START.isoformat()}


@postgres_only
def test_threads_appending_several_events_each_keep_one_gap_free_chain():
    """Each thread's connection keeps its own last head, which the others keep
    making stale: every append must notice and chain on the true head."""
    before = AuditEvent.objects.count()

    def append_three(i):
        return [audit.record(action="concurrent", note=f"线程 {i} 第 {k} 条").seq for k in range(3)]

    outcomes = run_at_once(10, append_three)

    assert failures(outcomes) == []
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, before + 31))
    assert audit.verify() == before + 30
