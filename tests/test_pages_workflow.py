"""Both processes over HTTP, as the people of the demo organisations work them."""

import datetime
import re

import pytest
from django.urls import reverse

from review.models import CHECKLIST_KEYS, FILING_REVIEW_KEYS, AttachmentKind, NormativeDocument
from review.states import State
from workflows.driving import open_task
from workflows.flows import FilingReviewFlow, IssuingFlow

from .conftest import START
from .test_workflow_issuing import at

pytestmark = pytest.mark.django_db


def task_url(task):
    from desk.views.tasks import task_url as url

    return url(task)


def as_user(client, user):
    client.force_login(user)
    return client


def post_task(client, user, document, node, data):
    task = open_task(document, node)
    assert task is not None, node.name
    response = as_user(client, user).post(task_url(task), data)
    return response


def all_ok(keys):
    """Every item answered 无问题 (nothing is answered in advance)."""
    answers = {f"{key}_answer": "ok" for key in keys}
    return {**answers, **{f"{key}_note": "无问题" for key in keys}}


def create_via_http(client, drafter, bureau, division):
    response = as_user(client, drafter).post(
        reverse("desk:document_new"),
        {
            "organisation": bureau.pk,
            "title": "安康市民政局政府信息公开制度",
            "drafting_unit": division.pk,
            "category": "government_affairs",
            "legal_basis": "《中华人民共和国政府信息公开条例》",
        },
    )
    document = NormativeDocument.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("desk:document", args=[document.pk])
    return document


def drive_to_filing_review(client, actors, bureau, division):
    with at(START):
        doc = create_via_http(client, actors.drafter, bureau, division)
        c = as_user(client, actors.drafter)
        assert (
            c.post(
                reverse("desk:add_version", args=[doc.pk]),
                {"version-text": "第一条 为规范工作，制定本制度。", "version-note": "送审稿"},
            ).status_code
            == 302
        )
        for kind in (AttachmentKind.DRAFTING_NOTE, AttachmentKind.LEGAL_BASIS):
            assert (
                c.post(
                    reverse("desk:add_attachment", args=[doc.pk]),
                    {"attachment-kind": kind, "attachment-text": "说明"},
                ).status_code
                == 302
            )
        assert (
            post_task(
                client, actors.drafter, doc, IssuingFlow.draft, {"decision": "submit"}
            ).status_code
            == 302
        )
        doc.refresh_from_db()
        assert doc.state == State.LEGALITY_REVIEW
        r = post_task(
            client,
            actors.legal_reviewer,
            doc,
            IssuingFlow.legal_review,
            {"normative": "1", "outcome": "lawful", "opinion": "合法", **all_ok(CHECKLIST_KEYS)},
        )
        assert r.status_code == 302
        # the advisor's opinion comes on the conclusion given, and is a choice
        assert (
            post_task(
                client,
                actors.advisor,
                doc,
                IssuingFlow.advisor_signoff,
                {"opinion": "同意", "agrees": "1"},
            ).status_code
            == 302
        )
        doc.refresh_from_db()
        assert doc.state == State.DELIBERATION
        r = post_task(
            client,
            actors.secretary,
            doc,
            IssuingFlow.deliberate,
            {
                "meeting_type": "bureau",
                "meeting_name": "2020年第3次局务会",
                "meeting_date": START.isoformat(),
                "attendance": "局领导",
                "outcome": "passed",
                "minutes": "通过",
            },
        )
        assert r.status_code == 302
        assert post_task(client, actors.registrar, doc, IssuingFlow.register, {}).status_code == 302
        assert (
            post_task(
                client,
                actors.registrar,
                doc,
                IssuingFlow.publish,
                {
                    "published_on": START.isoformat(),
                    "effective_from": "2020-04-01",  # as the document states it: +30 days
                    "valid_until": "2025-03-31",
                },
            ).status_code
            == 302
        )
        assert post_task(client, actors.filing_clerk, doc, IssuingFlow.file, {}).status_code == 302
    doc.refresh_from_db()
    assert doc.state == State.FILING_REVIEW
    return doc


def register_over_http(client, actors, doc):
    """备案条例 art. 7: the registration decision at receipt, before the review."""
    with at(START):
        r = post_task(
            client, actors.filing_reviewer, doc, FilingReviewFlow.register, {"decision": "register"}
        )
    assert r.status_code == 302
    doc.refresh_from_db()
    assert doc.state == State.UNDER_REVIEW
    return doc


def test_a_document_is_taken_from_drafting_to_filed_over_http(client, actors, bureau, division):
    doc = register_over_http(
        client, actors, drive_to_filing_review(client, actors, bureau, division)
    )
    with at(START):
        r = post_task(
            client,
            actors.filing_reviewer,
            doc,
            FilingReviewFlow.review,
            {"decision": "accept", **all_ok(FILING_REVIEW_KEYS)},
        )
    assert r.status_code == 302
    doc.refresh_from_db()
    assert doc.state == State.FILED
    page = as_user(client, actors.drafter).get(reverse("desk:document", args=[doc.pk]))
    assert page.status_code == 200
    assert "安民发〔2020〕1号" in page.content.decode()
    assert "予以备案登记" in page.content.decode()
    assert "审查无问题" in page.content.decode()


def test_a_refusal_is_shown_with_its_reason_and_changes_nothing(client, actors, bureau, division):
    with at(START):
        doc = create_via_http(client, actors.drafter, bureau, division)
        r = post_task(client, actors.drafter, doc, IssuingFlow.draft, {"decision": "submit"})
    assert r.status_code == 200
    assert "尚未提交送审稿" in r.content.decode()
    doc.refresh_from_db()
    assert doc.state == State.DRAFTING
    assert open_task(doc, IssuingFlow.draft).status == "ASSIGNED"


def test_an_invalid_task_form_is_shown_again_with_its_errors(client, actors, bureau, division):
    with at(START):
        doc = create_via_http(client, actors.drafter, bureau, division)
        r = post_task(client, actors.drafter, doc, IssuingFlow.draft, {"decision": "comment"})
    assert r.status_code == 200
    assert "此项为必填项" in r.content.decode()


def test_the_drafters_way_of_handling_is_chosen_not_preticked(client, actors, bureau, division):
    with at(START):
        doc = create_via_http(client, actors.drafter, bureau, division)
        task = open_task(doc, IssuingFlow.draft)
        page = as_user(client, actors.drafter).get(task_url(task)).content.decode()
        radios = re.findall(r'<input type="radio" name="decision"[^>]*>', page)
        r = post_task(client, actors.drafter, doc, IssuingFlow.draft, {})
    assert len(radios) == 3, radios
    assert not [radio for radio in radios if "checked" in radio]
    assert r.status_code == 200
    assert "请选择办理方式" in r.content.decode()
    doc.refresh_from_db()
    assert doc.state == State.DRAFTING


def test_a_correction_loop_over_http(client, actors, bureau, division):
    doc = register_over_http(
        client, actors, drive_to_filing_review(client, actors, bureau, division)
    )
    with at(START + datetime.timedelta(days=2)):
        data = {
            "decision": "correct",
            **all_ok(FILING_REVIEW_KEYS),
            "superior_law_answer": "problem",
            "findings": "与上位法不一致",
            "suggestion": "删除第五条",
        }
        assert (
            post_task(
                client, actors.filing_reviewer, doc, FilingReviewFlow.review, data
            ).status_code
            == 302
        )
        assert (
            post_task(
                client,
                actors.filing_clerk,
                doc,
                FilingReviewFlow.correct,
                {"handling_report": "已删除", "text": "第一条 删除第五条后的文本。"},
            ).status_code
            == 302
        )
        assert (
            post_task(
                client,
                actors.filing_reviewer,
                doc,
                FilingReviewFlow.recheck,
                {"decision": "accept"},
            ).status_code
            == 302
        )
    doc.refresh_from_db()
    assert doc.state == State.FILED


def test_task_lists_and_register_render_for_each_role(client, actors, bureau, division):
    doc = drive_to_filing_review(client, actors, bureau, division)
    c = as_user(client, actors.filing_reviewer)
    queue = c.get(reverse("desk:queue"))
    assert doc.title in queue.content.decode()
    assert c.get(reverse("desk:inbox")).status_code == 200
    archive = as_user(client, actors.filing_clerk).get(reverse("desk:archive"))
    assert "报送备案" in archive.content.decode()
    register = as_user(client, actors.drafter).get(
        reverse("desk:register"), {"state": State.FILING_REVIEW, "year": START.year}
    )
    assert doc.title in register.content.decode()


def test_register_dates_and_filters_documents_by_their_signing_year(
    client, walk, document, registrar
):
    from review.models import Registration

    walk.to(State.PUBLICATION)
    signed = Registration.objects.get(document=document).signed_on
    client.force_login(registrar)
    page = client.get("/documents/", {"year": signed.year}).content.decode()
    assert document.title in page
    assert signed.strftime("%Y-%m-%d") in page
    assert (
        document.title not in client.get("/documents/", {"year": signed.year + 1}).content.decode()
    )


def test_document_page_shows_the_full_audit_timeline_escaped(client, walk, document, drafter):
    from review import audit

    walk.to(State.FILING)
    audit.record(action="withdraw", document=document, note="<script>alert(1)</script>")
    client.force_login(drafter)
    page = client.get(f"/documents/{document.pk}/").content.decode()
    timeline = page[page.index('id="h-audit"') :]
    assert timeline.count("<li>") == document.audit_events.count()
    assert "统一登记、编号（待登记编号 → 待公布）" in timeline
    assert "&lt;script&gt;" in timeline and "<script>alert" not in timeline
    assert "系统" in timeline


def test_a_filing_review_without_a_chosen_conclusion_is_refused_and_changes_nothing(
    client, actors, bureau, division
):
    doc = register_over_http(
        client, actors, drive_to_filing_review(client, actors, bureau, division)
    )
    form = as_user(client, actors.filing_reviewer).get(
        task_url(open_task(doc, FilingReviewFlow.review))
    )
    radios = re.findall(r'<input[^>]*name="decision"[^>]*>', form.content.decode())
    assert len(radios) == 2  # 审查无问题 / 提出审查意见
    assert not [radio for radio in radios if "checked" in radio]  # none chosen in advance
    with at(START):
        r = post_task(
            client, actors.filing_reviewer, doc, FilingReviewFlow.review, all_ok(FILING_REVIEW_KEYS)
        )

    assert r.status_code == 200
    assert "请选择审查意见结论" in r.content.decode()
    doc.refresh_from_db()
    assert doc.state == State.UNDER_REVIEW
    assert open_task(doc, FilingReviewFlow.review) is not None
