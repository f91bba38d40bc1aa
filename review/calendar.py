"""The working-day calendar (domain-rules §9).

`chinesecalendar` knows the State Council's schedule for 2004-2026; an
administrator's `CalendarOverride` entries win over it and extend it. For a
year that neither covers, every method raises `CalendarMissing` with a
message telling the administrator what to enter — a deadline is never guessed.
The deadlines themselves are counted in review.rules, which says how each
caller handles `CalendarMissing`.
"""

import datetime
import functools

import chinese_calendar
from django.apps import apps
from django.utils.translation import gettext as _

from .errors import Refused


def _overrides():
    """The CalendarOverride model, through Django's app registry: the calendar is asked
    by the lifecycle's input checks, which the models' document class carries, so
    importing review.models here would close a circle."""
    return apps.get_model("review", "CalendarOverride")


class CalendarMissing(Refused):
    """A refusal like any other: the operation changes nothing and says what to do."""

    def __init__(self, year):
        self.year = year
        super().__init__(
            _(
                "系统尚无 %(year)s 年的节假日安排，无法计算期限。请系统管理员在“节假日与调休”中录入"
                "国务院办公厅公布的 %(year)s 年放假和调休日期后重试。"
            )
            % {"year": year}
        )


@functools.cache  # the package's data does not change while the process runs
def _package_knows(year):
    try:
        chinese_calendar.is_workday(datetime.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


@functools.lru_cache(maxsize=4096)
def _package_workday(day):
    # chinesecalendar recomputes the range of years it knows on every call.
    return chinese_calendar.is_workday(day)


class WorkingCalendar:
    """Answers working-day questions, loading each year's overrides once."""

    def __init__(self):
        self._by_year = None  # {year: {date: is_working_day}}, every override, read once
        self._known = {}

    def _year(self, year):
        if self._by_year is None:
            self._by_year = {}
            for day, working in (
                _overrides().objects.order_by().values_list("date", "is_working_day")
            ):
                self._by_year.setdefault(day.year, {})[day] = working
        overrides = self._by_year.get(year, {})
        if year not in self._known:
            self._known[year] = _package_knows(year) or bool(overrides)
        if not self._known[year]:
            raise CalendarMissing(year)
        return overrides

    def is_working_day(self, day):
        overrides = self._year(day.year)
        if day in overrides:
            return overrides[day]
        if _package_knows(day.year):
            return _package_workday(day)
        return day.weekday() < 5

    def add_working_days(self, start, n):
        """The day on which a period of `n` working days that starts after `start` ends
        (the start day itself is not counted)."""
        if n < 0:
            raise ValueError("n must not be negative")
        day = start
        counted = 0
        while counted < n:
            day += datetime.timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        return day

    def add_days(self, start, n):
        """民法典 art. 201: the start day is not counted; art. 203: a period whose last day
        is a 法定休假日 (holiday or weekend rest day) ends on the next working day."""
        day = start + datetime.timedelta(days=n)
        while not self.is_working_day(day):
            day += datetime.timedelta(days=1)
        return day

    def count_working_days(self, first, last):
        """Working days from `first` to `last`, both included (a comment window's length)."""
        count = 0
        day = first
        while day <= last:
            if self.is_working_day(day):
                count += 1
            day += datetime.timedelta(days=1)
        return count
