"""See what waits: the inbox lists my tasks and those my roles may claim, a
follow-up of the same role is mine at once, the home page, and the preview of
the numbers on 登记编号 that burns none."""

import pytest
from django.urls import reverse
from viewflow.workflow.status import STATUS

from review import actions
from review.models import Deliberation, NumberSequence, Registration, Role
from review.states import State
from workflows.driving import claim, open_task, perform
from workflows.flows import IssuingFlow

from .conftest import START, make_user
from .test_pages_queries import count, make_documents
from .test_pages_workflow import as_user, task_url
from .test_workflow_issuing import at, prepare, review_lawfully

pytestmark = pytest.mark.django_db


def submit(doc, drafter):
    with at(START):
        prepare(doc, drafter)
        perform(
            open_task(doc, IssuingFlow.draft),
            drafter,
            lambda d: actions.submit_for_review(d, by=drafter),
        )


def deliberate(doc, secretary):
    perform(
        open_task(doc, IssuingFlow.deliberate),
        secretary,
        lambda d: actions.record_deliberation(
            d,
            by=secretary,
            meeting_type=Deliberation.MeetingType.BUREAU,
            meeting_date=START,
            attendance="局领导",
            outcome=Deliberation.Outcome.PASSED,
            minutes="通过",
        ),
    )


@pytest.fixture
def submitted(document, drafter):
    IssuingFlow.start.run(document=document)
    submit(document, drafter)
    return document


@pytest.fixture
def to_register(submitted, actors):
    with at(START):
        review_lawfully(submitted, actors)
        deliberate(submitted, actors.secretary)
    submitted.refresh_from_db()
    assert submitted.state == State.REGISTRATION
    return submitted


def sections(html):
    """(my part, the claimable part) of the inbox page."""
    mine, _sep, free = html.partition('id="h-free"')
    return mine, free


def test_the_inbox_shows_the_tasks_my_roles_may_claim_below_my_own(
    client, submitted, legal_reviewer, advisor, drafter
):
    mine, free = sections(as_user(client, legal_reviewer).get(reverse("desk:inbox")).text)
    assert "您没有已领取的任务" in mine
    assert "合法性审核" in free and submitted.title in free and "领取" in free
    assert "法律顾问签署意见" not in free  # another role's task

    _mine, free = sections(as_user(client, advisor).get(reverse("desk:inbox")).text)
    assert "法律顾问签署意见" in free and "合法性审核</a>" not in free

    _mine, free = sections(as_user(client, drafter).get(reverse("desk:inbox")).text)
    assert "没有可领取的任务" in free


def test_claiming_from_the_inbox_moves_the_task_into_my_part(client, submitted, legal_reviewer):
    task = open_task(submitted, IssuingFlow.legal_review)
    as_user(client, legal_reviewer).post(task_url(task) + "claim/")
    mine, free = sections(client.get(reverse("desk:inbox")).text)
    assert "合法性审核" in mine and submitted.title in mine
    assert submitted.title not in free


def test_an_overdue_task_is_marked_and_a_provisional_deadline_says_so(
    client, submitted, legal_reviewer
):
    task = open_task(submitted, IssuingFlow.legal_review)
    task.data = {**task.data, "due_on": "2020-03-03", "due_provisional": True}
    task.save(update_fields=["data"])
    with at(START.replace(day=20)):
        _mine, free = sections(as_user(client, legal_reviewer).get(reverse("desk:inbox")).text)
    assert 'class="overdue"' in free and "已逾期" in free and "暂定" in free


def test_publishing_follows_registration_in_the_same_registrars_inbox(
    client, to_register, registrar, bureau
):
    colleague = make_user("registrar2", bureau, Role.REGISTRAR)
    with at(START):
        perform(
            open_task(to_register, IssuingFlow.register),
            registrar,
            lambda d: actions.register_and_number(d, by=registrar),
        )
    publish = open_task(to_register, IssuingFlow.publish)
    assert (publish.status, publish.owner) == (STATUS.ASSIGNED, registrar)
    mine, _free = sections(as_user(client, registrar).get(reverse("desk:inbox")).text)
    assert "公布" in mine
    _mine, free = sections(as_user(client, colleague).get(reverse("desk:inbox")).text)
    assert to_register.title not in free


def test_a_task_of_another_role_after_mine_waits_to_be_claimed(submitted):
    review = open_task(submitted, IssuingFlow.legal_review)
    assert (review.status, review.owner) == (STATUS.NEW, None)


def test_a_follow_up_goes_back_to_the_queue_when_its_holder_lost_the_role(to_register, registrar):
    with at(START):
        perform(
            open_task(to_register, IssuingFlow.register),
            registrar,
            lambda d: (
                registrar.memberships.all().delete(),
                actions.register_and_number(d, by=registrar),
            ),
        )
    publish = open_task(to_register, IssuingFlow.publish)
    assert (publish.status, publish.owner) == (STATUS.NEW, None)


def test_the_registration_page_previews_the_numbers_without_taking_one(
    client, to_register, registrar
):
    task = open_task(to_register, IssuingFlow.register)
    with at(START):
        page = as_user(client, registrar).get(task_url(task)).text
        page_again = client.get(task_url(task)).text
    assert "安民发〔2020〕1号" in page and "〔2020〕001" in page
    assert "安民发〔2020〕1号" in page_again
    assert NumberSequence.objects.count() == 0
    with at(START):
        client.post(task_url(task), {})
        page = client.get(reverse("desk:document", args=[to_register.pk])).text
    assert "下一步“公布”已转入您的待办" in page
    registration = Registration.objects.get()
    assert registration.number == "安民发〔2020〕1号"
    assert registration.reg_number.endswith("〔2020〕001")


def test_the_home_page_shows_mine_overdue_and_what_waits_on_others(
    client, submitted, drafter, legal_reviewer
):
    page = as_user(client, drafter).get(reverse("desk:home")).text
    waiting = page.partition('id="h-waiting"')[2].partition("</section>")[0]
    assert "合法性审核" in waiting and submitted.title in waiting

    review = open_task(submitted, IssuingFlow.legal_review)
    claim(review, legal_reviewer)
    with at(START.replace(month=6)):
        page = as_user(client, legal_reviewer).get(reverse("desk:home")).text
    mine = page.partition('id="h-mine"')[2].partition("</section>")[0]
    overdue = page.partition('id="h-overdue"')[2].partition("</section>")[0]
    assert submitted.title in mine and submitted.title in overdue
    assert "没有等待他人办理的事项" in page


def test_the_drafting_form_marks_the_fields_of_each_decision(client, document, drafter):
    IssuingFlow.start.run(document=document)
    page = as_user(client, drafter).get(task_url(open_task(document, IssuingFlow.draft))).text
    assert 'data-show-when="decision:comment"' in page  # 征求意见 dates
    assert 'data-show-when="decision:withdraw"' in page
    assert 'data-show-when="decision:submit comment"' in page
    assert "desk/choices.js" in page and "<script>" not in page


def test_the_home_page_costs_the_same_with_few_or_many_tasks(client, bureau, division, drafter):
    client.force_login(drafter)
    make_documents(3, bureau, division, drafter)
    few = count(client, reverse("desk:home"))
    make_documents(30, bureau, division, drafter)
    assert count(client, reverse("desk:home")) == few <= 25
