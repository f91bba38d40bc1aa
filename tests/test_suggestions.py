"""审查建议 (法规规章备案条例 art. 9): the public form and its refusals, the handling
task and its period, the reopening path to a 审查意见, the written answer, and the
submitter's contact kept from every public page and export.

The document of conftest is filed with 安康市司法局 (the authority) and reaches
已备案 in the spring of 2020; suggestions come on Monday 1 June 2020."""

import datetime
import json

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from review import actions, reports, suggestions
from review.comments import erase_expired_contacts
from review.driver import FILING_ALL_OK
from review.errors import NotPermitted, Refused
from review.models import AuditEvent, JurisdictionSettings, ReviewSuggestion
from review.reports import audit_report
from review.states import Role, State
from workflows import suggestions as suggestion_flow
from workflows.driving import open_task, perform
from workflows.flows import FilingReviewFlow

from .conftest import make_user
from .test_reports_fixtures import docx_text, pdf_text
from .test_workflow_issuing import at

pytestmark = pytest.mark.django_db
D = datetime.date
JUNE_1 = D(2020, 6, 1)
CONTACT = "zhang.san@example.com"
NAME = "张三丰"
PROBLEM = {**FILING_ALL_OK, "superior_law": {"ok": False, "note": "与上位法不一致"}}


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def filed(walk, document):
    walk.to(State.FILED)
    return document


def entered(**changed):
    return {
        "provisions": "第五条",
        "reasons": "第五条增设的许可条件与《行政许可法》第十六条不一致。",
        "submitter_name": NAME,
        "contact": CONTACT,
        **changed,
    }


def submit(document=None, **changed):
    with at(JUNE_1):
        target = {"document_id": document.pk} if document else {}
        return suggestion_flow.submit(**entered(**target, **changed))


def post(client, **data):
    return client.post(reverse("public:suggestion_submit"), entered(**data))


# --- the public form ------------------------------------------------------------


def test_a_suggestion_on_a_found_document_gets_a_receipt_and_a_task_for_the_authority(
    client, filed, authority, filing_reviewer
):
    assert (
        filed.title in client.get(reverse("public:suggestion"), {"q": "政府信息"}).content.decode()
    )
    with at(JUNE_1):
        response = post(client, document=filed.pk)
    suggestion = ReviewSuggestion.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"/suggestions/status/{suggestion.receipt}/?new=1")
    assert (suggestion.document, suggestion.authority) == (filed, authority)
    assert suggestion.receipt.startswith("JY20200601-")
    # 60 日 from Monday 1 June 2020: Friday 31 July
    assert suggestion.due_on == D(2020, 7, 31)
    task = suggestion_flow.open_task(suggestion)
    assert task.owner_permission == f"guifan:{Role.FILING_REVIEWER}@{authority.pk}"
    assert task.data["due_on"] == "2020-07-31"
    assert suggestion_flow.SuggestionFlow.handle.can_assign(filing_reviewer, task)
    event = AuditEvent.objects.get(action="suggestion_received")
    assert CONTACT not in json.dumps(event.data) and NAME not in event.note


def test_the_handling_period_is_the_jurisdictions_setting(filed, authority):
    JurisdictionSettings.objects.create(organisation=authority, suggestion_handling_days=30)
    suggestion = submit(filed)
    assert suggestion.due_on == D(2020, 7, 1)  # 30 日 from 1 June: Wednesday 1 July


def test_a_suggestion_without_contact_details_is_refused_and_nothing_is_stored(client, filed):
    response = post(client, document=filed.pk, contact="")
    assert response.status_code == 400
    assert "请填写联系方式" in response.content.decode()
    response = post(client, document=filed.pk, submitter_name="")
    assert response.status_code == 400 and "请填写姓名或单位名称" in response.content.decode()
    assert not ReviewSuggestion.objects.exists()
    assert not AuditEvent.objects.filter(action="suggestion_received").exists()


def test_a_described_document_needs_an_authority_from_the_list(client, filed, authority, bureau):
    described = {"described_document": "某县关于收费的通知（某发〔2019〕1号）"}
    response = post(client, **described, authority="nowhere")
    assert response.status_code == 400
    assert "请从列表中选择备案审查机关" in response.content.decode()
    # A body that files nowhere is no authority either.
    assert post(client, **described, authority=bureau.code).status_code == 400
    assert not ReviewSuggestion.objects.exists()
    with at(JUNE_1):
        assert post(client, **described, authority=authority.code).status_code == 302
    suggestion = ReviewSuggestion.objects.get()
    assert suggestion.document is None and suggestion.authority == authority


def test_oversized_or_disguised_evidence_is_refused(client, filed, settings):
    settings.GUIFAN_UPLOAD_MAX_BYTES = 1000
    big = SimpleUploadedFile("证据.pdf", b"%PDF-1.4 " + b"x" * 2000, "application/pdf")
    response = post(client, document=filed.pk, evidence=big)
    assert response.status_code == 400 and "文件过大" in response.content.decode()
    fake = SimpleUploadedFile("照片.png", b"MZ not a picture", "image/png")
    response = post(client, document=filed.pk, evidence=fake)
    assert response.status_code == 400 and "文件内容与扩展名不符" in response.content.decode()
    macro = SimpleUploadedFile("证据.docm", b"PK", "application/octet-stream")
    assert post(client, document=filed.pk, evidence=macro).status_code == 400
    assert not ReviewSuggestion.objects.exists()


def test_evidence_is_stored_with_its_digest(client, filed):
    pdf = SimpleUploadedFile("证据.pdf", b"%PDF-1.4 evidence", "application/pdf")
    with at(JUNE_1):
        assert post(client, document=filed.pk, evidence=pdf).status_code == 302
    suggestion = ReviewSuggestion.objects.get()
    assert suggestion.evidence_name == "证据.pdf" and len(suggestion.evidence_sha256) == 64
    assert suggestion.evidence.read() == b"%PDF-1.4 evidence"


def test_the_honeypot_and_the_rate_limit_refuse_without_storing(client, filed, settings):
    response = post(client, document=filed.pk, website="http://spam.example")
    assert response.status_code == 400
    settings.GUIFAN_COMMENT_RATE_PER_IP_DOCUMENT = (2, 600)
    post(client, document=filed.pk, contact="")
    response = post(client, document=filed.pk)
    assert response.status_code == 429 and response["Retry-After"]
    assert not ReviewSuggestion.objects.exists()


# --- the authority's handling ---------------------------------------------------


def test_the_reopening_path_leads_to_a_review_opinion_and_a_written_answer(
    client, filed, filing_reviewer
):
    suggestion = submit(filed)
    with at(D(2020, 6, 3)):
        suggestion_flow.reopen_review(suggestion, filing_reviewer, "收到审查建议")
        filed.refresh_from_db()
        assert filed.state == State.UNDER_REVIEW
        suggestion.refresh_from_db()
        assert suggestion.status == ReviewSuggestion.Status.HANDLING
        assert suggestion.reopening.reason == "收到审查建议"
        # 审查意见 from the reopened review, through its task: the correction loop.
        task = open_task(filed, FilingReviewFlow.review)
        perform(
            task,
            filing_reviewer,
            lambda d: actions.require_correction(
                d,
                by=filing_reviewer,
                substantive=PROBLEM,
                findings="第五条与上位法不一致",
                suggestion="删除第五条",
            ),
        )
        filed.refresh_from_db()
        assert filed.state == State.CORRECTION
        assert open_task(filed, FilingReviewFlow.correct) is not None
        suggestions.record_opinion(suggestion, by=filing_reviewer)
        suggestion_flow.answer(
            suggestion,
            filing_reviewer,
            ReviewSuggestion.Outcome.OPINION,
            "经审查，第五条与上位法不一致，已向制定机关提出审查意见。",
        )
    suggestion.refresh_from_db()
    assert suggestion.status == ReviewSuggestion.Status.ANSWERED
    assert suggestion.led_to_correction and suggestion.answered_on_time
    assert suggestion.correction.filing_review == suggestion.reopening.filing_review
    assert suggestion_flow.open_task(suggestion) is None
    actions_done = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"suggestion_reopened", "reopen_review", "require_correction"} <= actions_done
    assert "suggestion_answered" in actions_done
    # The status page shows the outcome, never who handled it.
    page = client.get(reverse("public:suggestion_status", args=[suggestion.receipt]))
    text = page.content.decode()
    assert "已向制定机关提出审查意见" in text
    assert filing_reviewer.username not in text and filing_reviewer.first_name not in text


def test_an_opinion_answer_needs_the_opinion_and_a_reason(filed, filing_reviewer):
    suggestion = submit(filed)
    with pytest.raises(Refused, match="请填写答复内容"):
        suggestion_flow.answer(suggestion, filing_reviewer, ReviewSuggestion.Outcome.NO_PROBLEM, "")
    with pytest.raises(Refused, match="尚未就该文件提出审查意见"):
        suggestion_flow.answer(suggestion, filing_reviewer, ReviewSuggestion.Outcome.OPINION, "x")
    assert suggestion_flow.open_task(suggestion) is not None
    assert not ReviewSuggestion.objects.exclude(reply="").exists()


def test_only_the_authoritys_filing_reviewers_handle_a_suggestion(
    client, filed, filing_reviewer, filing_clerk, outsider
):
    suggestion = submit(filed)
    with pytest.raises(NotPermitted):
        suggestions.reopen_review(suggestion, by=filing_clerk, reason="x")
    with pytest.raises(NotPermitted):
        suggestion_flow.answer(suggestion, outsider, ReviewSuggestion.Outcome.NO_PROBLEM, "x")
    client.force_login(outsider)
    assert client.get(reverse("desk:suggestion", args=[suggestion.pk])).status_code == 404
    url = reverse("desk:suggestion_answer", args=[suggestion.pk])
    assert client.post(url, {"outcome": "no_problem", "reply": "x"}).status_code == 404
    client.force_login(filing_reviewer)
    page = client.get(reverse("desk:suggestion", args=[suggestion.pk])).content.decode()
    assert CONTACT in page and NAME in page


def test_a_described_suggestion_is_linked_then_closed_with_a_reasoned_reply(
    client, filed, authority, filing_reviewer
):
    suggestion = submit(described_document="政府信息公开制度", authority_code=authority.code)
    client.force_login(filing_reviewer)
    page = client.get(reverse("desk:suggestion", args=[suggestion.pk]), {"q": "政府信息"})
    assert filed.title in page.content.decode()
    client.post(reverse("desk:suggestion_link", args=[suggestion.pk]), {"document": filed.pk})
    suggestion.refresh_from_db()
    assert suggestion.document == filed
    with at(D(2020, 8, 3)):
        response = client.post(
            reverse("desk:suggestion_answer", args=[suggestion.pk]),
            {"outcome": "no_problem", "reply": "经审查，第五条有上位法依据。"},
        )
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.outcome == "no_problem" and not suggestion.answered_on_time
    client.force_login(filing_reviewer)  # the session above went idle across the years
    pdf = client.get(reverse("desk:suggestion_reply", args=[suggestion.pk, "pdf"]))
    docx = client.get(reverse("desk:suggestion_reply", args=[suggestion.pk, "docx"]))
    for text in (pdf_text(pdf.content), docx_text(docx.content)):
        assert "审查建议答复书" in text and "经审查，第五条有上位法依据。" in text
        assert suggestion.receipt in text and CONTACT not in text


# --- personal information --------------------------------------------------------


def test_contact_details_are_absent_from_every_public_page_and_export(
    client, filed, authority, filing_reviewer
):
    suggestion = submit(filed)
    with at(D(2020, 6, 10)):
        suggestion_flow.answer(
            suggestion, filing_reviewer, ReviewSuggestion.Outcome.NO_PROBLEM, "未发现问题。"
        )
    suggestion.refresh_from_db()
    public = [
        reverse("public:suggestion_status", args=[suggestion.receipt]),
        reverse("public:suggestion") + f"?q=政府信息&document={filed.pk}",
        reverse("public:suggestion_status_lookup") + "?receipt=" + suggestion.receipt,
        reverse("public:catalogue") + "?title=政府信息",
        reverse("public:privacy"),
        reverse("public:index"),
    ]
    for url in public:
        text = client.get(url).content.decode()
        assert CONTACT not in text and NAME not in text, url
    exports = [reports.build_suggestion_reply(suggestion, "docx")]
    report = audit_report.compute(authority=authority, year=2020, today=D(2020, 12, 31))
    exports += [
        reports.build("filing_audit", report, "json"),
        reports.build("filing_audit", report, "csv"),
    ]
    assert report["suggestions"] == {
        "received": 1,
        "answered": 1,
        "answered_on_time": 1,
        "led_to_correction": 0,
    }
    texts = [docx_text(exports[0]), *(data.decode("utf-8-sig") for data in exports[1:])]
    texts.append(pdf_text(reports.build("filing_audit", report, "pdf")))
    texts.append(pdf_text(reports.build_suggestion_reply(suggestion, "pdf")))
    texts.append(json.dumps(list(AuditEvent.objects.values("note", "data")), ensure_ascii=False))
    for text in texts:
        assert CONTACT not in text
    assert "收到公民、法人和其他组织提出的审查建议1件" in pdf_text(
        reports.build("filing_audit", report, "pdf")
    ).replace("\n", "")


def test_contacts_are_erased_after_the_retention_or_at_once_on_request(
    client, filed, filing_reviewer, settings
):
    settings.GUIFAN_CONTACT_RETENTION_DAYS = 30
    answered, pending = submit(filed), submit(filed)
    with at(JUNE_1):
        suggestion_flow.answer(
            answered, filing_reviewer, ReviewSuggestion.Outcome.NO_PROBLEM, "未发现问题。"
        )
    assert erase_expired_contacts(today=D(2020, 7, 1)) == 0
    assert erase_expired_contacts(today=D(2020, 7, 2)) == 1
    answered.refresh_from_db()
    assert (answered.contact, answered.submitter_name) == ("", "")
    assert answered.reply and ReviewSuggestion.objects.count() == 2  # never deleted
    url = reverse("public:suggestion_privacy", args=[pending.receipt])
    assert client.post(url, {"contact": "someone@example.com"}).status_code == 400
    assert ReviewSuggestion.objects.get(pk=pending.pk).contact == CONTACT
    assert client.post(url, {"contact": CONTACT.upper()}).status_code == 200
    assert ReviewSuggestion.objects.get(pk=pending.pk).contact == ""


def test_the_privacy_page_states_how_suggestions_are_handled(client):
    text = client.get(reverse("public:privacy")).content.decode()
    assert "提出审查建议须填写姓名或单位名称和联系方式" in text
    assert "办理该建议的备案审查机关的备案审查人员" in text


def test_reply_letter_needs_an_answer(filed):
    suggestion = submit(filed)
    with pytest.raises(reports.MissingRecord):
        reports.build_suggestion_reply(suggestion, "pdf")


def test_a_handler_sees_only_their_authoritys_suggestions_listed(
    client, filed, filing_reviewer, county_bureau
):
    submit(filed)
    other = make_user("other-reviewer", county_bureau, Role.FILING_REVIEWER)
    client.force_login(other)
    assert (
        ReviewSuggestion.objects.get().receipt
        not in client.get(reverse("desk:suggestions")).content.decode()
    )
    client.force_login(filing_reviewer)
    page = client.get(reverse("desk:suggestions")).content.decode()
    assert ReviewSuggestion.objects.get().receipt in page


def test_a_handling_period_reaching_an_unknown_year_is_provisional_until_the_year_is_known(
    filed, filing_reviewer
):
    with at(D(2026, 12, 1)):
        suggestion = suggestion_flow.submit(**entered(document_id=filed.pk))
    # 60 日 from Tuesday 1 December 2026: Saturday 30 January 2027, in a year not yet
    # known: weekends rest, so Monday 1 February, 暂定.
    assert (suggestion.due_on, suggestion.due_on_provisional) == (D(2027, 2, 1), True)
    admin = make_user("calendar-admin", filed.organisation, Role.ADMIN)
    actions.enter_calendar_year(
        2027,
        by=admin,
        holidays=[D(2027, 1, 1)],
        workdays=[],
        notice_number="国办发明电〔2026〕1号",
    )
    suggestion.refresh_from_db()
    # Known now (no make-up working day on 30 January): the same day, no longer 暂定.
    assert (suggestion.due_on, suggestion.due_on_provisional) == (D(2027, 2, 1), False)
