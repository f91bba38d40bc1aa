"""What tells whom: the audit trail and the flows' tasks, turned into notifications.

Receivers run inside the transaction that wrote the audit event or saved the task,
so the notification and its outbox row commit or roll back with the event.

- an audit event: returned for revision (the drafter), a decision on the drafter's
  document, the comment period closed, an evaluation opened (its assignee or the
  legal division's queue), a task overdue is read from the task (below);
- a viewflow task: created for a person (task assigned) or for a role's queue (its
  members), and marked due soon or overdue by the flow's timers.
"""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_init, post_save
from django.urls import reverse
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task

from review.models import AuditEvent, NormativeDocument, ReviewSuggestion
from review.states import Role, State
from workflows.roles import parse_key

from .models import Kind
from .service import notify, notify_role

DECISIONS = {
    "approve",
    "reject_at_deliberation",
    "reject_as_not_normative",
    "defer_deliberation",
    "record_legality_review",
    "accept_filing",
    "refuse_registration",
    "defer_filing",
    "require_correction",
    "repeal",
    "mark_amended",
    "declare_invalid",
}


def _document_url(document):
    return reverse("desk:document", args=[document.pk])


def on_audit_event(sender, instance, created, raw=False, **kwargs):
    if not created or raw or instance.document_id is None:
        return
    event = instance
    if event.action == "open_evaluation":
        return _evaluation_opened(event)
    returned = event.to_state == State.REVISION and event.from_state != State.REVISION
    if not (returned or event.action in DECISIONS or event.action == "close_comment"):
        return
    document = NormativeDocument.objects.select_related("drafter").get(pk=event.document_id)
    drafter = document.drafter
    if drafter is None or drafter.pk == event.actor_id:
        return
    if returned:
        kind, title = Kind.RETURNED, _("《%(t)s》被退回修改")
    elif event.action == "close_comment":
        kind, title = Kind.COMMENT_CLOSED, _("《%(t)s》征求意见期已结束")
    else:
        kind, title = Kind.DECISION, _("《%(t)s》：%(what)s")
    text = title % {"t": document.title, "what": event.note or event.action}
    notify(drafter, kind, title=text, body=event.note, url=_document_url(document))


def _evaluation_opened(event):
    document = NormativeDocument.objects.get(pk=event.document_id)
    title = _("《%(t)s》有效期届满前评估") % {"t": document.title}
    url = reverse("desk:evaluations")
    assignee = (event.data or {}).get("assignee")
    if assignee:
        user = get_user_model().objects.get(pk=assignee)
        notify(user, Kind.TASK_ASSIGNED, title=title, body=event.note, url=url)
    else:
        notify_role(
            Role.LEGAL_REVIEWER, document.organisation_id, Kind.TASK_ASSIGNED, title=title, url=url
        )


def _remember(sender, instance, **kwargs):
    instance._notify_escalation = (instance.data or {}).get("escalation")


def on_task_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    task = instance
    escalation = (task.data or {}).get("escalation")
    if created:
        _task_created(task)
    if escalation and escalation != getattr(task, "_notify_escalation", None):
        task._notify_escalation = escalation
        kind = Kind.TASK_OVERDUE if escalation == "overdue" else Kind.TASK_DUE_SOON
        _tell_task(task, kind)


def _task_title(task):
    """The step and what it is about: a document's title, or (a citizen's 审查建议,
    issue 17) the artifact as it names itself."""
    name = str(getattr(task.flow_task, "task_title", "") or task.flow_task.name)
    artifact = task.process.artifact if task.process_id else None
    if artifact is None:
        return name
    title = getattr(artifact, "title", "")
    return f"{name}：《{title}》" if title else f"{name}：{artifact}"


def _task_url(task):
    artifact = task.process.artifact if task.process_id else None
    if isinstance(artifact, ReviewSuggestion):  # handled on its own desk page
        return reverse("desk:suggestion", args=[artifact.pk])
    return reverse("desk:inbox") if task.owner_id else reverse("desk:queue")


def _task_created(task):
    if getattr(task.flow_task, "task_type", "") != "HUMAN":
        return
    _tell_task(task, Kind.TASK_ASSIGNED)


def _tell_task(task, kind):
    title = {
        Kind.TASK_ASSIGNED: _("新的待办：%(t)s"),
        Kind.TASK_DUE_SOON: _("即将到期：%(t)s"),
        Kind.TASK_OVERDUE: _("已逾期：%(t)s"),
    }[kind] % {"t": _task_title(task)}
    url = _task_url(task)
    if task.owner_id:
        notify(task.owner, kind, title=title, url=url)
        return
    role, org_id = parse_key(task.owner_permission)
    if role is not None:
        notify_role(role, org_id, kind, title=title, url=url)


def connect():
    post_save.connect(on_audit_event, sender=AuditEvent, dispatch_uid="notify_audit")
    post_init.connect(_remember, sender=Task, dispatch_uid="notify_task_init")
    post_save.connect(on_task_saved, sender=Task, dispatch_uid="notify_task")
