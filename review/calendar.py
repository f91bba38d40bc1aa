"""The working-day calendar (domain-rules §9).

A year is *known* when `chinesecalendar` has the State Council's schedule for it
(2004-2026 in 1.11.0) or when an administrator has entered the year's schedule and
marked it complete, citing the 国务院办公厅 notice (`CalendarYear`). The
administrator's `CalendarOverride` entries win over the package; in a year marked
complete they are the whole schedule (weekends rest, weekdays work, unless an entry
says otherwise). One entry alone never makes a year known.

A year that is not known is counted *provisionally* (暂定): weekends and the
statutory holidays of the 全国年节及纪念日放假办法 (with its 补假), as the maintained
PyPI package `holidays` has them (China, lunar dates included, no 调休 days), plus
any entries already made. Nothing raises: a deadline that reached such a year is a
`Deadline` whose `provisional` is True; it is marked 暂定 wherever shown and
recomputed when the year is marked complete (review.actions.calendar).

Where a person's right depends on the count (the comment period's minimum in working
days), `count_working_days_at_least` gives the count that holds however the year's
schedule turns out: every weekday that could still become a holiday is taken off.

Nothing here outlives the calendar object (one per action, request or command): a
year marked complete in one process is seen by every other process's next calendar.
"""

import datetime
import functools

import chinese_calendar
import holidays
from django.apps import apps
from django.dispatch import Signal
from django.utils.translation import gettext as _

from .errors import Refused

# How far from a statutory holiday (or its 补假) a weekday has been given as a bridging
# holiday (调休放假): at most 4 days in every State Council schedule of 2008-2026
# (e.g. 2024-10-07 after National Day, 2026-02-23 after the Spring Festival; checked
# against chinesecalendar 1.11.0, tests/test_calendar_years.py). A weekday within this
# distance of one in a year not yet published may still become a holiday.
HOLIDAY_BRIDGE_DAYS = 4

# Sent (year=, by=) inside the transaction that marks a year complete, after the stored
# provisional deadlines were counted again: the flows move their tasks' deadlines.
year_completed = Signal()


def _model(name):
    """A calendar model, through Django's app registry: the calendar is asked by the
    lifecycle's input checks, which the models' document class carries, so importing
    review.models here would close a circle."""
    return apps.get_model("review", name)


class CalendarMissing(Refused):
    """Kept for callers that still name it; the calendar no longer raises it (a year
    without a schedule is counted provisionally)."""

    def __init__(self, year):
        self.year = year
        super().__init__(
            _(
                "系统尚无 %(year)s 年的节假日安排，无法计算期限。请系统管理员在“节假日与调休”中录入"
                "国务院办公厅公布的 %(year)s 年放假和调休日期后重试。"
            )
            % {"year": year}
        )


class Deadline(datetime.date):
    """A date a rule computed. `provisional` (暂定): its counting reached a year whose
    schedule is not yet known, so it may move when that year is marked complete. It is
    a `datetime.date` in every other respect (stored, compared, formatted alike)."""

    def __new__(cls, year, month, day, provisional=False):
        self = super().__new__(cls, year, month, day)
        self.provisional = bool(provisional)
        return self

    @classmethod
    def of(cls, day, provisional=False):
        return cls(day.year, day.month, day.day, provisional=provisional)

    def __reduce__(self):
        return (type(self), (self.year, self.month, self.day, self.provisional))

    def __repr__(self):
        mark = ", provisional=True" if self.provisional else ""
        return f"Deadline({self.year}, {self.month}, {self.day}{mark})"


def is_provisional_deadline(day):
    """Whether a date is a provisional deadline (a plain date never is)."""
    return bool(getattr(day, "provisional", False))


@functools.cache  # the package's data does not change while the process runs
def package_knows(year):
    try:
        chinese_calendar.is_workday(datetime.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


@functools.lru_cache(maxsize=4096)
def _package_workday(day):
    # chinesecalendar recomputes the range of years it knows on every call.
    return chinese_calendar.is_workday(day)


@functools.cache  # the package's data does not change while the process runs
def statutory_holidays(year):
    """The statutory holidays of `year` (全国年节及纪念日放假办法, with 补假), from the
    PyPI package `holidays`: usable for a provisional date only, never as the calendar."""
    return frozenset(holidays.China(years=year))


@functools.cache
def _may_become_holidays(year):
    """Every day of `year` within HOLIDAY_BRIDGE_DAYS of a statutory holiday."""
    near = set()
    for holiday in (
        statutory_holidays(year - 1) | statutory_holidays(year) | statutory_holidays(year + 1)
    ):
        for offset in range(-HOLIDAY_BRIDGE_DAYS, HOLIDAY_BRIDGE_DAYS + 1):
            near.add(holiday + datetime.timedelta(days=offset))
    return frozenset(day for day in near if day.year == year)


class WorkingCalendar:
    """Answers working-day questions, reading the administrator's entries once."""

    def __init__(self):
        self._by_year = None  # {year: {date: is_working_day}}, every override, read once
        self._complete = None  # years an administrator marked complete, read when needed

    def _overrides(self, year):
        if self._by_year is None:
            self._by_year = {}
            for day, working in (
                _model("CalendarOverride").objects.order_by().values_list("date", "is_working_day")
            ):
                self._by_year.setdefault(day.year, {})[day] = working
        return self._by_year.get(year, {})

    def read_now(self):
        """Read the entries at once (a calendar kept as it was across a change of them)."""
        self._overrides(None)
        self._complete_years()
        return self

    def _complete_years(self):
        if self._complete is None:
            self._complete = set(
                _model("CalendarYear")
                .objects.filter(complete=True)
                .order_by()
                .values_list("year", flat=True)
            )
        return self._complete

    def knows(self, year):
        """The package has the year, or an administrator marked it complete."""
        if package_knows(year):
            return True
        return year in self._complete_years()

    def _day(self, day):
        """(is it a working day, is that known rather than provisional)."""
        overrides = self._overrides(day.year)
        known = self.knows(day.year)
        if day in overrides:
            return overrides[day], known
        if package_knows(day.year):
            return _package_workday(day), True
        if known:
            return day.weekday() < 5, True
        return day.weekday() < 5 and day not in statutory_holidays(day.year), False

    def is_working_day(self, day):
        return self._day(day)[0]

    def add_working_days(self, start, n):
        """The day on which a period of `n` working days that starts after `start` ends
        (the start day itself is not counted)."""
        if n < 0:
            raise ValueError("n must not be negative")
        day = start
        counted = 0
        provisional = is_provisional_deadline(start)
        while counted < n:
            day += datetime.timedelta(days=1)
            working, known = self._day(day)
            provisional = provisional or not known
            if working:
                counted += 1
        return Deadline.of(day, provisional)

    def add_days(self, start, n):
        """民法典 art. 201: the start day is not counted; art. 203: a period whose last day
        is a 法定休假日 (holiday or weekend rest day) ends on the next working day."""
        day = start + datetime.timedelta(days=n)
        provisional = is_provisional_deadline(start)
        while True:
            working, known = self._day(day)
            provisional = provisional or not known
            if working:
                return Deadline.of(day, provisional)
            day += datetime.timedelta(days=1)

    def _days(self, first, last):
        day = first
        while day <= last:
            yield day
            day += datetime.timedelta(days=1)

    def count_working_days(self, first, last):
        """Working days from `first` to `last`, both included (a comment window's length);
        provisional in a year not known (`unknown_years`)."""
        return sum(1 for day in self._days(first, last) if self._day(day)[0])

    def count_working_days_at_least(self, first, last):
        """The working days from `first` to `last` that no schedule yet to be published
        can take away: in a year not known, a weekday counts only when it is no statutory
        holiday and is more than HOLIDAY_BRIDGE_DAYS from one (an entry made already
        still counts as entered). Equals `count_working_days` when every year is known."""
        count = 0
        for day in self._days(first, last):
            working, known = self._day(day)
            if not working:
                continue
            if not known and day not in self._overrides(day.year):
                if day in _may_become_holidays(day.year):
                    continue
            count += 1
        return count

    def unknown_years(self, first, last):
        """The years from `first` to `last` whose schedule is not known, in order."""
        return [year for year in range(first.year, last.year + 1) if not self.knows(year)]
