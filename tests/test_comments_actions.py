"""Public comment actions (review.comments): submit, moderate, cluster, answer, summarise.
The fixtures here are imported by the other test_public_* and test_comments_* files."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from review import actions, comments
from review.errors import NotPermitted, Refused
from review.models import AttachmentKind, AuditEvent, Comment, NormativeDocument
from review.states import State

from .conftest import START

TZ = ZoneInfo("Asia/Shanghai")
OPENS = START  # Monday 2 March 2020
CLOSES = datetime.date(2020, 3, 13)  # Friday: 10 working days
DURING = datetime.datetime(2020, 3, 5, 10, 0, tzinfo=TZ)
AFTER = datetime.datetime(2020, 3, 16, 9, 0, tzinfo=TZ)
DRAFT = (
    "安康市社区养老服务管理办法\n"
    "第一章　总则\n"
    "第一条　为规范社区养老服务，根据有关法律法规，制定本办法。\n"
    "第二条　本办法适用于本市行政区域内的社区养老服务。\n"
    "本办法所称社区养老服务，是指为居家老年人提供的生活照料等服务。\n"
    "第二章　服务规范\n"
    "第三条　社区养老服务站应当公示服务项目和收费标准。\n"
    "第十二条　本办法自公布之日起施行。"
)


@pytest.fixture
def important(document):
    NormativeDocument.objects.filter(pk=document.pk).update(is_important=True)
    document.refresh_from_db()
    return document


@pytest.fixture
def period(important, drafter):
    actions.add_version(important, by=drafter, text=DRAFT, note="征求意见稿")
    actions.add_attachment(
        important,
        by=drafter,
        kind=AttachmentKind.DRAFTING_NOTE,
        text="起草说明：制定目的、依据和过程。",
    )
    actions.add_attachment(
        important, by=drafter, kind=AttachmentKind.ASSESSMENT, text="评估论证报告。"
    )
    return actions.open_comment_period(
        important, by=drafter, opens_on=OPENS, closes_on=CLOSES, on=START
    )


@pytest.fixture
def during():
    with time_machine.travel(DURING, tick=False):
        yield


def submit(period, text="建议第三条增加服务质量评价。", **kwargs):
    kwargs.setdefault("now", DURING)
    return comments.submit_comment(period, text=text, **kwargs)


def close(period, drafter):
    actions.close_comment_period(period.document, by=drafter, on=AFTER.date())
    period.refresh_from_db()
    return period


# --- the draft's articles -------------------------------------------------------


def test_articles_are_numbered_as_written_with_chapters_and_paragraphs():
    blocks = comments.parse_articles(DRAFT)
    kinds = [b.kind for b in blocks]
    assert kinds == ["preamble", "heading", "article", "article", "heading", "article", "article"]
    articles = [b for b in blocks if b.kind == "article"]
    assert [a.number for a in articles] == [1, 2, 3, 12]
    assert articles[1].lines == [
        "本办法适用于本市行政区域内的社区养老服务。",
        "本办法所称社区养老服务，是指为居家老年人提供的生活照料等服务。",
    ]
    assert articles[3].label == "第十二条"


def test_docx_text_with_label_on_its_own_line_and_arabic_numbers_is_parsed(tmp_path):
    import docx

    from review.uploads import docx_text

    d = docx.Document()
    for line in [
        "某某办法（征求意见稿）",
        "第一条",
        "为了规范。",
        "第 2 条 数字编号。",
        "第一百零一条　最后一条。",
    ]:
        d.add_paragraph(line)
    path = tmp_path / "draft.docx"
    d.save(path)
    blocks = comments.parse_articles(docx_text(path.read_bytes()))
    articles = [b for b in blocks if b.kind == "article"]
    assert [a.number for a in articles] == [
        1,
        101,
    ]  # "第 2 条" with spaces is not an article heading
    assert articles[0].lines == ["为了规范。", "第 2 条 数字编号。"]


@pytest.mark.parametrize(
    "text,number",
    [
        ("一", 1),
        ("十", 10),
        ("十五", 15),
        ("二十", 20),
        ("一百零一", 101),
        ("12", 12),
        ("１２", 12),
    ],
)
def test_chinese_numerals_are_read(text, number):
    assert comments.chinese_number(text) == number


# --- submission ------------------------------------------------------------------


def test_submitted_comment_gets_a_receipt_and_takes_no_global_audit_lock(period):
    before = AuditEvent.objects.count()
    comment = submit(
        period, article=3, author_kind="person", author_name="张三", contact="zhang@example.com"
    )
    assert comment.receipt.startswith("YJ20200305-") and len(comment.receipt) == 21
    assert comment.status == Comment.Status.RECEIVED
    assert comment.normalised == "建议第三条增加服务质量评价"
    assert AuditEvent.objects.count() == before


def test_the_close_seals_every_comment_into_the_audit_chain(period, drafter):
    from io import StringIO

    from django.core.management import CommandError, call_command
    from django.db import connection

    first = submit(period, article=3)
    submit(period, text="第二条意见")
    close(period, drafter)
    event = AuditEvent.objects.filter(action="close_comment").order_by("-seq").first()
    assert event.data["received"] == 2 and event.data["period"] == period.pk
    assert "张三" not in str(event.data)
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert "审计链完整" in out.getvalue()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE review_comment SET text = 'x' WHERE id = %s", [first.pk])
    with pytest.raises(CommandError, match="意见与征求意见结束时的记录不符"):
        call_command("verify_audit", stdout=StringIO())


@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"text": "   "}, "请填写意见内容"),
        ({"text": "长" * 5001}, "过长"),
        ({"author_kind": "robot"}, "请选择"),
        ({"author_kind": "person", "author_name": ""}, "姓名或单位"),
        ({"author_kind": "organisation", "author_name": "单" * 101}, "过长"),
        ({"contact": "not-an-email@"}, "电子邮箱"),
        ({"contact": "call me"}, "电话号码"),
        ({"article": 99}, "所选条款不存在"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(period, kwargs, message):
    before = AuditEvent.objects.count()
    with pytest.raises(Refused, match=message):
        submit(period, **kwargs)
    assert Comment.objects.count() == 0
    assert AuditEvent.objects.count() == before


def test_anonymous_comment_keeps_no_name(period):
    comment = submit(period, author_kind="anonymous", author_name="偷偷署名")
    assert comment.author_name == ""


def test_comment_before_opening_or_after_closing_is_refused(period, drafter):
    with pytest.raises(Refused, match="将于 2020年3月2日 开始"):
        submit(period, now=datetime.datetime(2020, 3, 1, 23, 59, tzinfo=TZ))
    # the last day counts until midnight in Asia/Shanghai
    submit(period, now=datetime.datetime(2020, 3, 13, 23, 59, tzinfo=TZ))
    with pytest.raises(Refused, match="已于 2020年3月13日 截止"):
        submit(period, now=datetime.datetime(2020, 3, 14, 0, 0, 1, tzinfo=TZ))
    close(period, drafter)
    with pytest.raises(Refused, match="截止"):
        submit(period, now=datetime.datetime(2020, 3, 13, 12, 0, tzinfo=TZ))
    assert Comment.objects.count() == 1


def test_html_is_stored_as_text(period):
    comment = submit(period, text="<script>alert(1)</script> 第三条")
    comment.refresh_from_db()
    assert comment.text == "<script>alert(1)</script> 第三条"


# --- moderation ------------------------------------------------------------------


def test_drafter_publishes_hides_with_reason_and_marks_spam_each_audited(
    period, drafter, legal_reviewer
):
    a, b, c = submit(period), submit(period, text="骂人的话"), submit(period, text="买药加微信")
    before = period.document.audit_events.count()
    comments.moderate(a, by=drafter, action="publish")
    with pytest.raises(Refused, match="须填写理由"):
        comments.moderate(b, by=drafter, action="hide")
    comments.moderate(b, by=legal_reviewer, action="hide", reason="含有侮辱性内容")
    with pytest.raises(Refused, match="标为垃圾信息的，须填写理由"):
        comments.moderate(c, by=drafter, action="spam")
    comments.moderate(c, by=drafter, action="spam", reason="药品广告")
    assert period.document.audit_events.count() == before + 3
    b.refresh_from_db()
    assert (
        b.status == Comment.Status.HIDDEN
        and b.text == "骂人的话"
        and b.hidden_reason == "含有侮辱性内容"
    )
    assert b.moderated_by == legal_reviewer
    assert comments.counts(period) == {"received": 0, "published": 1, "hidden": 1, "spam": 1}
    event = period.document.audit_events.order_by("-seq").first()
    assert event.action == "moderate_comment" and event.data == {
        "receipt": c.receipt,
        "from": "received",
        "to": "spam",
    }


def test_another_organisations_staff_cannot_moderate_or_answer(period, outsider, registrar):
    comment = submit(period)
    for user in (outsider, registrar):
        with pytest.raises(NotPermitted):
            comments.moderate(comment, by=user, action="publish")
        with pytest.raises(NotPermitted):
            comments.answer(comment, by=user, response="adopted", reason="好")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.RECEIVED and comment.response == ""


# --- answers and the gate to the legality review ---------------------------------------


def test_answers_complete_the_comment_gate(period, drafter):
    a = submit(period, article=1)
    b = submit(period, text="骂人的话")
    comments.moderate(a, by=drafter, action="publish")
    comments.moderate(b, by=drafter, action="hide", reason="与本文件无关")
    close(period, drafter)
    document = period.document
    with pytest.raises(Refused, match="请填写采纳情况的理由"):
        comments.answer(a, by=drafter, response="adopted", reason=" ")
    with pytest.raises(Refused, match="不予公开"):
        comments.answer(b, by=drafter, response="adopted", reason="x")
    from review import lifecycle

    assert lifecycle.refusals(document, "submit_for_review")
    comments.answer(
        a, by=drafter, response="partly", reason="已在第三条中增加相关内容。", article=3
    )
    a.refresh_from_db()
    assert (a.response, a.article, a.answered_by) == ("partly", 3, drafter)
    document.refresh_from_db()
    assert lifecycle.refusals(document, "submit_for_review") == []
    actions.submit_for_review(document, by=drafter, on=AFTER.date())
    with pytest.raises(Refused, match="已送合法性审核"):
        comments.answer(a, by=drafter, response="adopted", reason="改主意了")


def test_campaign_copies_are_clustered_and_answered_once(period, drafter):
    campaign = "强烈建议第三条增加：收费标准须经物价部门核定！"
    copies = [
        submit(period, text=campaign.replace("！", suffix))
        for suffix in ["！", "。", "!!", " ", "！！"]
    ]
    other = submit(period, text="第一条的依据应写明《老年人权益保障法》。")
    assert comments.cluster_comments(period, by=drafter) == 1
    cluster_ids = {c.cluster_id for c in Comment.objects.filter(pk__in=[c.pk for c in copies])}
    assert len(cluster_ids) == 1 and None not in cluster_ids
    other.refresh_from_db()
    assert other.cluster_id is None
    rows = comments.rows(period)
    assert [r.count for r in rows] == [5, 1]
    before = period.document.audit_events.count()
    comments.answer_cluster(
        rows[0].cluster,
        by=drafter,
        response="not_adopted",
        reason="收费标准已有上位法规定。",
        article=3,
    )
    assert period.document.audit_events.count() == before + 1
    assert set(
        Comment.objects.filter(cluster_id__in=cluster_ids).values_list("response", "article")
    ) == {("not_adopted", 3)}
    # clustering again keeps the answered cluster as it is
    assert comments.cluster_comments(period, by=drafter) == 0
    assert Comment.objects.filter(cluster_id__in=cluster_ids).count() == 5


def test_summary_counts_and_lists_each_answer(period, drafter):
    a = submit(period, article=1)
    submit(period, text="垃圾")
    comments.answer(a, by=drafter, response="adopted", reason="采纳。")
    data = comments.summary(period)
    assert data["by_response"] == {"adopted": 1, "partly": 0, "not_adopted": 0}
    assert data["unanswered"] == 1
    text = comments.summary_text(period)
    assert (
        "共收到意见 2 条" in text
        and "[第1条]" in text
        and "采纳：采纳。" in text
        and "尚未答复" in text
    )


def test_close_records_what_arrived_and_the_document_returns_to_drafting(period, drafter):
    submit(period)
    close(period, drafter)
    assert period.document.state == State.DRAFTING
    assert period.closed_at is not None
