"""§8 evaluation before expiry and 清理 (domain-rules §8): the dates, nothing else.

`evaluation_opens_on` (有效期届满前 N 个月) stays in the package's __init__ beside the
other §8 dates; the functions here are the timer's side of it and the 清理 interval.
Calendar months, month ends clamped, never moved off a holiday: the day a document
becomes due for evaluation is a date it states, not a deadline a person meets.
"""

import datetime

__all__ = ["evaluation_window_end", "months_after", "next_cleanup_due"]


def months_after(day, months):
    """The same day `months` later (earlier when negative), or that month's last day when
    it has fewer days (the same clamping as `months_before`)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise ValueError(day)


def evaluation_window_end(months, today):
    """The latest 有效期至 whose evaluation has opened by `today` when evaluation opens
    `months` calendar months before it (the inverse of `months_before`, which clamps
    month ends: with 6 months, 8月29日至31日 all open on 2月28日 of a common year). The
    timer selects documents with 有效期至 up to this day, in one query."""
    try:
        last = months_after(today, months)
    except ValueError:  # past the calendar's last year (--today 9999-12-31): everything
        return datetime.date.max
    while last < datetime.date.max and (
        months_after(last + datetime.timedelta(days=1), -months) <= today
    ):
        last += datetime.timedelta(days=1)
    return last


def next_cleanup_due(settings, last_opened_on):
    """The next full 清理: 每隔两年全面清理 (`cleanup_interval_years`, domain-rules §8,
    local), counted from the day the last one was opened."""
    return months_after(last_opened_on, 12 * settings.cleanup_interval_years)
