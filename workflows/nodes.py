"""Flow building blocks: a human task held by a role in the issuing body or the
filing authority, with its deadline from review.rules.

The deadline is copied into `task.data["due_on"]` when the task is created so
that inboxes sort and filter by it in SQL; the document's own records stay the
source of truth (an extended review moves it: `FlowSupport.mark_overdue` reads
the deadline again before marking a task overdue). A deadline that reaches a year
whose holiday schedule is not yet known is provisional (暂定, review.calendar): the
task gets `data["due_provisional"] = True` beside the date, its page says 暂定, and
its timers are set from that date. When an administrator marks the year complete,
`refresh_provisional_tasks` (on review's `year_completed` signal) counts each such
task's deadline again and moves its timers.
"""

import datetime

from django.db import models
from django.dispatch import receiver
from django.utils import timezone
from viewflow.utils import is_owner
from viewflow.workflow import flow
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from review import audit, rules
from review.calendar import WorkingCalendar, year_completed
from review.lifecycle import open_demand
from review.models import NormativeDocument

from .delegation import principal_for
from .roles import holds_key, role_key

ISSUER = "issuer"
AUTHORITY = "authority"
DUE_SOON_DAYS = 3  # a task is marked 即将到期 this many days before its deadline


def document_of(process):
    """The NormativeDocument a process works on (process.artifact), cached on the process."""
    document = getattr(process, "_guifan_document", None)
    if document is None:
        document = NormativeDocument.objects.select_related("organisation").get(
            pk=process.artifact_object_id
        )
        process._guifan_document = document
    return document


def organisation_id(document, at):
    if at == AUTHORITY:
        filing = document.latest_filing
        return filing.authority_id if filing else document.organisation.files_with_id
    return document.organisation_id


# --- deadlines (each: document -> date or None) ---------------------------


def legality_review_due(document):
    review = document.latest_review
    return rules.stored(review.due_on, review.due_on_provisional) if review else None


def filing_due(document):
    """备案条例 art. 3: rules.filing_due (a resubmission keeps the first deadline);
    provisional when it reaches a year whose schedule is not yet known."""
    filing = document.latest_filing
    if filing is not None:
        return rules.stored(filing.due_on, filing.due_on_provisional)
    demand = open_demand(document)
    if demand is not None:  # 限期报送 (备案条例 art. 20): the demand's deadline
        return rules.stored(demand.deadline, demand.deadline_provisional)
    publication = getattr(document, "publication", None)
    if publication is None:
        return None
    return rules.filing_due(document.settings, publication.published_on, WorkingCalendar())


def filing_review_due(document):
    filing = document.latest_filing
    review = getattr(filing, "review", None) if filing else None
    return rules.stored(review.due_on, review.due_on_provisional) if review else None


def correction_due(document):
    correction = document.open_correction
    return (
        rules.stored(correction.deadline, correction.deadline_provisional) if correction else None
    )


def _moment(day):
    """The first moment of `day` in the project's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def timeout_at(due, days_before=0):
    """A viewflow timer delay: the moment a task becomes overdue (the day after its
    deadline) or, with `days_before`, the start of its due-soon warning."""

    def delay(activation):
        return _timer_moment(due(document_of(activation.process)), days_before)

    return delay


def previous_human_task(task, hops=4):
    """The human task whose completion led to `task`, through the gateways and functions
    between them (None if there is none within `hops`)."""
    previous = task.previous.order_by("-finished", "-pk").first()
    while previous is not None and hops > 0:
        if previous.flow_task_type == "HUMAN":
            return previous
        previous = previous.previous.order_by("-finished", "-pk").first()
        hops -= 1
    return None


def _timer_moment(day, days_before):
    if day is None:  # no deadline: never fires
        return timezone.now() + rules.UNKNOWN_DEADLINE_WAIT
    # A provisional deadline sets the timer too; it is moved when the year is known.
    return _moment(rules.overdue_on(day, days_before))


def with_due(data, day):
    """A task's data with its deadline (and whether it is provisional) written in."""
    data = {**(data or {})}
    data.pop("due_unknown", None)  # stored before deadlines could be provisional
    data.pop("due_provisional", None)
    if day is None:
        data.pop("due_on", None)
        return data
    data["due_on"] = day.isoformat()
    if rules.is_provisional_deadline(day):
        data["due_provisional"] = True
    return data


class RoleView(flow.View):
    """A human task that `role` in the issuing body (or the filing authority) may take."""

    def __init__(self, role, at=ISSUER, due=None, **kwargs):
        super().__init__(view=None, **kwargs)
        self.role = role
        self.at = at
        self.due = due
        self.Permission(self._permission)
        self.onCreate(self._on_create_task)

    def _permission(self, activation):
        document = document_of(activation.process)
        return role_key(self.role, organisation_id(document, self.at))

    def _on_create_task(self, activation):
        self._store_due(activation)
        self._assign_follow_up(activation)

    def _assign_follow_up(self, activation):
        """A task that follows one its holder just finished, for the same role in the
        same organisation (登记编号 then 公布; a deliberation put off to the next
        meeting), is theirs at once: they need not claim it again."""
        task = activation.task
        if task.owner_id is not None:
            return
        previous = previous_human_task(task)
        if (
            previous is not None
            and previous.status == STATUS.DONE
            and previous.owner is not None
            and previous.owner_permission == task.owner_permission
            and holds_key(previous.owner, task.owner_permission)
        ):
            task.owner = previous.owner
            task.status = STATUS.ASSIGNED
            task.save(update_fields=["owner", "status"])

    def _store_due(self, activation):
        if self.due is None:
            return
        day = self.due(document_of(activation.process))
        if day is not None:
            activation.task.data = with_due(activation.task.data, day)
            activation.task.save(update_fields=["data"])

    def can_assign(self, user, task):
        if task.owner_id or user is None or not user.is_authenticated:
            return False
        return holds_key(user, task.owner_permission)

    def can_execute(self, user, task):
        """The task's holder, in the task's role; or their delegate (代理) within the
        period, for this task only (workflows.delegation)."""
        if is_owner(task.owner, user) and holds_key(user, task.owner_permission):
            return True
        return principal_for(user, task) is not None


# --- a year marked complete: provisional task deadlines and their timers -------------

OPEN = [STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED]
# flows._escalating attaches the due-soon timer first and the overdue timer second;
# viewflow names them "<task>__timeout" and "<task>__timeout_2" (Node.OnTimeout).
DUE_SOON_TIMER_SUFFIX = "__timeout"


def _live_deadline(task, document):
    """A deadline no review record stores (the filing deadline before the first
    filing): the task is its only holder, so its move is audited here."""
    return task.flow_task.due is filing_due and document.latest_filing is None


def refresh_task_deadline(task, *, by=None, year=None):
    """Count `task`'s deadline again (a year's schedule has changed) and move its
    timers. Returns the new deadline when it moved, else None."""
    document = document_of(task.process)
    day = task.flow_task.due(document)
    old = (task.data or {}).get("due_on")
    task.data = with_due(task.data, day)
    task.save(update_fields=["data"])
    new = day.isoformat() if day is not None else None
    for timer in Task.objects.filter(
        previous=task, status=STATUS.SCHEDULED, flow_task_type="TIMER"
    ):
        due_soon = timer.flow_task.name.endswith(DUE_SOON_TIMER_SUFFIX)
        timer.scheduled = _timer_moment(day, DUE_SOON_DAYS if due_soon else 0)
        timer.save(update_fields=["scheduled"])
    if new == old:
        return None
    if _live_deadline(task, document):
        audit.record(
            action="recompute_deadline",
            document=document,
            actor=by,
            from_state=document.state,
            to_state=document.state,
            note=str(task.flow_task.task_title or task.flow_task.name),
            data={
                "record": "task",
                "pk": task.pk,
                "field": "filing_due",
                "from": old,
                "to": new,
                "provisional": rules.is_provisional_deadline(day),
                "year": year,
            },
        )
    return day


def refresh_provisional_tasks(*, by=None, year=None):
    """Every open task whose deadline is provisional (or was stored as unknown) gets it
    counted again. Returns the tasks whose deadline moved."""
    tasks = Task.objects.filter(status__in=OPEN, flow_task_type="HUMAN").filter(
        models.Q(data__due_provisional=True) | models.Q(data__has_key="due_unknown")
    )
    return [task for task in tasks if refresh_task_deadline(task, by=by, year=year)]


@receiver(year_completed)
def _year_completed(sender, *, year, by, **kwargs):
    refresh_provisional_tasks(by=by, year=year)
