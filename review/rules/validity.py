"""§8 evaluation before expiry and 清理 (domain-rules §8): the dates, nothing else.

`evaluation_opens_on` (有效期届满前 N 个月) stays in the package's __init__ beside the
other §8 dates; the functions here are the timer's side of it, the 清理 interval, and
"in force on a day" (`in_force_on`, and the interval of days it describes).
Calendar months, month ends clamped, never moved off a holiday: the day a document
becomes due for evaluation is a date it states, not a deadline a person meets.
"""

import datetime

__all__ = [
    "evaluation_window_end",
    "in_force_interval",
    "in_force_on",
    "months_after",
    "next_cleanup_due",
]


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


def in_force_interval(*, published_on, effective_from, valid_until, ended_on, ended=False):
    """(first day, last day) in force (domain-rules §8), or (None, None) when never: from
    the later of 公布 and 施行日期 (a document is in force only once published, even when
    it states an earlier 施行日期) to the earlier of 有效期至 and the day before the first
    day no longer in force (`ended_on`); a last day of None: no end stated. A document
    recorded as ended without a date (`ended`, an old register's 已废止) is never in
    force: when it stopped is unknown. The interval may be empty (last < first): ended
    before it took effect. Stored on the document (in_force_from, in_force_until) so
    that "in force on D" is one indexed range (`DocumentQuerySet.in_force_on`)."""
    if published_on is None or effective_from is None or (ended and ended_on is None):
        return None, None
    last = valid_until
    if ended_on is not None:
        last_day = ended_on - datetime.timedelta(days=1)
        last = last_day if last is None else min(last, last_day)
    return max(published_on, effective_from), last


def in_force_on(day, *, published_on, effective_from, valid_until, ended_on, ended=False):
    """In force on `day` (domain-rules §8): published, 施行日期 ≤ day ≤ 有效期至, and
    day before the first day no longer in force; that is, `day` within
    `in_force_interval`. A past day is judged by the dates, never by today's state
    (`DocumentQuerySet.in_force_on` is the same rule as a query on the stored interval).
    A document recorded as ended without a date (`ended`) is never listed."""
    first, last = in_force_interval(
        published_on=published_on,
        effective_from=effective_from,
        valid_until=valid_until,
        ended_on=ended_on,
        ended=ended,
    )
    return first is not None and first <= day and (last is None or day <= last)
