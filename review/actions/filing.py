"""Filing with the authority, the registration decision at receipt and the
substantive review (§7; 法规规章备案条例 art. 3, 7, 10, 14): file; register, defer or
refuse registration; extend the review once; conclude it without problem or with a
审查意见. The correction and what follows are in `correction`."""

from django.utils.translation import gettext as _

from .. import lifecycle, rules
from ..errors import Refused
from ..flags import store
from ..lifecycle import open_demand
from ..models import (
    FILING_MATERIALS,
    AttachmentKind,
    Correction,
    Filing,
    FilingReview,
    FlagStage,
)
from ..peers import outbox
from ._base import (
    _calendar,
    _check_transition,
    _fire,
    _locked,
    _record,
    _required_text,
)
from .flags import check_unresolved

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


def file_with_authority(document, *, by, on=None, report="", materials=None):
    """备案条例 art. 3: due 30 days after publication (民法典 art. 203 moves a deadline
    off a holiday). A resubmission after 暂缓办理 keeps the first deadline and restarts
    the review clock. `materials`: a filing received from another deployment states
    the materials as sent (review.peers), which this side cannot judge from its copy."""
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
        # The first authority filed with is kept on the document, in the transition's
        # UPDATE (NormativeDocument.filing_authority): its register reads it.
        authority = _authority_of(doc)
        doc.filing_authority_id = doc.filing_authority_id or authority.pk
        before = _fire(doc, "file", by, also=("filing_authority",))
        report = (report or "").strip() or default_filing_report(doc)
        filing = Filing.objects.create(
            document=doc,
            authority=authority,
            filed_on=doc.as_of,
            due_on=due_on,
            due_on_provisional=rules.is_provisional_deadline(due_on),
            materials=filing_materials(doc, report)
            if materials is None
            else {key: bool(materials.get(key)) for key, _label in FILING_MATERIALS},
            report=report,
            filed_by=by,
            resubmission_of=previous,
        )
        review_due = rules.filing_review_due(settings, doc.as_of, calendar)
        demand = open_demand(doc)
        if demand is not None:  # 限期报送 answered
            demand.filed_on = doc.as_of
            demand.save(update_fields=["filed_on"])
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
        outbox.filing_made(doc, by)  # an authority on another server: pushed (issue 22)
    return filing


def _undecided_review(doc):
    """The latest filing's review, while its registration is not yet decided."""
    review = doc.latest_filing.review_or_none
    if review.outcome:
        raise Refused(_("本次报送已作出备案登记决定"))
    return review


def _review_in_progress(doc):
    """The latest filing's review of a registered document, not yet concluded."""
    review = doc.latest_filing.review_or_none
    if review.conclusion:
        raise Refused(_("本次备案审查已办结"))
    return review


_REGISTRATION_FIELDS = ["reviewer", "outcome", "formal_ok", "decided_on"]


def register_filing(document, *, by, note="", on=None):
    """备案条例 art. 7: 予以备案登记 — in scope and the materials conform (the
    lifecycle's condition); the substantive review follows (已登记·审查中)."""
    with _locked(document, on) as doc:
        _check_transition(doc, "register_filing", by)
        review = _undecided_review(doc)
        before = _fire(doc, "register_filing", by)
        review.reviewer = by
        review.outcome = FilingReview.Outcome.REGISTERED
        review.formal_ok = True
        review.decided_on = doc.as_of
        review.save(update_fields=_REGISTRATION_FIELDS)
        _record(doc, by, "register_filing", before, note=(note or "").strip())
        outbox.decision_taken(doc)
    return review


def _named_materials(missing, filing):
    keys = dict(FILING_MATERIALS)
    missing = list(filing.missing_materials if missing is None else missing)
    unknown = [key for key in missing if key not in keys]
    if unknown:
        raise Refused(_("未知的备案材料：%(keys)s") % {"keys": "、".join(unknown)})
    return [key for key, _label in FILING_MATERIALS if key in missing]


def defer_filing(document, *, by, missing=None, to_supply="", on=None):
    """备案条例 art. 7: 暂缓办理备案登记 — the materials are incomplete or not in form.
    The notice names what is missing (`missing`: FILING_MATERIALS keys, by default those
    the filing lacks; `to_supply`: in words); the body 补充或者重新报送 (待补充报送)."""
    with _locked(document, on) as doc:
        _check_transition(doc, "defer_filing", by)
        review = _undecided_review(doc)
        missing = _named_materials(missing, doc.latest_filing)
        to_supply = (to_supply or "").strip()
        if not missing and not to_supply:
            raise Refused(_("请写明需补充或重新报送的材料"))
        before = _fire(doc, "defer_filing", by)
        review.reviewer = by
        review.outcome = FilingReview.Outcome.DEFERRED
        review.formal_ok = False
        review.missing = missing
        review.to_supply = to_supply
        review.decided_on = doc.as_of
        review.save(update_fields=[*_REGISTRATION_FIELDS, "missing", "to_supply"])
        _record(doc, by, "defer_filing", before, note=to_supply, data={"missing": missing})
        outbox.decision_taken(doc)
    return review


def refuse_registration(document, *, by, reason, on=None):
    """备案条例 art. 7: 不予备案登记 — only when the document is out of scope (art. 2);
    the materials are returned with the reason. The filing ends; the document stays
    published and keeps its 登记号 (its validity is not decided here)."""
    reason = _required_text(reason, _("不予备案登记的理由"))
    with _locked(document, on) as doc:
        _check_transition(doc, "refuse_registration", by)
        review = _undecided_review(doc)
        before = _fire(doc, "refuse_registration", by)
        review.reviewer = by
        review.outcome = FilingReview.Outcome.REFUSED
        review.formal_ok = None
        review.refusal_reason = reason
        review.decided_on = doc.as_of
        review.save(update_fields=[*_REGISTRATION_FIELDS, "refusal_reason"])
        _record(doc, by, "refuse_registration", before, note=reason)
        outbox.decision_taken(doc)
    return review


def extend_filing_review(document, *, by, reason, due_on=None, due_on_provisional=False):
    """Review takes 30 days, extendable once by 20 (the lifecycle's condition). `due_on`:
    the date the authority computed (暂定 or not), when it extended on its own
    deployment (issue 22)."""
    reason = _required_text(reason, _("延长理由"))
    with _locked(document) as doc:
        _check_transition(doc, "extend_filing_review", by)
        review = _review_in_progress(doc)
        _fire(doc, "extend_filing_review", by)
        if due_on is None:
            review.due_on = rules.extended_filing_review_due(
                doc.settings, rules.stored(review.due_on, review.due_on_provisional), _calendar()
            )
            review.due_on_provisional = rules.is_provisional_deadline(review.due_on)
        else:
            review.due_on, review.due_on_provisional = due_on, due_on_provisional
        review.extended = True
        review.save(update_fields=["due_on", "due_on_provisional", "extended"])
        _record(
            doc,
            by,
            "extend_filing_review",
            note=reason,
            data={"due_on": review.due_on, "due_on_provisional": review.due_on_provisional},
        )
        outbox.decision_taken(doc)
    return review


def _clean_substantive(substantive):
    """备案条例 art. 10: every item answered 无问题 or 存在问题, a problem with its 说明."""
    return lifecycle.check_input(None, "filing_checklist", substantive=substantive)


# What concluding the substantive review stores on its review.
_CONCLUSION_FIELDS = ["reviewer", "substantive", "conclusion", "findings", "concluded_on"]


def accept_filing(document, *, by, substantive, findings="", on=None, flags_note=""):
    """备案条例 art. 10: 审查无问题 — every item examined and clean (已备案). With review
    flags undecided it needs `flags_note` (issue 19)."""
    items = _clean_substantive(substantive)
    with _locked(document, on) as doc:
        _check_transition(doc, "accept_filing", by)
        review = _review_in_progress(doc)
        version = store.version_for(doc, FlagStage.FILING)
        review.flags_note = check_unresolved(doc, version, FlagStage.FILING, flags_note)
        review.reviewer = by
        review.substantive = items
        review.conclusion = FilingReview.Conclusion.NO_PROBLEM
        review.findings = (findings or "").strip()
        review.concluded_on = doc.as_of
        # Stored before the transition: its guards read the review afresh and judge the
        # substantive review just recorded; a refusal rolls the review back with it.
        noted = ["flags_note"] if review.flags_note else []
        review.save(update_fields=[*_CONCLUSION_FIELDS, *noted])
        before = _fire(doc, "accept_filing", by)
        data = {"flags_note": review.flags_note} if review.flags_note else None
        _record(doc, by, "accept_filing", before, note=review.findings, data=data)
        outbox.decision_taken(doc)
    return review


def require_correction(document, *, by, substantive, findings, suggestion, on=None):
    """备案条例 art. 14, 17: 提出审查意见, 建议自行纠正 within the deadline (30 日). A
    substantive problem never turns into 不予备案登记: the registration stands."""
    items = _clean_substantive(substantive)
    findings = _required_text(findings, _("审查意见"))
    suggestion = _required_text(suggestion, _("审查建议"))
    if all(item["ok"] for item in items.values()):
        raise Refused(_("实质审查未发现问题，不能提出纠错建议"))
    with _locked(document, on) as doc:
        _check_transition(doc, "require_correction", by)
        review = _review_in_progress(doc)
        deadline = rules.correction_due(doc.settings, doc.as_of, _calendar())
        before = _fire(doc, "require_correction", by)
        review.reviewer = by
        review.substantive = items
        review.conclusion = FilingReview.Conclusion.OPINION
        review.findings = findings
        review.concluded_on = doc.as_of
        review.save(update_fields=_CONCLUSION_FIELDS)
        correction = Correction.objects.create(
            document=doc,
            filing_review=review,
            suggestion=suggestion,
            issued_on=doc.as_of,
            deadline=deadline,
            reviewed_version=doc.current_version,
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
        outbox.decision_taken(doc)
    return correction
