"""What a page does beside a filing task (§7): the authority's acts that are not a
step of the filing review's flow, each calling its review action and keeping the
flow in step — an escalation closes the clerk's open correction task, a reopened
review starts a new review process, a 限期报送 moves the clerk's filing task."""

from django.db import transaction

from review import actions, rules
from review.models import Escalation

from .driving import _activation, open_task
from .flows import FilingReviewFlow, IssuingFlow, adopt
from .nodes import document_of, with_due


def escalate(document, by, **decision):
    """备案条例 art. 20 on an overdue correction, from the document page. 撤销 and 改变
    close the correction: the clerk's open 自行纠正 task is completed with it (the
    flow then ends); 通报 leaves it open."""
    task = open_task(document, FilingReviewFlow.correct)
    if task is None or decision.get("kind") == Escalation.Kind.NOTIFY:
        return actions.escalate(document, by=by, **decision)
    with _activation(task) as activation:
        if activation.task.owner_id is None:
            activation.assign(by)
        activation.start(request=None)
        escalation = actions.escalate(document_of(task.process), by=by, **decision)
        activation.execute()
    document.take_row_of(document_of(task.process))
    return escalation


def reopen_review(document, by, reason):
    """A filed document's review reopened: back to 已登记·审查中 with a new review task."""
    with transaction.atomic():
        review = actions.reopen_review(document, by=by, reason=reason)
        adopt(document)
    return review


def demand_filing(document, by, note=""):
    """限期报送: the clerk's open 报送备案 task takes the demand's deadline."""
    with transaction.atomic():
        demand = actions.demand_filing(document, by=by, note=note)
        task = open_task(document, IssuingFlow.file)
        if task is not None:
            task.data = with_due(
                task.data, rules.stored(demand.deadline, demand.deadline_provisional)
            )
            task.data.pop("escalation", None)
            task.save(update_fields=["data"])
    return demand


def notify_late_filing(document, by, note=""):
    return actions.notify_late_filing(document, by=by, note=note)
