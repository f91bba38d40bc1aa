"""seed_demo's filing steps (§7; 法规规章备案条例 art. 7, 9, 14, 17, 20): the
registration decision at receipt, the substantive review, the correction and what
follows it, reopening, and 限期报送 — each through its review action, as the people
in the demo would take them."""

from review import actions, rules
from review.calendar import WorkingCalendar
from review.driver import FILING_ALL_OK
from review.models import Escalation
from review.states import State

DECISION_NUMBERS = {
    Escalation.Kind.REVOKE: "安司备决〔2026〕1号",
    Escalation.Kind.CHANGE: "安司备决〔2026〕2号",
}


def decide_registration(spec, walker):
    """备案条例 art. 7: 暂缓办理 (materials incomplete), 不予备案登记 (out of scope), or
    予以备案登记; a filing still awaiting its decision is left received."""
    document, reviewer = walker.document, walker.actors.filing_reviewer
    if spec.state == State.SUPPLEMENT:
        actions.defer_filing(
            document,
            by=reviewer,
            on=walker.next_day(),
            to_supply="制定依据（所依据的法律、法规、规章和上级文件文本）",
        )
    elif spec.state == State.NOT_REGISTERED:
        actions.refuse_registration(
            document, by=reviewer, reason=spec.refusal_reason, on=walker.next_day()
        )
    elif spec.state != State.FILING_REVIEW:
        actions.register_filing(document, by=reviewer, on=walker.day)


def review_and_correct(spec, walker):
    document, a = walker.document, walker.actors
    if spec.correction is None:
        walker.accept_filing()
        if spec.reopen_reason:
            actions.reopen_review(
                document, by=a.filing_reviewer, reason=spec.reopen_reason, on=walker.later(20)
            )
        return
    c = spec.correction
    actions.require_correction(
        document,
        by=a.filing_reviewer,
        on=walker.next_day(),
        substantive={**FILING_ALL_OK, c.item: {"ok": False, "note": c.note}},
        findings=c.findings,
        suggestion=c.suggestion,
    )
    if spec.state == State.CORRECTION and not spec.escalation:
        return
    actions.report_correction(
        document,
        by=a.filing_clerk,
        handling_report=c.handling,
        text=f"{walker.text}\n（根据备案审查建议修改）",
        on=walker.later(14),
    )
    if spec.state == State.CORRECTED:
        return
    if spec.escalation:
        escalate(spec, walker)
        return
    actions.accept_correction(
        document, by=a.filing_reviewer, note="纠正到位，予以备案。", on=walker.next_day()
    )


def escalate(spec, walker):
    """备案条例 art. 20: the report does not correct; 撤销, 改变 or 通报."""
    day = walker.next_day()
    actions.escalate(
        walker.document,
        by=walker.actors.filing_reviewer,
        kind=spec.escalation,
        reason=f"制定机关报送的处理情况未按审查意见纠正：{spec.correction.note}。",
        decision_number=DECISION_NUMBERS.get(spec.escalation, ""),
        decided_on=day,
        effective_on=day,
        on=day,
    )


def demand(spec, walker):
    """限期报送 an overdue filing, then 通报 when the limit has passed unanswered."""
    document, reviewer = walker.document, walker.actors.filing_reviewer
    published = document.publication_or_none.published_on
    due = rules.filing_due(document.settings, published, walker.calendar or WorkingCalendar())
    notice = actions.demand_filing(document, by=reviewer, on=walker.working(rules.overdue_on(due)))
    notified = walker.working(rules.overdue_on(notice.deadline))
    actions.notify_late_filing(document, by=reviewer, on=notified)
