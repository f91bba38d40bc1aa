"""After the 审查意见 (§7; 法规规章备案条例 art. 9, 17, 20): the body's report of its
correction (the revised text as a new version, or its 废止 decision), the
reviewer's check, the authority's escalation (撤销 / 改变 / 通报), reopening a
filed document's review, and 限期报送 of an overdue filing then 通报."""

from django.utils.translation import gettext as _

from .. import lifecycle, rules
from ..choices import EndCause
from ..errors import Refused
from ..lifecycle import open_demand
from ..models import Escalation, FilingDemand, FilingReopening, sha256_bytes
from ..peers import outbox
from ..uploads import docx_text, read_upload
from ._base import (
    _calendar,
    _check_transition,
    _date,
    _fire,
    _locked,
    _record,
    _required_text,
)
from .drafting import _new_version
from .validity import END_FIELDS


def _ended(doc, name, *, ended_on, cause, number, note):
    """The document's end, as review.actions.validity records it: its first day no
    longer in force (checked as the other ends are), why, and the decision's 文号."""
    lifecycle.check_input(doc, name, ended_on=ended_on)
    doc.ended_on = ended_on
    doc.end_cause = cause
    doc.end_decision_number = number
    doc.end_note = note
    return END_FIELDS


# --- the body's report (art. 17) --------------------------------------------------


def _revised_text(upload, text):
    """(bytes or None, text, sha256) of the revised text, from a .docx or from text."""
    if upload is not None:
        data, _ext = read_upload(upload, allowed=("docx",))
        body = docx_text(data)
        if not body:
            raise Refused(_("文档中没有正文文字"))
        return data, body, sha256_bytes(data)
    body = (text or "").strip()
    return None, body, sha256_bytes(body.encode("utf-8")) if body else ""


def report_correction(
    document,
    *,
    by,
    handling_report,
    text=None,
    upload=None,
    repeal_number="",
    repealed_on=None,
    on=None,
):
    """备案条例 art. 17: within 30 日 the body reports its handling, with the revised
    text (stored as the document's next version) or its 废止 decision (number, date)."""
    handling_report = _required_text(handling_report, _("处理情况报告"))
    data, body, digest = _revised_text(upload, text)
    repeal_number = (repeal_number or "").strip()
    if bool(body) == bool(repeal_number):
        raise Refused(_("请提交纠正后的文本，或者填写废止决定的文号和日期（二者择一）"))
    if repeal_number:
        repealed_on = _date(repealed_on, _("废止日期"))
    with _locked(document, on) as doc:
        _check_transition(doc, "report_correction", by)
        correction = doc.open_correction
        if body:
            correction.revised_version = _new_version(
                doc, by=by, upload=upload, data=data, body=body, digest=digest, note=_("纠正后文本")
            )
        correction.repeal_number = repeal_number
        correction.repealed_on = repealed_on if repeal_number else None
        correction.handling_report = handling_report
        correction.reported_on = doc.as_of
        correction.save(
            update_fields=[
                "revised_version",
                "repeal_number",
                "repealed_on",
                "handling_report",
                "reported_on",
            ]
        )
        before = _fire(doc, "report_correction", by)
        _record(
            doc,
            by,
            "report_correction",
            before,
            note=handling_report,
            data={
                "on_time": doc.as_of <= correction.deadline,
                "version": correction.revised_version.number if body else None,
                "repeal_number": repeal_number,
            },
        )
        outbox.correction_reported(doc)
    return correction


# --- the reviewer's check ---------------------------------------------------------


def accept_correction(document, *, by, note="", on=None):
    """Corrected: 已备案 with its registration kept; answered by a 废止 decision: 已废止."""
    with _locked(document, on) as doc:
        correction = doc.open_correction
        name = "accept_repeal" if correction and correction.by_repeal else "accept_correction"
        _check_transition(doc, name, by)
        also = ()
        if name == "accept_repeal":
            also = _ended(
                doc,
                name,
                ended_on=correction.repealed_on,
                cause=EndCause.REPEALED,
                number=correction.repeal_number,
                note=_("依审查意见废止：%(number)s") % {"number": correction.repeal_number},
            )
        before = _fire(doc, name, by, also=also)
        correction.closed_on = doc.as_of
        correction.closed_by = by
        correction.save(update_fields=["closed_on", "closed_by"])
        _record(doc, by, name, before, note=note)
        outbox.decision_taken(doc)
    return correction


def reopen_correction(document, *, by, reason, on=None):
    reason = _required_text(reason, _("继续纠正的理由"))
    with _locked(document, on) as doc:
        before = _fire(doc, "reopen_correction", by)
        correction = doc.open_correction
        correction.reported_on = None
        correction.save(update_fields=["reported_on"])
        _record(doc, by, "reopen_correction", before, note=reason)
    return correction


# --- escalation (art. 20) ---------------------------------------------------------

ESCALATIONS = {
    Escalation.Kind.REVOKE: "revoke",
    Escalation.Kind.CHANGE: "change_by_authority",
    Escalation.Kind.NOTIFY: "notify_uncorrected",
}


def escalate(
    document,
    *,
    by,
    kind,
    reason,
    decision_number="",
    decided_on=None,
    effective_on=None,
    on=None,
):
    """备案条例 art. 20: the body has not corrected (its report falls short, or none came
    within the deadline). 撤销 ends the document (已撤销) and 改变 amends it (已备案,
    as changed): each a decision with its number, date and effective date. 通报 keeps
    the correction open. The correction is closed by 撤销 and 改变."""
    if kind not in ESCALATIONS:
        raise Refused(_("未知的处理方式"))
    name = ESCALATIONS[kind]
    reason = _required_text(reason, _("理由"))
    decision_number = (decision_number or "").strip()
    if kind != Escalation.Kind.NOTIFY:
        decision_number = _required_text(decision_number, _("决定文号"))
        decided_on = _date(decided_on, _("决定日期"))
        effective_on = _date(effective_on, _("生效日期"))
        if effective_on < decided_on:
            raise Refused(_("生效日期不得早于决定日期"))
    with _locked(document, on) as doc:
        _check_transition(doc, name, by)
        correction = doc.open_correction
        decided_on = decided_on or doc.as_of
        also = ()
        if kind == Escalation.Kind.REVOKE:  # 改变 amends: the document stays in force
            also = _ended(
                doc,
                name,
                ended_on=effective_on,
                cause=EndCause.REVOKED,
                number=decision_number,
                note=_("备案审查机关撤销：%(number)s") % {"number": decision_number},
            )
        before = _fire(doc, name, by, also=also)
        escalation = Escalation.objects.create(
            document=doc,
            correction=correction,
            kind=kind,
            decision_number=decision_number,
            decided_on=decided_on,
            effective_on=effective_on if kind != Escalation.Kind.NOTIFY else None,
            reason=reason,
            decided_by=by,
        )
        if kind != Escalation.Kind.NOTIFY:
            correction.closed_on = doc.as_of
            correction.closed_by = by
            correction.save(update_fields=["closed_on", "closed_by"])
        elif correction.reported_on is not None:  # the report fell short: to correct again
            correction.reported_on = None
            correction.save(update_fields=["reported_on"])
        _record(
            doc,
            by,
            name,
            before,
            note=reason,
            data={
                "kind": kind,
                "decision_number": decision_number,
                "decided_on": decided_on,
                "effective_on": escalation.effective_on,
            },
        )
    return escalation


# --- reopening a filed document's review ------------------------------------------


def reopen_review(document, *, by, reason, on=None):
    """A citizen's 审查建议 (备案条例 art. 9) or a later finding: the filed document is
    reviewed again (已登记·审查中), in a new review period; what it had concluded is kept
    with the reason."""
    reason = _required_text(reason, _("重新审查的理由"))
    with _locked(document, on) as doc:
        _check_transition(doc, "reopen_review", by)
        review = doc.latest_filing.review_or_none
        due_on = rules.filing_review_due(doc.settings, doc.as_of, _calendar())
        before = _fire(doc, "reopen_review", by)
        FilingReopening.objects.create(
            filing_review=review,
            reopened_on=doc.as_of,
            reason=reason,
            previous_conclusion=review.conclusion,
            previous_concluded_on=review.concluded_on,
            reopened_by=by,
        )
        review.conclusion = ""
        review.concluded_on = None
        review.due_on = due_on
        review.due_on_provisional = rules.is_provisional_deadline(due_on)
        review.extended = False
        review.save(
            update_fields=["conclusion", "concluded_on", "due_on", "due_on_provisional", "extended"]
        )
        _record(doc, by, "reopen_review", before, note=reason, data={"due_on": due_on})
    return review


# --- late and missing filings (art. 20) -------------------------------------------


def demand_filing(document, *, by, note="", on=None):
    """限期报送: the authority tells a body whose filing is overdue to file by a
    deadline (rules.filing_demand_due)."""
    with _locked(document, on) as doc:
        _check_transition(doc, "demand_filing", by)
        deadline = rules.filing_demand_due(doc.settings, doc.as_of, _calendar())
        before = _fire(doc, "demand_filing", by)
        demand = FilingDemand.objects.create(
            document=doc,
            authority=doc.organisation.files_with,
            issued_on=doc.as_of,
            deadline=deadline,
            deadline_provisional=rules.is_provisional_deadline(deadline),
            note=(note or "").strip(),
            issued_by=by,
        )
        _record(doc, by, "demand_filing", before, note=demand.note, data={"deadline": deadline})
    return demand


def notify_late_filing(document, *, by, note="", on=None):
    """通报: the 限期报送 deadline passed and the body has still not filed."""
    with _locked(document, on) as doc:
        _check_transition(doc, "notify_late_filing", by)
        demand = open_demand(doc)
        before = _fire(doc, "notify_late_filing", by)
        demand.notified_on = doc.as_of
        demand.save(update_fields=["notified_on"])
        _record(
            doc,
            by,
            "notify_late_filing",
            before,
            note=(note or "").strip(),
            data={"deadline": demand.deadline},
        )
    return demand
