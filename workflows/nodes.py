"""Flow building blocks: a human task held by a role in the issuing body or the
filing authority, with its deadline from review.rules.

The deadline is copied into `task.data["due_on"]` when the task is created so
that inboxes sort and filter by it in SQL; the document's own records stay the
source of truth (an extended review moves it: `FlowSupport.mark_overdue` reads
the deadline again before marking a task overdue). A deadline that falls in a
year without calendar data is unknown (review.rules): the task gets
`data["due_unknown"]` (the year) instead of a date, its page says so, and its
timers do not fire.
"""

import datetime

from django.utils import timezone
from viewflow.utils import is_owner
from viewflow.workflow import flow
from viewflow.workflow.status import STATUS

from review import rules
from review.calendar import CalendarMissing, WorkingCalendar
from review.models import NormativeDocument

from .roles import holds_key, role_key

ISSUER = "issuer"
AUTHORITY = "authority"


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
    return review.due_on if review else None


def filing_due(document):
    """备案条例 art. 3: rules.filing_due (a resubmission keeps the first deadline). Raises
    CalendarMissing when it falls in a year without calendar data."""
    filing = document.latest_filing
    if filing is not None:
        return filing.due_on
    publication = getattr(document, "publication", None)
    if publication is None:
        return None
    return rules.filing_due(document.settings, publication.published_on, WorkingCalendar())


def filing_review_due(document):
    filing = document.latest_filing
    review = getattr(filing, "review", None) if filing else None
    return review.due_on if review else None


def correction_due(document):
    correction = document.open_correction
    return correction.deadline if correction else None


def _moment(day):
    """The first moment of `day` in the project's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def timeout_at(due, days_before=0):
    """A viewflow timer delay: the moment a task becomes overdue (the day after its
    deadline) or, with `days_before`, the start of its due-soon warning."""

    def delay(activation):
        try:
            day = due(document_of(activation.process))
        except CalendarMissing:
            day = None
        if day is None:  # no deadline, or an unknown one (no calendar data): never fires
            return timezone.now() + rules.UNKNOWN_DEADLINE_WAIT
        return _moment(rules.overdue_on(day, days_before))

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
        try:
            day = self.due(document_of(activation.process))
        except CalendarMissing as missing:
            # Someone else's lawful act created this task: never refuse it for want of
            # calendar data; the page shows the deadline as unknown.
            activation.task.data = {**(activation.task.data or {}), "due_unknown": missing.year}
            activation.task.save(update_fields=["data"])
            return
        if day is not None:
            activation.task.data = {**(activation.task.data or {}), "due_on": day.isoformat()}
            activation.task.save(update_fields=["data"])

    def can_assign(self, user, task):
        if task.owner_id or user is None or not user.is_authenticated:
            return False
        return holds_key(user, task.owner_permission)

    def can_execute(self, user, task):
        return is_owner(task.owner, user) and holds_key(user, task.owner_permission)
