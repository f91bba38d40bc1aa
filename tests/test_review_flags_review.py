"""Assisted review (issue 19) in the reviews: each flag accepted or dismissed with a
reason (stored, audited), 合法 with flags undecided only with a note, the accepted
flags drafting the opinion, and the flags beside the text on the task pages."""

import datetime

import pytest
from django.urls import reverse

from review import actions
from review.driver import ALL_OK, FILING_ALL_OK, Walker
from review.errors import NotPermitted, Refused
from review.flags import store
from review.models import CHECKLIST_KEYS, AuditEvent, FlagDecision, FlagStage, ReviewOutcome
from review.states import State
from workflows.driving import open_task
from workflows.flows import IssuingFlow

from .test_pages_workflow import all_ok, as_user, create_via_http, post_task, task_url
from .test_workflow_issuing import at

pytestmark = pytest.mark.django_db

DAY = datetime.date(2021, 3, 1)
TEXT = (
    "第一条 为规范婚姻登记工作，根据《中华人民共和国婚姻法》，制定本办法。\n"
    "第二条 婚姻登记机关办理婚姻登记，不得收取任何费用。\n"
    "第三条 违反本办法的，由民政部门处以二千元罚款。"
)


@pytest.fixture
def under_review(document, actors):
    with at(DAY):
        walk = Walker(document, actors, DAY, text=TEXT)
        walk.to(State.LEGALITY_REVIEW)
        actions.classify(document, by=actors.legal_reviewer, normative=True)
    return document


def idents(document, stage=FlagStage.LEGALITY):
    version = store.version_for(document, stage)
    return [f.ident for f in store.flags_of(document, version)]


def conclude(document, reviewer, **extra):
    return actions.record_legality_review(
        document,
        by=reviewer,
        outcome=ReviewOutcome.LAWFUL,
        checklist=ALL_OK,
        opinion="经审核，合法。",
        **extra,
    )


def test_the_version_under_review_shows_a_repealed_law_and_a_penalty_and_no_more(under_review):
    with at(DAY):
        found = idents(under_review)
    assert found == ["repealed_law|第一条|婚姻法", "power_wording|第三条|处罚"]


def test_a_reviewer_accepts_a_flag_with_a_reason_stored_and_audited(under_review, legal_reviewer):
    with at(DAY):
        decision = actions.decide_flag(
            under_review,
            by=legal_reviewer,
            stage=FlagStage.LEGALITY,
            ident="repealed_law|第一条|婚姻法",
            accepted=True,
            reason="应改为引用民法典",
        )
    assert decision.accepted and decision.reason == "应改为引用民法典"
    assert decision.text == "《中华人民共和国婚姻法》"
    event = AuditEvent.objects.filter(document=under_review).order_by("-seq").first()
    assert event.action == "accept_flag" and event.note == "应改为引用民法典"
    assert event.data["article"] == "第一条"


def test_a_decision_without_a_reason_or_by_another_role_changes_nothing(
    under_review, legal_reviewer, drafter
):
    kwargs = {"stage": FlagStage.LEGALITY, "ident": "power_wording|第三条|处罚", "accepted": False}
    with at(DAY):
        with pytest.raises(Refused, match="理由"):
            actions.decide_flag(under_review, by=legal_reviewer, reason=" ", **kwargs)
        with pytest.raises(NotPermitted):
            actions.decide_flag(under_review, by=drafter, reason="不是处罚", **kwargs)
        with pytest.raises(Refused, match="已不存在"):
            actions.decide_flag(
                under_review, by=legal_reviewer, reason="x", **{**kwargs, "ident": "x|y|z"}
            )
    assert not FlagDecision.objects.exists()


def test_concluding_lawful_with_flags_undecided_is_refused_without_a_note(
    under_review, legal_reviewer
):
    with at(DAY), pytest.raises(Refused, match="尚有 2 条审查提示未处理"):
        conclude(under_review, legal_reviewer)
    under_review.refresh_from_db()
    assert under_review.latest_review.outcome == ""
    with at(DAY):
        review = conclude(under_review, legal_reviewer, flags_note="两处均已与起草单位沟通")
    assert review.outcome == ReviewOutcome.LAWFUL
    assert review.flags_note == "两处均已与起草单位沟通"


def test_concluding_lawful_needs_no_note_once_every_flag_is_decided(under_review, legal_reviewer):
    with at(DAY):
        for ident in idents(under_review):
            actions.decide_flag(
                under_review,
                by=legal_reviewer,
                stage=FlagStage.LEGALITY,
                ident=ident,
                accepted=False,
                reason="已核实，不影响合法性",
            )
        assert conclude(under_review, legal_reviewer).flags_note == ""


def test_accepted_flags_draft_the_first_opinion(under_review, legal_reviewer):
    with at(DAY):
        actions.decide_flag(
            under_review,
            by=legal_reviewer,
            stage=FlagStage.LEGALITY,
            ident="power_wording|第三条|处罚",
            accepted=True,
            reason="建议删除罚款的规定。",
        )
        version = store.version_for(under_review, FlagStage.LEGALITY)
        draft = store.draft_opinion(store.decided(under_review, version, FlagStage.LEGALITY))
    assert draft.startswith("经审查，该文件存在以下问题：")
    assert "一、第三条：" in draft and "不得违法创设行政处罚" in draft
    assert "建议删除罚款的规定。" in draft and "婚姻法" not in draft


def test_the_filing_reviewer_decides_again_and_accepting_needs_a_note(
    document, actors, filing_reviewer
):
    walk = Walker(document, actors, DAY, text=TEXT)
    with at(DAY):
        walk.to(State.LEGALITY_REVIEW)
        actions.classify(document, by=actors.legal_reviewer, normative=True)
        conclude(document, actors.legal_reviewer, flags_note="已沟通")
        actions.sign_advisor_opinion(document, by=actors.advisor, opinion="同意", agrees=True)
        actions.send_to_deliberation(document, by=actors.legal_reviewer)
    walk.to(State.UNDER_REVIEW)  # the later steps' days pass the frozen one
    with at(walk.day):
        assert len(idents(document, FlagStage.FILING)) == 2
        kwargs = {"by": filing_reviewer, "substantive": FILING_ALL_OK}
        with pytest.raises(Refused, match="未处理"):
            actions.accept_filing(document, **kwargs)
        review = actions.accept_filing(document, flags_note="提示已转告制定机关", **kwargs)
    assert review.flags_note == "提示已转告制定机关"
    assert document.state == State.FILED


def start_review_over_http(client, actors, bureau, division):
    doc = create_via_http(client, actors.drafter, bureau, division)
    c = as_user(client, actors.drafter)
    c.post(reverse("desk:add_version", args=[doc.pk]), {"version-text": TEXT})
    for kind in ("drafting_note", "legal_basis"):
        c.post(
            reverse("desk:add_attachment", args=[doc.pk]),
            {"attachment-kind": kind, "attachment-text": "说明"},
        )
    assert post_task(client, actors.drafter, doc, IssuingFlow.draft, {"decision": "submit"})
    doc.refresh_from_db()
    assert doc.state == State.LEGALITY_REVIEW
    return doc


def test_the_legality_review_page_shows_the_flags_beside_the_text_and_drafts_the_opinion(
    client, actors, bureau, division
):
    with at(DAY):
        doc = start_review_over_http(client, actors, bureau, division)
        page = task_url(open_task(doc, IssuingFlow.legal_review))
        c = as_user(client, actors.legal_reviewer)
        html = c.get(page).content.decode()
        assert "审查提示" in html and "《中华人民共和国婚姻法》" in html
        assert "不得违法创设行政处罚" in html and "尚有 2 条提示未处理" in html
        url = reverse("desk:decide_flag", args=[doc.pk, "legality"])
        r = c.post(
            url, {"flag": "power_wording|第三条|处罚", "accepted": "1", "reason": "删除罚款"}
        )
        assert r.status_code == 302 and r.url.endswith("#review-flags")
        html = c.get(page).content.decode()
        assert "初审意见草稿" in html
        assert "经审查，该文件存在以下问题：" in html.split('name="opinion"')[1][:400]
        lawful = {
            "normative": "1",
            "outcome": "lawful",
            "opinion": "合法",
            **all_ok(CHECKLIST_KEYS),
        }
        r = post_task(client, actors.legal_reviewer, doc, IssuingFlow.legal_review, lawful)
        assert r.status_code == 200 and "尚有 1 条审查提示未处理" in r.content.decode()
        r = post_task(
            client,
            actors.legal_reviewer,
            doc,
            IssuingFlow.legal_review,
            {**lawful, "flags_note": "婚姻法的引用由起草单位在印发前改正"},
        )
        assert r.status_code == 302
    doc.refresh_from_db()
    assert doc.latest_review.flags_note == "婚姻法的引用由起草单位在印发前改正"


def test_a_decision_posted_without_a_reason_or_on_another_bodys_document_is_refused(
    client, actors, bureau, division, outsider
):
    with at(DAY):
        doc = start_review_over_http(client, actors, bureau, division)
        url = reverse("desk:decide_flag", args=[doc.pk, "legality"])
        flag = {"flag": "power_wording|第三条|处罚", "accepted": "0"}
        as_user(client, actors.legal_reviewer).post(url, flag)
        assert not FlagDecision.objects.exists()
        assert as_user(client, outsider).post(url, {**flag, "reason": "x"}).status_code == 404
        assert as_user(client, actors.drafter).post(url, {**flag, "reason": "x"}).status_code == 403
        bad_stage = reverse("desk:decide_flag", args=[doc.pk, "other"])
        assert as_user(client, actors.legal_reviewer).post(bad_stage, flag).status_code == 404
    assert not FlagDecision.objects.exists()
