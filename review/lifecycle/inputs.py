"""Checks on what the user enters with a transition (the comment window, the review
time, the meeting type, the stated 施行日期 and 有效期至): the review.rules check_*
of each, by transition name. The form and the action both call `check_input`, so
they refuse with the same text; `input_rule` says the rule in words.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import rules
from ..calendar import WorkingCalendar
from ..choices import CHECKLIST_KEYS, FILING_REVIEW_KEYS
from .guards import today_for


def _comment_window(doc, *, opens_on, closes_on, urgent_reason=""):
    return rules.check_comment_window(
        doc.settings,
        WorkingCalendar(),
        opens_on=opens_on,
        closes_on=closes_on,
        today=today_for(doc),
        market_related=doc.is_market_related,
        major_decision=doc.is_major_decision,
        urgent_reason=urgent_reason,
    )


def _comment_rule(doc):
    return rules.comment_window_rule(
        doc.settings, market_related=doc.is_market_related, major_decision=doc.is_major_decision
    )


def _review_days(doc, *, requested_working_days=None, urgent_reason=""):
    return rules.check_legality_review_days(
        doc.settings,
        requested=requested_working_days,
        major_decision=doc.is_major_decision,
        urgent_reason=urgent_reason,
    )


def _review_rule(doc):
    return rules.legality_review_rule(doc.settings, major_decision=doc.is_major_decision)


def _meeting(doc, *, meeting_type):
    return rules.check_meeting_type(doc.organisation, meeting_type)


def _meeting_rule(doc):
    return rules.meeting_rule(doc.organisation)


def _stated_dates(
    doc,
    *,
    published_on,
    effective_from,
    valid_until,
    immediate_effect_reason="",
    provisional=None,
    provisional_reason="",
):
    """The 施行日期 and 有效期至 a document states; returns whether the 暂行/试行 term
    applied (rules.check_provisional)."""
    provisional = rules.check_provisional(doc.title, provisional, provisional_reason)
    rules.check_stated_dates(
        doc.settings,
        published_on=published_on,
        effective_from=effective_from,
        valid_until=valid_until,
        immediate_effect_reason=immediate_effect_reason,
        provisional=provisional,
    )
    return provisional


def _stated_dates_rule(doc):
    return rules.stated_dates_rule(doc.settings, provisional=rules.is_provisional(doc.title))


def _legality_checklist(doc, *, checklist):
    return rules.check_checklist(CHECKLIST_KEYS, checklist)


def _filing_checklist(doc, *, substantive):
    return rules.check_checklist(FILING_REVIEW_KEYS, substantive)


def _checklist_rule(doc):
    return _("逐项选择“无问题”或“存在问题”；存在问题的须填写说明")


def _local_date(moment):
    return timezone.localtime(moment).date() if moment else None


def _meeting_date(doc, *, meeting_date):
    """The meeting is not before the review's conclusion nor the advisor's sign-off on
    the current text (the latest of them, when signed more than once)."""
    review = doc.latest_review
    signed = [opinion.signed_at for opinion in doc.advisor_opinions_on_current()]
    return rules.check_meeting_after_review(
        meeting_date,
        concluded_on=_local_date(review.completed_at) if review else None,
        signed_on=_local_date(max(signed)) if signed else None,
    )


def _meeting_date_rule(doc):
    return _("会议日期不得早于合法性审核结论和法律顾问签署意见的日期")


def _entered_number(doc, *, number):
    return rules.check_entered_number(doc.organisation.issuing_code, today_for(doc).year, number)


def _entered_number_rule(doc):
    return _("录入公文系统所编的发文字号，如 安民发〔2020〕5号")


def _published_on(doc):
    publication = doc.publication_or_none
    return publication.published_on if publication else None


def _end_date(doc, *, ended_on):
    return rules.check_end_date(
        published_on=_published_on(doc), valid_until=doc.valid_until, ended_on=ended_on
    )


def _end_date_rule(doc):
    return rules.end_date_rule(published_on=_published_on(doc), valid_until=doc.valid_until)


# transition name -> (check of the entered values, the rule in words)
INPUT_CHECKS = {
    "open_comment": (_comment_window, _comment_rule),
    "submit_for_review": (_review_days, _review_rule),
    "approve": (_meeting, _meeting_rule),
    "reject_at_deliberation": (_meeting, _meeting_rule),
    "publish": (_stated_dates, _stated_dates_rule),
    # not transitions: what the review and deliberation forms enter
    "legality_checklist": (_legality_checklist, _checklist_rule),
    "filing_checklist": (_filing_checklist, _checklist_rule),
    "deliberation_date": (_meeting_date, _meeting_date_rule),
    "entered_number": (_entered_number, _entered_number_rule),
    "repeal": (_end_date, _end_date_rule),
    "mark_amended": (_end_date, _end_date_rule),
    "declare_invalid": (_end_date, _end_date_rule),
    # 备案条例 art. 17, 20: the filing's ends state their first day no longer in force too
    "revoke": (_end_date, _end_date_rule),
    "accept_repeal": (_end_date, _end_date_rule),
}


def check_input(document, name, **entered):
    """The rules.check_* of transition `name` on what the user entered: returns what the
    check returns, raises Refused with the text users see."""
    check, _rule = INPUT_CHECKS[name]
    return check(document, **entered)


def input_rule(document, name):
    """The rule the entered values of `name` must meet, in words; None when it has none."""
    if name not in INPUT_CHECKS:
        return None
    _check, rule = INPUT_CHECKS[name]
    return str(rule(document))
