"""Every role × every page and task URL: allowed (200/302), forbidden (403) or invisible (404)."""

import pytest
from django.urls import reverse
from viewflow.workflow.status import STATUS

from desk.views.tasks import task_url
from review import actions
from review.driver import Walker
from review.states import State
from workflows.driving import open_task
from workflows.flows import FilingReviewFlow, IssuingFlow

from .conftest import START
from .test_workflow_issuing import at

pytestmark = pytest.mark.django_db

ROLES = [
    "drafter",
    "legal_reviewer",
    "advisor",
    "secretary",
    "registrar",
    "filing_clerk",
    "filing_reviewer",
    "outsider",
]


@pytest.fixture
def people(actors, outsider):
    return {
        "drafter": actors.drafter,
        "legal_reviewer": actors.legal_reviewer,
        "advisor": actors.advisor,
        "secretary": actors.secretary,
        "registrar": actors.registrar,
        "filing_clerk": actors.filing_clerk,
        "filing_reviewer": actors.filing_reviewer,
        "outsider": outsider,
    }


@pytest.fixture
def in_review(document, actors):
    IssuingFlow.start.run(document=document)
    with at(START):
        Walker(document, actors, START).prepare()
        from workflows.driving import perform

        perform(
            open_task(document, IssuingFlow.draft),
            actors.drafter,
            lambda d: actions.submit_for_review(d, by=actors.drafter),
        )
    return document


@pytest.fixture
def in_filing_review(document, actors):
    from .test_workflow_issuing import walk_to_filing_review

    IssuingFlow.start.run(document=document)
    return walk_to_filing_review(document, actors)


def status_of(client, user, url):
    client.force_login(user)
    return client.get(url).status_code


def check(client, people, url, expected):
    got = {role: status_of(client, people[role], url) for role in ROLES}
    assert got == {role: expected.get(role, expected.get("*")) for role in ROLES}, url


def test_lists_are_open_to_every_signed_in_user(client, people, in_review):
    for name in ["desk:inbox", "desk:queue", "desk:archive", "desk:register"]:
        check(client, people, reverse(name), {"*": 200})


def test_only_drafters_may_create_a_document(client, people):
    check(client, people, reverse("desk:document_new"), {"*": 403, "drafter": 200, "outsider": 200})


def test_anonymous_users_are_sent_to_the_login_page(client, in_review):
    response = client.get(reverse("desk:document", args=[in_review.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("desk:login"))


def test_matrix_during_the_legality_review(client, people, in_review):
    document_url = reverse("desk:document", args=[in_review.pk])
    check(client, people, document_url, {"*": 200, "filing_reviewer": 404, "outsider": 404})
    review = task_url(open_task(in_review, IssuingFlow.legal_review))
    check(
        client,
        people,
        review,
        {"*": 403, "legal_reviewer": 200, "filing_reviewer": 404, "outsider": 404},
    )
    signoff = task_url(open_task(in_review, IssuingFlow.advisor_signoff))
    check(
        client, people, signoff, {"*": 403, "advisor": 200, "filing_reviewer": 404, "outsider": 404}
    )


def test_matrix_of_claiming_and_releasing_the_legality_review(client, people, in_review):
    task = open_task(in_review, IssuingFlow.legal_review)
    invisible = {"filing_reviewer": 404, "outsider": 404}
    # The one role allowed goes last: its claim changes the task for the others.
    order = sorted(ROLES, key=lambda role: role == "legal_reviewer")

    def posts(action):
        got = {}
        for role in order:
            client.force_login(people[role])
            got[role] = client.post(task_url(task) + action).status_code
        return got

    assert posts("claim/") == {
        role: {**invisible, "legal_reviewer": 302}.get(role, 403) for role in ROLES
    }
    task.refresh_from_db()
    assert task.owner == people["legal_reviewer"]
    assert posts("release/") == {
        role: {**invisible, "legal_reviewer": 302}.get(role, 403) for role in ROLES
    }
    task.refresh_from_db()
    assert (task.status, task.owner) == (STATUS.NEW, None)


def test_matrix_during_the_filing_review(client, people, in_filing_review):
    document_url = reverse("desk:document", args=[in_filing_review.pk])
    check(client, people, document_url, {"*": 200, "outsider": 404})
    register = task_url(open_task(in_filing_review, FilingReviewFlow.register))
    check(client, people, register, {"*": 403, "filing_reviewer": 200, "outsider": 404})


def test_posting_a_task_as_the_wrong_role_is_forbidden_and_changes_nothing(
    client, people, in_review
):
    task = open_task(in_review, IssuingFlow.legal_review)
    client.force_login(people["advisor"])
    response = client.post(task_url(task), {"normative": "0", "classification_note": "内部制度"})
    assert response.status_code == 403
    in_review.refresh_from_db()
    assert in_review.state == State.LEGALITY_REVIEW
    task.refresh_from_db()
    assert task.status == STATUS.NEW


def test_a_task_cannot_be_reached_by_tampering_with_its_url(client, people, in_review):
    reviewer = people["legal_reviewer"]
    client.force_login(reviewer)
    task = open_task(in_review, IssuingFlow.legal_review)
    draft = IssuingFlow.task_class.objects.get(process=task.process, flow_task=IssuingFlow.draft)
    assert draft.status == STATUS.DONE
    urls = [
        reverse("desk:task", args=["issuing", task.process_id + 1000, task.pk]),  # another process
        reverse("desk:task", args=["filing-review", task.process_id, task.pk]),  # another flow
        reverse("desk:task", args=["nonsense", task.process_id, task.pk]),
        reverse("desk:task", args=["issuing", task.process_id, task.pk + 1000]),  # another task id
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert (
            client.post(url, {"normative": "0", "classification_note": "x"}).status_code == 404
        ), url
    in_review.refresh_from_db()
    assert in_review.state == State.LEGALITY_REVIEW


def test_a_finished_task_sends_the_late_click_to_its_document_with_a_message(
    client, people, in_review
):
    task = open_task(in_review, IssuingFlow.legal_review)
    draft = IssuingFlow.task_class.objects.get(process=task.process, flow_task=IssuingFlow.draft)
    events = in_review.audit_events.count()
    client.force_login(people["legal_reviewer"])
    document_page = reverse("desk:document", args=[in_review.pk])
    for response in (
        client.get(task_url(draft)),
        client.post(task_url(draft), {"decision": "submit"}),
        client.post(task_url(draft) + "claim/"),
    ):
        assert (response.status_code, response.url) == (302, document_page)
    page = client.get(document_page).content.decode()
    assert "此任务已办结或已取消，无需再办理" in page
    assert in_review.audit_events.count() == events
    client.force_login(people["outsider"])  # another organisation's finished task: still a 404
    assert client.get(task_url(draft)).status_code == 404


def test_a_drafter_cannot_execute_a_task_assigned_to_another_drafter(client, document, bureau):
    from .conftest import make_user

    IssuingFlow.start.run(document=document)
    colleague = make_user("colleague", bureau, "drafter")
    client.force_login(colleague)
    assert client.get(task_url(open_task(document, IssuingFlow.draft))).status_code == 403


def test_document_level_actions_check_role_and_visibility(client, people, in_review):
    url = reverse("desk:add_version", args=[in_review.pk])
    client.force_login(people["outsider"])
    assert client.post(url, {"version-text": "x"}).status_code == 404
    client.force_login(people["registrar"])
    assert client.post(url, {"version-text": "x"}).status_code == 403
    client.force_login(people["filing_reviewer"])
    assert (
        client.post(
            reverse("desk:extend_review", args=[in_review.pk]), {"extend-reason": "x"}
        ).status_code
        == 404
    )
