"""A person leaves: their account is deactivated (review.actions.set_active) and their
claimed tasks are handed over in the same transaction — back to the queue of the
task's role (退回待领取), or to a named successor who holds that role. Each task
handed over is an audit event on its document; the whole is one security-log entry."""

from django.db import transaction
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from review import actions, audit, security_log
from review.errors import Refused
from review.models import SecurityKind

from .driving import _activation
from .nodes import document_of
from .roles import holds_key


def claimed_tasks(user):
    return list(
        Task.objects.filter(owner=user, status=STATUS.ASSIGNED, flow_task_type="HUMAN")
        .select_related("process")
        .order_by("pk")
    )


def _check_successor(user, successor, tasks):
    if successor is None:
        return
    if successor.pk == user.pk or not successor.is_active:
        raise Refused(_("请选择另一位在职的同事作为接替人"))
    for task in tasks:
        if not holds_key(successor, task.owner_permission):
            raise Refused(
                _("接替人 %(user)s 不具备办理“%(task)s”所需的角色，未作任何改动")
                % {"user": successor.get_username(), "task": task.flow_task.task_title}
            )


def hand_over(*, by, user, successor=None):
    """Hand `user`'s claimed tasks to `successor`, or back to their roles' queues.
    Refuses (nothing changed) a successor who lacks a task's role. Returns the tasks."""
    tasks = claimed_tasks(user)
    _check_successor(user, successor, tasks)
    with transaction.atomic():
        for task in tasks:
            with _activation(task) as activation:
                if successor is None:
                    activation.unassign()
                else:
                    activation.reassign(user=successor)
            document = document_of(task.process)
            audit.record(
                action="hand_over_task",
                document=document,
                actor=by,
                from_state=document.state,
                to_state=document.state,
                note=str(task.flow_task.task_title or task.flow_task.name),
                data={
                    "task": task.pk,
                    "from": user.get_username(),
                    "to": successor.get_username() if successor else None,
                    "queue": task.owner_permission if successor is None else None,
                },
            )
        if tasks:
            security_log.record(
                SecurityKind.TASKS_HANDED_OVER,
                user=by,
                subject=user.get_username(),
                subject_id=user.pk,
                successor=successor.get_username() if successor else "",
                tasks=[task.pk for task in tasks],
            )
    return tasks


def deactivate(*, by, user, organisation, successor=None):
    """Deactivate `user` (review.actions.set_active checks who may) and hand their
    claimed tasks over, in one transaction. Returns the tasks handed over."""
    with transaction.atomic():
        actions.set_active(by=by, user=user, organisation=organisation, active=False)
        return hand_over(by=by, user=user, successor=successor)
