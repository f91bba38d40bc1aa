# ruff: noqa: F811  (pytest fixtures imported from test_comments_actions are redefined as arguments)
"""Issue 13 §4, public comment: spam needs a reason and is shown, counted, in the
summary; a named comment keeps the duty to answer; an urgent shortening has a
minimum reason and, for a market-related document, a floor; the reason is on the
public page; the opening day is not counted (民法典 art. 201)."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from desk.forms import DraftTaskForm
from review import actions, comments
from review.errors import Refused
from review.models import (
    AttachmentKind,
    AuditEvent,
    Comment,
    CommentPeriod,
    JurisdictionSettings,
    NormativeDocument,
)
from review.states import State

from .conftest import START
from .test_comments_actions import AFTER, close, important, period, submit  # noqa: F401

D = datetime.date
REASON = "国务院部署限期出台，须在三月底前公布施行"


@pytest.fixture(autouse=True)
def in_chinese():
    """The refusals are compared as users of the default language read them, whatever
    language an earlier test left active in this thread."""
    with translation.override("zh-hans"):
        yield


def refused(call, match):
    events = AuditEvent.objects.count()
    with pytest.raises(Refused) as caught:
        call()
    assert match in caught.value.message, caught.value.message
    assert AuditEvent.objects.count() == events
    return caught.value.message


# --- 5. spam: a reason, shown and counted; named comments keep the duty to answer ---


def test_marking_spam_needs_a_reason_and_the_summary_lists_it(period, drafter):
    comment = submit(period, text="买药加微信")
    refused(
        lambda: comments.moderate(comment, by=drafter, action="spam"),
        "标为垃圾信息的，须填写理由",
    )
    comment.refresh_from_db()
    assert comment.status == Comment.Status.RECEIVED
    comments.moderate(comment, by=drafter, action="spam", reason="药品广告")
    comment.refresh_from_db()
    assert comment.hidden_reason == "药品广告"
    text = comments.summary_text(period)
    assert "垃圾信息 1 条" in text
    assert f"列为垃圾信息的意见 1 条：{comment.receipt}（理由：药品广告）" in text
    assert "买药加微信" not in text


def test_a_named_comment_marked_as_spam_still_has_to_be_answered(period, drafter):
    named = submit(
        period,
        text="第三条的收费标准过高",
        author_kind=Comment.AuthorKind.PERSON,
        author_name="张三",
    )
    anonymous = submit(period, text="垃圾广告")
    comments.moderate(named, by=drafter, action="spam", reason="疑似重复提交")
    comments.moderate(anonymous, by=drafter, action="spam", reason="广告")
    close(period, drafter)
    document = period.document
    refused(
        lambda: actions.submit_for_review(document, by=drafter, on=AFTER.date()),
        "每条意见均已答复采纳情况",
    )
    refused(
        lambda: comments.answer(anonymous, by=drafter, response="not_adopted", reason="广告"),
        "匿名的不予公开意见或垃圾信息无须答复",
    )
    comments.answer(named, by=drafter, response="not_adopted", reason="收费标准依价格主管部门核定")
    summary = comments.summary(period)
    assert summary["unanswered"] == 0 and summary["by_response"]["not_adopted"] == 1
    assert f"[回执号 {named.receipt}，垃圾信息的署名意见] —— 不采纳" in comments.summary_text(
        period
    )
    actions.submit_for_review(document, by=drafter, on=AFTER.date())
    document.refresh_from_db()
    assert document.state == State.LEGALITY_REVIEW


def test_the_public_page_counts_and_lists_spam_once_the_period_is_over(client, period, drafter):
    comment = submit(period, text="买药加微信")
    comments.moderate(comment, by=drafter, action="spam", reason="药品广告")
    close(period, drafter)
    with time_machine.travel(AFTER, tick=False):
        page = client.get(reverse("public:document", args=[period.document_id])).content.decode()
    assert "列为垃圾信息、不予公开的 1 条" in page
    assert f"{comment.receipt}：药品广告" in page
    assert "买药加微信" not in page


# --- 6. an urgent shortening: its reason, its floor, on the public page --------------


@pytest.fixture
def market(document, drafter):
    NormativeDocument.objects.filter(pk=document.pk).update(is_market_related=True)
    document.refresh_from_db()
    actions.add_version(document, by=drafter, text="第一条 为规范经营行为，制定本办法。")
    actions.add_attachment(document, by=drafter, kind=AttachmentKind.DRAFTING_NOTE, text="说明")
    return document


def open_period(document, drafter, days, reason):
    return actions.open_comment_period(
        document,
        by=drafter,
        opens_on=START,
        closes_on=START + datetime.timedelta(days=days),
        urgent_reason=reason,
        on=START,
    )


def test_an_urgent_reason_too_short_to_say_anything_is_refused(market, drafter):
    refused(lambda: open_period(market, drafter, 20, "紧急"), "紧急理由过于简略")
    assert not CommentPeriod.objects.exists()
    entered = {"decision": "comment", "opens_on": "2020-03-02", "closes_on": "2020-03-22"}
    with time_machine.travel(datetime.datetime(2020, 3, 2, 10), tick=False):
        form = DraftTaskForm({**entered, "urgent_reason": "紧急"}, document=market)
        assert not form.is_valid()
    assert "紧急理由过于简略" in form.non_field_errors()[0]


def test_urgency_cannot_bring_a_market_related_window_below_the_floor(market, drafter, bureau):
    refused(
        lambda: open_period(market, drafter, 6, REASON),
        "涉及市场主体的文件，即使情况紧急，征求意见期也不得少于 7 日（所选期间只有 6 日）",
    )
    assert not CommentPeriod.objects.exists()
    period = open_period(market, drafter, 7, REASON)
    assert period.urgent_reason == REASON


def test_the_floor_is_the_jurisdictions_setting(market, drafter, bureau):
    JurisdictionSettings.objects.create(organisation=bureau, comment_min_days_market_urgent=10)
    market.refresh_from_db()
    refused(lambda: open_period(market, drafter, 9, REASON), "不得少于 10 日")


def test_the_urgent_reason_is_shown_on_the_public_page(client, market, drafter):
    open_period(market, drafter, 10, REASON)
    with time_machine.travel(datetime.datetime(2020, 3, 3, 10), tick=False):
        page = client.get(reverse("public:document", args=[market.pk])).content.decode()
    assert "缩短征求意见期限的理由" in page and REASON in page


# --- 7. 民法典 art. 201: the opening day is not counted --------------------------------


def test_a_thirty_day_window_closes_thirty_days_after_the_opening_day(market, drafter):
    refused(lambda: open_period(market, drafter, 29, ""), "不少于 30 日（所选期间只有 29 日）")
    period = open_period(market, drafter, 30, "")
    assert (period.opens_on, period.closes_on) == (D(2020, 3, 2), D(2020, 4, 1))
