import datetime

import pytest
from viewflow.workflow.status import STATUS

from review import actions
from review.driver import FILING_ALL_OK
from review.errors import NotPermitted
from review.states import State
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


def test_a_filing_starts_the_review_process_at_the_authority(filed, authority):
    review = open_task(filed, FilingReviewFlow.review)
    assert review.process.flow_class is FilingReviewFlow
    assert review.owner_permission.endswith(f"@{authority.pk}")


def test_a_deferred_filing_goes_back_to_the_filing_clerk_and_is_reviewed_again(filed, actors):
    with at(START):
        perform(
            open_task(filed, FilingReviewFlow.review),
            actors.filing_reviewer,
            lambda d: actions.defer_filing(d, by=actors.filing_reviewer, to_supply="补充起草说明"),
        )
    filed.refresh_from_db()
    assert filed.state == State.FILING
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
    review = open_task(filed, FilingReviewFlow.review)
    assert review.data["due_on"] == filed.latest_filing.review.due_on.isoformat()
    with at(day):
        perform(
            review,
            actors.filing_reviewer,
            lambda d: actions.accept_filing(
                d, by=actors.filing_reviewer, substantive=FILING_ALL_OK
            ),
        )
    filed.refresh_from_db()
    assert filed.state == State.FILED


def test_a_correction_is_reported_rechecked_and_reopened_until_it_is_done(filed, actors):
    with at(START):
        perform(
            open_task(filed, FilingReviewFlow.review),
            actors.filing_reviewer,
            lambda d: actions.require_correction(
                d,
                by=actors.filing_reviewer,
                substantive=PROBLEM,
                findings="第五条与上位法不一致",
                suggestion="删除第五条",
            ),
        )
        filed.refresh_from_db()
        assert filed.state == State.CORRECTION
        correct = open_task(filed, FilingReviewFlow.correct)
        assert correct.data["due_on"] == filed.open_correction.deadline.isoformat()
        perform(
            correct,
            actors.filing_clerk,
            lambda d: actions.report_correction(
                d, by=actors.filing_clerk, handling_report="已删除"
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
                d, by=actors.filing_clerk, handling_report="已公布修改"
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


def test_a_reviewer_of_another_authority_cannot_take_the_filing(filed, county_bureau):
    stranger_authority = county_bureau  # any other organisation
    stranger = make_user("stranger", stranger_authority, "filing_reviewer")
    review = open_task(filed, FilingReviewFlow.review)
    assert not FilingReviewFlow.review.can_assign(stranger, review)
