"""The document page, and the forms posted from it that are not a task: a new
version, an attachment, closing the public comment, extending the filing review,
and a new document."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from viewflow.workflow.models import Task

from review import actions, lifecycle, reports, rules
from review.calendar import WorkingCalendar
from review.errors import Refused
from review.models import (
    CHECKLIST_ITEMS,
    FILING_REVIEW_ITEMS,
    AdvisorOpinion,
    Organisation,
    Role,
    has_role,
)
from review.peers import outbox
from review.states import IN_FORCE_STATES, State
from workflows import driving
from workflows.driving import OPEN, processes_of
from workflows.flows import IssuingFlow

from .. import forms
from .common import apply_posted, login_required, safe_next, visible_documents
from .filing import FILING_PAGE_STEPS, filing_context, filing_page_forms
from .tasks import task_rows
from .validity import end_forms_for

# --- the parts of the document page -------------------------------------------------

EVENTS_PER_PAGE = 50


def _timeline(request, document):
    """One page of the audit trail, newest first: a document with ten thousand events
    shows fifty, and the page costs the same."""
    paginator = Paginator(document.audit_events.order_by("-seq"), EVENTS_PER_PAGE)
    page = paginator.get_page(request.GET.get("events"))
    return {
        "events_page": page,
        "events_start": paginator.count - page.start_index() + 1 if paginator.count else 0,
    }


def _legality_reviews(document):
    """The legality reviews, each with its advisor opinions and its checklist in order."""
    reviews = list(
        document.legality_reviews.select_related("reviewer", "version")
        .prefetch_related(
            Prefetch(
                "advisor_opinions",
                queryset=AdvisorOpinion.objects.select_related("advisor", "version"),
            )
        )
        .order_by("started_at", "pk")
    )
    for review in reviews:
        review.items = [(label, review.checklist.get(key, {})) for key, label in CHECKLIST_ITEMS]
    return reviews


def _filings(document):
    """The filings, each with its review's substantive items in order."""
    filings = list(
        document.filings.select_related(
            "authority", "review", "review__reviewer", "filed_by"
        ).order_by("filed_on", "pk")
    )
    for filing in filings:
        review = getattr(filing, "review", None)
        if review is not None:
            review.items = [
                (label, review.substantive.get(key, {})) for key, label in FILING_REVIEW_ITEMS
            ]
    return filings


def _open_tasks(document, user):
    """(rows of the open human tasks, whether the public comment is open)."""
    # The process ids first: given `process IN (subquery)` and `status IN (...)`, SQLite
    # drives the query from the status index and reads every open task in the system.
    process_ids = list(processes_of(document).values_list("pk", flat=True))
    tasks = list(
        Task.objects.filter(process_id__in=process_ids, status__in=OPEN)
        .exclude(flow_task_type__in=["TIMER", "END", "START"])
        .select_related("process", "owner")
        .order_by("created")
    )
    rows = task_rows([t for t in tasks if t.flow_task_type == "HUMAN"])
    for row in rows:
        task = row["task"]
        row["mine"] = task.flow_task.can_execute(user, task) or task.flow_task.can_assign(
            user, task
        )
    return rows, any(t.flow_task == IssuingFlow.comment for t in tasks)


def _filing_deadline(document, latest_filing):
    """备案条例 art. 3 (rules.filing_due): a resubmission keeps the first deadline; in a
    year whose schedule is not yet known the deadline is provisional (shown 暂定)."""
    if latest_filing is not None:
        return rules.stored(latest_filing.due_on, latest_filing.due_on_provisional)
    publication = getattr(document, "publication", None)
    if publication is None:
        return None
    return rules.filing_due(document.settings, publication.published_on, WorkingCalendar())


def _pushes(document, filings):
    """The packages this side pushes to another deployment (issue 22), oldest first, and
    the filing among them not yet accepted there (its 报送 is not yet made in law). A
    document never filed has pushed nothing: no query."""
    if not filings:
        return [], None
    pushed = outbox.pushes(document)
    return pushed, outbox.pending_filing(pushed)


def _deadlines(document, reviews, filings, corrections, pending_push=None):
    """(label, date or the text of an unknown deadline, is it a date) of each running period."""
    latest_review = reviews[-1] if reviews else None
    latest_filing = filings[-1] if filings else None
    filing_review = getattr(latest_filing, "review", None) if latest_filing else None
    open_correction = next((c for c in corrections if c.closed_on is None), None)
    deadlines = [
        (
            _("合法性审核期限"),
            rules.stored(latest_review.due_on, latest_review.due_on_provisional)
            if latest_review and not latest_review.outcome
            else None,
        ),
        (
            _("报送备案期限"),
            # 备案条例 art. 3: shown until filed — for a pushed filing, until the
            # authority's server has accepted it (the legal 报送 date, issue 22)
            _filing_deadline(document, latest_filing)
            if document.state in (State.PUBLICATION, State.FILING) or pending_push
            else None,
        ),
        (
            _("备案审查期限"),
            rules.stored(filing_review.due_on, filing_review.due_on_provisional)
            if filing_review and document.state in (State.FILING_REVIEW, State.UNDER_REVIEW)
            else None,
        ),
        (
            _("自行纠正期限"),
            rules.stored(open_correction.deadline, open_correction.deadline_provisional)
            if open_correction
            else None,
        ),
    ]
    return [(label, day, isinstance(day, datetime.date)) for label, day in deadlines if day]


# Where each move is made in these pages: the task (flow node names) that makes it,
# or a form of the document page (its anchor). A move with neither — the expiry the
# daily command records, 撤回 once drafting is over — is not listed: the page never
# offers a step that has no control.
STEP_TASKS = {
    "open_comment": {"draft"},
    "submit_for_review": {"draft"},
    "withdraw": {"draft"},
    "reject_as_not_normative": {"legal_review"},
    "return_for_revision": {"legal_review"},
    "send_to_deliberation": {"legal_review"},
    "approve": {"deliberate"},
    "reject_at_deliberation": {"deliberate"},
    "register": {"register"},
    "publish": {"publish"},
    "file": {"file", "resubmit"},
    # 备案条例 art. 7: the registration at receipt; art. 10: the review
    "register_filing": {"register"},
    "defer_filing": {"register"},
    "refuse_registration": {"register"},
    "accept_filing": {"review"},
    "require_correction": {"review"},
    "report_correction": {"correct"},
    "accept_correction": {"recheck"},
    "accept_repeal": {"recheck"},
    "reopen_correction": {"recheck"},
    # art. 20: on a report that falls short, from the recheck; on an overdue one, the page
    "revoke": {"recheck"},
    "change_by_authority": {"recheck"},
    "notify_uncorrected": {"recheck"},
}
PAGE_STEPS = {
    "close_comment": "#h-close",
    "extend_filing_review": "#extend",
    # the registrar's forms (desk/views/validity.py), while the document is in force
    "repeal": "#h-end",
    "mark_amended": "#h-end",
    "declare_invalid": "#h-end",
    # the filing authority's forms (desk/views/filing.py)
    **FILING_PAGE_STEPS,
}


def _next_steps(document, user, rows, page_forms):
    """The moves from here that have a control: an open task of the document, or a
    form of this page (`page_forms`: transition name -> shown to this user)."""
    tasks = {row["task"].flow_task.name: row for row in rows}
    steps = []
    # Both kinds of refusal for every step: the guards ask for the same records
    # (the latest filing and its review, ...), read once for the page.
    with document.reading_once():
        for transition in _from_here(document):
            name = transition.name
            row = next((tasks[n] for n in STEP_TASKS.get(name, ()) if n in tasks), None)
            if row is not None:
                url = row["url"] if row["mine"] else ""
            elif name in PAGE_STEPS and name in page_forms:
                url = PAGE_STEPS[name] if page_forms[name] else ""
            else:
                continue
            steps.append(_step(document, user, transition, url))
    return steps


def _from_here(document):
    return [t for t in document.get_all_state_transitions() if t.source == document.state]


def _step(document, user, transition, url):
    reasons = lifecycle.refusals(document, transition.name)
    return {
        "label": transition.custom.get("label", transition.name),
        "reasons": reasons,
        # what the entered values must meet (rules.check_*), checked on submission
        "rule": lifecycle.input_rule(document, transition.name),
        "mine": bool(url) and not reasons and transition.has_perm(document, user),
        "url": url,
    }


def _what_user_may_do(document, user, filings):
    latest_filing = filings[-1] if filings else None
    is_drafter = has_role(user, document.organisation_id, Role.DRAFTER)
    is_filing_reviewer = latest_filing is not None and has_role(
        user, latest_filing.authority_id, Role.FILING_REVIEWER
    )
    return {
        "can_edit": is_drafter and document.state in (State.DRAFTING, State.REVISION),
        "can_attach": has_role(user, document.organisation_id, *actions.ATTACHMENT_ROLES),
        "is_drafter": is_drafter,
        "can_extend": is_filing_reviewer and document.state == State.UNDER_REVIEW,
    }


def _page_forms():
    return {
        "version_form": forms.VersionForm(prefix="version"),
        "attachment_form": forms.AttachmentForm(prefix="attachment"),
        "close_form": forms.CloseCommentForm(prefix="close"),
        "extend_form": forms.ExtendReviewForm(prefix="extend"),
    }


def _outputs(document, reviews, periods, filings):
    """文书下载: (kind, label, ready) of each output offered, from the records loaded."""
    facts = {
        "reviewed": bool(reviews),
        "consulted": bool(periods),
        "filing_reviewed": any(getattr(f, "review", None) is not None for f in filings),
    }
    return [
        (kind, reports.KINDS[kind], reports.ready(document, kind, **facts))
        for kind in reports.offered(document)
    ]


@login_required
def document_detail(request, pk):
    user = request.user
    document = get_object_or_404(
        visible_documents(user).select_related(
            "organisation", "organisation__files_with", "drafting_unit", "drafter"
        ),
        pk=pk,
    )
    versions = list(document.versions.select_related("created_by").order_by("number"))
    reviews = _legality_reviews(document)
    filings = _filings(document)
    corrections = list(
        document.corrections.select_related(
            "closed_by", "reviewed_version", "revised_version"
        ).order_by("issued_on", "pk")
    )
    periods = list(
        document.comment_periods.annotate(n_comments=Count("comments")).order_by("opens_on")
    )
    rows, comment_open = _open_tasks(document, user)
    pushes, pending_push = _pushes(document, filings)
    may_do = _what_user_may_do(document, user, filings)
    page_forms = {}
    if comment_open:
        page_forms["close_comment"] = may_do["is_drafter"]
    if document.state == State.UNDER_REVIEW:
        page_forms["extend_filing_review"] = may_do["can_extend"]
    filing = filing_context(document, user, filings, corrections)
    page_forms.update(filing_page_forms(document, filing))
    end_forms = end_forms_for(document, user)
    if document.state in IN_FORCE_STATES:
        page_forms.update(
            dict.fromkeys(("repeal", "mark_amended", "declare_invalid"), bool(end_forms))
        )
    context = {
        "document": document,
        "versions": versions,
        "attachments": document.attachments.select_related("uploaded_by"),
        "reviews": reviews,
        "periods": periods,
        "deliberations": document.deliberations.select_related("recorded_by").order_by(
            "meeting_date", "pk"
        ),
        "registration": getattr(document, "registration", None)
        if document.state != State.DRAFTING
        else None,
        "publication": getattr(document, "publication", None),
        "filings": filings,
        "pushes": pushes,
        "pending_push": pending_push,
        "corrections": corrections,
        **_timeline(request, document),
        "rows": rows,
        "comment_open": comment_open,
        "next_steps": _next_steps(document, user, rows, page_forms),
        "deadlines": _deadlines(document, reviews, filings, corrections, pending_push),
        "today": timezone.localdate(),
        **may_do,
        **_page_forms(),
        **filing,
        **end_forms,
        "outputs": _outputs(document, reviews, periods, filings),
    }
    return render(request, "desk/document.html", context)


# --- forms posted from the document page -------------------------------------------


def _document_action(request, pk, form_class, call, success, roles=(), prefix=None):
    """POST a document-level form (not a task): validate, call the action, say what happened.
    A user without one of `roles` in the issuing body gets a 403 whatever the stage."""
    document = get_object_or_404(visible_documents(request.user), pk=pk)
    if roles and not has_role(request.user, document.organisation_id, *roles):
        raise PermissionDenied
    form = form_class(request.POST, request.FILES, prefix=prefix)
    apply_posted(request, form, call, document, success)
    return redirect(safe_next(request, reverse("desk:document", args=[document.pk])))


@login_required
@require_POST
def add_version(request, pk):
    def call(document, data):
        actions.add_version(
            document, by=request.user, upload=data["upload"], text=data["text"], note=data["note"]
        )

    return _document_action(
        request,
        pk,
        forms.VersionForm,
        call,
        _("新版本已提交"),
        roles=[Role.DRAFTER],
        prefix="version",
    )


@login_required
@require_POST
def add_attachment(request, pk):
    def call(document, data):
        actions.add_attachment(
            document,
            by=request.user,
            kind=data["kind"],
            upload=data["upload"],
            text=data["text"],
            name=data["name"],
        )

    return _document_action(
        request,
        pk,
        forms.AttachmentForm,
        call,
        _("附件已添加"),
        roles=actions.ATTACHMENT_ROLES,
        prefix="attachment",
    )


@login_required
@require_POST
def close_comment(request, pk):
    def call(document, data):
        driving.close_comment(document, by=request.user, summary=data["summary"])

    return _document_action(
        request,
        pk,
        forms.CloseCommentForm,
        call,
        _("征求意见已结束"),
        roles=[Role.DRAFTER],
        prefix="close",
    )


@login_required
@require_POST
def extend_review(request, pk):
    def call(document, data):
        driving.extend_review(document, by=request.user, reason=data["reason"])

    return _document_action(
        request, pk, forms.ExtendReviewForm, call, _("审查期限已延长"), prefix="extend"
    )


@login_required
def document_new(request):
    organisations = Organisation.objects.filter(
        memberships__user=request.user, memberships__role=Role.DRAFTER
    ).distinct()
    if not organisations.exists():
        raise PermissionDenied
    form = forms.DocumentForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            document = driving.start_document(by=request.user, **form.cleaned_data)
        except Refused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("文件已创建，请提交送审稿和附件"))
            return redirect("desk:document", document.pk)
    return render(request, "desk/document_new.html", {"form": form})
