"""The home page of each user: what is mine, what is overdue, what I sent that
is waiting on others, and the pages the user's roles open (desk.navigation)."""

from django.db.models import F, Q
from django.shortcuts import render
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from workflows import delegation
from workflows.driving import OPEN
from workflows.flows import FLOWS
from workflows.roles import keys_of

from ..navigation import links_for
from .common import login_required
from .tasks import claimable, due_on, task_rows

SHOWN = 10  # rows per section; each section links to its full list


def _open_human(queryset):
    return queryset.filter(flow_task_type="HUMAN", status__in=OPEN)


def _by_deadline(queryset):
    return (
        queryset.select_related("process", "owner")
        .annotate(due=due_on())
        .order_by(F("due").asc(nulls_last=True), "created")
    )


def overdue_tasks(user):
    """Open tasks that are mine or that my roles may claim, past their deadline (the
    stored ISO date sorts as text)."""
    mine_or_free = Q(owner=user) | Q(owner__isnull=True, owner_permission__in=keys_of(user))
    tasks = _open_human(Task.objects.all()).filter(mine_or_free)
    return _by_deadline(tasks).filter(due__lt=timezone.localdate().isoformat())


def waiting_on_others(user):
    """Open tasks held by someone else (or another role) in the processes where I
    finished a task: what I sent on and what has become of it."""
    sent_in = Task.objects.filter(owner=user, status=STATUS.DONE, flow_task_type="HUMAN").values(
        "process_id"
    )
    return (
        _by_deadline(_open_human(Task.objects.filter(process_id__in=sent_in)))
        .exclude(owner=user)
        .exclude(owner__isnull=True, owner_permission__in=keys_of(user))
    )


def _section(queryset):
    rows = task_rows(queryset[: SHOWN + 1])
    return {"rows": rows[:SHOWN], "more": len(rows) > SHOWN}


@login_required
def home(request):
    user = request.user
    context = {
        "mine": _section(_by_deadline(_open_human(delegation.inbox(FLOWS, user)))),
        "free": _section(_by_deadline(claimable(user).filter(flow_task_type="HUMAN"))),
        "overdue": _section(overdue_tasks(user)),
        "waiting": _section(waiting_on_others(user)),
        "links": links_for(user),
    }
    return render(request, "desk/home.html", context)
