# ruff: noqa: F811  (pytest fixtures imported from test_comments_actions are redefined as arguments)
"""The public comment portal over HTTP: reading, commenting, receipts, answers and
every refusal (bad input, closed period, forged id, CSRF, flood, honeypot)."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from review import actions, comments
from review.models import AuditEvent, Comment

from .test_comments_actions import AFTER, DURING, TZ, close, during, important, period, submit  # noqa: F401

GOOD = {
    "article": "3",
    "author_kind": "person",
    "author_name": "张三",
    "contact": "13800000000",
    "text": "建议第三条增加投诉电话。",
    "website": "",
}


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def post(client, period, **changes):
    headers = {k: changes.pop(k) for k in list(changes) if k.isupper()}
    return client.post(
        reverse("public:submit", args=[period.document_id]), {**GOOD, **changes}, **headers
    )


def test_index_lists_open_documents_with_body_dates_and_working_days_left(
    client, period, during, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        response = client.get(reverse("public:index"))
    page = response.content.decode()
    assert response.status_code == 200
    assert period.document.title in page and "安康市民政局" in page
    assert "2020年3月2日至2020年3月13日" in page
    assert "剩余 7 个工作日" in page  # Thu 5 to Fri 13 March, both included


def test_market_related_document_counts_calendar_days_left(client, important, drafter):  # noqa: F811
    from review.models import NormativeDocument

    NormativeDocument.objects.filter(pk=important.pk).update(is_market_related=True)
    important.refresh_from_db()
    actions.add_version(important, by=drafter, text="第一条 为了规范。")
    actions.open_comment_period(
        important,
        by=drafter,
        opens_on=datetime.date(2020, 3, 2),
        closes_on=datetime.date(2020, 4, 1),
        on=datetime.date(2020, 3, 2),
    )
    with time_machine.travel(DURING, tick=False):
        page = client.get(reverse("public:document", args=[important.pk])).content.decode()
    assert "剩余 28 日" in page


def test_document_page_shows_numbered_articles_note_download_and_form(client, period, during):
    response = client.get(reverse("public:document", args=[period.document_id]))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="article-3"' in page and 'id="article-12"' in page and "第十二条" in page
    assert "对第三条提出意见" in page
    assert "起草说明：制定目的、依据和过程。" in page
    assert reverse("public:draft", args=[period.document_id]) in page
    assert '<label for="id_text">' in page and 'name="csrfmiddlewaretoken"' in page
    assert "<div hidden>" in page  # the honeypot is out of people's way


def test_article_link_preselects_the_article(client, period, during):
    page = client.get(
        reverse("public:document", args=[period.document_id]) + "?article=3"
    ).content.decode()
    assert '<option value="3" selected>' in page


def test_draft_download_is_the_text(client, period, during):
    response = client.get(reverse("public:draft", args=[period.document_id]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert "第十二条" in response.content.decode()


def test_uploaded_docx_draft_is_shown_by_article_and_downloaded_as_docx(
    client, important, drafter, tmp_path, settings
):  # noqa: F811
    import docx
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    d = docx.Document()
    for line in [
        "安康市养老服务办法（征求意见稿）",
        "第一条　为了规范养老服务。",
        "第二条　自公布之日起施行。",
    ]:
        d.add_paragraph(line)
    path = tmp_path / "d.docx"
    d.save(path)
    actions.add_version(
        important, by=drafter, upload=SimpleUploadedFile("draft.docx", path.read_bytes())
    )
    actions.open_comment_period(
        important,
        by=drafter,
        opens_on=datetime.date(2020, 3, 2),
        closes_on=datetime.date(2020, 3, 13),
        on=datetime.date(2020, 3, 2),
    )
    with time_machine.travel(DURING, tick=False):
        page = client.get(reverse("public:document", args=[important.pk])).content.decode()
        download = client.get(reverse("public:draft", args=[important.pk]))
    assert 'id="article-2"' in page and "为了规范养老服务。" in page
    assert (
        download["Content-Disposition"].endswith('.docx"')
        or ".docx" in download["Content-Disposition"]
    )
    assert b"".join(download.streaming_content)[:2] == b"PK"


def test_comment_is_committed_then_the_receipt_is_shown_and_found_again(client, period, during):
    response = post(client, period)
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert response["Location"].startswith(reverse("public:receipt", args=[comment.receipt]))
    page = client.get(response["Location"]).content.decode()
    assert comment.receipt in page and "意见已提交" in page and "2020年3月5日 10:00:00" in page
    assert (comment.article, comment.author_name, comment.contact) == (3, "张三", "13800000000")
    found = client.get(reverse("public:receipt_lookup"), {"receipt": comment.receipt.lower()})
    assert found.status_code == 200 and "建议第三条增加投诉电话。" in found.content.decode()
    missing = client.get(reverse("public:receipt_lookup"), {"receipt": "YJ20200305-NOPE"})
    assert missing.status_code == 404 and "没有找到" in missing.content.decode()


def test_whole_draft_and_anonymous_comments_are_accepted(client, period, during):
    assert (
        post(
            client, period, article="", author_kind="anonymous", author_name="", contact=""
        ).status_code
        == 302
    )
    comment = Comment.objects.get()
    assert comment.article is None and comment.author_kind == "anonymous"


def test_html_and_script_are_stored_as_text_and_rendered_escaped(client, period, during, drafter):
    evil = '<script>alert("x")</script><b>粗体</b>'
    response = post(client, period, text=evil, author_name="<img src=x onerror=alert(1)>")
    comment = Comment.objects.get()
    assert comment.text == evil
    page = client.get(response["Location"]).content.decode()
    assert (
        "<script>alert" not in page and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    )
    assert "<img src=x" not in page
    comments.moderate(comment, by=drafter, action="publish")
    comments.answer(comment, by=drafter, response="not_adopted", reason="<i>不</i>")
    close(period, drafter)
    with time_machine.travel(AFTER, tick=False):
        page = client.get(reverse("public:document", args=[period.document_id])).content.decode()
    assert "<script>alert" not in page and "&lt;i&gt;不&lt;/i&gt;" in page


@pytest.mark.parametrize(
    "changes,message",
    [
        ({"text": ""}, "请填写意见内容"),
        ({"text": "字" * 5001}, "最多 5000 字"),
        ({"contact": "abc@"}, "电子邮箱"),
        ({"contact": "打电话给我"}, "电话号码"),
        ({"author_kind": "person", "author_name": ""}, "姓名或单位"),
        ({"article": "99"}, "所选条款不存在"),
        ({"article": "abc"}, "请检查所填内容"),
        ({"author_kind": "robot"}, "请检查所填内容"),
    ],
)
def test_bad_input_gets_a_clear_400_and_changes_nothing(client, period, during, changes, message):
    events = AuditEvent.objects.count()
    response = post(client, period, **changes)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert 'role="alert"' in response.content.decode()
    assert Comment.objects.count() == 0 and AuditEvent.objects.count() == events


def test_invalid_input_keeps_what_was_typed(client, period, during):
    page = post(client, period, contact="abc@", text="我的长篇意见").content.decode()
    assert "我的长篇意见" in page


def test_forged_document_id_is_404(client, period, during, document):
    assert client.get(reverse("public:document", args=[999999])).status_code == 404
    assert client.post(reverse("public:submit", args=[999999]), GOOD).status_code == 404
    assert client.get(reverse("public:draft", args=[999999])).status_code == 404


def test_document_never_put_out_for_comment_is_not_public(client, important, drafter, during):  # noqa: F811
    actions.add_version(important, by=drafter, text="第一条 内部草稿。")
    assert client.get(reverse("public:document", args=[important.pk])).status_code == 404


def test_only_the_drafting_note_is_downloadable(client, period, during, drafter):
    from review.models import Attachment, AttachmentKind

    basis = actions.add_attachment(
        period.document, by=drafter, kind=AttachmentKind.LEGAL_BASIS, text="内部材料"
    )
    note = Attachment.objects.get(kind=AttachmentKind.DRAFTING_NOTE)
    assert client.get(reverse("public:note", args=[period.document_id, note.pk])).status_code == 200
    assert (
        client.get(reverse("public:note", args=[period.document_id, basis.pk])).status_code == 404
    )
    assert (
        "内部材料"
        not in client.get(reverse("public:document", args=[period.document_id])).content.decode()
    )


def test_comment_after_the_period_ended_is_refused_with_409(client, period):
    with time_machine.travel(datetime.datetime(2020, 3, 14, 8, 0, tzinfo=TZ), tick=False):
        response = post(client, period)
    assert response.status_code == 409
    assert "已于 2020年3月13日 截止" in response.content.decode()
    assert Comment.objects.count() == 0


def test_comment_before_the_period_opens_is_refused_with_409(client, important, drafter):  # noqa: F811
    actions.add_version(important, by=drafter, text="第一条 为了规范。")
    actions.open_comment_period(
        important,
        by=drafter,
        opens_on=datetime.date(2020, 3, 9),
        closes_on=datetime.date(2020, 3, 20),
        on=datetime.date(2020, 3, 2),
    )
    with time_machine.travel(DURING, tick=False):
        index = client.get(reverse("public:index")).content.decode()
        page = client.get(reverse("public:document", args=[important.pk])).content.decode()
        response = client.post(
            reverse("public:submit", args=[important.pk]), {**GOOD, "article": "1"}
        )
    assert (
        "即将开始" in index and "征求意见将于 2020年3月9日 开始" in page and "id_text" not in page
    )
    assert response.status_code == 409 and "将于 2020年3月9日 开始" in response.content.decode()
    assert Comment.objects.count() == 0


def test_missing_csrf_token_is_403_and_changes_nothing(period, during):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("public:submit", args=[period.document_id]), GOOD)
    assert response.status_code == 403
    assert Comment.objects.count() == 0


def test_with_the_csrf_token_from_the_page_a_strict_client_succeeds(period, during):
    strict = Client(enforce_csrf_checks=True)
    strict.get(reverse("public:document", args=[period.document_id]))
    token = strict.cookies["csrftoken"].value
    response = strict.post(
        reverse("public:submit", args=[period.document_id]), {**GOOD, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302 and Comment.objects.count() == 1


def test_filled_honeypot_is_refused_and_changes_nothing(client, period, during):
    events = AuditEvent.objects.count()
    response = post(client, period, website="http://spam.example")
    assert response.status_code == 400 and "应留空" in response.content.decode()
    assert Comment.objects.count() == 0 and AuditEvent.objects.count() == events


def test_flood_from_one_address_gets_429_with_a_readable_page(client, period, during, settings):
    settings.GUIFAN_COMMENT_RATE_PER_IP_DOCUMENT = (3, 600)
    for i in range(3):
        assert post(client, period, text=f"意见{i}").status_code == 302
    response = post(client, period, text="第四条意见")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "提交过于频繁" in response.content.decode()
    assert Comment.objects.count() == 3
    # another address is not affected
    assert post(client, period, text="别人的意见", REMOTE_ADDR="10.0.0.9").status_code == 302


def test_per_address_limit_spans_documents(client, period, during, settings):
    settings.GUIFAN_COMMENT_RATE_PER_IP = (2, 3600)
    assert post(client, period).status_code == 302
    assert post(client, period).status_code == 302
    assert post(client, period).status_code == 429


def test_rate_limit_can_be_turned_off(client, period, during, settings):
    settings.GUIFAN_COMMENT_RATELIMIT = False
    settings.GUIFAN_COMMENT_RATE_PER_IP_DOCUMENT = (1, 600)
    assert [post(client, period, text=f"意见{i}").status_code for i in range(3)] == [302] * 3


def test_forwarded_for_is_ignored_unless_the_proxy_is_trusted(client, period, during, settings):
    settings.GUIFAN_COMMENT_RATE_PER_IP_DOCUMENT = (1, 600)
    assert post(client, period, HTTP_X_FORWARDED_FOR="1.1.1.1").status_code == 302
    assert (
        post(client, period, HTTP_X_FORWARDED_FOR="2.2.2.2").status_code == 429
    )  # same REMOTE_ADDR
    settings.GUIFAN_TRUSTED_PROXIES = ["127.0.0.1"]
    assert post(client, period, HTTP_X_FORWARDED_FOR="3.3.3.3").status_code == 302
    assert post(client, period, HTTP_X_FORWARDED_FOR="3.3.3.3").status_code == 429
    assert post(client, period, HTTP_X_FORWARDED_FOR="4.4.4.4, 127.0.0.1").status_code == 302


def test_closed_document_shows_each_published_comment_with_its_answer(
    client, period, drafter, django_assert_max_num_queries
):
    a = submit(period, article=3, author_kind="person", author_name="李四")
    b = submit(
        period,
        author_kind="organisation",
        author_name="安康市养老服务协会",
        text="建议整体增加过渡期。",
    )
    c = submit(period, text="侮辱性内容")
    for comment in (a, b):
        comments.moderate(comment, by=drafter, action="publish")
    comments.moderate(c, by=drafter, action="hide", reason="含有侮辱性内容")
    close(period, drafter)
    comments.answer(a, by=drafter, response="adopted", reason="已增加投诉电话。")
    comments.answer(b, by=drafter, response="partly", reason="过渡期设为六个月。")
    with time_machine.travel(AFTER, tick=False):
        index = client.get(reverse("public:index")).content.decode()
        with django_assert_max_num_queries(10):
            response = client.get(reverse("public:document", args=[period.document_id]))
        receipt = client.get(reverse("public:receipt", args=[a.receipt])).content.decode()
    page = response.content.decode()
    assert "已结束征求意见" in index and "公开意见 2 条，已答复 2 条" in index
    assert (
        "采纳</strong>：已增加投诉电话。" in page
        and "部分采纳</strong>：过渡期设为六个月。" in page
    )
    assert "针对第3条" in page and "安康市养老服务协会" in page
    assert "李四" not in page  # a private person's name is not published
    assert "侮辱性内容" not in page and "不予公开的 1 条" in page
    assert "id_text" not in page
    assert "采纳</strong>：已增加投诉电话。" in receipt


def test_answer_is_not_shown_on_the_receipt_before_the_period_closes(
    client, period, during, drafter
):
    a = submit(period)
    comments.answer(a, by=drafter, response="adopted", reason="提前答复")
    assert (
        "提前答复" not in client.get(reverse("public:receipt", args=[a.receipt])).content.decode()
    )


def test_public_pages_need_no_login_and_are_mobile_ready(client, period, during):
    page = client.get(reverse("public:index")).content.decode()
    assert 'name="viewport"' in page and '<html lang="zh-hans">' in page
