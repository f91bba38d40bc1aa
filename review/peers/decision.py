"""The authority's decision (the registration decision and, once taken, the review's
conclusion and 审查意见; built in `outgoing`), applied on the body's side through the
same actions a local reviewer uses, as the peer's service user."""

from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from .. import audit
from ..actions import correction as correction_actions
from ..actions import filing as filing_actions
from ..models import (
    FilingReview,
    NormativeDocument,
)
from .common import Direction, Kind
from .package import PackageRefused

# --- the body's side: the decision comes back ------------------------------------------------


def _own_document(peer, payload):
    remote_id = str(payload.get("remote_id", ""))
    document = (
        NormativeDocument.objects.select_related("organisation").filter(pk=remote_id).first()
        if remote_id.isdigit()
        else None
    )
    if (
        document is None
        or not peer.organisations.filter(pk=document.organisation.files_with_id).exists()
    ):
        raise PackageRefused(
            _("决定所指的文件（%(id)s）不在本部署，或其单位不向“%(peer)s”报送备案")
            % {"id": remote_id, "peer": peer.name}
        )
    sent = (
        document.exchanges.filter(direction=Direction.SENT, kind=Kind.FILING)
        .order_by("-at", "-pk")
        .first()
    )
    if sent is None or sent.idempotency_key != payload.get("filing_key"):
        raise PackageRefused(_("该决定所对应的报送不是本文件最近一次导出的报送"))
    return document


def record_acceptance(document, by, accepted_on):
    """The legal 报送 date is the day the authority accepted the filing (issue 22)."""
    filing = document.latest_filing
    if accepted_on and filing.filed_on != accepted_on:
        before = filing.filed_on
        filing.filed_on = accepted_on
        filing.save(update_fields=["filed_on"])
        audit.record(
            action="filing_accepted",
            document=document,
            actor=by,
            from_state=document.state,
            to_state=document.state,
            note=_("备案审查机关接收日期（法定报送日期）：%(on)s") % {"on": accepted_on},
            data={"exported_on": before, "accepted_on": accepted_on},
        )


def _apply_registration(document, by, registration, review):
    outcome = registration["outcome"]
    on = parse_date(registration["decided_on"] or "")
    if review.outcome:
        if review.outcome != outcome:
            raise PackageRefused(_("该决定与已收到的备案登记决定不一致"))
        return
    if outcome == FilingReview.Outcome.REGISTERED:
        filing_actions.register_filing(document, by=by, on=on)
    elif outcome == FilingReview.Outcome.DEFERRED:
        filing_actions.defer_filing(
            document,
            by=by,
            missing=registration["missing"],
            to_supply=registration["to_supply"],
            on=on,
        )
    elif outcome == FilingReview.Outcome.REFUSED:
        filing_actions.refuse_registration(
            document, by=by, reason=registration["refusal_reason"], on=on
        )
    else:
        raise PackageRefused(_("未知的备案登记决定：%(o)s") % {"o": outcome})


def _apply_closing(document, by, payload):
    """复核: the authority found the reported correction done (已备案, or 已废止 when it
    was answered by a 废止 decision)."""
    closed_on = parse_date((payload.get("correction") or {}).get("closed_on") or "")
    correction = document.open_correction
    if closed_on and correction is not None and correction.reported_on:
        correction_actions.accept_correction(document, by=by, on=closed_on)


def _apply_extension(document, by, conclusion, review):
    """延长审查期限, decided by the authority while the review was in progress: once,
    with its reason and its due date (before any conclusion the same package carries)."""
    if not conclusion.get("extended") or review.extended or not review.outcome:
        return
    if review.conclusion:
        return  # concluded here already: the extension no longer changes anything
    filing_actions.extend_filing_review(
        document,
        by=by,
        reason=conclusion.get("extension_reason") or _("备案审查机关延长审查期限"),
        due_on=parse_date(conclusion.get("due_on") or ""),
        due_on_provisional=bool(conclusion.get("due_on_provisional")),
    )


def _apply_conclusion(document, by, payload, review):
    conclusion = payload["review"]
    if not conclusion["conclusion"] or review.conclusion:
        _apply_closing(document, by, payload)
        return
    on = parse_date(conclusion["concluded_on"] or "")
    if conclusion["conclusion"] == FilingReview.Conclusion.NO_PROBLEM:
        filing_actions.accept_filing(
            document,
            by=by,
            substantive=conclusion["substantive"],
            findings=conclusion["findings"],
            on=on,
        )
        return
    correction = filing_actions.require_correction(
        document,
        by=by,
        substantive=conclusion["substantive"],
        findings=conclusion["findings"],
        suggestion=(payload.get("correction") or {}).get("suggestion", ""),
        on=on,
    )
    deadline = parse_date((payload.get("correction") or {}).get("deadline") or "")
    if deadline and deadline != correction.deadline:  # the authority sets the deadline
        correction.deadline = deadline
        correction.deadline_provisional = False
        correction.save(update_fields=["deadline", "deadline_provisional"])


def receive(pkg, peer, today):
    payload = pkg.payload
    document = _own_document(peer, payload)
    by = peer.service_user
    record_acceptance(document, by, parse_date(payload.get("accepted_on") or ""))
    filing = document.latest_filing
    _apply_registration(
        document, by, payload["registration"], FilingReview.objects.get(filing=filing)
    )
    _apply_extension(document, by, payload["review"], FilingReview.objects.get(filing=filing))
    _apply_conclusion(document, by, payload, FilingReview.objects.get(filing=filing))
    return document, str(document.pk)
