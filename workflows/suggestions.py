"""Who handles a citizen's 审查建议 (法规规章备案条例 art. 9): one task per suggestion
for the filing reviewers of the authority it is addressed to, with its handling
period (review.rules.suggestion_due, stored on the suggestion). The task is done
when the suggestion is answered; reopening the document's review on the way starts
that document's own review process (workflows.flows.adopt).

The suggestion process is not one of `flows.FLOWS` (those work on a document): the
desk lists its tasks on the suggestions page (desk.views.suggestions)."""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from viewflow import this
from viewflow.utils import is_owner
from viewflow.workflow import flow, lock
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import STATUS

from review import suggestions
from review.errors import NotPermitted, Refused
from review.models import ReviewSuggestion
from review.states import Role

from .driving import _activation
from .flows import adopt
from .roles import holds_key, role_key

OPEN = [STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED]


def suggestion_of(process):
    return ReviewSuggestion.objects.select_related("authority", "document").get(
        pk=process.artifact_object_id
    )


class SuggestionView(flow.View):
    """The authority's filing reviewers handle the suggestion by its handling period."""

    def __init__(self, **kwargs):
        super().__init__(view=None, **kwargs)
        self.Permission(self._permission)
        self.onCreate(self._store_due)

    def _permission(self, activation):
        return role_key(Role.FILING_REVIEWER, suggestion_of(activation.process).authority_id)

    def _store_due(self, activation):
        # Only the date: the suggestion row holds whether it is provisional (暂定).
        suggestion = suggestion_of(activation.process)
        activation.task.data = {**(activation.task.data or {}), "due_on": str(suggestion.due_on)}
        activation.task.save(update_fields=["data"])

    def can_assign(self, user, task):
        if task.owner_id or user is None or not user.is_authenticated:
            return False
        return holds_key(user, task.owner_permission)

    def can_execute(self, user, task):
        return is_owner(task.owner, user) and holds_key(user, task.owner_permission)


class SuggestionFlow(flow.Flow):
    """审查建议办理"""

    process_title = gettext_lazy("审查建议办理")
    lock_impl = lock.select_for_update_lock

    start = flow.StartHandle(this.start_process).Next(this.handle)
    handle = SuggestionView().Annotation(title=gettext_lazy("办理审查建议")).Next(this.end)
    end = flow.End()

    def start_process(self, activation, suggestion):
        activation.process.artifact = suggestion
        activation.process.save()
        return activation.process

    def has_view_permission(self, user, obj=None):
        return user.is_authenticated


def processes_of(suggestion):
    return Process.objects.filter(
        flow_class=SuggestionFlow, artifact_object_id=suggestion.pk
    ).filter(artifact_content_type__model="reviewsuggestion")


def open_task(suggestion):
    return (
        Task.objects.filter(
            process__in=processes_of(suggestion), flow_task=SuggestionFlow.handle, status__in=OPEN
        )
        .order_by("-pk")
        .first()
    )


def open_tasks(authority_ids):
    """The open handling tasks of the authorities' suggestions (the desk's list)."""
    keys = [role_key(Role.FILING_REVIEWER, pk) for pk in authority_ids]
    return Task.objects.filter(
        flow_task=SuggestionFlow.handle, status__in=OPEN, owner_permission__in=keys
    ).select_related("process", "owner")


def submit(**entered):
    """The public form: the suggestion and its handling task, committed together."""
    with transaction.atomic():
        suggestion = suggestions.submit_suggestion(**entered)
        SuggestionFlow.start.run(suggestion=suggestion)
    return suggestion


def claim(suggestion, user):
    task = open_task(suggestion)
    if task is None:
        raise Refused(_("该审查建议已办结"))
    with _activation(task) as activation:
        if task.status != STATUS.NEW or not SuggestionFlow.handle.can_assign(user, task):
            raise NotPermitted(_("此任务已被他人领取，或您不能领取此任务"))
        activation.assign(user)


def reopen_review(suggestion, by, reason=""):
    """Reopen the document's filing review from the suggestion, and start the review
    process that gives the reviewer the 备案审查 task (then 提出审查意见 there)."""
    with transaction.atomic():
        row = suggestions.reopen_review(suggestion, by=by, reason=reason)
        adopt(row.document)
    return row


def answer(suggestion, by, outcome, reply):
    """The written answer, which completes the handling task (claimed first if free)."""
    task = open_task(suggestion)
    if task is None:
        raise Refused(_("该审查建议已答复办结"))
    node = SuggestionFlow.handle
    with _activation(task) as activation:
        if task.status == STATUS.NEW:
            if not node.can_assign(by, task):
                raise NotPermitted(_("您不能办理此任务"))
            activation.assign(by)
        if not node.can_execute(by, task):
            raise NotPermitted(_("此任务已由他人领取"))
        activation.start(request=None)
        row = suggestions.answer(suggestion, by=by, outcome=outcome, reply=reply)
        activation.execute()
    return row
