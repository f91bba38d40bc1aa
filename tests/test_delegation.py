"""Handover and delegation (issue 16, part 2): a deactivated user's claimed tasks go
back to their role's queue or to a named successor; a delegate (代理) sees and acts on
the absent user's tasks within the period only, and every action records both names."""

import datetime

import pytest
from viewflow.workflow.status import STATUS

from review import actions
from review.driver import ALL_OK
from review.errors import NotPermitted, Refused
from review.models import AuditEvent, Delegation, ReviewOutcome, Role, SecurityEvent, SecurityKind
from workflows import delegation
from workflows.driving import claim, open_task, perform
from workflows.flows import FLOWS, IssuingFlow
from workflows.people import deactivate

from .conftest import START, make_user
from .test_pages_workflow import task_url
from .test_workflow_issuing import at

pytestmark = pytest.mark.django_db

AWAY_FROM = START + datetime.timedelta(days=1)
AWAY_TO = START + datetime.timedelta(days=5)


@pytest.fixture
def user_admin(bureau):
    return make_user("uadmin", bureau, Role.USER_ADMIN)


@pytest.fixture
def deputy(bureau):
    """A colleague of the legal reviewer, holding no legality role himself."""
    return make_user("deputy", bureau, Role.AUDITOR, name="代理人")


@pytest.fixture
def claimed(document, drafter, legal_reviewer):
    """The legality review task, claimed by the legal reviewer."""
    from .test_inbox import submit

    IssuingFlow.start.run(document=document)
    submit(document, drafter)
    task = open_task(document, IssuingFlow.legal_review)
    with at(START):
        claim(task, legal_reviewer)
    task.refresh_from_db()
    assert task.owner == legal_reviewer and task.status == STATUS.ASSIGNED
    return task


@pytest.fixture
def away(legal_reviewer, deputy):
    with at(START):
        return actions.name_delegate(
            by=legal_reviewer, delegate=deputy, starts_on=AWAY_FROM, ends_on=AWAY_TO, reason="出差"
        )


def conclude(user, by):
    def review(document):
        actions.classify(document, by=by, normative=True)
        actions.record_legality_review(
            document, by=by, outcome=ReviewOutcome.LAWFUL, checklist=ALL_OK, opinion="合法。"
        )

    return review


def test_deactivating_a_user_hands_their_claimed_tasks_back_to_the_queue(
    claimed, bureau, legal_reviewer, user_admin
):
    with at(START):
        handed = deactivate(by=user_admin, user=legal_reviewer, organisation=bureau)
    claimed.refresh_from_db()
    legal_reviewer.refresh_from_db()
    assert handed == [claimed] and not legal_reviewer.is_active
    assert claimed.status == STATUS.NEW and claimed.owner is None
    event = AuditEvent.objects.get(action="hand_over_task")
    assert event.actor == user_admin and event.data["from"] == "legal" and event.data["to"] is None
    entry = SecurityEvent.objects.get(kind=SecurityKind.TASKS_HANDED_OVER)
    assert entry.username == "uadmin" and entry.detail["tasks"] == [claimed.pk]


def test_deactivating_a_user_hands_their_tasks_to_a_named_successor(
    claimed, bureau, legal_reviewer, user_admin
):
    successor = make_user("legal2", bureau, Role.LEGAL_REVIEWER)
    with at(START):
        deactivate(by=user_admin, user=legal_reviewer, organisation=bureau, successor=successor)
    claimed.refresh_from_db()
    assert claimed.owner == successor and claimed.status == STATUS.ASSIGNED
    assert AuditEvent.objects.get(action="hand_over_task").data["to"] == "legal2"


def test_a_successor_without_the_tasks_role_is_refused_and_nothing_changes(
    claimed, bureau, legal_reviewer, user_admin, deputy
):
    with at(START), pytest.raises(Refused, match="不具备"):
        deactivate(by=user_admin, user=legal_reviewer, organisation=bureau, successor=deputy)
    claimed.refresh_from_db()
    legal_reviewer.refresh_from_db()
    assert legal_reviewer.is_active and claimed.owner == legal_reviewer
    assert not AuditEvent.objects.filter(action="hand_over_task").exists()


def test_the_deactivation_page_hands_over_to_the_chosen_successor(
    client, claimed, bureau, legal_reviewer, user_admin
):
    successor = make_user("legal2", bureau, Role.LEGAL_REVIEWER)
    client.force_login(user_admin)
    with at(START):
        client.post(
            f"/accounts/2fa/people/{bureau.code}/{legal_reviewer.pk}/deactivate/",
            {"successor": successor.pk},
        )
    claimed.refresh_from_db()
    assert claimed.owner == successor


def test_the_delegate_sees_the_absent_users_task_only_within_the_period(claimed, away, deputy):
    for day, expected in [
        (START, False),
        (AWAY_FROM, True),
        (AWAY_TO, True),
        (AWAY_TO + datetime.timedelta(days=1), False),
    ]:
        with at(day):
            deputy.__dict__.pop("_guifan_delegators", None)
            seen = list(delegation.inbox(FLOWS, deputy))
            assert (claimed in seen) is expected, day
            assert IssuingFlow.legal_review.can_execute(deputy, claimed) is expected, day


def test_an_ended_delegation_gives_nothing(claimed, away, legal_reviewer, deputy):
    with at(AWAY_FROM):
        actions.end_delegation(by=legal_reviewer, delegation=away)
        assert claimed not in delegation.inbox(FLOWS, deputy)
        assert not IssuingFlow.legal_review.can_execute(deputy, claimed)


def test_the_delegate_cannot_act_on_someone_elses_task(claimed, away, bureau, deputy):
    """The delegation is the legal reviewer's: another reviewer's task stays theirs."""
    other = make_user("legal2", bureau, Role.LEGAL_REVIEWER)
    with at(AWAY_FROM):
        claimed.owner = other
        claimed.save(update_fields=["owner"])
        assert not IssuingFlow.legal_review.can_execute(deputy, claimed)
        with pytest.raises(NotPermitted):
            perform(claimed, deputy, conclude(deputy, deputy))


def test_the_delegates_action_records_both_names(claimed, away, document, legal_reviewer, deputy):
    with at(AWAY_FROM):
        by = delegation.acting_as(deputy, claimed)
        assert by == legal_reviewer
        perform(claimed, deputy, conclude(deputy, by))
    events = AuditEvent.objects.filter(
        document=document, action__in=["classify", "legality_review"]
    )
    assert events.exists()
    for event in AuditEvent.objects.filter(document=document, seq__gt=0).exclude(
        data__on_behalf_of=None
    ):
        assert event.actor == deputy and event.data["on_behalf_of_name"] == "legal"
    acted = AuditEvent.objects.filter(document=document, actor=deputy)
    assert acted.count() >= 2
    assert all(e.data["on_behalf_of"] == legal_reviewer.pk for e in acted)
    claimed.refresh_from_db()
    assert claimed.status == STATUS.DONE and claimed.owner == legal_reviewer
    assert (
        claimed.data["acted_by"] == deputy.pk and claimed.data["on_behalf_of"] == legal_reviewer.pk
    )


def test_the_delegate_opens_the_task_page_only_within_the_period(client, claimed, away, deputy):
    with at(AWAY_FROM):
        client.force_login(deputy)
        assert client.get(task_url(claimed)).status_code == 200
        inbox = client.get("/tasks/").content.decode()
        assert task_url(claimed) in inbox
    with at(AWAY_TO + datetime.timedelta(days=1)):
        client.force_login(deputy)  # the session of the first day has run out
        assert client.get(task_url(claimed)).status_code == 403


@pytest.mark.parametrize(
    "change, message",
    [
        ({"ends_on": START}, "不能早于"),
        ({"delegate": "self"}, "另一位同事"),
        ({"delegate": "stranger"}, "本单位"),
    ],
)
def test_a_bad_delegation_is_refused_with_a_reason(
    legal_reviewer, deputy, county_bureau, change, message
):
    stranger = make_user("stranger", county_bureau, Role.DRAFTER)
    chosen = {"self": legal_reviewer, "stranger": stranger}.get(change.get("delegate"), deputy)
    given = {
        "delegate": chosen,
        "starts_on": AWAY_FROM,
        "ends_on": change.get("ends_on", AWAY_TO),
    }
    with pytest.raises(Refused, match=message):
        actions.name_delegate(by=legal_reviewer, **given)
    assert not Delegation.objects.exists()


def test_an_overlapping_delegation_is_refused(away, legal_reviewer, bureau):
    other = make_user("other", bureau, Role.DRAFTER)
    with pytest.raises(Refused, match="已有代理"):
        actions.name_delegate(by=legal_reviewer, delegate=other, starts_on=AWAY_TO, ends_on=AWAY_TO)


def test_naming_and_ending_a_delegation_are_in_the_security_log(away, legal_reviewer):
    actions.end_delegation(by=legal_reviewer, delegation=away)
    named = SecurityEvent.objects.get(kind=SecurityKind.DELEGATION_NAMED)
    ended = SecurityEvent.objects.get(kind=SecurityKind.DELEGATION_ENDED)
    assert named.username == ended.username == "legal"
    assert named.detail["delegate"] == "deputy"


def test_the_delegation_page_names_a_delegate(client, legal_reviewer, deputy):
    client.force_login(legal_reviewer)
    response = client.post(
        "/accounts/2fa/delegation/",
        {
            "delegate": deputy.pk,
            "starts_on": "2030-01-02",
            "ends_on": "2030-01-09",
            "reason": "休假",
        },
    )
    assert response.status_code == 302
    assert Delegation.objects.get().delegate == deputy


def test_the_documents_history_shows_who_acted_for_whom(client, claimed, away, document, deputy):
    with at(AWAY_FROM):
        perform(claimed, deputy, conclude(deputy, delegation.acting_as(deputy, claimed)))
        client.force_login(deputy)
        page = client.get(f"/documents/{document.pk}/").content.decode()
    assert "代理人（代legal）" in page
