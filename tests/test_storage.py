"""How rows reach the disk: one data layer, Django's ORM. The indexes migration 0005
dropped and kept, the one-statement serial, reads that are never stale, and save()
signals that reach their receivers."""

import re
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.db.models.signals import post_save, pre_save
from django.test.utils import CaptureQueriesContext

from review import actions, lifecycle, numbering
from review.driver import FILING_ALL_OK
from review.models import (
    AdvisorOpinion,
    AuditEvent,
    FilingReview,
    LegalityReview,
    NormativeDocument,
    NumberSequence,
    ReviewOutcome,
)
from review.states import State

ROOT = Path(__file__).resolve().parent.parent


def single_column_indexes(table):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return [
        info["columns"]
        for info in constraints.values()
        if info["index"] and not info["unique"] and not info["primary_key"]
    ]


@pytest.mark.django_db
def test_an_audit_event_is_found_by_its_document_through_the_composite_index_only():
    indexes = single_column_indexes("review_auditevent")

    assert ["document_id", "seq"] in indexes
    assert ["document_id"] not in indexes
    assert ["actor_id"] not in indexes


@pytest.mark.django_db
def test_the_dropped_indexes_leave_those_the_queries_use():
    document = single_column_indexes("review_normativedocument")
    assert ["organisation_id", "state"] in document  # also serves organisation alone
    assert ["state"] in document
    assert ["drafting_unit_id"] in document  # the register's filter
    for dropped in (["organisation_id"], ["drafter_id"], ["amended_by_id"], ["repealed_by_id"]):
        assert dropped not in document
    assert ["authority_id"] in single_column_indexes("review_filing")  # reviewers' register
    assert ["filed_by_id"] not in single_column_indexes("review_filing")


@pytest.mark.django_db
def test_a_serial_is_one_statement_and_a_new_sequence_starts_at_one():
    kind = NumberSequence.Kind.DOCUMENT_NUMBER
    with transaction.atomic():
        with CaptureQueriesContext(connection) as captured:
            first = numbering.next_serial(kind, "测试发", 2031)
        second = numbering.next_serial(kind, "测试发", 2031)

    assert (first, second) == (1, 2)
    assert len(captured.captured_queries) == 1
    assert NumberSequence.objects.get(kind=kind, prefix="测试发", year=2031).last == 2


# --- no read outlives a write ------------------------------------------


def reviewed_but_without_outcome(walk, document, actors):
    walk.to(State.LEGALITY_REVIEW)
    actions.classify(document, by=actors.legal_reviewer, normative=True, note="属于")
    # The sign-off is set up directly: the action signs only on a given conclusion, and
    # these tests need a signed text whose review has none yet.
    version = document.current_version
    AdvisorOpinion.objects.create(
        review=document.latest_review,
        advisor=actors.advisor,
        version=version,
        version_sha256=version.sha256,
        opinion="同意。",
        agrees=True,
    )


def test_a_guard_judges_the_review_an_orm_update_left_within_the_same_transaction(
    walk, document, actors
):
    reviewed_but_without_outcome(walk, document, actors)
    with transaction.atomic():
        locked = NormativeDocument.objects.select_for_update().get(pk=document.pk)
        assert not lifecycle.review_passed(locked)
        assert locked.latest_review.outcome == ""

        LegalityReview.objects.filter(document=locked).update(outcome=ReviewOutcome.LAWFUL)

        assert locked.latest_review.outcome == ReviewOutcome.LAWFUL
        assert lifecycle.review_passed(locked)
        assert lifecycle.refusals(locked, "send_to_deliberation") == []


def test_within_an_action_a_record_read_before_an_orm_update_is_read_again_after_it(
    walk, document, actors
):
    """An action reads each record once between two writes (NormativeDocument
    .reading_once): the update() below, which no model method sees, still ends it."""
    reviewed_but_without_outcome(walk, document, actors)
    with transaction.atomic(), document.reading_once():
        assert document.latest_review.outcome == ""
        assert lifecycle.refusals(document, "send_to_deliberation") == [
            str(lifecycle.review_passed.message)
        ]
        with CaptureQueriesContext(connection) as captured:
            assert document.latest_review.outcome == ""
        assert captured.captured_queries == []  # read once, nothing written since

        LegalityReview.objects.filter(document=document).update(outcome=ReviewOutcome.LAWFUL)

        assert document.latest_review.outcome == ReviewOutcome.LAWFUL
        assert lifecycle.review_passed(document)
        assert lifecycle.refusals(document, "send_to_deliberation") == []


def test_an_action_after_an_orm_update_in_the_same_task_judges_the_updated_review(
    walk, document, actors
):
    """As a workflow task does: read, write with update(), then call the action, all in
    one transaction. The action's guards must not judge the review as first read."""
    reviewed_but_without_outcome(walk, document, actors)
    with transaction.atomic():
        assert document.latest_review.outcome == ""
        LegalityReview.objects.filter(document=document).update(outcome=ReviewOutcome.LAWFUL)
        actions.send_to_deliberation(document, by=actors.legal_reviewer)

    assert document.state == State.DELIBERATION
    assert NormativeDocument.objects.get(pk=document.pk).state == State.DELIBERATION


def test_a_filings_review_is_read_afresh_after_an_orm_update(walk, document):
    walk.to(State.FILING_REVIEW)
    filing = document.latest_filing
    assert filing.review_or_none.findings == ""

    FilingReview.objects.filter(filing=filing).update(findings="已另行写入")

    assert document.latest_filing.review_or_none.findings == "已另行写入"


def test_the_guards_of_one_transition_read_each_record_once(walk, document, actors):
    reviewed_but_without_outcome(walk, document, actors)
    LegalityReview.objects.filter(document=document).update(outcome=ReviewOutcome.LAWFUL)
    locked = NormativeDocument.objects.select_related("organisation", "organisation__settings").get(
        pk=document.pk
    )

    with CaptureQueriesContext(connection) as captured:
        with lifecycle.guards_evaluated_once(locked):
            assert lifecycle.refusals(locked, "send_to_deliberation") == []
    # the latest review, the current version, the signed texts; nothing twice
    assert len(captured.captured_queries) == 3

    with CaptureQueriesContext(connection) as captured:
        assert locked.latest_review.pk == locked.latest_review.pk
    assert len(captured.captured_queries) == 2  # outside a transition's guards: always fresh


# --- save() and its signals ---------------------------------------------------------


@pytest.fixture
def received():
    calls = []

    def on_save(sender, instance, created=None, update_fields=None, **kwargs):
        calls.append((sender.__name__, kwargs["signal"] is post_save, created, update_fields))

    for model in (AuditEvent, NormativeDocument, FilingReview):
        pre_save.connect(on_save, sender=model, weak=False)
        post_save.connect(on_save, sender=model, weak=False)
    yield calls
    for model in (AuditEvent, NormativeDocument, FilingReview):
        pre_save.disconnect(on_save, sender=model)
        post_save.disconnect(on_save, sender=model)


def test_save_signal_receivers_hear_every_write_of_an_action(walk, document, received):
    walk.to(State.UNDER_REVIEW)
    received.clear()

    actions.accept_filing(document, by=walk.actors.filing_reviewer, substantive=FILING_ALL_OK)

    post = [(name, created, fields) for name, is_post, created, fields in received if is_post]
    decision = frozenset({"reviewer", "substantive", "conclusion", "findings", "concluded_on"})
    assert ("FilingReview", False, decision) in post
    # every save of a document stores its interval in force again (catalogue, issue 14)
    document_fields = frozenset({"state", "updated_at", "in_force_from", "in_force_until"})
    assert ("NormativeDocument", False, document_fields) in post
    assert ("AuditEvent", True, None) in post
    assert len([call for call in received if not call[1]]) == len(post)  # pre_save as well


def test_an_audit_event_written_by_an_action_reaches_a_post_save_receiver(walk, document):
    heard = []

    def on_event(sender, instance, created, **kwargs):
        heard.append((instance.action, instance.document_id, created))

    post_save.connect(on_event, sender=AuditEvent)
    try:
        walk.to(State.LEGALITY_REVIEW)
    finally:
        post_save.disconnect(on_event, sender=AuditEvent)

    assert ("submit_for_review", document.pk, True) in heard
    assert len(heard) == AuditEvent.objects.filter(document=document).count() - 1  # not create


# --- one data layer --------------------------------------------------------------

# The compiled-statement layer and the private Django and django-fsm internals it
# rested on (the list: tests/private_names.txt): none of it may come back.
PRIVATE = re.compile(
    "|".join(
        line
        for line in (ROOT / "tests" / "private_names.txt").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    )
)


def test_no_code_uses_a_private_data_layer_or_private_django_internals():
    found = []
    for folder in ("config", "review", "workflows", "desk", "portal", "bench", "tests", "scripts"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if PRIVATE.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == []
    assert not [path for path in (ROOT / "review").glob("*.py") if PRIVATE.search(path.stem)]
    assert not (ROOT / "config" / "sqlite").exists()
