# ruff: noqa: F811  (pytest fixtures imported from test_comments_actions are redefined as arguments)
"""Personal information in comments (个人信息保护法): the notice, who sees a contact,
the retention and its erasure, and a citizen's request by receipt number.

The comment_summary PDF/DOCX are checked for names and contacts in
tests/test_reports_documents.py (test_comment_summary_prints_no_personal_details...)."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from review import comments
from review.models import AuditEvent

from .test_comments_actions import AFTER, CLOSES, TZ, close, during, important, period, submit  # noqa: F401

CONTACT = "zhang.san@example.com"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def named(period, **kwargs):
    return submit(period, author_kind="person", author_name="张三", contact=CONTACT, **kwargs)


def test_the_form_carries_the_notice_and_links_the_privacy_page(client, period, during):
    page = client.get(reverse("public:document", args=[period.document_id])).content.decode()
    assert 'id="privacy-notice"' in page and "征求意见期结束 365 天后联系方式自动删除" in page
    assert reverse("public:privacy") in page


def test_the_privacy_page_says_what_why_who_and_how_long(client, settings, db):
    settings.GUIFAN_CONTACT_RETENTION_DAYS = 200
    page = client.get(reverse("public:privacy")).content.decode()
    assert "个人信息保护法" in page and "加密摘要" in page and "起草人员和合法性审核人员" in page
    assert "征求意见期结束 200 天后" in page


def test_erasure_keeps_comment_answer_and_an_organisations_name(period, drafter):
    person = named(period)
    body = submit(period, author_kind="organisation", author_name="某协会", contact="0915-3212345")
    anonymous = submit(period, text="匿名意见")
    close(period, drafter)
    comments.answer(person, by=drafter, response="adopted", reason="采纳。")
    events = AuditEvent.objects.count()
    on_the_day = CLOSES + datetime.timedelta(days=365)
    assert comments.erase_expired_contacts(today=on_the_day) == 0  # still within the 365 days
    assert AuditEvent.objects.count() == events
    assert comments.erase_expired_contacts(today=on_the_day + datetime.timedelta(days=1)) == 2
    person.refresh_from_db(), body.refresh_from_db(), anonymous.refresh_from_db()
    assert (person.contact, person.author_name) == ("", "")
    assert (person.text, person.response, person.response_reason) == (
        "建议第三条增加服务质量评价。",
        "adopted",
        "采纳。",
    )
    assert (body.contact, body.author_name) == ("", "某协会")
    event = AuditEvent.objects.order_by("-seq").first()
    assert event.action == "erase_contacts" and event.data["comments"] == 2
    assert AuditEvent.objects.count() == events + 1
    with time_machine.travel(datetime.datetime(2021, 6, 1, 9, tzinfo=TZ), tick=False):
        call_command("erase_contact_details", stdout=open("/dev/null", "w"))  # idempotent
    assert AuditEvent.objects.count() == events + 1


def test_the_retention_setting_is_respected(period, drafter, settings):
    comment = named(period)
    close(period, drafter)
    settings.GUIFAN_CONTACT_RETENTION_DAYS = 10
    assert comments.erase_expired_contacts(today=CLOSES + datetime.timedelta(days=10)) == 0
    assert comments.erase_expired_contacts(today=CLOSES + datetime.timedelta(days=11)) == 1
    comment.refresh_from_db()
    assert comment.contact == ""


def _ask(client, comment, contact, action):
    return client.post(
        reverse("public:receipt_privacy", args=[comment.receipt]),
        {"contact": contact, "action": action},
    )


def test_a_wrong_contact_is_refused_and_reveals_nothing(client, period):
    comment = named(period)
    other = submit(period, text="没有留联系方式")
    events = AuditEvent.objects.count()
    for target in (comment, other):
        for action in ("see", "erase"):
            response = _ask(client, target, "someone@example.com", action)
            page = response.content.decode()
            assert response.status_code == 400
            assert "回执号与联系方式不符，未作任何处理。" in page and CONTACT not in page
    comment.refresh_from_db()
    assert comment.contact == CONTACT and AuditEvent.objects.count() == events


def test_the_sender_sees_then_erases_their_contact_by_receipt(client, period):
    comment = named(period)
    events = AuditEvent.objects.count()
    page = _ask(client, comment, CONTACT, "see").content.decode()
    assert 'id="stored"' in page and CONTACT in page and "张三" in page
    response = _ask(client, comment, "  Zhang.San@Example.com ", "erase")
    assert response.status_code == 200
    assert "您的联系方式已删除" in response.content.decode()
    comment.refresh_from_db()
    assert (comment.contact, comment.author_name, comment.text) == (
        "",
        "",
        "建议第三条增加服务质量评价。",
    )
    event = AuditEvent.objects.order_by("-seq").first()
    assert AuditEvent.objects.count() == events + 1
    assert event.action == "erase_contact_request" and CONTACT not in str(event.data)
    assert _ask(client, comment, CONTACT, "erase").status_code == 400  # nothing left to match


def test_requests_are_rate_limited(client, period, settings):
    settings.GUIFAN_COMMENT_RATE_PER_IP_DOCUMENT = (2, 600)
    comment = named(period)
    codes = [_ask(client, comment, "x@example.com", "see").status_code for _i in range(3)]
    assert codes == [400, 400, 429]


def test_the_contact_is_on_no_public_page_or_output(client, period, drafter):
    comment = named(period)
    comments.moderate(comment, by=drafter, action="publish")
    close(period, drafter)
    comments.answer(comment, by=drafter, response="adopted", reason="采纳。")
    with time_machine.travel(AFTER, tick=False):
        document_page = client.get(reverse("public:document", args=[period.document_id]))
        receipt_page = client.get(reverse("public:receipt", args=[comment.receipt]))
    assert "建议第三条增加服务质量评价" in document_page.content.decode()
    for response in (document_page, receipt_page):
        assert response.status_code == 200 and CONTACT not in response.content.decode()
    assert "张三" not in document_page.content.decode()
    assert CONTACT not in comments.summary_text(period) and "张三" not in comments.summary_text(
        period
    )


def test_only_the_documents_moderators_see_the_contact(client, period, drafter, outsider):
    named(period)
    url = reverse("desk:comments", args=[period.document_id])
    client.force_login(drafter)
    assert CONTACT in client.get(url).content.decode()
    client.force_login(outsider)
    assert client.get(url).status_code in (403, 404)
