"""§7 filing, filing review, correction: the periods of 法规规章备案条例."""

__all__ = [
    "correction_due",
    "extended_filing_review_due",
    "filing_demand_due",
    "filing_due",
    "filing_overdue",
    "filing_review_due",
]


def filing_due(settings, published_on, calendar):
    """报送备案期限: 公布之日起 30 日内 (`filing_deadline_days`; 法规规章备案条例 art. 3);
    the start day is not counted and a last day on a 法定休假日 moves to the next
    working day (民法典 art. 201, 203). A resubmission keeps the first deadline."""
    return calendar.add_days(published_on, settings.filing_deadline_days)


def filing_review_due(settings, received_on, calendar):
    """备案审查期限: 30 日 from receipt (`filing_review_days`, domain-rules §7, local),
    counted as 民法典 art. 201, 203."""
    return calendar.add_days(received_on, settings.filing_review_days)


def extended_filing_review_due(settings, due_on, calendar):
    """The review deadline after its one extension: 20 日 more (`filing_review_extension_days`,
    domain-rules §7, local). That it happens once is a lifecycle condition."""
    return calendar.add_days(due_on, settings.filing_review_extension_days)


def correction_due(settings, issued_on, calendar):
    """自行纠正期限: the body corrects itself and reports within 30 日 of the 审查意见
    (`correction_days`; 法规规章备案条例 art. 17), counted as 民法典 art. 201, 203."""
    return calendar.add_days(issued_on, settings.correction_days)


def filing_demand_due(settings, issued_on, calendar):
    """限期报送: the body files within `filing_demand_days` (15 日 by default [I]; the
    limit is the authority's, 法规规章备案条例 art. 20) of the notice, counted as 民法典
    art. 201, 203; still not filed after it → 通报."""
    return calendar.add_days(issued_on, settings.filing_demand_days)


def filing_overdue(settings, published_on, today, calendar):
    """Whether a document published on `published_on` and not yet filed is past its
    `filing_due` on `today` (备案条例 art. 20: the ground for 限期报送)."""
    return today > filing_due(settings, published_on, calendar)
