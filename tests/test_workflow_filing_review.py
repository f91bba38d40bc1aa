"""The filing review's flow (备案条例 art. 7, 10, 14, 17, 20): the registration
decision at receipt, then the substantive review, the correction and its check."""

import datetime

import pytest
from viewflow.workflow.status import STATUS

from review import actions
from review.driver import FILING_ALL_OK
from review.errors import NotPermitted
from review.models import Escalation
from review.states import State
from workflows import filing as filing_flow
from workflows.driving import open_task, perform, processes_of
from workflows.flows import FilingReviewFlow, IssuingFlow

from .conftest import START, make_user
from .test_workflow_issuing import at, walk_to_filing_review

pytestmark = pytest.mark.django_db

PROBLEM = {**FILING_ALL_OK, "superior_law": {"ok": False, "note": "与上位法不一致"}}


@pytest.fixture
def filed(document, actors):
    IssuingFlow.start.run(document=document)
    return walk_to_filing_review(document, actors)


def register(doc, actors):
    perform(
        open_task(doc, FilingReviewFlow.register),
        actors.filing_reviewer,
        lambda d: actions.register_filing(d, by=actors.filing_reviewer),
    )


def require_correction(doc, actors):
    register(doc, actors)
    perform(
        open_task(doc, FilingReviewFlow.review),
        actors.filing_reviewer,
        lambda d: actions.require_correction(
            d,
            by=actors.filing_reviewer,
            substantive=PROBLEM,
            findings="第五条与上位法不一致",
            suggestion="删除第五条",
        ),
    )


def test_a_filing_starts_the_review_process_with_the_registration_at_the_authority(
    filed, authority
):
    task = open_task(filed, FilingReviewFlow.register)
    assert task.process.flow_class is FilingReviewFlow
    assert task.owner_permission.endswith(f"@{authority.pk}")
    assert open_task(filed, FilingReviewFlow.review) is None


def test_a_registered_filing_goes_on_to_the_substantive_review(filed, actors):
    with at(START):
        register(filed, actors)
    filed.refresh_from_db()
    assert filed.state == State.UNDER_REVIEW
    review = open_task(filed, FilingReviewFlow.review)
    assert review.data["due_on"] == filed.latest_filing.review.due_on.isoformat()


def test_a_deferred_filing_goes_back_to_the_filing_clerk_and_is_registered_again(filed, actors):
    with at(START):
        perform(
            open_task(filed, FilingReviewFlow.register),
            actors.filing_reviewer,
            lambda d: actions.defer_filing(d, by=actors.filing_reviewer, to_supply="补充起草说明"),
        )
    filed.refresh_from_db()
    assert filed.state == State.SUPPLEMENT
    resubmit = open_task(filed, FilingReviewFlow.resubmit)
    with pytest.raises(NotPermitted):
        perform(resubmit, actors.filing_reviewer, lambda d: None)
    day = START + datetime.timedelta(days=3)
    with at(day):
        perform(
            open_task(filed, FilingReviewFlow.resubmit),
            actors.filing_clerk,
            lambda d: actions.file_with_authority(d, by=actors.filing_clerk),
        )
        register(filed, actors)
        review = open_task(filed, FilingReviewFlow.review)
        assert review.data["due_on"] == filed.latest_filing.review.due_on.isoformat()
        perform(
            review,
            actors.filing_reviewer,
            lambda d: actions.accept_filing(
                d, by=actors.filing_reviewer, substantive=FILING_ALL_OK
            ),
        )
    filed.refresh_from_db()
    assert filed.state == State.FILED


def test_a_refused_registration_ends_the_filing_review(filed, actors):
    with at(START):
        perform(
            open_task(filed, FilingReviewFlow.register),
            actors.filing_reviewer,
            lambda d: actions.refuse_registration(
                d, by=actors.filing_reviewer, reason="不属于备案范围"
            ),
        )
    filed.refresh_from_db()
    assert filed.state == State.NOT_REGISTERED
    assert all(p.status == STATUS.DONE for p in processes_of(filed))


def test_a_correction_is_reported_rechecked_and_reopened_until_it_is_done(filed, actors):
    with at(START):
        require_correction(filed, actors)
        filed.refresh_from_db()
        assert filed.state == State.CORRECTION
        correct = open_task(filed, FilingReviewFlow.correct)
        assert correct.data["due_on"] == filed.open_correction.deadline.isoformat()
        perform(
            correct,
            actors.filing_clerk,
            lambda d: actions.report_correction(
                d, by=actors.filing_clerk, handling_report="已删除", text="第一条 修改稿"
            ),
        )
        perform(
            open_task(filed, FilingReviewFlow.recheck),
            actors.filing_reviewer,
            lambda d: actions.reopen_correction(d, by=actors.filing_reviewer, reason="未公布修改"),
        )
        perform(
            open_task(filed, FilingReviewFlow.correct),
            actors.filing_clerk,
            lambda d: actions.report_correction(
                d, by=actors.filing_clerk, handling_report="已公布修改", text="第一条 公布稿"
            ),
        )
        perform(
            open_task(filed, FilingReviewFlow.recheck),
            actors.filing_reviewer,
            lambda d: actions.accept_correction(d, by=actors.filing_reviewer),
        )
    filed.refresh_from_db()
    assert filed.state == State.FILED
    assert all(p.status == STATUS.DONE for p in processes_of(filed))


def test_revoking_an_overdue_correction_from_the_page_closes_the_clerks_task(filed, actors):
    with at(START):
        require_correction(filed, actors)
    deadline = filed.open_correction.deadline
    day = deadline + datetime.timedelta(days=1)
    with at(day):
        filing_flow.escalate(
            filed,
            actors.filing_reviewer,
            kind=Escalation.Kind.REVOKE,
            reason="逾期未纠正",
            decision_number="安司备决〔2020〕1号",
            decided_on=day,
            effective_on=day,
        )
    filed.refresh_from_db()
    assert filed.state == State.REVOKED
    assert open_task(filed, FilingReviewFlow.correct) is None
    assert all(p.status == STATUS.DONE for p in processes_of(filed))


def test_a_reopened_review_starts_a_new_review_task(filed, actors):
    with at(START):
        register(filed, actors)
        perform(
            open_task(filed, FilingReviewFlow.review),
            actors.filing_reviewer,
            lambda d: actions.accept_filing(
                d, by=actors.filing_reviewer, substantive=FILING_ALL_OK
            ),
        )
        filing_flow.reopen_review(filed, actors.filing_reviewer, "收到公民审查建议")
    filed.refresh_from_db()
    assert filed.state == State.UNDER_REVIEW
    task = open_task(filed, FilingReviewFlow.review)
    assert task.data["due_on"] == filed.latest_filing.review.due_on.isoformat()


def test_a_reviewer_of_another_authority_cannot_take_the_filing(filed, county_bureau):
    stranger_authority = county_bureau  # any other organisation
    stranger = make_user("stranger", stranger_authority, "filing_reviewer")
    task = open_task(filed, FilingReviewFlow.register)
    assert not FilingReviewFlow.register.can_assign(stranger, task)
