"""The filing as 法规规章备案条例 says (art. 7, 9, 10, 14, 17, 20): registration at
receipt is formal, the review is substantive, a correction has an end.

The document of conftest is published on Sunday 8 March 2020 and filed on Tuesday
10 March (review due 30 日 later, Thursday 9 April). Every transition from every
wrong state and by every wrong role is in test_lifecycle (EXPECTED_ROLES and the
wrong-state sweep); here are the rules and the records each move leaves."""

import datetime

import pytest

from review import actions
from review.driver import FILING_ALL_OK
from review.errors import NotPermitted
from review.models import (
    AuditEvent,
    DocumentVersion,
    Escalation,
    FilingDemand,
    JurisdictionSettings,
)
from review.states import IN_FORCE_STATES, Role, State

from .conftest import make_user
from .test_lifecycle import refused

D = datetime.date
PROBLEM = {**FILING_ALL_OK, "superior_law": {"ok": False, "note": "与上位法不一致"}}
REVOKE = {"decision_number": "安司备决〔2020〕1号"}


def state_of(document):
    document.refresh_from_db()
    return document.state


def with_opinion(walk, document, reviewer):
    walk.to(State.UNDER_REVIEW)
    return actions.require_correction(
        document,
        by=reviewer,
        substantive=PROBLEM,
        findings="第五条与上位法不一致",
        suggestion="删除第五条",
        on=walk.day,
    )


def report(document, clerk, on, **answer):
    answer = answer or {"text": "第一条 删除第五条后的文本。"}
    return actions.report_correction(
        document, by=clerk, handling_report="已按审查建议处理", on=on, **answer
    )


# --- registration at receipt (art. 7) -------------------------------------------


def test_a_registered_filing_is_under_review_with_the_registration_recorded(
    walk, document, filing_reviewer
):
    walk.to(State.FILING_REVIEW)
    review = actions.register_filing(document, by=filing_reviewer, on=walk.day)
    assert state_of(document) == State.UNDER_REVIEW
    assert (review.outcome, review.decided_on, review.conclusion) == ("registered", walk.day, "")
    assert document.audit_events.last().action == "register_filing"


def test_refused_registration_ends_the_filing_but_not_the_document(
    walk, document, filing_reviewer, registrar
):
    walk.to(State.FILING_REVIEW)
    refused(lambda: actions.refuse_registration(document, by=filing_reviewer, reason=" "), "理由")
    review = actions.refuse_registration(
        document, by=filing_reviewer, reason="不属于行政规范性文件备案范围", on=walk.day
    )
    assert state_of(document) == State.NOT_REGISTERED
    assert review.outcome == "refused" and review.refusal_reason.startswith("不属于")
    # stays published, in force, and keeps its 登记号
    assert State.NOT_REGISTERED in IN_FORCE_STATES
    assert document.registration.reg_number
    actions.repeal(
        document,
        by=registrar,
        reason="政策调整",
        decision_number="安民发〔2020〕20号",
        on=D(2020, 6, 1),
    )
    assert state_of(document) == State.REPEALED


def test_a_deferral_names_the_missing_materials_and_refuses_unknown_ones(
    walk, document, filing_reviewer
):
    walk.to(State.FILING_REVIEW)
    refused(
        lambda: actions.defer_filing(document, by=filing_reviewer, missing=["receipt"]),
        "未知的备案材料",
    )
    # complete materials and nothing named: nothing to ask for
    refused(lambda: actions.defer_filing(document, by=filing_reviewer), "请写明需补充")
    review = actions.defer_filing(
        document, by=filing_reviewer, missing=["drafting_note", "report"], to_supply="格式不符"
    )
    assert review.missing == ["report", "drafting_note"]  # in the list's order
    assert state_of(document) == State.SUPPLEMENT
    assert document.audit_events.last().data["missing"] == ["report", "drafting_note"]


def test_only_the_authoritys_reviewer_decides_registration(
    walk, document, filing_clerk, county_bureau
):
    walk.to(State.FILING_REVIEW)
    other = make_user("other", county_bureau, Role.FILING_REVIEWER)
    for user in (filing_clerk, other):
        for call in (
            lambda u: actions.register_filing(document, by=u),
            lambda u: actions.defer_filing(document, by=u, to_supply="x"),
            lambda u: actions.refuse_registration(document, by=u, reason="x"),
        ):
            with pytest.raises(NotPermitted):
                call(user)
    assert state_of(document) == State.FILING_REVIEW


def test_registration_cannot_be_decided_twice(walk, document, filing_reviewer):
    walk.to(State.UNDER_REVIEW)
    refused(
        lambda: actions.refuse_registration(document, by=filing_reviewer, reason="x"),
        "当前状态为“已登记·审查中”",
    )


# --- the review period and its one extension (art. 10; local 30 + 20 日) ------------


def test_the_review_period_is_thirty_days_from_receipt_and_extends_once_by_twenty(
    walk, document, filing_reviewer
):
    walk.to(State.FILING_REVIEW)
    refused(
        lambda: actions.extend_filing_review(document, by=filing_reviewer, reason="x"),
        "当前状态为“待备案登记”",
    )
    walk.to(State.UNDER_REVIEW)
    assert document.latest_filing.review.due_on == D(2020, 4, 9)
    assert actions.extend_filing_review(
        document, by=filing_reviewer, reason="征求意见"
    ).due_on == D(2020, 4, 29)
    refused(
        lambda: actions.extend_filing_review(document, by=filing_reviewer, reason="再延"),
        "已延长过一次",
    )
    actions.accept_filing(
        document, by=filing_reviewer, substantive=FILING_ALL_OK, on=D(2020, 4, 28)
    )
    review = document.latest_filing.review
    assert (review.conclusion, review.concluded_on) == ("no_problem", D(2020, 4, 28))
    refused(
        lambda: actions.extend_filing_review(document, by=filing_reviewer, reason="x"),
        "当前状态为“已备案”",
    )


# --- the correction (art. 14, 17) -----------------------------------------------------


def test_an_opinion_keeps_the_registration_and_binds_the_reviewed_version(
    walk, document, filing_reviewer
):
    correction = with_opinion(walk, document, filing_reviewer)
    review = document.latest_filing.review
    assert (review.outcome, review.conclusion) == ("registered", "opinion")
    assert correction.reviewed_version == document.current_version
    assert correction.deadline == D(2020, 4, 9)  # 30 日 from Tuesday 10 March


def test_the_report_carries_the_revised_text_as_a_new_version_or_a_repeal(
    walk, document, filing_reviewer, filing_clerk
):
    with_opinion(walk, document, filing_reviewer)
    refused(lambda: report(document, filing_clerk, walk.day, text=""), "二者择一")
    refused(
        lambda: report(
            document, filing_clerk, walk.day, text="新文本", repeal_number="安民发〔2020〕9号"
        ),
        "二者择一",
    )
    refused(
        lambda: report(document, filing_clerk, walk.day, repeal_number="安民发〔2020〕9号"),
        "废止日期",
    )
    versions = DocumentVersion.objects.filter(document=document).count()
    correction = report(document, filing_clerk, walk.next_day())
    assert correction.revised_version.number == versions + 1
    assert correction.revised_version.text == "第一条 删除第五条后的文本。"
    assert state_of(document) == State.CORRECTED


def test_a_correction_answered_by_repeal_ends_the_document_repealed(
    walk, document, filing_reviewer, filing_clerk
):
    with_opinion(walk, document, filing_reviewer)
    report(
        document,
        filing_clerk,
        walk.next_day(),
        repeal_number="安民发〔2020〕9号",
        repealed_on=walk.day,
    )
    correction = actions.accept_correction(document, by=filing_reviewer, on=walk.next_day())
    assert state_of(document) == State.REPEALED
    assert correction.closed_on == walk.day
    assert "安民发〔2020〕9号" in document.end_note
    assert (document.ended_on, document.end_cause, document.end_decision_number) == (
        correction.repealed_on,
        "repealed",
        "安民发〔2020〕9号",
    )
    assert document.audit_events.last().action == "accept_repeal"


# --- escalation (art. 20) ----------------------------------------------------------


def test_escalation_waits_for_the_deadline_or_the_report(walk, document, filing_reviewer):
    correction = with_opinion(walk, document, filing_reviewer)
    for kind in Escalation.Kind.values:
        refused(
            lambda kind=kind: actions.escalate(
                document,
                by=filing_reviewer,
                kind=kind,
                reason="未纠正",
                decided_on=correction.deadline,
                effective_on=correction.deadline,
                on=correction.deadline,
                **REVOKE,
            ),
            "期限届满前",
        )


def test_an_overdue_correction_is_revoked_by_a_numbered_decision(
    walk, document, filing_reviewer, filing_clerk, registrar
):
    correction = with_opinion(walk, document, filing_reviewer)
    day = correction.deadline + datetime.timedelta(days=1)
    refused(
        lambda: actions.escalate(
            document, by=filing_reviewer, kind="revoke", reason="逾期", decided_on=day, on=day
        ),
        "决定文号",
    )
    refused(
        lambda: actions.escalate(
            document,
            by=filing_reviewer,
            kind="revoke",
            reason="逾期",
            decided_on=day,
            effective_on=day - datetime.timedelta(days=1),
            on=day,
            **REVOKE,
        ),
        "生效日期不得早于决定日期",
    )
    with pytest.raises(NotPermitted):
        actions.escalate(
            document,
            by=filing_clerk,
            kind="revoke",
            reason="x",
            decided_on=day,
            effective_on=day,
            on=day,
            **REVOKE,
        )
    escalation = actions.escalate(
        document,
        by=filing_reviewer,
        kind="revoke",
        reason="逾期未纠正",
        decided_on=day,
        effective_on=D(2020, 4, 15),
        on=day,
        **REVOKE,
    )
    assert state_of(document) == State.REVOKED
    assert (escalation.kind, escalation.decision_number, escalation.decided_on) == (
        "revoke",
        "安司备决〔2020〕1号",
        day,
    )
    assert escalation.effective_on == D(2020, 4, 15)
    correction.refresh_from_db()
    assert correction.closed_on == day and escalation.correction == correction
    event = document.audit_events.last()
    assert (event.action, event.data["decision_number"]) == ("revoke", "安司备决〔2020〕1号")
    refused(
        lambda: actions.repeal(
            document, by=registrar, reason="x", decision_number="安民发〔2020〕20号"
        ),
        "当前状态为“已撤销”",
    )
    # its end, as the other ends are recorded (review.actions.validity)
    assert (document.ended_on, document.end_cause, document.end_decision_number) == (
        D(2020, 4, 15),
        "revoked",
        "安司备决〔2020〕1号",
    )


def test_a_report_that_does_not_correct_is_changed_or_notified(
    walk, document, filing_reviewer, filing_clerk
):
    with_opinion(walk, document, filing_reviewer)
    report(document, filing_clerk, walk.next_day())
    actions.escalate(
        document, by=filing_reviewer, kind="notify", reason="未按建议修改", on=walk.next_day()
    )
    assert state_of(document) == State.CORRECTION
    correction = document.open_correction
    assert correction is not None and correction.reported_on is None  # still to correct
    report(document, filing_clerk, walk.next_day())
    day = walk.next_day()
    escalation = actions.escalate(
        document,
        by=filing_reviewer,
        kind="change",
        reason="仍未修改",
        decision_number="安司备决〔2020〕2号",
        decided_on=day,
        effective_on=day,
        on=day,
    )
    assert state_of(document) == State.FILED
    assert document.registration.reg_number  # keeps its registration
    assert document.open_correction is None
    assert list(document.escalations.values_list("kind", flat=True)) == ["notify", "change"]
    assert escalation.effective_on == day
    assert AuditEvent.objects.filter(document=document, action="notify_uncorrected").count() == 1


# --- reopening (art. 9) -------------------------------------------------------------


def test_a_filed_documents_review_is_reopened_with_its_reason_and_a_new_period(
    walk, document, filing_reviewer, filing_clerk
):
    walk.to(State.UNDER_REVIEW)
    refused(lambda: actions.reopen_review(document, by=filing_reviewer, reason="x"), "当前状态")
    walk.to(State.FILED)
    concluded = document.latest_filing.review.concluded_on
    refused(lambda: actions.reopen_review(document, by=filing_reviewer, reason=" "), "理由")
    with pytest.raises(NotPermitted):
        actions.reopen_review(document, by=filing_clerk, reason="x")
    review = actions.reopen_review(
        document, by=filing_reviewer, reason="收到公民审查建议", on=D(2020, 6, 1)
    )
    assert state_of(document) == State.UNDER_REVIEW
    assert (review.conclusion, review.due_on, review.extended) == ("", D(2020, 7, 1), False)
    reopening = review.reopenings.get()
    assert (reopening.previous_conclusion, reopening.previous_concluded_on) == (
        "no_problem",
        concluded,
    )
    assert reopening.reason == "收到公民审查建议"
    assert actions.extend_filing_review(document, by=filing_reviewer, reason="调查").extended
    actions.require_correction(
        document,
        by=filing_reviewer,
        substantive=PROBLEM,
        findings="第五条与上位法不一致",
        suggestion="删除第五条",
        on=D(2020, 6, 10),
    )
    assert state_of(document) == State.CORRECTION


# --- 限期报送 and 通报 (art. 20) ------------------------------------------------------


def test_an_overdue_filing_is_demanded_by_a_deadline_then_notified(
    walk, document, filing_reviewer, filing_clerk, county_bureau
):
    walk.to(State.FILING)
    assert document.publication.published_on == D(2020, 3, 8)  # filing due 7 April
    refused(
        lambda: actions.demand_filing(document, by=filing_reviewer, on=D(2020, 4, 7)),
        "2020-04-07，尚未逾期",
    )
    for user in (filing_clerk, make_user("other", county_bureau, Role.FILING_REVIEWER)):
        with pytest.raises(NotPermitted):
            actions.demand_filing(document, by=user, on=D(2020, 4, 8))
    demand = actions.demand_filing(document, by=filing_reviewer, on=D(2020, 4, 8))
    assert demand.deadline == D(2020, 4, 23)  # 15 日 after Wednesday 8 April
    refused(
        lambda: actions.demand_filing(document, by=filing_reviewer, on=D(2020, 4, 9)),
        "已发出限期报送通知",
    )
    refused(
        lambda: actions.notify_late_filing(document, by=filing_reviewer, on=D(2020, 4, 23)),
        "期限届满前不得通报",
    )
    actions.notify_late_filing(document, by=filing_reviewer, on=D(2020, 4, 24))
    demand.refresh_from_db()
    assert demand.notified_on == D(2020, 4, 24)
    assert state_of(document) == State.FILING
    assert [e.action for e in document.audit_events.order_by("seq")][-2:] == [
        "demand_filing",
        "notify_late_filing",
    ]


def test_a_filing_made_after_the_demand_answers_it(walk, document, filing_reviewer, filing_clerk):
    walk.to(State.FILING)
    actions.demand_filing(document, by=filing_reviewer, on=D(2020, 4, 8))
    actions.file_with_authority(document, by=filing_clerk, on=D(2020, 4, 20))
    demand = FilingDemand.objects.get(document=document)
    assert demand.filed_on == D(2020, 4, 20) and not demand.is_open
    assert not document.latest_filing.on_time  # still late against 7 April


def test_the_demand_period_is_a_setting(walk, document, filing_reviewer, bureau):
    JurisdictionSettings.objects.create(organisation=bureau, filing_demand_days=12)
    walk.to(State.FILING)
    demand = actions.demand_filing(document, by=filing_reviewer, on=D(2020, 4, 8))
    assert demand.deadline == D(2020, 4, 20)
