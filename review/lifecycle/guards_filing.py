"""The conditions of the filing's later moves (§7): correction not made, the review
concluded, a filing overdue, a 限期报送 lapsed. Each a `Guard` with its refusal."""

from django.utils.translation import gettext_lazy as _

from .. import rules
from ..calendar import CalendarMissing, WorkingCalendar
from ..choices import FilingReviewOutcome
from .guards import Guard, today_for


def _correction_unresolved(doc):
    """备案条例 art. 20: the authority escalates when the body's report does not correct
    (it is before the reviewer: 纠正待复核), or when no report came within the deadline."""
    correction = doc.open_correction
    if correction is None:
        return False
    if correction.reported_on is not None:
        return True
    return today_for(doc) > correction.deadline


def _correction_unresolved_reason(doc):
    correction = doc.open_correction
    if correction is None:
        return _("没有未结案的纠错")
    return _(
        "自行纠正期限至 %(date)s，期限届满前且制定机关尚未报告处理情况的，不得撤销、改变或通报"
    ) % {"date": correction.deadline}


def _corrected_by_text(doc):
    correction = doc.open_correction
    return (
        correction is not None and correction.reported_on is not None and not correction.by_repeal
    )


def _corrected_by_repeal(doc):
    correction = doc.open_correction
    return correction is not None and correction.reported_on is not None and correction.by_repeal


def _review_concluded(doc):
    filing = doc.latest_filing
    review = filing.review_or_none if filing else None
    return (
        review is not None
        and review.outcome == FilingReviewOutcome.REGISTERED
        and bool(review.conclusion)
    )


def _filing_overdue(doc):
    publication = doc.publication_or_none
    if publication is None or doc.latest_filing is not None:
        return False
    try:
        return rules.filing_overdue(
            doc.settings, publication.published_on, today_for(doc), WorkingCalendar()
        )
    except CalendarMissing:  # its deadline is unknown: not judged overdue (rules)
        return False


def _filing_overdue_reason(doc):
    publication = doc.publication_or_none
    if publication is None:
        return _("文件尚未公布")
    try:
        due = rules.filing_due(doc.settings, publication.published_on, WorkingCalendar())
    except CalendarMissing as missing:
        due = rules.unknown_text(missing)
    return _("报送备案期限至 %(date)s，尚未逾期，不得限期报送") % {"date": due}


def open_demand(doc):
    return doc.filing_demands.filter(filed_on__isnull=True, notified_on__isnull=True).first()


def _no_open_demand(doc):
    return open_demand(doc) is None


def _demand_lapsed(doc):
    demand = open_demand(doc)
    return demand is not None and today_for(doc) > demand.deadline


def _demand_lapsed_reason(doc):
    demand = open_demand(doc)
    if demand is None:
        return _("没有未办结的限期报送通知")
    return _("限期报送至 %(date)s，期限届满前不得通报") % {"date": demand.deadline}


correction_unresolved = Guard(_correction_unresolved, _correction_unresolved_reason)
corrected_by_text = Guard(
    _corrected_by_text, _("制定机关尚未报送以修改后文本纠正的处理情况（报告为废止的，应确认废止）")
)
corrected_by_repeal = Guard(_corrected_by_repeal, _("制定机关报告的处理情况不是废止决定"))
review_concluded = Guard(_review_concluded, _("该文件尚未予以备案登记并审查办结，无需重新审查"))
filing_overdue = Guard(_filing_overdue, _filing_overdue_reason)
no_open_demand = Guard(_no_open_demand, _("已发出限期报送通知，尚未办结"))
demand_lapsed = Guard(_demand_lapsed, _demand_lapsed_reason)
