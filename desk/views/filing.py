"""The filing's acts on the document page (§7), by the filing authority: escalate an
overdue correction (撤销 / 改变 / 通报), reopen a filed document's review, 限期报送
an overdue filing and 通报 it. And what the page and the filing tasks show of the
filing: each registration decision and review conclusion apart."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from review import lifecycle
from review.models import FILING_MATERIALS, FilingReopening, has_role
from review.states import Role, State
from workflows import filing as filing_flow

from .. import forms_filing
from . import texts
from .common import apply_posted, login_required, visible_documents

MATERIAL_LABELS = dict(FILING_MATERIALS)


def _authority_id(document, filings):
    latest = filings[-1] if filings else None
    return latest.authority_id if latest else document.organisation.files_with_id


def _may(document, is_reviewer, name):
    """The reviewer may take `name` from here now (its guards read once for the page)."""
    if not is_reviewer or lifecycle.transition_of(document, name) is None:
        return False
    with document.reading_once():
        return not lifecycle.refusals(document, name)


def filing_context(document, user, filings, corrections):
    """What the document page's filing section shows and offers this user. Each record
    is read only where it can exist: escalations after a 审查意见, 限期报送 for a filing
    not made in time, reopenings of a registered review."""
    is_reviewer = has_role(user, _authority_id(document, filings), Role.FILING_REVIEWER)
    registered = []
    for filing in filings:
        review = getattr(filing, "review", None)
        if review is not None:
            review.missing_labels = [MATERIAL_LABELS[k] for k in review.missing or []]
            if review.registered:
                registered.append(review.pk)
    late = document.state == State.FILING or (filings and not filings[0].on_time)
    return {
        "escalations": list(document.escalations.order_by("decided_on", "pk"))
        if corrections
        else [],
        "demands": list(document.filing_demands.order_by("issued_on", "pk")) if late else [],
        "reopenings": list(
            FilingReopening.objects.filter(filing_review_id__in=registered).order_by(
                "reopened_on", "pk"
            )
        )
        if registered and document.state != State.FILING_REVIEW
        else [],
        # 备案条例 art. 20: from the page only while no report came (a report goes to
        # the recheck task, which offers the same choices).
        "can_escalate": document.state == State.CORRECTION
        and _may(document, is_reviewer, "revoke"),
        "can_reopen_review": _may(document, is_reviewer, "reopen_review"),
        "can_demand_filing": _may(document, is_reviewer, "demand_filing"),
        "can_notify_late_filing": _may(document, is_reviewer, "notify_late_filing"),
        "escalate_form": forms_filing.EscalateForm(prefix="escalate"),
        "reopen_form": forms_filing.ReasonForm(prefix="reopen"),
        "demand_form": forms_filing.NoteForm(prefix="demand"),
    }


# The document page's anchors of the filing authority's forms (see documents.PAGE_STEPS).
FILING_PAGE_STEPS = {
    "revoke": "#escalate",
    "change_by_authority": "#escalate",
    "notify_uncorrected": "#escalate",
    "reopen_review": "#reopen",
    "demand_filing": "#demand",
    "notify_late_filing": "#notify-late",
}


def filing_page_forms(document, context):
    """Transition name -> whether this page shows its form to the user (for the next
    steps): the escalation only on an overdue correction, the others where they apply."""
    forms = {}
    if document.state == State.CORRECTION:
        forms.update(dict.fromkeys(ESCALATION_STEPS, context["can_escalate"]))
    if document.state == State.FILED:
        forms["reopen_review"] = context["can_reopen_review"]
    if document.state == State.FILING:
        forms["demand_filing"] = context["can_demand_filing"]
        forms["notify_late_filing"] = context["can_notify_late_filing"]
    return forms


ESCALATION_STEPS = ("revoke", "change_by_authority", "notify_uncorrected")


def filing_brief(document, node_name):
    """What a filing task shows beside its form: 备案登记 the filing and what it lacks,
    补充报送 the requested materials,
    自行纠正 the 审查建议, 复核 the clerk's report and the revised version."""
    if node_name == "register":
        filing = document.latest_filing
        if filing is None:
            return None
        return {
            "kind": "register",
            "filing": filing,
            "missing": [MATERIAL_LABELS[k] for k in filing.missing_materials],
        }
    if node_name == "resubmit":
        filing = document.latest_filing
        review = filing.review_or_none if filing else None
        if review is None:
            return None
        return {
            "kind": "supplement",
            "missing": [MATERIAL_LABELS[k] for k in review.missing or []],
            "to_supply": review.to_supply,
            "decided_on": review.decided_on,
        }
    if node_name in ("correct", "recheck"):
        correction = document.open_correction
        if correction is None:
            return None
        brief = {
            "kind": node_name,
            "correction": correction,
            "findings": correction.filing_review.findings if correction.filing_review else "",
        }
        if node_name == "recheck" and correction.reviewed_version and correction.revised_version:
            # 复核: the revised text against the one the review was made on.
            brief["comparison"] = texts.comparison(
                correction.reviewed_version, correction.revised_version
            )
        return brief
    return None


def _act(request, pk, form_class, prefix, call, success):
    """POST from the document page by the filing authority's reviewer: 404 for a
    document the user may not see, 403 for anyone else."""
    document = get_object_or_404(
        visible_documents(request.user).select_related("organisation"), pk=pk
    )
    filings = list(document.filings.order_by("filed_on", "pk"))
    if not has_role(request.user, _authority_id(document, filings), Role.FILING_REVIEWER):
        raise PermissionDenied
    form = form_class(request.POST, prefix=prefix)
    apply_posted(request, form, call, document, success)
    return redirect("desk:document", document.pk)


@login_required
@require_POST
def escalate(request, pk):
    def call(document, data):
        filing_flow.escalate(
            document,
            request.user,
            kind=data["kind"],
            reason=data["reason"],
            decision_number=data["decision_number"],
            decided_on=data["decided_on"],
            effective_on=data["effective_on"],
        )

    return _act(request, pk, forms_filing.EscalateForm, "escalate", call, _("处理决定已记录"))


@login_required
@require_POST
def reopen_review(request, pk):
    def call(document, data):
        filing_flow.reopen_review(document, request.user, data["reason"])

    return _act(request, pk, forms_filing.ReasonForm, "reopen", call, _("已重新审查"))


@login_required
@require_POST
def demand_filing(request, pk):
    def call(document, data):
        filing_flow.demand_filing(document, request.user, data["note"])

    return _act(request, pk, forms_filing.NoteForm, "demand", call, _("限期报送通知已发出"))


@login_required
@require_POST
def notify_late_filing(request, pk):
    def call(document, data):
        filing_flow.notify_late_filing(document, request.user, data["note"])

    return _act(request, pk, forms_filing.NoteForm, "demand", call, _("已通报"))
