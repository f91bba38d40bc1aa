"""领取 and 退回待领取: a free task is taken into one person's inbox, and given back."""

import pytest
from django.db import OperationalError
from django.db.models import QuerySet
from django.urls import reverse
from viewflow.workflow.status import STATUS

from review import actions
from review.errors import NotPermitted, Refused
from review.models import AuditEvent, ReviewOutcome
from review.states import Role
from workflows import driving
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
    return as_user(client, user).get(reverse("desk:queue")).content.decode()


def inbox_of(client, user):
    return as_user(client, user).get(reverse("desk:inbox")).content.decode()


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

    assert response.status_code == 302 and response.url == reverse("desk:queue")
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


def hold_the_process_lock(monkeypatch):
    """From now on every try for a row lock fails as PostgreSQL's NOWAIT does while
    another request works the task (LockNotAvailable). Returns the waits between tries."""

    def held(queryset, **kwargs):
        raise OperationalError('could not obtain lock on row in relation "workflows_process"')

    waits = []
    monkeypatch.setattr(QuerySet, "select_for_update", held)
    monkeypatch.setattr(driving, "sleep", waits.append)
    return waits


def test_a_task_completed_by_a_colleague_meanwhile_is_refused_as_done(
    review_task, document, claimer, colleague
):
    from review.driver import ALL_OK

    from .test_workflow_issuing import at

    stale_copy = type(review_task).objects.get(pk=review_task.pk)  # the colleague's page

    def review(d):
        actions.classify(d, by=claimer, normative=True)
        actions.record_legality_review(
            d, by=claimer, outcome=ReviewOutcome.LAWFUL, checklist=ALL_OK, opinion="合法。"
        )

    with at(START):
        perform(review_task, claimer, review)
    events = AuditEvent.objects.count()

    with pytest.raises(Refused, match="此任务已办结或已取消，无需再办理"):
        perform(stale_copy, colleague, lambda d: pytest.fail("the action must not run again"))

    assert AuditEvent.objects.count() == events
    stale_copy.refresh_from_db()
    assert (stale_copy.status, stale_copy.owner) == (STATUS.DONE, claimer)


def test_a_task_whose_process_stays_busy_is_refused_after_a_few_tries_and_left_as_it_was(
    monkeypatch, review_task, claimer
):
    waits = hold_the_process_lock(monkeypatch)
    events = AuditEvent.objects.count()

    with pytest.raises(Refused, match="此任务正由他人办理，请稍后再试"):
        perform(review_task, claimer, lambda d: pytest.fail("the action must not run"))
    assert len(waits) == driving.LOCK_ATTEMPTS - 1 and waits == sorted(waits)
    with pytest.raises(Refused, match="此任务正由他人办理"):
        claim(review_task, claimer)

    assert AuditEvent.objects.count() == events
    review_task.refresh_from_db()
    assert (review_task.status, review_task.owner) == (STATUS.NEW, None)


def test_the_task_pages_say_the_process_is_busy_instead_of_failing(
    monkeypatch, client, review_task, claimer, colleague
):
    claim(review_task, colleague)
    hold_the_process_lock(monkeypatch)
    url = task_url(review_task)

    claimed = as_user(client, claimer).post(url + "claim/", follow=True)
    released = as_user(client, colleague).post(url + "release/", follow=True)
    worked = as_user(client, colleague).post(
        url, {"normative": "0", "classification_note": "属于内部工作制度"}
    )

    assert claimed.redirect_chain == [(reverse("desk:queue"), 302)]
    assert released.redirect_chain == [(url, 302)]
    assert worked.status_code == 200 and worked.context["form"].is_valid()
    for response in (claimed, released, worked):
        assert "此任务正由他人办理，请稍后再试" in response.content.decode()
    review_task.refresh_from_db()
    assert (review_task.status, review_task.owner) == (STATUS.ASSIGNED, colleague)
