"""The filing authority's notices (备案条例 art. 7, 20), built from what the actions
recorded, in PDF and DOCX: each names its decision, its date and its legal ground."""

import datetime

import pytest

from review import actions
from review.driver import FILING_ALL_OK
from review.reports import KINDS, MissingRecord, build
from review.states import State
from tests.test_reports_fixtures import docx_text, pdf_text, squash

D = datetime.date
PROBLEM = {**FILING_ALL_OK, "superior_law": {"ok": False, "note": "与上位法不一致"}}


def pdf(kind, document):
    return squash(pdf_text(build(kind, document, "pdf")))


def test_every_notice_is_offered_with_its_name():
    assert KINDS["registration_notice"] == "备案登记通知"
    assert KINDS["deferral_notice"] == "暂缓办理备案登记通知"
    assert KINDS["refusal_notice"] == "不予备案登记通知"
    assert KINDS["review_opinion"] == "审查意见书"
    assert KINDS["escalation_decision"] == "撤销、改变决定或通报"
    assert KINDS["filing_demand_notice"] == "限期报送备案通知"


def test_the_registration_decisions_each_have_their_notice(walk, document, filing_reviewer):
    walk.to(State.FILING_REVIEW)
    with pytest.raises(MissingRecord, match="尚未予以备案登记"):
        build("registration_notice", document, "pdf")
    actions.defer_filing(
        document,
        by=filing_reviewer,
        missing=["drafting_note"],
        to_supply="请附起草过程说明",
        on=walk.day,
    )
    text = pdf("deferral_notice", document)
    assert "暂缓办理备案登记通知" in text and "安康市民政局：" in text
    assert "1.起草说明" in text and "请附起草过程说明" in text
    assert "《法规规章备案条例》第七条" in text
    assert "安康市司法局2020年3月10日" in text
    docx = docx_text(build("deferral_notice", document, "docx"))
    assert "重新作出备案登记决定" in docx


def test_a_registration_and_a_refusal_notice(walk, document, filing_reviewer):
    walk.to(State.UNDER_REVIEW)
    text = pdf("registration_notice", document)
    assert "备案登记通知" in text and "予以备案登记" in text
    assert "登记号安规〔2020〕001" in text


def test_a_refusal_says_the_document_keeps_its_number(walk, document, filing_reviewer):
    walk.to(State.FILING_REVIEW)
    actions.refuse_registration(
        document, by=filing_reviewer, reason="属于机关内部管理制度。", on=walk.day
    )
    text = pdf("refusal_notice", document)
    assert "不予备案登记通知" in text and "属于机关内部管理制度。" in text
    assert "该文件的登记号不变" in text


def test_a_revocation_decision_has_its_number_and_dates(
    walk, document, filing_reviewer, filing_clerk
):
    walk.to(State.UNDER_REVIEW)
    actions.require_correction(
        document,
        by=filing_reviewer,
        substantive=PROBLEM,
        findings="第五条违法",
        suggestion="删除第五条",
        on=walk.day,
    )
    with pytest.raises(MissingRecord, match="没有撤销、改变或通报"):
        build("escalation_decision", document, "pdf")
    day = D(2020, 4, 10)
    actions.escalate(
        document,
        by=filing_reviewer,
        kind="revoke",
        reason="逾期未纠正。",
        decision_number="安司备决〔2020〕1号",
        decided_on=day,
        effective_on=D(2020, 4, 15),
        on=day,
    )
    text = pdf("escalation_decision", document)
    assert "关于撤销《安康市民政局政府信息公开制度》的决定" in text
    assert "安司备决〔2020〕1号" in text
    assert "决定予以撤销，自2020年4月15日起生效" in text
    assert "安康市司法局2020年4月10日" in text


def test_a_filing_demand_notice_names_its_deadline_and_the_notification(
    walk, document, filing_reviewer
):
    walk.to(State.FILING)
    actions.demand_filing(document, by=filing_reviewer, on=D(2020, 4, 8))
    actions.notify_late_filing(document, by=filing_reviewer, on=D(2020, 4, 24))
    text = pdf("filing_demand_notice", document)
    assert "限期报送备案通知" in text
    assert "请于2020年4月23日前报送备案" in text
    assert "已于2020年4月24日予以通报" in text
