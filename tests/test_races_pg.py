"""Two people doing the same thing to the same task at once, on PostgreSQL.

The flow's lock (viewflow's select_for_update_lock) asks for the process row with
NOWAIT. The loser of a race must get the refusal a late second click gets, not a
database error, and the winner's work must be done once.
"""

import datetime

from django.db import DatabaseError
from django.test import Client
from django.urls import reverse
from viewflow.workflow.status import STATUS

from review import actions
from review.errors import NotPermitted, Refused
from review.models import AuditEvent, CommentPeriod, Deliberation, Registration
from review.states import Role, State
from workflows.driving import claim, open_task, perform, run_handle
from workflows.flows import IssuingFlow

from .conftest import START, make_user
from .pg import failures, postgres_only, run_at_once, successes
from .test_pages_workflow import task_url
from .test_workflow_issuing import at, prepare, review_lawfully

THREADS = 10
TAKEN = "此任务已被他人领取"
DONE = "此任务已办结或已取消"


def at_registration(document, actors):
    """The issuing process walked to its 登记编号 task, free in the registrars' queue."""
    IssuingFlow.start.run(document=document)
    with at(START):
        prepare(document, actors.drafter)
        perform(
            open_task(document, IssuingFlow.draft),
            actors.drafter,
            lambda d: actions.submit_for_review(d, by=actors.drafter),
        )
        review_lawfully(document, actors)
        perform(
            open_task(document, IssuingFlow.deliberate),
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
    task = open_task(document, IssuingFlow.register)
    assert (task.status, task.owner) == (STATUS.NEW, None)
    return task


def registrars(bureau, count):
    return [make_user(f"registrar{i}", bureau, Role.REGISTRAR) for i in range(count)]


def no_database_errors(outcomes):
    return [exc for exc in failures(outcomes) if isinstance(exc, DatabaseError)]


@postgres_only
def test_ten_registrars_completing_the_same_registration_at_once_number_it_once(
    document, actors, bureau
):
    task = at_registration(document, actors)
    people = registrars(bureau, THREADS)

    def work(i):
        mine = type(task).objects.get(pk=task.pk)  # each request loads the task itself
        return perform(mine, people[i], lambda d: actions.register_and_number(d, by=people[i]))

    with at(START):
        outcomes = run_at_once(THREADS, work)

    assert no_database_errors(outcomes) == []
    assert len(successes(outcomes)) == 1
    refusals = failures(outcomes)
    assert len(refusals) == THREADS - 1
    assert all(isinstance(refusal, Refused) for refusal in refusals), refusals
    assert all(DONE in r.message or "正由他人办理" in r.message for r in refusals)
    document.refresh_from_db()
    assert document.state == State.PUBLICATION
    assert Registration.objects.filter(document=document).count() == 1
    assert AuditEvent.objects.filter(document=document, action="register").count() == 1
    task.refresh_from_db()
    assert task.status == STATUS.DONE


@postgres_only
def test_ten_reviewers_claiming_the_same_task_at_once_give_it_to_one(document, actors, bureau):
    task = at_registration(document, actors)
    people = registrars(bureau, THREADS)

    def work(i):
        mine = type(task).objects.get(pk=task.pk)
        claim(mine, people[i])
        return people[i].pk

    outcomes = run_at_once(THREADS, work)

    assert no_database_errors(outcomes) == []
    [winner] = successes(outcomes)
    refusals = failures(outcomes)
    assert len(refusals) == THREADS - 1
    assert all(isinstance(r, NotPermitted | Refused) for r in refusals), refusals
    assert all(TAKEN in r.message or "正由他人办理" in r.message for r in refusals)
    task.refresh_from_db()
    assert (task.status, task.owner_id) == (STATUS.ASSIGNED, winner)


@postgres_only
def test_ten_registrars_posting_the_same_registration_form_at_once_get_one_number_and_nine_messages(
    document, actors, bureau
):
    task = at_registration(document, actors)
    people = registrars(bureau, THREADS)
    clients = []
    for person in people:
        client = Client()
        client.force_login(person)
        clients.append(client)

    def work(i):
        response = clients[i].post(task_url(task), {}, follow=True)
        return response.status_code, response.redirect_chain, response.content.decode()

    with at(START):
        outcomes = run_at_once(THREADS, work)

    assert failures(outcomes) == []
    pages = successes(outcomes)
    assert all(status == 200 for status, _chain, _page in pages)
    document_page = reverse("desk:document", args=[document.pk])
    assert all(chain and chain[-1][0] == document_page for _status, chain, _page in pages)
    done = [page for _status, _chain, page in pages if "已办结" in page and DONE not in page]
    refused = [page for _status, _chain, page in pages if DONE in page or "正由他人办理" in page]
    assert (len(done), len(refused)) == (1, THREADS - 1)
    assert Registration.objects.filter(document=document).count() == 1


@postgres_only
def test_a_public_comment_closed_from_five_places_at_once_is_closed_once(bureau, division, drafter):
    document = actions.create_document(
        organisation=bureau,
        drafting_unit=division,
        title="养老服务补贴办法",
        by=drafter,
        legal_basis="《老年人权益保障法》",
        is_market_related=True,
    )
    IssuingFlow.start.run(document=document)
    closes = START + datetime.timedelta(days=35)
    with at(START):
        prepare(document, drafter)
        perform(
            open_task(document, IssuingFlow.draft),
            drafter,
            lambda d: actions.open_comment_period(d, by=drafter, opens_on=START, closes_on=closes),
        )
    task = open_task(document, IssuingFlow.comment)

    def work(i):
        mine = type(task).objects.get(pk=task.pk)
        return run_handle(IssuingFlow.comment, mine, by=drafter, summary="未收到意见")

    with at(closes + datetime.timedelta(days=1)):
        outcomes = run_at_once(5, work)

    assert no_database_errors(outcomes) == []
    assert len(successes(outcomes)) == 1
    refusals = failures(outcomes)
    assert len(refusals) == 4
    assert all(isinstance(r, Refused) for r in refusals), refusals
    assert all(DONE in r.message or "正由他人办理" in r.message for r in refusals)
    document.refresh_from_db()
    assert document.state == State.DRAFTING
    assert CommentPeriod.objects.get(document=document).closed_at is not None
    assert AuditEvent.objects.filter(document=document, action="close_comment").count() == 1
