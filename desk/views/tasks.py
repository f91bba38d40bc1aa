"""The task pages: my tasks, the queue of my roles, the archive, and a task's form.

Views are short: load what the user may see (another organisation's document is
a 404), check the role (403), let the flow run the task's handler
(workflows.handlers), show its refusal as a message or redirect. The flows say
who acts next; the actions say what is lawful.
"""

import datetime
import functools

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import CharField, F
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from config.sorting import Sorting
from review import comments, numbering, rules
from review.calendar import CalendarMissing
from review.errors import NotPermitted, Refused
from review.models import NormativeDocument, Organisation, Role
from workflows import delegation
from workflows.driving import OPEN, claim, perform, release
from workflows.flows import FLOWS, FilingReviewFlow, IssuingFlow
from workflows.handlers import handler_of
from workflows.roles import holds_key, keys_of, parse_key

from .. import forms, forms_filing
from . import flags, texts
from .common import PAGE_SIZE, login_required, visible_documents
from .filing import filing_brief

FLOW_LABELS = {"issuing": IssuingFlow, "filing-review": FilingReviewFlow}
LABEL_OF_FLOW = {flow_class: label for label, flow_class in FLOW_LABELS.items()}

# The form of each human task; what it does is the flow's (workflows.handlers).
FORMS = {
    (IssuingFlow, "draft"): forms.DraftTaskForm,
    (IssuingFlow, "legal_review"): forms.LegalReviewForm,
    (IssuingFlow, "advisor_signoff"): forms.AdvisorForm,
    (IssuingFlow, "deliberate"): forms.DeliberationForm,
    (IssuingFlow, "register"): forms.RegisterForm,
    (IssuingFlow, "publish"): forms.PublishForm,
    (IssuingFlow, "file"): forms.FileForm,
    (FilingReviewFlow, "register"): forms_filing.RegistrationForm,
    (FilingReviewFlow, "review"): forms_filing.FilingReviewForm,
    (FilingReviewFlow, "resubmit"): forms_filing.SupplementForm,
    (FilingReviewFlow, "correct"): forms_filing.CorrectionReportForm,
    (FilingReviewFlow, "recheck"): forms_filing.RecheckForm,
}

# 37号 and §4: the 征求意见及采纳情况 goes to the legality review and the
# deliberation; the meeting also decides on the legality opinion.
BRIEFED_TASKS = {"legal_review", "advisor_signoff", "deliberate"}
# Tasks that show the text under review beside their form (desk/includes/task_text.html);
# the filing review reads the published text.
READING_TASKS = {"legal_review", "advisor_signoff", "review"}


def _reading(document, user, node_name=""):
    """The version under legality review (else the latest), as texts.reading gives it."""
    review = document.latest_review if node_name != "review" else None
    version = review.version if review is not None else document.current_version
    if version is None:
        return None
    version.document = document
    return texts.reading(document, version, user)


# How many claimable tasks the inbox shows below the user's own (the rest: 待领取).
QUEUE_PREVIEW = 20


def due_on():
    """A task's deadline as ISO text (it is copied into task.data when the task is created)."""
    return Cast(KT("data__due_on"), CharField(max_length=10))


def task_url(task):
    return reverse(
        "desk:task", args=[LABEL_OF_FLOW[task.flow_task.flow_class], task.process_id, task.pk]
    )


# --- task lists -------------------------------------------------------------


def _holder(task, organisations):
    if task.owner_id:
        return task.owner.get_full_name() or task.owner.get_username()
    role, org_id = parse_key(task.owner_permission)
    if role is None:
        return ""
    org = organisations.get(org_id)
    return f"{org.short_name if org else ''}{Role(role).label}"


def _due_unknown(task):
    """review.rules: a task whose deadline falls in a year without calendar data says so."""
    year = (task.data or {}).get("due_unknown")
    return rules.unknown_text(CalendarMissing(year)) if year else ""


def _due_text(task):
    """A task's deadline as its page shows it, 暂定 when provisional (review.rules.shown)."""
    data = task.data or {}
    if not data.get("due_on"):
        return _due_unknown(task)
    day = datetime.date.fromisoformat(data["due_on"])
    return rules.shown(rules.stored(day, data.get("due_provisional", False)))


def task_rows(tasks):
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
                "due_provisional": bool((task.data or {}).get("due_provisional")),
                "overdue": due is not None and due < today and task.finished is None,
                "escalation": (task.data or {}).get("escalation", ""),
                "holder": _holder(task, organisations),
            }
        )
    return rows


# The sortable columns of a task list (?sort=, desk.sorting); by deadline by default,
# tasks without one last, the oldest first among equals.
SORT_COLUMNS = {
    "due": (F("due").asc(nulls_last=True), "created", "pk"),
    "task": ("flow_task", "created", "pk"),
    "created": ("created", "pk"),
    "status": ("status", "created", "pk"),
    "finished": ("finished", "pk"),
}


def _ordered(queryset, kind, order=None):
    queryset = queryset.filter(flow_task_type="HUMAN").select_related("process", "owner")
    if kind == "archive":
        return queryset.order_by(*(order or ("-finished",)))
    return queryset.annotate(due=due_on()).order_by(
        *(order or (F("due").asc(nulls_last=True), "created"))
    )


def claimable(user):
    """The free tasks the user's roles may take (viewflow's queue, narrowed to the
    role keys the user holds in each organisation)."""
    return Task.objects.filter_available(FLOWS, user).filter(
        status=STATUS.NEW, owner_permission__in=keys_of(user)
    )


@functools.cache
def _steps():
    """{key: (flow node, title)} of every human step, for the step filter."""
    return {
        f"{LABEL_OF_FLOW[flow_class]}.{flow_task.name}": (flow_task, str(flow_task.task_title))
        for (flow_class, name), _form in FORMS.items()
        for flow_task in [getattr(flow_class, name)]
    }


def _filtered(request, queryset, kind):
    """The list narrowed by the filter form (GET), and the form."""
    form = forms.TaskFilterForm(request.GET or None, steps=_steps(), archive=kind == "archive")
    if not form.is_valid():
        return queryset, form
    step = form.cleaned_data.get("step")
    if step:
        queryset = queryset.filter(flow_task=_steps()[step][0])
    if form.cleaned_data.get("overdue"):
        queryset = queryset.filter(due__lt=timezone.localdate().isoformat())
    return queryset, form


def _task_page(request, queryset, kind, title, extra=None):
    columns = dict(SORT_COLUMNS)
    if kind == "archive":
        del columns["due"], columns["status"]
    else:
        del columns["finished"]
    sorting = Sorting(request, columns, "-finished" if kind == "archive" else "due")
    tasks, form = _filtered(request, _ordered(queryset, kind, sorting.order_by()), kind)
    page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "rows": task_rows(page.object_list),
        "kind": kind,
        "title": title,
        "claim": kind == "queue",
        "sorting": sorting,
        "filter_form": form,
        "query": query.urlencode(),
    }
    return render(request, "desk/tasks.html", {**context, **(extra or {})})


@login_required
def inbox(request):
    """My tasks and, below them, the first of those my roles may claim, so that work
    waiting in 待领取 is never hidden behind an empty inbox."""
    free = _ordered(claimable(request.user), "queue")
    free_rows = task_rows(free[:QUEUE_PREVIEW])
    extra = {
        "free_rows": free_rows,
        "free_more": len(free_rows) == QUEUE_PREVIEW and free[QUEUE_PREVIEW:].exists(),
    }
    return _task_page(request, delegation.inbox(FLOWS, request.user), "inbox", _("我的待办"), extra)


@login_required
def queue(request):
    return _task_page(request, claimable(request.user), "queue", _("待领取"))


@login_required
def archive(request):
    return _task_page(request, Task.objects.archive(FLOWS, request.user), "archive", _("已办"))


# --- a task -------------------------------------------------------------------


class _TaskClosed(Exception):
    """The task at this URL was done or cancelled meanwhile (a second click, a colleague
    first): its document's page says so, not a 404."""

    def __init__(self, document):
        super().__init__(document.pk)
        self.document = document


def _closed_task_goes_to_its_document(view):
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except _TaskClosed as closed:
            messages.info(request, _("此任务已办结或已取消，无需再办理"))
            return redirect("desk:document", closed.document.pk)

    return wrapped


def _open_task_or_404(request, flow_label, process_pk, task_pk):
    """The open human task at this URL — its id, process and flow must all agree — on a
    document the user may see; anything else is a 404 (no tampering by URL). A task that
    is no longer open, on a document the user may see, raises _TaskClosed."""
    flow_class = FLOW_LABELS.get(flow_label)
    if flow_class is None:
        raise Http404
    task = get_object_or_404(
        Task.objects.select_related("process", "owner"),
        pk=task_pk,
        process_id=process_pk,
        process__flow_class=flow_class,
        flow_task_type="HUMAN",
    )
    if task.flow_task is None or task.flow_task.flow_class is not flow_class:
        raise Http404
    document = get_object_or_404(
        visible_documents(request.user), pk=task.process.artifact_object_id
    )
    if task.status not in OPEN:
        raise _TaskClosed(document)
    return flow_class, task, document


def _step_context(task, document):
    """What the step needs in front of it. `includes`: the page of a step may add its
    own part, `desk/task/<flow label>_<node>.html` (e.g. filing-review_resubmit.html),
    shown above the form; a step without one gets the empty `desk/task/none.html`."""
    node = task.flow_task
    label = LABEL_OF_FLOW[node.flow_class]
    context = {"includes": [f"desk/task/{label}_{node.name}.html", "desk/task/none.html"]}
    if node is IssuingFlow.register:
        # Only read: the numbers are taken when the task is done (a registration
        # elsewhere meanwhile takes the next one first).
        context["numbers"] = numbering.preview(document, timezone.localdate())
    return context


def _task_context(request, task, document, form, review_flags=None):
    node = task.flow_task
    drafting = node.name == "draft"
    context = {
        "task": task,
        "document": document,
        "form": form,
        "title": node.task_title,
        "versions": document.versions.order_by("-number")[:1],
        "attachments": document.attachments.all(),
        "version_form": forms.VersionForm(prefix="version") if drafting else None,
        "attachment_form": forms.AttachmentForm(prefix="attachment") if drafting else None,
        "due_on": _due_text(task),
        "may_claim": task.owner_id is None and node.can_assign(request.user, task),
        "may_release": task.owner_id is not None and node.can_unassign(request.user, task),
        "filing_brief": filing_brief(document, node.name)
        if node.flow_class is FilingReviewFlow
        else None,
        "review_flags": review_flags,
    }
    if node.name in READING_TASKS:
        context["reading"] = _reading(document, request.user, node.name)
    context.update(_step_context(task, document))
    if node.name in BRIEFED_TASKS:
        period = (
            document.comment_periods.filter(closed_at__isnull=False).order_by("-closes_on").first()
        )
        context["comment_summary"] = comments.summary_text(period) if period else None
        # The advisor gives an opinion on the conclusion; the meeting sees both, and an
        # advisor's disagreement as it was written.
        context["legality_review"] = document.latest_review
        if node.name == "deliberate":
            context["advisor_opinions"] = document.advisor_opinions_on_current()
    return context


def _tell_of_follow_up(request, task):
    """The next task of the same role was assigned to the user who just finished
    (workflows.nodes.RoleView): say where it is."""
    follow_up = (
        Task.objects.filter(
            process_id=task.process_id,
            owner=request.user,
            status=STATUS.ASSIGNED,
            flow_task_type="HUMAN",
        )
        .exclude(pk=task.pk)
        .first()
    )
    if follow_up is not None:
        messages.info(
            request,
            _("下一步“%(task)s”已转入您的待办，无需再领取")
            % {"task": follow_up.flow_task.task_title},
        )


@login_required
@_closed_task_goes_to_its_document
def task_detail(request, flow_label, process_pk, task_pk):
    flow_class, task, document = _open_task_or_404(request, flow_label, process_pk, task_pk)
    node = task.flow_task
    if not (node.can_execute(request.user, task) or node.can_assign(request.user, task)):
        raise PermissionDenied
    form_class, handler = FORMS[(flow_class, node.name)], handler_of(node)
    # A form that checks the rules on what is entered is given the document.
    checked = {"document": document} if issubclass(form_class, forms.RuleChecked) else {}
    posted = (request.POST, request.FILES) if request.method == "POST" else (None,)
    review_flags = flags.for_task(node.name, document)
    # Issue 19: the accepted flags draft the opinion the reviewer edits.
    initial = {review_flags["field"]: review_flags["draft"]} if review_flags else {}
    form = form_class(*posted, initial=initial, **checked)
    if request.method == "POST" and form.is_valid():
        try:
            by = delegation.acting_as(request.user, task)  # 代理: the holder's name
            perform(task, request.user, lambda doc: handler(doc, by, form.cleaned_data))
        except Refused as refused:
            messages.error(request, refused.message)
            task.refresh_from_db()
            if task.status not in OPEN:  # done by someone else meanwhile: nothing left here
                return redirect("desk:document", document.pk)
        else:
            messages.success(request, _("“%(task)s”已办结") % {"task": node.task_title})
            _tell_of_follow_up(request, task)
            return redirect("desk:document", document.pk)
    context = _task_context(request, task, document, form, review_flags)
    return render(request, "desk/task.html", context)


@login_required
@require_POST
@_closed_task_goes_to_its_document
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
@_closed_task_goes_to_its_document
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
