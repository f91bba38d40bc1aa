from io import StringIO

from django.core.management import call_command
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from review import actions
from review.states import State
from workflows.driving import processes_of
from workflows.flows import FilingReviewFlow, IssuingFlow, adopt


def open_nodes(document):
    return {
        t.flow_task
        for t in Task.objects.filter(
            process__in=processes_of(document), status__in=[STATUS.NEW, STATUS.ASSIGNED]
        )
    }


def test_a_document_without_a_process_joins_its_flow_at_its_state(walk, document):
    walk.to(State.REGISTRATION)
    process = adopt(document)
    assert process.flow_class is IssuingFlow
    assert open_nodes(document) == {IssuingFlow.register}


def test_a_document_in_filing_review_joins_the_authority_flow(walk, document):
    walk.to(State.FILING_REVIEW)
    process = adopt(document)
    assert process.flow_class is FilingReviewFlow
    assert open_nodes(document) == {FilingReviewFlow.register}


def test_a_registered_document_under_review_joins_at_the_review(walk, document):
    walk.to(State.UNDER_REVIEW)
    assert adopt(document).flow_class is FilingReviewFlow
    assert open_nodes(document) == {FilingReviewFlow.review}


def test_a_deferred_document_joins_at_the_clerks_supplement(walk, document, filing_reviewer):
    walk.to(State.FILING_REVIEW)
    actions.defer_filing(document, by=filing_reviewer, to_supply="补充起草说明")
    adopt(document)
    assert open_nodes(document) == {FilingReviewFlow.resubmit}


def test_adopting_twice_starts_nothing_more_and_finished_documents_need_none(walk, document):
    walk.to(State.DELIBERATION)
    assert adopt(document) is not None
    assert adopt(document) is None
    assert processes_of(document).count() == 1


def test_the_demo_gives_every_working_role_something_in_its_inbox(db):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "启动流程" in out.getvalue()
    from django.contrib.auth import get_user_model

    from workflows.flows import FLOWS

    users = get_user_model().objects
    for username in [
        "drafter",
        "legal",
        "advisor",
        "secretary",
        "registrar",
        "clerk",
        "sfj_reviewer",
    ]:
        user = users.get(username=username)
        visible = Task.objects.inbox(FLOWS, user) | Task.objects.queue(FLOWS, user)
        assert visible.exists() or _keyed_tasks(user), username
    out = StringIO()
    call_command("adopt_documents", stdout=out)
    assert "共为 0 件文件启动了流程" in out.getvalue()


def _keyed_tasks(user):
    """Tasks waiting for one of the user's roles (our queue filters by role keys)."""
    from workflows.roles import holds_key

    open_tasks = Task.objects.filter(
        status__in=[STATUS.NEW, STATUS.ASSIGNED], flow_task_type="HUMAN"
    )
    return any(holds_key(user, t.owner_permission) for t in open_tasks if t.owner_permission)
