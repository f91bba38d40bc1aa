"""The filing's task pages and document-page forms over HTTP (备案条例 art. 7, 9, 17,
20): what each task shows beside its form, and who may post what."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from review import actions
from review.driver import FILING_ALL_OK
from review.models import AttachmentKind, Escalation
from review.states import State
from workflows.driving import open_task, perform
from workflows.flows import FilingReviewFlow, IssuingFlow

from .conftest import START
from .test_pages_workflow import as_user, post_task, task_url
from .test_workflow_issuing import at, walk_to_filing_review

pytestmark = pytest.mark.django_db
PROBLEM = {**FILING_ALL_OK, "superior_law": {"ok": False, "note": "与上位法不一致"}}


@pytest.fixture
def received(document, actors):
    IssuingFlow.start.run(document=document)
    return walk_to_filing_review(document, actors)


def in_correction(client, doc, actors):
    with at(START):
        post_task(
            client, actors.filing_reviewer, doc, FilingReviewFlow.register, {"decision": "register"}
        )
        perform(
            open_task(doc, FilingReviewFlow.review),
            actors.filing_reviewer,
            lambda d: actions.require_correction(
                d,
                by=actors.filing_reviewer,
                substantive=PROBLEM,
                findings="第五条与上位法不一致",
                suggestion="建议删除第五条",
            ),
        )


def test_a_deferral_names_the_materials_and_the_clerk_supplies_them_by_upload(
    client, received, actors
):
    with at(START):
        form = as_user(client, actors.filing_reviewer).get(
            task_url(open_task(received, FilingReviewFlow.register))
        )
        assert form.content.decode().count('name="decision"') == 3
        assert "材料齐全" in form.content.decode() and "第七条" in form.content.decode()
        r = post_task(
            client,
            actors.filing_reviewer,
            received,
            FilingReviewFlow.register,
            {"decision": "defer", "missing": ["legal_basis"], "to_supply": "上位法全文"},
        )
        assert r.status_code == 302
        received.refresh_from_db()
        assert received.state == State.SUPPLEMENT
        page = (
            as_user(client, actors.filing_clerk)
            .get(task_url(open_task(received, FilingReviewFlow.resubmit)))
            .content.decode()
        )
        assert "需补充或重新报送的材料" in page and "<li>制定依据</li>" in page
        assert "上位法全文" in page
        assert 'enctype="multipart/form-data"' in page and 'name="upload"' in page
        upload = SimpleUploadedFile("依据.txt", "《政府信息公开条例》全文".encode(), "text/plain")
        r = post_task(
            client,
            actors.filing_clerk,
            received,
            FilingReviewFlow.resubmit,
            {"kind": AttachmentKind.LEGAL_BASIS, "upload": upload, "report": ""},
        )
    assert r.status_code == 302
    received.refresh_from_db()
    assert received.state == State.FILING_REVIEW
    assert received.attachments.filter(kind=AttachmentKind.LEGAL_BASIS, name="依据.txt").exists()
    assert received.filings.count() == 2
    assert open_task(received, FilingReviewFlow.register) is not None


def test_a_refusal_needs_its_reason_on_the_form(client, received, actors):
    with at(START):
        r = post_task(
            client,
            actors.filing_reviewer,
            received,
            FilingReviewFlow.register,
            {"decision": "refuse"},
        )
    assert r.status_code == 200 and "此项为必填项" in r.content.decode()
    received.refresh_from_db()
    assert received.state == State.FILING_REVIEW


def test_the_correction_task_shows_the_suggestion_and_the_recheck_the_report_and_version(
    client, received, actors
):
    in_correction(client, received, actors)
    with at(START):
        page = (
            as_user(client, actors.filing_clerk)
            .get(task_url(open_task(received, FilingReviewFlow.correct)))
            .content.decode()
        )
        assert "建议删除第五条" in page and "第五条与上位法不一致" in page
        r = post_task(
            client,
            actors.filing_clerk,
            received,
            FilingReviewFlow.correct,
            {"handling_report": "已删除第五条"},
        )
        assert r.status_code == 200 and "二者择一" in r.content.decode()
        post_task(
            client,
            actors.filing_clerk,
            received,
            FilingReviewFlow.correct,
            {"handling_report": "已删除第五条", "text": "第一条 修改后的全文。"},
        )
        revised = received.open_correction.revised_version
        page = (
            as_user(client, actors.filing_reviewer)
            .get(task_url(open_task(received, FilingReviewFlow.recheck)))
            .content.decode()
        )
        assert "已删除第五条" in page
        assert f"?a={revised.number - 1}&amp;b={revised.number}" in page
        # The revised text is split at the report like any version, and 复核 shows it
        # compared with the reviewed one, article by article.
        assert [a.label for a in revised.articles.all()] == ["第一条"]
        assert f"第{revised.number - 1}稿与第{revised.number}稿的差异" in page
        assert "修改后的全文" in page.split("稿的差异", 1)[1]
        r = post_task(
            client,
            actors.filing_reviewer,
            received,
            FilingReviewFlow.recheck,
            {"decision": Escalation.Kind.REVOKE, "note": "未按建议修改"},
        )
        assert r.status_code == 200 and "此项为必填项" in r.content.decode()
        r = post_task(
            client,
            actors.filing_reviewer,
            received,
            FilingReviewFlow.recheck,
            {
                "decision": Escalation.Kind.REVOKE,
                "note": "未按建议修改",
                "decision_number": "安司备决〔2020〕1号",
                "decided_on": "2020-03-02",
                "effective_on": "2020-03-10",
            },
        )
    assert r.status_code == 302
    received.refresh_from_db()
    assert received.state == State.REVOKED
    doc_page = as_user(client, actors.drafter).get(reverse("desk:document", args=[received.pk]))
    assert "安司备决〔2020〕1号" in doc_page.content.decode()


def test_only_the_authoritys_reviewer_may_reopen_a_filed_documents_review(
    client, walk, document, actors, outsider
):
    walk.to(State.FILED)
    url = reverse("desk:filing_reopen", args=[document.pk])
    data = {"reopen-reason": "收到公民审查建议"}
    assert as_user(client, outsider).post(url, data).status_code == 404
    assert as_user(client, actors.filing_clerk).post(url, data).status_code == 403
    page = as_user(client, actors.filing_reviewer).get(reverse("desk:document", args=[document.pk]))
    assert url in page.content.decode()
    assert client.post(url, data).status_code == 302
    document.refresh_from_db()
    assert document.state == State.UNDER_REVIEW
    assert open_task(document, FilingReviewFlow.review) is not None


def test_the_authority_sees_an_overdue_filing_and_demands_it(client, walk, document, actors):
    walk.to(State.FILING)
    url = reverse("desk:filing_demand", args=[document.pk])
    page = as_user(client, actors.filing_reviewer).get(reverse("desk:document", args=[document.pk]))
    assert page.status_code == 200  # published by a body that files here: visible
    assert url in page.content.decode()  # its deadline (7 April 2020) has long passed
    assert client.post(url, {"demand-note": "请即报送"}).status_code == 302
    demand = document.filing_demands.get()
    assert demand.issued_on == timezone.localdate() and demand.note == "请即报送"
    assert as_user(client, actors.filing_clerk).post(url, {}).status_code == 403
