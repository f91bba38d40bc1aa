import datetime

import pytest
import time_machine
from viewflow.workflow.status import STATUS
from viewflow.workflow.timers import fire_due_timers

from review import actions
from review.driver import ALL_OK, FILING_ALL_OK
from review.errors import NotPermitted, Refused
from review.models import AttachmentKind, AuditEvent, Deliberation, ReviewOutcome
from review.states import State
from workflows.driving import open_task, perform, processes_of
from workflows.flows import FilingReviewFlow, IssuingFlow

from .conftest import START

pytestmark = pytest.mark.django_db


def at(day):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(10)), tick=False)


@pytest.fixture
def started(document):
    IssuingFlow.start.run(document=document)
    return document


def prepare(document, drafter):
    actions.add_version(document, by=drafter, text="第一条 为规范政府信息公开工作，制定本制度。")
    actions.add_attachment(document, by=drafter, kind=AttachmentKind.DRAFTING_NOTE, text="起草说明")
    actions.add_attachment(document, by=drafter, kind=AttachmentKind.LEGAL_BASIS, text="依据")


def conclude_lawful(doc, actors):
    def review(d):
        actions.classify(d, by=actors.legal_reviewer, normative=True)
        actions.record_legality_review(
            d,
            by=actors.legal_reviewer,
            outcome=ReviewOutcome.LAWFUL,
            checklist=ALL_OK,
            opinion="合法。",
        )

    perform(open_task(doc, IssuingFlow.legal_review), actors.legal_reviewer, review)


def review_lawfully(doc, actors):
    """The legal division concludes; the advisor then gives an opinion on that conclusion."""
    conclude_lawful(doc, actors)
    perform(
        open_task(doc, IssuingFlow.advisor_signoff),
        actors.advisor,
        lambda d: actions.sign_advisor_opinion(d, by=actors.advisor, opinion="同意。", agrees=True),
    )


def walk_to_filing_review(doc, actors):
    with at(START):
        prepare(doc, actors.drafter)
        perform(
            open_task(doc, IssuingFlow.draft),
            actors.drafter,
            lambda d: actions.submit_for_review(d, by=actors.drafter),
        )
        review_lawfully(doc, actors)
        doc.refresh_from_db()
        assert doc.state == State.DELIBERATION
        perform(
            open_task(doc, IssuingFlow.deliberate),
            actors.secretary,
            lambda d: actions.record_deliberation(
                d,
                by=actors.secretary,
                meeting_type=Deliberation.MeetingType.BUREAU,
                meeting_date=START,
                attendance="局领导",
                outcome=Deliberation.Outcome.PASSED,
                minutes="通过",
            ),
        )
        perform(
            open_task(doc, IssuingFlow.register),
            actors.registrar,
            lambda d: actions.register_and_number(d, by=actors.registrar),
        )
        perform(
            open_task(doc, IssuingFlow.publish),
            actors.registrar,
            lambda d: actions.publish(d, by=actors.registrar, published_on=START),
        )
        perform(
            open_task(doc, IssuingFlow.file),
            actors.filing_clerk,
            lambda d: actions.file_with_authority(d, by=actors.filing_clerk),
        )
    doc.refresh_from_db()
    return doc


def test_the_drafting_task_is_assigned_to_the_documents_drafter(started, drafter):
    task = open_task(started, IssuingFlow.draft)
    assert task.status == STATUS.ASSIGNED
    assert task.owner == drafter


def test_a_document_goes_through_both_processes_to_filed(started, actors):
    doc = walk_to_filing_review(started, actors)
    assert doc.state == State.FILING_REVIEW
    issuing = processes_of(doc).get(flow_class=IssuingFlow)
    assert issuing.status == STATUS.DONE
    register = open_task(doc, FilingReviewFlow.register)
    assert register.status == STATUS.NEW
    assert register.data["due_on"] == doc.latest_filing.review.due_on.isoformat()
    with at(START):
        perform(
            register,
            actors.filing_reviewer,
            lambda d: actions.register_filing(d, by=actors.filing_reviewer),
        )
        review = open_task(doc, FilingReviewFlow.review)
        perform(
            review,
            actors.filing_reviewer,
            lambda d: actions.accept_filing(
                d, by=actors.filing_reviewer, substantive=FILING_ALL_OK
            ),
        )
    doc.refresh_from_db()
    assert doc.state == State.FILED
    assert all(p.status == STATUS.DONE for p in processes_of(doc))


def test_a_revision_sends_the_draft_back_and_cancels_the_advisors_sign_off(started, actors):
    doc = started
    with at(START):
        prepare(doc, actors.drafter)
        perform(
            open_task(doc, IssuingFlow.draft),
            actors.drafter,
            lambda d: actions.submit_for_review(d, by=actors.drafter),
        )

        def send_back(d):
            actions.classify(d, by=actors.legal_reviewer, normative=True)
            checklist = {**ALL_OK, "rights": {"ok": False, "note": "增加义务"}}
            actions.record_legality_review(
                d,
                by=actors.legal_reviewer,
                outcome=ReviewOutcome.REVISE,
                checklist=checklist,
                opinion="修改第五条",
            )

        perform(open_task(doc, IssuingFlow.legal_review), actors.legal_reviewer, send_back)
    doc.refresh_from_db()
    assert doc.state == State.REVISION
    assert open_task(doc, IssuingFlow.advisor_signoff) is None
    assert open_task(doc, IssuingFlow.draft).owner == actors.drafter
    with at(START):
        actions.add_version(doc, by=actors.drafter, text="修改稿")
        perform(
            open_task(doc, IssuingFlow.draft),
            actors.drafter,
            lambda d: actions.submit_for_review(d, by=actors.drafter),
        )
        review_lawfully(doc, actors)
    doc.refresh_from_db()
    assert doc.state == State.DELIBERATION


def test_public_comment_comes_before_the_legality_review_and_is_closed_by_its_handle(
    bureau, division, drafter, actors
):
    doc = actions.create_document(
        organisation=bureau,
        drafting_unit=division,
        title="养老服务补贴办法",
        by=drafter,
        legal_basis="《老年人权益保障法》",
        is_market_related=True,
    )
    IssuingFlow.start.run(document=doc)
    closes = START + datetime.timedelta(days=35)
    with at(START):
        prepare(doc, drafter)
        with pytest.raises(Refused):
            perform(
                open_task(doc, IssuingFlow.draft),
                drafter,
                lambda d: actions.submit_for_review(d, by=drafter),
            )
        perform(
            open_task(doc, IssuingFlow.draft),
            drafter,
            lambda d: actions.open_comment_period(d, by=drafter, opens_on=START, closes_on=closes),
        )
    doc.refresh_from_db()
    assert doc.state == State.PUBLIC_COMMENT
    handle = open_task(doc, IssuingFlow.comment)
    with at(closes), pytest.raises(Refused):
        IssuingFlow.comment.run(handle, by=drafter)
    with at(closes + datetime.timedelta(days=1)):
        IssuingFlow.comment.run(
            open_task(doc, IssuingFlow.comment), by=drafter, summary="未收到意见"
        )
    doc.refresh_from_db()
    assert doc.state == State.DRAFTING
    assert open_task(doc, IssuingFlow.draft).owner == drafter


def test_another_organisations_reviewer_can_neither_take_nor_execute_the_review(
    started, actors, outsider
):
    with at(START):
        prepare(started, actors.drafter)
        perform(
            open_task(started, IssuingFlow.draft),
            actors.drafter,
            lambda d: actions.submit_for_review(d, by=actors.drafter),
        )
    task = open_task(started, IssuingFlow.legal_review)
    assert not IssuingFlow.legal_review.can_assign(outsider, task)
    assert IssuingFlow.legal_review.can_assign(actors.legal_reviewer, task)
    assert not IssuingFlow.legal_review.can_assign(actors.drafter, task)
    with pytest.raises(NotPermitted):
        perform(task, outsider, lambda d: None)
    task.refresh_from_db()
    assert task.status == STATUS.NEW


def test_an_overdue_legality_review_is_escalated_by_the_timer(started, actors):
    with at(START):
        prepare(started, actors.drafter)
        perform(
            open_task(started, IssuingFlow.draft),
            actors.drafter,
            lambda d: actions.submit_for_review(d, by=actors.drafter),
        )
    due = started.latest_review.due_on
    with at(due):
        fire_due_timers()
    task = open_task(started, IssuingFlow.legal_review)
    assert task.data.get("escalation") == "due_soon"
    with at(due + datetime.timedelta(days=1)):
        fire_due_timers()
    task.refresh_from_db()
    assert task.data["escalation"] == "overdue"
    assert (
        AuditEvent.objects.filter(document=started, action="task_overdue").count() == 2
    )  # review and sign-off
    assert task.status == STATUS.NEW  # non-interrupting: the reviewer still holds it


def test_the_command_closes_ended_comment_periods_and_returns_the_document_to_its_drafter(
    bureau, division, drafter
):
    from io import StringIO

    from django.core.management import call_command

    doc = actions.create_document(
        organisation=bureau,
        drafting_unit=division,
        title="殡葬管理办法",
        by=drafter,
        legal_basis="《殡葬管理条例》",
        is_important=True,
    )
    IssuingFlow.start.run(document=doc)
    closes = START + datetime.timedelta(days=14)
    with at(START):
        prepare(doc, drafter)
        perform(
            open_task(doc, IssuingFlow.draft),
            drafter,
            lambda d: actions.open_comment_period(d, by=drafter, opens_on=START, closes_on=closes),
        )
    out = StringIO()
    call_command("close_comment_periods", today=closes, stdout=out)
    assert out.getvalue() == ""
    call_command("close_comment_periods", today=closes + datetime.timedelta(days=1), stdout=out)
    assert "已结束" in out.getvalue()
    doc.refresh_from_db()
    assert doc.state == State.DRAFTING
    assert open_task(doc, IssuingFlow.comment) is None
    assert open_task(doc, IssuingFlow.draft).owner == drafter


def test_a_task_rolled_back_after_its_action_leaves_the_process_no_stale_document(started, actors):
    from workflows.nodes import document_of

    with at(START):
        prepare(started, actors.drafter)
        task = open_task(started, IssuingFlow.draft)

        def submit_then_fail(d):
            actions.submit_for_review(d, by=actors.drafter)
            assert d.state == State.LEGALITY_REVIEW  # in memory, inside the transaction
            raise Refused("模拟流程随后失败")

        with pytest.raises(Refused):
            perform(task, actors.drafter, submit_then_fail)

    started.refresh_from_db()
    assert started.state == State.DRAFTING
    assert document_of(task.process).state == State.DRAFTING
    assert not AuditEvent.objects.filter(document=started, action="submit_for_review").exists()
