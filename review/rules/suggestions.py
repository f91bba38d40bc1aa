"""审查建议 and 审查意见征集: their periods (法规规章备案条例 art. 9; local rules)."""

from django.utils.translation import gettext as _

from ..errors import Refused

__all__ = [
    "check_consultation_due",
    "consultation_link_expires_on",
    "suggestion_due",
    "suggestion_overdue",
]


def suggestion_due(settings, received_on, calendar):
    """审查建议办理期限: the authority studies a citizen's 审查建议 (备案条例 art. 9) and
    answers in writing within `suggestion_handling_days` of receipt (60 日 by default:
    no national period, a local rule [R], docs/suggestions.md), counted as 民法典
    art. 201, 203: the day of receipt not counted, a last day on a 法定休假日 moved to
    the next working day."""
    return calendar.add_days(received_on, settings.suggestion_handling_days)


def suggestion_overdue(due_on, today):
    """Past its handling period from the day after its last day."""
    return today > due_on


def check_consultation_due(asked_on, due_on):
    """审查意见征集: the date an answer is asked by must come after the day it is asked
    (the reviewer chooses it; the review's own deadline is the reviewer's to keep)."""
    if due_on is None:
        raise Refused(_("请填写答复期限"))
    if due_on <= asked_on:
        raise Refused(_("答复期限须晚于征求之日"))
    return due_on


def consultation_link_expires_on(settings, asked_on, calendar):
    """The last day an outside expert's one-time link answers: `consultation_link_days`
    (30 日 by default, local [I]) from the day it is sent, counted as 民法典 art. 201,
    203. It outlives the answer's date on purpose: a late answer is taken and marked."""
    return calendar.add_days(asked_on, settings.consultation_link_days)
