"""Working a task from code, exactly as its page does: claim it if it is free,
check the user may execute it, call the review action, complete the task — all
in one transaction, so a refusal leaves both the document and the task as they were.

Two people acting on one task at once: the loser waits its turn for the process
lock, then finds the task taken or done and gets the same refusal a late click gets."""

import random
from contextlib import contextmanager
from time import sleep

from django.db import OperationalError, transaction
from django.utils.translation import gettext as _
from viewflow.workflow.status import STATUS

from review import actions, audit, rules
from review.errors import NotPermitted, Refused

from .delegation import mark_acted, principal_for
from .flows import FilingReviewFlow, IssuingFlow
from .models import processes_of
from .nodes import document_of, with_due

OPEN = [STATUS.NEW, STATUS.ASSIGNED]
LOCK_ATTEMPTS = 5  # as viewflow's select_for_update_lock: about ten seconds at most


def open_task(document, node):
    """The open task of `node` for `document` (None if there is none)."""
    return (
        node.flow_class.task_class.objects.filter(
            process__in=processes_of(document), flow_task=node, status__in=OPEN
        )
        .order_by("-pk")
        .first()
    )


def _take_process_lock(task):
    """Lock the row of `task`'s process, as the flow's select_for_update_lock is about to.

    That lock asks with NOWAIT and catches the failure inside its own savepoint, which
    on PostgreSQL then cannot be released: inside our transaction a busy row is an
    InternalError ("current transaction is aborted"), with no second try. Here each try
    runs in a savepoint that the failure rolls back, the next waits a little longer, and
    the flow's lock then finds the row already held by this transaction. SQLite has no
    row locks: Django sends no FOR UPDATE there, and its IMMEDIATE transactions already
    take turns."""
    rows = task.flow_task.flow_class.process_class._default_manager.filter(pk=task.process_id)
    for attempt in range(LOCK_ATTEMPTS):
        if attempt:
            sleep((attempt * random.random() + 2 ** (attempt - 1)) / 2.5)
        try:
            with transaction.atomic():
                rows.select_for_update(nowait=True).exists()
        except OperationalError:  # LockNotAvailable: another transaction holds the row
            continue
        return
    raise Refused(_("此任务正由他人办理，请稍后再试"))


@contextmanager
def _activation(task):
    """`task.activation()` in a transaction, the process locked first (see above)."""
    with transaction.atomic():
        _take_process_lock(task)
        with task.activation() as activation:  # re-reads the task under the lock
            yield activation


def perform(task, user, call):
    """Claim (if free) and execute `task` as `user`, running `call(document)` inside.
    A delegate acting for the task's holder (workflows.delegation) passes the holder
    as the action's `by` (delegation.acting_as): the audit events say both.
    Returns what `call` returned. Raises NotPermitted or review.errors.Refused (also
    when someone else completed the task first)."""
    node = task.flow_task
    try:
        with _activation(task) as activation:
            if task.status not in OPEN:
                raise Refused(_("此任务已办结或已取消，无需再办理"))
            if task.status == STATUS.NEW:
                if not node.can_assign(user, task):
                    raise NotPermitted(_("您不能办理此任务"))
                activation.assign(user)
            if task.status != STATUS.ASSIGNED or not node.can_execute(user, task):
                raise NotPermitted(_("您不能办理此任务"))
            principal = principal_for(user, activation.task)
            activation.start(request=None)
            # The action hands its document back up to date, so the nodes the flow
            # then activates in this transaction read it from the process.
            document = document_of(task.process)
            if principal is None:
                result = call(document)
            else:  # 代理: done in the principal's name, recorded as done by `user`
                with audit.on_behalf(user, principal):
                    result = call(document)
                mark_acted(activation.task, user, principal)
            activation.execute()
    except BaseException:
        # Rolled back: what the process remembers of its document may not have been.
        task.process.__dict__.pop("_guifan_document", None)
        raise
    return result


def run_handle(node, task, **kwargs):
    """Fire the Handle `node` on its waiting `task` (closing a public comment, from its
    page or the daily command), the process locked as perform() locks it. A task
    fired by someone else meanwhile is refused like a task done meanwhile."""
    with transaction.atomic():
        _take_process_lock(task)
        task.refresh_from_db()
        if task.status != STATUS.NEW:
            raise Refused(_("此任务已办结或已取消，无需再办理"))
        return node.run(task, **kwargs)


def claim(task, user):
    """Take a free task into `user`'s inbox without working it yet (领取)."""
    with _activation(task) as activation:
        if task.status != STATUS.NEW or not task.flow_task.can_assign(user, task):
            raise NotPermitted(_("此任务已被他人领取，或您不能领取此任务"))
        activation.assign(user)


def release(task, user):
    """Give a claimed task back to the queue of its role (退回待领取)."""
    with _activation(task) as activation:
        if task.status != STATUS.ASSIGNED or not task.flow_task.can_unassign(user, task):
            raise NotPermitted(_("只有领取人可以退回此任务"))
        activation.unassign()


# --- what a page does beside a task ------------------------------------------------


def start_document(by, **fields):
    """Create a document (review.actions.create_document) and start its issuing
    process: the drafter's first task is to draft it."""
    with transaction.atomic():
        document = actions.create_document(by=by, **fields)
        IssuingFlow.start.run(document=document)
    return document


def close_comment(document, by, summary):
    """End the document's public comment from its page (the drafter), as the daily
    command does when the period is over: the comment task is fired, the document
    goes back to drafting."""
    task = open_task(document, IssuingFlow.comment)
    if task is None:
        raise Refused(_("没有正在进行的征求意见"))
    return run_handle(IssuingFlow.comment, task, by=by, summary=summary)


def extend_review(document, by, reason):
    """Extend the filing review once (review.actions.extend_filing_review); the open
    review task takes the new deadline and loses its due-soon or overdue mark."""
    with transaction.atomic():
        review = actions.extend_filing_review(document, by=by, reason=reason)
        task = open_task(document, FilingReviewFlow.review)
        if task is not None:
            task.data = with_due(task.data, rules.stored(review.due_on, review.due_on_provisional))
            task.data.pop("escalation", None)
            task.save(update_fields=["data"])
    return review
