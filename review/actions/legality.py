"""Legality review (§3): submit, classify, record the review, the legal advisor's
signed opinion, send to collective deliberation."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from .. import lifecycle, rules
from ..errors import Refused
from ..models import (
    CHECKLIST_KEYS,
    AdvisorOpinion,
    Classification,
    FlagStage,
    LegalityReview,
    ReviewOutcome,
)
from ..states import Role, State
from ._base import (
    _calendar,
    _check_transition,
    _fire,
    _locked,
    _record,
    _require_role,
    _require_state,
    _required_text,
)
from .flags import check_unresolved

# --- legality review (§3) -------------------------------------------------


def submit_for_review(document, *, by, requested_working_days=None, urgent_reason="", on=None):
    """115号: the legal division gets at least 5 (major decisions: 7) and at most 15
    working days; a shorter time only with the emergency recorded."""
    with _locked(document, on) as doc:
        _check_transition(doc, "submit_for_review", by)
        days = lifecycle.check_input(
            doc,
            "submit_for_review",
            requested_working_days=requested_working_days,
            urgent_reason=urgent_reason,
        )
        due_on = rules.legality_review_due(doc.as_of, days, _calendar())
        doc.classification = Classification.PENDING
        # Read before the transition's UPDATE: its guards judge this same version, so
        # the read is kept for the action; after the write it would be made again.
        version = doc.current_version
        before = _fire(doc, "submit_for_review", by, also=("classification",))
        review = LegalityReview.objects.create(
            document=doc,
            version=version,
            version_sha256=version.sha256,
            due_on=due_on,
            due_on_provisional=rules.is_provisional_deadline(due_on),
            counted_from=doc.as_of,
            working_days=days,
            urgent_reason=(urgent_reason or "").strip(),
        )
        _record(
            doc,
            by,
            "submit_for_review",
            before,
            data={
                "version": version.number,
                "due_on": due_on,
                "due_on_provisional": review.due_on_provisional,
            },
        )
    return review


def classify(document, *, by, normative, note=""):
    """The legal division decides whether it is a normative document (115号); one that
    is not is neither registered nor numbered."""
    with _locked(document) as doc:
        _require_state(doc, [State.LEGALITY_REVIEW], _("认定文件性质"))
        _require_role(by, doc.organisation, Role.LEGAL_REVIEWER)
        doc.classification = Classification.NORMATIVE if normative else Classification.NOT_NORMATIVE
        doc.classification_note = (note or "").strip()
        if not normative:
            doc.end_note = _required_text(note, _("认定理由"))
        doc.save(update_fields=["classification", "classification_note", "end_note"])
        if normative:
            _record(
                doc,
                by,
                "classify",
                note=doc.classification_note,
                data={"classification": doc.classification},
            )
        else:
            before = _fire(doc, "reject_as_not_normative", by)
            _record(doc, by, "reject_as_not_normative", before, note=doc.classification_note)
    return document


def _moment(on):
    """When an act recorded for day `on` happened: that day at the present time of day
    (a register walked after the fact, the demo), or now."""
    now = timezone.localtime()
    if on is None or on == now.date():
        return now
    return timezone.make_aware(datetime.datetime.combine(on, now.time().replace(tzinfo=None)))


def record_legality_review(document, *, by, outcome, checklist, opinion, on=None, flags_note=""):
    """Record the written opinion. 应当予以修改 and 不合法 send the draft back. 合法
    with review flags undecided needs `flags_note` (issue 19)."""
    if outcome not in ReviewOutcome.values:
        raise Refused(_("请选择审核结论"))
    opinion = _required_text(opinion, _("审核意见"))
    clean = lifecycle.check_input(None, "legality_checklist", checklist=checklist)
    problems = [key for key in CHECKLIST_KEYS if not clean[key]["ok"]]
    if outcome == ReviewOutcome.LAWFUL and problems:
        raise Refused(_("审核要点中有 %(n)s 项存在问题，结论不得为“合法”") % {"n": len(problems)})
    if outcome != ReviewOutcome.LAWFUL and not problems:
        raise Refused(_("结论为“应当予以修改”或“不合法”时，须在审核要点中指出问题"))
    with _locked(document, on) as doc:
        _require_state(doc, [State.LEGALITY_REVIEW], _("出具合法性审核意见"))
        _require_role(by, doc.organisation, Role.LEGAL_REVIEWER)
        if doc.classification != Classification.NORMATIVE:
            raise Refused(_("须先认定其属于行政规范性文件，再出具合法性审核意见"))
        review = doc.latest_review
        if review.outcome:
            raise Refused(_("本轮合法性审核已出具结论"))
        if outcome == ReviewOutcome.LAWFUL:
            flags_note = check_unresolved(doc, review.version, FlagStage.LEGALITY, flags_note)
        review.reviewer = by
        review.outcome = outcome
        review.checklist = clean
        review.opinion = opinion
        review.flags_note = (flags_note or "").strip()
        review.completed_at = _moment(on)
        noted = ["flags_note"] if review.flags_note else []
        review.save(
            update_fields=["reviewer", "outcome", "checklist", "opinion", "completed_at", *noted]
        )
        data = {"outcome": outcome, "sha256": review.version_sha256, "problems": problems}
        if review.flags_note:
            data["flags_note"] = review.flags_note
        if outcome == ReviewOutcome.LAWFUL:
            _record(doc, by, "record_legality_review", note=opinion, data=data)
        else:
            before = _fire(doc, "return_for_revision", by)
            _record(doc, by, "return_for_revision", before, note=opinion, data=data)
    return review


def sign_advisor_opinion(document, *, by, opinion, agrees=None, on=None):
    """The advisor's written opinion on the conclusion the legal division has given,
    signed on exactly the current version (a later revision makes it stale). Agreeing
    or not is the advisor's choice, never assumed. An advisor who disagrees sends the
    review back: a new round opens on the same text for the legal division to conclude
    again, and the disagreement goes with the document to the deliberation."""
    opinion = _required_text(opinion, _("法律顾问意见"))
    if not isinstance(agrees, bool):
        raise Refused(_("请选择是否同意合法性审核意见"))
    with _locked(document, on) as doc:
        _require_state(doc, [State.LEGALITY_REVIEW], _("签署法律顾问意见"))
        _require_role(by, doc.organisation, Role.LEGAL_ADVISOR)
        review = doc.latest_review
        if review is None or not review.outcome:
            raise Refused(
                _(
                    "合法性审核机构尚未出具审核结论：法律顾问须就已出具的审核意见发表同意或不同意的意见"
                )
            )
        version = doc.current_version
        signed = AdvisorOpinion.objects.create(
            review=review,
            advisor=by,
            version=version,
            version_sha256=version.sha256,
            opinion=opinion,
            agrees=agrees,
            signed_at=_moment(on),
        )
        data = {"sha256": version.sha256, "agrees": agrees}
        if not agrees:
            reopened = LegalityReview.objects.create(
                document=doc,
                version=review.version,
                version_sha256=review.version_sha256,
                due_on=review.due_on,
                urgent_reason=review.urgent_reason,
            )
            data["reopened_review"] = reopened.pk
        _record(doc, by, "sign_advisor_opinion", note=opinion, data=data)
    return signed


def send_to_deliberation(document, *, by):
    with _locked(document) as doc:
        before = _fire(doc, "send_to_deliberation", by)
        _record(doc, by, "send_to_deliberation", before)
    return document
