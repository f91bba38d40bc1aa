"""The pages people work in: task lists, the document, task forms, the register.

Views are short: load what the user may see (another organisation's document is
a 404), check the role (403), call a review action, show its refusal as a
message or redirect. The flows say who acts next; the actions say what is lawful.
"""

import datetime
import difflib

from django.contrib import messages
from django.contrib.auth.decorators import login_required as _login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import CharField, Count, F, Prefetch, Q
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from review import actions, comments, lifecycle, reports, rules
from review.calendar import CalendarMissing, WorkingCalendar
from review.errors import NotPermitted, Refused
from review.models import (
    CHECKLIST_ITEMS,
    FILING_REVIEW_ITEMS,
    AdvisorOpinion,
    Membership,
    NormativeDocument,
    Organisation,
    Role,
    has_role,
)
from review.states import State
from workflows.driving import OPEN, claim, open_task, perform, processes_of, release, run_handle
from workflows.flows import FLOWS, FilingReviewFlow, IssuingFlow
from workflows.roles import holds_key, keys_of, parse_key

from . import forms

PAGE_SIZE = 50
FLOW_LABELS = {"issuing": IssuingFlow, "filing-review": FilingReviewFlow}
LABEL_OF_FLOW = {flow_class: label for label, flow_class in FLOW_LABELS.items()}


def due_on():
    """A task's deadline as ISO text (it is copied into task.data when the task is created)."""
    return Cast(KT("data__due_on"), CharField(max_length=10))


def login_required(view):
    return _login_required(view, login_url="desk:login")


def visible_documents(user):
    return NormativeDocument.objects.visible_to(user)


def task_url(task):
    return reverse(
        "desk:task", args=[LABEL_OF_FLOW[task.flow_task.flow_class], task.process_id, task.pk]
    )


def _safe_next(request, default):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


# --- task lists -------------------------------------------------------------


def _holder(task, organisations):
    if task.owner_id:
        return task.owner.get_full_name() or task.owner.get_username()
    role, org_id = parse_key(task.owner_permission)
    if role is None:
        return ""
    org = organisations.get(org_id)
    return f"{org.short_name if org else ''}{Role(role).label}"


def _rows(tasks):
    """Tasks with their documents and deadlines, in a constant number of queries."""
    tasks = list(tasks)
    documents = NormativeDocument.objects.select_related("organisation").in_bulk(
        {t.process.artifact_object_id for t in tasks}
    )
    org_ids = {parse_key(t.owner_permission)[1] for t in tasks} - {None}
    organisations = Organisation.objects.in_bulk(org_ids)
    today = timezone.localdate()
    rows = []
    for task in tasks:
        due = (task.data or {}).get("due_on")
        due = datetime.date.fromisoformat(due) if due else None
        rows.append(
            {
                "task": task,
                "url": task_url(task),
                "document": documents.get(task.process.artifact_object_id),
                "due_on": due,
                "due_unknown": _due_unknown(task),
                "overdue": due is not None and due < today and task.finished is None,
                "escalation": (task.data or {}).get("escalation", ""),
                "holder": _holder(task, organisations),
            }
        )
    return rows


def _due_unknown(task):
    """review.rules: a task whose deadline falls in a year without calendar data says so."""
    year = (task.data or {}).get("due_unknown")
    return rules.unknown_text(CalendarMissing(year)) if year else ""


def _task_page(request, queryset, kind, title):
    queryset = queryset.filter(flow_task_type="HUMAN").select_related("process", "owner")
    if kind == "archive":
        queryset = queryset.order_by("-finished")
    else:
        queryset = queryset.annotate(due=due_on()).order_by(
            F("due").asc(nulls_last=True), "created"
        )
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "desk/tasks.html",
        {"page": page, "rows": _rows(page.object_list), "kind": kind, "title": title},
    )


@login_required
def inbox(request):
    return _task_page(request, Task.objects.inbox(FLOWS, request.user), "inbox", _("我的待办"))


@login_required
def queue(request):
    queryset = Task.objects.filter_available(FLOWS, request.user).filter(
        status=STATUS.NEW, owner_permission__in=keys_of(request.user)
    )
    return _task_page(request, queryset, "queue", _("待领取"))


@login_required
def archive(request):
    return _task_page(request, Task.objects.archive(FLOWS, request.user), "archive", _("已办"))


# --- register (台账) ----------------------------------------------------------


def _overdue_document_ids():
    """The documents with an open human task past its deadline, as a subquery.

    Not correlated to the document row: SQLite runs it once and probes the result,
    where an EXISTS per row scanned every open task for each document listed (the
    process index is (content type, object id), and the planner drove the subquery
    from the task status index instead)."""
    today = timezone.localdate().isoformat()
    return (
        Task.objects.filter(
            flow_task_type="HUMAN",
            status__in=OPEN,
            process__artifact_content_type=ContentType.objects.get_for_model(NormativeDocument),
        )
        .annotate(due=due_on())
        .filter(due__lt=today)
        .values("process__artifact_object_id")
    )


class _IdPaginator(Paginator):
    """Pages of document ids: the page's rows are fetched afterwards by id, and a page
    past the middle is read from the other end so that its OFFSET stays small and the
    last page costs what the first does (an index walk either way, or, with a filter
    the index cannot serve, a sort of ids rather than of whole rows)."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        if bottom > self.count // 2:
            ids = list(self.object_list.reverse()[self.count - top : self.count - bottom])[::-1]
        else:
            ids = list(self.object_list[bottom:top])
        return self._get_page(ids, number, self)


def register_documents(user, filters=None):
    """The register's rows for `user`, filtered by the form's cleaned data."""
    documents = (
        visible_documents(user)
        .select_related("organisation", "drafting_unit", "registration")
        .annotate(overdue=Q(pk__in=_overdue_document_ids()))
        # Documents in progress first, then by 成文日期: imported and seeded history is
        # dated by its signing, not by the day it entered the system. The index
        # document_register_order serves this order.
        .order_by("-register_sort_date", "-created_at", "-pk")
    )
    data = filters or {}
    if data.get("state"):
        documents = documents.filter(state=data["state"])
    if data.get("year"):
        documents = documents.filter(
            Q(registration__number_year=data["year"])
            | Q(registration__isnull=True, created_at__year=data["year"])
        )
    if data.get("drafting_unit"):
        documents = documents.filter(drafting_unit=data["drafting_unit"])
    if data.get("overdue"):
        documents = documents.filter(overdue=True)
    if data.get("q"):
        documents = documents.filter(
            Q(title__contains=data["q"]) | Q(registration__number__contains=data["q"])
        )
    return documents


@login_required
def register(request):
    user = request.user
    org_ids = list(Membership.objects.filter(user=user).values_list("organisation_id", flat=True))
    units = Organisation.objects.filter(Q(pk__in=org_ids) | Q(parent__in=org_ids))
    form = forms.RegisterFilterForm(request.GET or None, units=units)
    documents = register_documents(user, form.cleaned_data if form.is_valid() else None)
    page = _IdPaginator(documents.values_list("pk", flat=True), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    found = documents.order_by().in_bulk(page.object_list)
    page.object_list = [found[pk] for pk in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "desk/register.html", {"form": form, "page": page, "query": query.urlencode()}
    )


# --- the document -------------------------------------------------------------


def _diff(versions, a, b):
    by_number = {v.number: v for v in versions}
    old, new = by_number.get(a), by_number.get(b)
    if old is None or new is None:
        return None
    lines = []
    for line in difflib.unified_diff(
        old.text.splitlines(), new.text.splitlines(), f"第{a}稿", f"第{b}稿", lineterm=""
    ):
        kind = {"+": "add", "-": "del", "@": "hunk"}.get(line[:1], "same")
        if line.startswith(("+++", "---")):
            kind = "file"
        lines.append((kind, line))
    return {"a": old, "b": new, "lines": lines}


def _filing_deadline(document, latest_filing):
    """备案条例 art. 3 (rules.filing_due): a resubmission keeps the first deadline; in a
    year without calendar data the deadline is shown as unknown."""
    if latest_filing is not None:
        return latest_filing.due_on
    publication = getattr(document, "publication", None)
    if publication is None:
        return None
    try:
        return rules.filing_due(document.settings, publication.published_on, WorkingCalendar())
    except CalendarMissing as missing:
        return rules.unknown_text(missing)


def _next_steps(document, user):
    # Both kinds of refusal for every step: the guards ask for the same records
    # (the latest filing and its review, ...), read once for the page.
    document.remember_reads()
    steps = []
    for transition in document.get_all_state_transitions():
        if transition.source != document.state:
            continue
        reasons = lifecycle.refusals(document, transition.name)
        steps.append(
            {
                "label": transition.custom.get("label", transition.name),
                "reasons": reasons,
                # what the entered values must meet (rules.check_*), checked on submission
                "rule": lifecycle.input_rule(document, transition.name),
                "mine": not reasons and transition.has_perm(document, user),
            }
        )
    return steps


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
    diff = None
    if request.GET.get("a") and request.GET.get("b"):
        try:
            diff = _diff(versions, int(request.GET["a"]), int(request.GET["b"]))
        except ValueError:
            diff = None
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
    # The process ids first: given `process IN (subquery)` and `status IN (...)`, SQLite
    # drives the query from the status index and reads every open task in the system.
    process_ids = list(processes_of(document).values_list("pk", flat=True))
    tasks = list(
        Task.objects.filter(process_id__in=process_ids, status__in=OPEN)
        .exclude(flow_task_type__in=["TIMER", "END", "START"])
        .select_related("process", "owner")
        .order_by("created")
    )
    rows = _rows([t for t in tasks if t.flow_task_type == "HUMAN"])
    for row in rows:
        task = row["task"]
        row["mine"] = task.flow_task.can_execute(user, task) or task.flow_task.can_assign(
            user, task
        )
    comment_open = any(t.flow_task == IssuingFlow.comment for t in tasks)
    is_drafter = has_role(user, document.organisation_id, Role.DRAFTER)
    latest_filing = filings[-1] if filings else None
    is_filing_reviewer = latest_filing is not None and has_role(
        user, latest_filing.authority_id, Role.FILING_REVIEWER
    )
    corrections = list(document.corrections.select_related("closed_by").order_by("issued_on", "pk"))
    open_correction = next((c for c in corrections if c.closed_on is None), None)
    latest_review = reviews[-1] if reviews else None
    latest_review_record = getattr(latest_filing, "review", None) if latest_filing else None
    deadlines = [
        (
            _("合法性审核期限"),
            latest_review.due_on if latest_review and not latest_review.outcome else None,
        ),
        (
            _("报送备案期限"),
            # 备案条例 art. 3: shown until filed
            _filing_deadline(document, latest_filing)
            if document.state in (State.PUBLICATION, State.FILING)
            else None,
        ),
        (
            _("备案审查期限"),
            latest_review_record.due_on
            if latest_review_record and document.state == State.FILING_REVIEW
            else None,
        ),
        (_("自行纠正期限"), open_correction.deadline if open_correction else None),
    ]
    context = {
        "document": document,
        "versions": versions,
        "diff": diff,
        "attachments": document.attachments.select_related("uploaded_by"),
        "reviews": reviews,
        "periods": document.comment_periods.annotate(n_comments=Count("comments")).order_by(
            "opens_on"
        ),
        "deliberations": document.deliberations.select_related("recorded_by").order_by(
            "meeting_date", "pk"
        ),
        "registration": getattr(document, "registration", None)
        if document.state not in (State.DRAFTING,)
        else None,
        "publication": getattr(document, "publication", None),
        "filings": filings,
        "corrections": corrections,
        "events": document.audit_events.order_by("seq"),
        "rows": rows,
        "comment_open": comment_open,
        "next_steps": _next_steps(document, user),
        # a date, or the text of an unknown deadline (rules.unknown_text)
        "deadlines": [
            (label, day, isinstance(day, datetime.date)) for label, day in deadlines if day
        ],
        "today": timezone.localdate(),
        "can_edit": is_drafter and document.state in (State.DRAFTING, State.REVISION),
        "can_attach": has_role(user, document.organisation_id, *actions.ATTACHMENT_ROLES),
        "is_drafter": is_drafter,
        "can_extend": is_filing_reviewer and document.state == State.FILING_REVIEW,
        "version_form": forms.VersionForm(prefix="version"),
        "attachment_form": forms.AttachmentForm(prefix="attachment"),
        "close_form": forms.CloseCommentForm(prefix="close"),
        "extend_form": forms.ExtendReviewForm(prefix="extend"),
        # Every output is offered; one whose step has not happened yet says so when asked.
        "outputs": [(kind, reports.KINDS[kind]) for kind in reports.DOCUMENT_KINDS],
    }
    return render(request, "desk/document.html", context)


def _document_action(request, pk, form_class, call, success, roles=(), prefix=None):
    """POST a document-level form (not a task): validate, call the action, say what happened.
    A user without one of `roles` in the issuing body gets a 403 whatever the stage."""
    document = get_object_or_404(visible_documents(request.user), pk=pk)
    if roles and not has_role(request.user, document.organisation_id, *roles):
        raise PermissionDenied
    form = form_class(request.POST, request.FILES, prefix=prefix)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        try:
            with transaction.atomic():
                call(document, form.cleaned_data)
        except Refused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, success)
    return redirect(_safe_next(request, reverse("desk:document", args=[document.pk])))


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
        task = open_task(document, IssuingFlow.comment)
        if task is None:
            raise Refused(_("没有正在进行的征求意见"))
        run_handle(IssuingFlow.comment, task, by=request.user, summary=data["summary"])

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
        review = actions.extend_filing_review(document, by=request.user, reason=data["reason"])
        task = open_task(document, FilingReviewFlow.review)
        if task is not None:
            task.data = {**(task.data or {}), "due_on": review.due_on.isoformat()}
            task.data.pop("escalation", None)
            task.save(update_fields=["data"])

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
        data = dict(form.cleaned_data)
        try:
            with transaction.atomic():
                document = actions.create_document(by=request.user, **data)
                IssuingFlow.start.run(document=document)
        except Refused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("文件已创建，请提交送审稿和附件"))
            return redirect("desk:document", document.pk)
    return render(request, "desk/document_new.html", {"form": form})


# --- task forms ---------------------------------------------------------------


def _draft(document, user, d):
    if d["decision"] == "comment":
        actions.open_comment_period(
            document,
            by=user,
            opens_on=d["opens_on"],
            closes_on=d["closes_on"],
            channel=d["channel"],
            urgent_reason=d["urgent_reason"],
        )
    elif d["decision"] == "withdraw":
        actions.withdraw(document, by=user, reason=d["withdraw_reason"])
    else:
        actions.submit_for_review(
            document,
            by=user,
            requested_working_days=d["requested_working_days"],
            urgent_reason=d["urgent_reason"],
        )


def _legal_review(document, user, d):
    actions.classify(document, by=user, normative=d["normative"], note=d["classification_note"])
    if d["normative"]:
        actions.record_legality_review(
            document, by=user, outcome=d["outcome"], checklist=d["checklist"], opinion=d["opinion"]
        )


def _filing_review(document, user, d):
    if d["decision"] == "defer":
        actions.defer_filing(document, by=user, to_supply=d["to_supply"])
    elif d["decision"] == "correct":
        actions.require_correction(
            document,
            by=user,
            substantive=d["substantive"],
            findings=d["findings"],
            suggestion=d["suggestion"],
        )
    else:
        actions.accept_filing(
            document, by=user, substantive=d["substantive"], findings=d["findings"]
        )


def _recheck(document, user, d):
    if d["decision"] == "reopen":
        actions.reopen_correction(document, by=user, reason=d["note"])
    else:
        actions.accept_correction(document, by=user, note=d["note"])


TASKS = {
    (IssuingFlow, "draft"): (forms.DraftTaskForm, _draft),
    (IssuingFlow, "legal_review"): (forms.LegalReviewForm, _legal_review),
    (IssuingFlow, "advisor_signoff"): (
        forms.AdvisorForm,
        lambda doc, user, d: actions.sign_advisor_opinion(
            doc, by=user, opinion=d["opinion"], agrees=d["agrees"]
        ),
    ),
    (IssuingFlow, "deliberate"): (
        forms.DeliberationForm,
        lambda doc, user, d: actions.record_deliberation(doc, by=user, **d),
    ),
    (IssuingFlow, "register"): (
        forms.ConfirmForm,
        lambda doc, user, d: actions.register_and_number(doc, by=user),
    ),
    (IssuingFlow, "publish"): (
        forms.PublishForm,
        lambda doc, user, d: actions.publish(doc, by=user, **d),
    ),
    (IssuingFlow, "file"): (
        forms.FileForm,
        lambda doc, user, d: actions.file_with_authority(doc, by=user, report=d["report"]),
    ),
    (FilingReviewFlow, "review"): (forms.FilingReviewForm, _filing_review),
    (FilingReviewFlow, "resubmit"): (
        forms.FileForm,
        lambda doc, user, d: actions.file_with_authority(doc, by=user, report=d["report"]),
    ),
    (FilingReviewFlow, "correct"): (
        forms.CorrectionReportForm,
        lambda doc, user, d: actions.report_correction(
            doc, by=user, handling_report=d["handling_report"]
        ),
    ),
    (FilingReviewFlow, "recheck"): (forms.RecheckForm, _recheck),
}


def _open_task_or_404(request, flow_label, process_pk, task_pk):
    """The open human task at this URL — its id, process and flow must all agree — on a
    document the user may see; anything else is a 404 (no tampering by URL)."""
    flow_class = FLOW_LABELS.get(flow_label)
    if flow_class is None:
        raise Http404
    task = get_object_or_404(
        Task.objects.select_related("process", "owner"),
        pk=task_pk,
        process_id=process_pk,
        process__flow_class=flow_class,
        flow_task_type="HUMAN",
        status__in=OPEN,
    )
    if task.flow_task is None or task.flow_task.flow_class is not flow_class:
        raise Http404
    document = get_object_or_404(
        visible_documents(request.user), pk=task.process.artifact_object_id
    )
    return flow_class, task, document


@login_required
def task_detail(request, flow_label, process_pk, task_pk):
    flow_class, task, document = _open_task_or_404(request, flow_label, process_pk, task_pk)
    node = task.flow_task
    if not (node.can_execute(request.user, task) or node.can_assign(request.user, task)):
        raise PermissionDenied
    form_class, handler = TASKS[(flow_class, node.name)]
    # A form that checks the rules on what is entered is given the document.
    checked = {"document": document} if issubclass(form_class, forms.RuleChecked) else {}
    form = form_class(request.POST if request.method == "POST" else None, **checked)
    if request.method == "POST" and form.is_valid():
        try:
            perform(task, request.user, lambda doc: handler(doc, request.user, form.cleaned_data))
        except Refused as refused:
            messages.error(request, refused.message)
            task.refresh_from_db()
            if task.status not in OPEN:  # done by someone else meanwhile: nothing left here
                return redirect("desk:document", document.pk)
        else:
            messages.success(request, _("“%(task)s”已办结") % {"task": node.task_title})
            return redirect("desk:document", document.pk)
    context = {
        "task": task,
        "document": document,
        "form": form,
        "title": node.task_title,
        "versions": document.versions.order_by("-number")[:1],
        "attachments": document.attachments.all(),
        "version_form": forms.VersionForm(prefix="version") if node.name == "draft" else None,
        "attachment_form": forms.AttachmentForm(prefix="attachment")
        if node.name == "draft"
        else None,
        "due_on": (task.data or {}).get("due_on") or _due_unknown(task),
        "may_claim": task.owner_id is None and node.can_assign(request.user, task),
        "may_release": task.owner_id is not None and node.can_unassign(request.user, task),
    }
    if node.name in BRIEFED_TASKS:
        # 37号 and §4: the 征求意见及采纳情况 goes to the legality review and the
        # deliberation; the meeting also decides on the legality opinion.
        period = (
            document.comment_periods.filter(closed_at__isnull=False).order_by("-closes_on").first()
        )
        context["comment_summary"] = comments.summary_text(period) if period else None
        if node.name == "deliberate":
            context["legality_review"] = document.latest_review
    return render(request, "desk/task.html", context)


@login_required
@require_POST
def task_claim(request, flow_label, process_pk, task_pk):
    _flow_class, task, _document = _open_task_or_404(request, flow_label, process_pk, task_pk)
    if not holds_key(request.user, task.owner_permission):  # not this task's role: 403
        raise PermissionDenied
    try:
        claim(task, request.user)
    except (NotPermitted, Refused) as refused:
        messages.error(request, refused.message)
        return redirect("desk:queue")
    messages.success(
        request, _("已领取“%(task)s”，见我的待办") % {"task": task.flow_task.task_title}
    )
    return redirect(task_url(task))


@login_required
@require_POST
def task_release(request, flow_label, process_pk, task_pk):
    _flow_class, task, _document = _open_task_or_404(request, flow_label, process_pk, task_pk)
    try:
        release(task, request.user)
    except NotPermitted:
        raise PermissionDenied from None
    except Refused as refused:  # the process is busy with someone else's action
        messages.error(request, refused.message)
        return redirect(task_url(task))
    messages.success(request, _("已将“%(task)s”退回待领取") % {"task": task.flow_task.task_title})
    return redirect("desk:queue")


BRIEFED_TASKS = {"legal_review", "advisor_signoff", "deliberate"}
