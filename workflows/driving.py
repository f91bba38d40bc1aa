"""Working a task from code, exactly as its page does: claim it if it is free,
check the user may execute it, call the review action, complete the task — all
in one transaction, so a refusal leaves both the document and the task as they were."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext as _
from viewflow.workflow.status import STATUS

from review.errors import NotPermitted
from review.models import NormativeDocument

from .models import DocumentProcess
from .nodes import document_of

OPEN = [STATUS.NEW, STATUS.ASSIGNED]


def processes_of(document):
    ct = ContentType.objects.get_for_model(NormativeDocument)
    return DocumentProcess.objects.filter(artifact_content_type=ct, artifact_object_id=document.pk)


def open_task(document, node):
    """The open task of `node` for `document` (None if there is none)."""
    return (
        node.flow_class.task_class.objects.filter(
            process__in=processes_of(document), flow_task=node, status__in=OPEN
        )
        .order_by("-pk")
        .first()
    )


def perform(task, user, call):
    """Claim (if free) and execute `task` as `user`, running `call(document)` inside.
    Returns what `call` returned. Raises NotPermitted or review.errors.Refused."""
    node = task.flow_task
    try:
        with transaction.atomic():
            with task.activation() as activation:
                if task.status == STATUS.NEW:
                    if not node.can_assign(user, task):
                        raise NotPermitted(_("您不能办理此任务"))
                    activation.assign(user)
                if task.status != STATUS.ASSIGNED or not node.can_execute(user, task):
                    raise NotPermitted(_("您不能办理此任务"))
                activation.start(request=None)
                # The action hands its document back up to date, so the nodes the flow
                # then activates in this transaction read it from the process.
                document = document_of(task.process)
                result = call(document)
                activation.execute()
    except BaseException:
        # Rolled back: what the process remembers of its document may not have been.
        task.process.__dict__.pop("_guifan_document", None)
        raise
    return result


def claim(task, user):
    """Take a free task into `user`'s inbox without working it yet (领取)."""
    with transaction.atomic(), task.activation() as activation:  # re-read under the lock
        if task.status != STATUS.NEW or not task.flow_task.can_assign(user, task):
            raise NotPermitted(_("此任务已被他人领取，或您不能领取此任务"))
        activation.assign(user)


def release(task, user):
    """Give a claimed task back to the queue of its role (退回待领取)."""
    with transaction.atomic(), task.activation() as activation:
        if task.status != STATUS.ASSIGNED or not task.flow_task.can_unassign(user, task):
            raise NotPermitted(_("只有领取人可以退回此任务"))
        activation.unassign()
