"""Filing with the authority and the filing review (§7): file, defer, extend,
accept, require a correction, report it, accept or reopen it."""

from django.utils.translation import gettext as _

from .. import lifecycle, rules
from ..errors import Refused
from ..models import (
    AttachmentKind,
    Correction,
    Filing,
    FilingReview,
)
from ..states import State
from ._base import (
    _calendar,
    _check_transition,
    _fire,
    _locked,
    _record,
    _required_text,
)

# --- filing (§7) ----------------------------------------------------------


def filing_materials(document, report_text):
    kinds = document.attachment_kinds()
    review = document.latest_review
    return {
        "report": bool((report_text or "").strip()),
        "official_text": document.registration_or_none is not None,
        "drafting_note": AttachmentKind.DRAFTING_NOTE in kinds,
        "legal_basis": AttachmentKind.LEGAL_BASIS in kinds,
        "legality_opinion": review is not None and review.passed,
    }


def _authority_of(document):
    """The body the document's organisation files with (read once per loaded organisation)."""
    return document.organisation.files_with


def default_filing_report(document):
    registration = document.registration_or_none
    return (
        f"{_authority_of(document)}：\n"
        f"    根据《法规规章备案条例》和有关规定，现将《{document.title}》（{registration.number}）"
        f"报送备案，请予审查。\n    {document.organisation}"
    )


def file_with_authority(document, *, by, on=None, report=""):
    """备案条例 art. 3: due 30 days after publication (民法典 art. 203 moves a deadline
    off a holiday). A resubmission after 暂缓办理 keeps the first deadline and restarts
    the review clock."""
    with _locked(document, on) as doc:
        _check_transition(doc, "file", by)
        calendar = _calendar()
        settings = doc.settings
        previous = doc.latest_filing
        due_on = (
            rules.stored(previous.due_on, previous.due_on_provisional)
            if previous
            else rules.filing_due(settings, doc.publication_or_none.published_on, calendar)
        )
        before = _fire(doc, "file", by)
        report = (report or "").strip() or default_filing_report(doc)
        filing = Filing.objects.create(
            document=doc,
            authority=_authority_of(doc),
            filed_on=doc.as_of,
            due_on=due_on,
            due_on_provisional=rules.is_provisional_deadline(due_on),
            materials=filing_materials(doc, report),
            report=report,
            filed_by=by,
            resubmission_of=previous,
        )
        review_due = rules.filing_review_due(settings, doc.as_of, calendar)
        FilingReview.objects.create(
            filing=filing,
            received_on=doc.as_of,
            due_on=review_due,
            due_on_provisional=rules.is_provisional_deadline(review_due),
        )
        _record(
            doc,
            by,
            "file",
            before,
            data={
                "authority": filing.authority.code,
                "due_on": due_on,
                "due_on_provisional": filing.due_on_provisional,
                "on_time": filing.on_time,
                "missing": filing.missing_materials,
            },
        )
    return filing


def _current_review(doc):
    filing = doc.latest_filing
    review = filing.review_or_none
    if review.outcome:
        raise Refused(_("本次报送已审查办结"))
    return review


def defer_filing(document, *, by, to_supply, on=None):
    to_supply = _required_text(to_supply, _("需补充或重新报送的材料"))
    with _locked(document, on) as doc:
        _check_transition(doc, "defer_filing", by)
        review = _current_review(doc)
        before = _fire(doc, "defer_filing", by)
        review.reviewer = by
        review.outcome = FilingReview.Outcome.DEFERRED
        review.formal_ok = False
        review.to_supply = to_supply
        review.decided_on = doc.as_of
        review.save(update_fields=["reviewer", "outcome", "formal_ok", "to_supply", "decided_on"])
        _record(doc, by, "defer_filing", before, note=to_supply)
    return review


def extend_filing_review(document, *, by, reason):
    """Review takes 30 days, extendable once by 20 (the lifecycle's condition)."""
    reason = _required_text(reason, _("延长理由"))
    with _locked(document) as doc:
        review = _current_review(doc) if doc.state == State.FILING_REVIEW else None
        _fire(doc, "extend_filing_review", by)
        review.due_on = rules.extended_filing_review_due(
            doc.settings, rules.stored(review.due_on, review.due_on_provisional), _calendar()
        )
        review.due_on_provisional = rules.is_provisional_deadline(review.due_on)
        review.extended = True
        review.save(update_fields=["due_on", "due_on_provisional", "extended"])
        _record(
            doc,
            by,
            "extend_filing_review",
            note=reason,
            data={"due_on": review.due_on, "due_on_provisional": review.due_on_provisional},
        )
    return review


def _clean_substantive(substantive):
    """备案条例 art. 10: every item answered 无问题 or 存在问题, a problem with its 说明."""
    return lifecycle.check_input(None, "filing_checklist", substantive=substantive)


# What accepting or refusing a filing stores on its review.
_DECISION_FIELDS = ["reviewer", "formal_ok", "substantive", "outcome", "findings", "decided_on"]


def accept_filing(document, *, by, substantive, findings="", on=None):
    items = _clean_substantive(substantive)
    with _locked(document, on) as doc:
        _check_transition(doc, "accept_filing", by)
        review = _current_review(doc)
        review.reviewer = by
        review.formal_ok = True
        review.substantive = items
        review.outcome = FilingReview.Outcome.REGISTERED
        review.findings = (findings or "").strip()
        review.decided_on = doc.as_of
        # Stored before the transition: its guards read the review afresh and judge the
        # substantive review just recorded; a refusal rolls the review back with it.
        review.save(update_fields=_DECISION_FIELDS)
        before = _fire(doc, "accept_filing", by)
        _record(doc, by, "accept_filing", before, note=review.findings)
    return review


def require_correction(document, *, by, substantive, findings, suggestion, on=None):
    """备案条例 art. 17: a 审查建议 with a deadline (30 days) for the body to correct itself."""
    items = _clean_substantive(substantive)
    findings = _required_text(findings, _("审查意见"))
    suggestion = _required_text(suggestion, _("审查建议"))
    if all(item["ok"] for item in items.values()):
        raise Refused(_("实质审查未发现问题，不能提出纠错建议"))
    with _locked(document, on) as doc:
        _check_transition(doc, "require_correction", by)
        review = _current_review(doc)
        deadline = rules.correction_due(doc.settings, doc.as_of, _calendar())
        before = _fire(doc, "require_correction", by)
        review.reviewer = by
        review.formal_ok = doc.latest_filing.materials_complete
        review.substantive = items
        review.outcome = FilingReview.Outcome.REFUSED
        review.findings = findings
        review.decided_on = doc.as_of
        review.save(update_fields=_DECISION_FIELDS)
        correction = Correction.objects.create(
            document=doc,
            filing_review=review,
            suggestion=suggestion,
            issued_on=doc.as_of,
            deadline=deadline,
            deadline_provisional=rules.is_provisional_deadline(deadline),
        )
        _record(
            doc,
            by,
            "require_correction",
            before,
            note=suggestion,
            data={
                "deadline": deadline,
                "deadline_provisional": correction.deadline_provisional,
            },
        )
    return correction


def report_correction(document, *, by, handling_report, on=None):
    handling_report = _required_text(handling_report, _("处理情况报告"))
    with _locked(document, on) as doc:
        _check_transition(doc, "report_correction", by)
        correction = doc.open_correction
        correction.handling_report = handling_report
        correction.reported_on = doc.as_of
        correction.save(update_fields=["handling_report", "reported_on"])
        before = _fire(doc, "report_correction", by)
        _record(
            doc,
            by,
            "report_correction",
            before,
            note=handling_report,
            data={"on_time": doc.as_of <= correction.deadline},
        )
    return correction


def accept_correction(document, *, by, note="", on=None):
    with _locked(document, on) as doc:
        before = _fire(doc, "accept_correction", by)
        correction = doc.open_correction
        correction.closed_on = doc.as_of
        correction.closed_by = by
        correction.save(update_fields=["closed_on", "closed_by"])
        _record(doc, by, "accept_correction", before, note=note)
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
