"""领取 and 退回待领取: a free task is taken into one person's inbox, and given back."""

import pytest
from django.urls import reverse
from viewflow.workflow.status import STATUS

from review.errors import NotPermitted
from review.states import Role
from workflows.driving import claim, open_task, perform, release
from workflows.flows import IssuingFlow

from .conftest import START, make_user
from .test_pages_workflow import as_user, task_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def review_task(document, drafter):
    """The legality review, free for any legal reviewer of the bureau to take."""
    from review import actions

    from .test_workflow_issuing import at, prepare

    IssuingFlow.start.run(document=document)
    with at(START):
        prepare(document, drafter)
        perform(
            open_task(document, IssuingFlow.draft),
            drafter,
            lambda d: actions.submit_for_review(d, by=drafter),
        )
    task = open_task(document, IssuingFlow.legal_review)
    assert (task.status, task.owner) == (STATUS.NEW, None)
    return task


@pytest.fixture
def claimer(legal_reviewer):
    return legal_reviewer


@pytest.fixture
def colleague(bureau):
    """A second legal reviewer of the same bureau: the review is in both their queues."""
    return make_user("legal2", bureau, Role.LEGAL_REVIEWER)


def queue_of(client, user):
    return as_user(client, user).get(reverse("review:queue")).content.decode()


def inbox_of(client, user):
    return as_user(client, user).get(reverse("review:inbox")).content.decode()


def test_claiming_from_the_queue_moves_the_task_into_the_claimers_inbox_only(
    client, review_task, document, claimer, colleague
):
    assert document.title in queue_of(client, claimer) and document.title in queue_of(
        client, colleague
    )
    assert "领取" in queue_of(client, claimer)

    response = as_user(client, claimer).post(task_url(review_task) + "claim/")

    assert response.status_code == 302 and response.url == task_url(review_task)
    review_task.refresh_from_db()
    assert (review_task.status, review_task.owner) == (STATUS.ASSIGNED, claimer)
    assert document.title in inbox_of(client, claimer)
    assert document.title not in queue_of(client, colleague)
    assert document.title not in inbox_of(client, colleague)


def test_a_task_claimed_by_a_colleague_cannot_be_claimed_again(
    client, review_task, claimer, colleague
):
    claim(review_task, claimer)

    response = as_user(client, colleague).post(task_url(review_task) + "claim/", follow=True)

    assert "此任务已被他人领取" in response.content.decode()
    review_task.refresh_from_db()
    assert review_task.owner == claimer


def test_two_claims_of_the_same_loaded_task_give_it_to_the_first(review_task, claimer, colleague):
    stale_copy = type(review_task).objects.get(pk=review_task.pk)
    claim(review_task, claimer)

    with pytest.raises(NotPermitted):
        claim(stale_copy, colleague)  # re-read under the process lock: already taken

    review_task.refresh_from_db()
    assert review_task.owner == claimer


def test_releasing_gives_the_task_back_to_the_queue(
    client, review_task, document, claimer, colleague
):
    claim(review_task, claimer)
    assert "退回待领取" in as_user(client, claimer).get(task_url(review_task)).content.decode()

    response = as_user(client, claimer).post(task_url(review_task) + "release/")

    assert response.status_code == 302 and response.url == reverse("review:queue")
    review_task.refresh_from_db()
    assert (review_task.status, review_task.owner) == (STATUS.NEW, None)
    assert document.title in queue_of(client, colleague)


def test_only_the_claimer_may_release_a_task(client, review_task, claimer, colleague):
    claim(review_task, claimer)

    assert as_user(client, colleague).post(task_url(review_task) + "release/").status_code == 403
    with pytest.raises(NotPermitted):
        release(review_task, colleague)
    review_task.refresh_from_db()
    assert review_task.owner == claimer


def test_a_user_without_the_role_may_not_claim(client, review_task, drafter, claimer):
    assert as_user(client, drafter).post(task_url(review_task) + "claim/").status_code == 403
    review_task.refresh_from_db()
    assert review_task.owner is None
    claim(review_task, claimer)
    assert as_user(client, drafter).post(task_url(review_task) + "claim/").status_code == 403


def test_another_organisations_task_is_invisible_to_claim_and_release(
    client, review_task, outsider
):
    for action in ("claim/", "release/"):
        assert as_user(client, outsider).post(task_url(review_task) + action).status_code == 404
    review_task.refresh_from_db()
    assert review_task.owner is None


def test_claim_and_release_take_only_posts(client, review_task, claimer):
    for action in ("claim/", "release/"):
        assert as_user(client, claimer).get(task_url(review_task) + action).status_code == 405


def test_a_claimed_task_can_still_be_worked_by_its_claimer(client, review_task, claimer):
    claim(review_task, claimer)

    page = as_user(client, claimer).get(task_url(review_task)).content.decode()

    assert "提交并办结" in page and "退回待领取" in page and "此任务尚未领取" not in page
