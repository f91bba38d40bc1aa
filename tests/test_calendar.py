from datetime import date

import pytest

from review.calendar import WorkingCalendar, is_provisional_deadline
from review.models import CalendarOverride, CalendarYear

pytestmark = pytest.mark.django_db


# --- the State Council's schedule, as chinesecalendar 1.11.0 has it ------


def test_the_2020_spring_festival_extension_to_2_february_is_not_working_time():
    # 国办发明电〔2020〕1号 extended the holiday to 2 February nationally; the package
    # has exactly that (provincial delays beyond it are local, not in the data).
    assert WorkingCalendar().is_working_day(date(2020, 1, 31)) is False  # Friday, extension
    assert (
        WorkingCalendar().is_working_day(date(2020, 2, 2)) is False
    )  # Sunday, last day of the extension
    assert (
        WorkingCalendar().is_working_day(date(2020, 2, 3)) is True
    )  # Monday, back to work nationally


def test_the_sunday_before_the_2020_spring_festival_was_a_make_up_working_day():
    assert date(2020, 1, 19).weekday() == 6
    assert WorkingCalendar().is_working_day(date(2020, 1, 19)) is True


def test_national_day_2020_is_eight_days_off_with_two_make_up_weekend_days():
    assert [WorkingCalendar().is_working_day(date(2020, 10, d)) for d in range(1, 9)] == [False] * 8
    assert WorkingCalendar().is_working_day(date(2020, 9, 27)) is True  # Sunday
    assert WorkingCalendar().is_working_day(date(2020, 10, 10)) is True  # Saturday
    assert WorkingCalendar().is_working_day(date(2020, 10, 11)) is False  # an ordinary Sunday


def test_one_working_day_after_30_september_2020_is_9_october():
    assert WorkingCalendar().add_working_days(date(2020, 9, 30), 1) == date(2020, 10, 9)


def test_one_working_day_after_9_october_2020_is_the_make_up_saturday():
    assert WorkingCalendar().add_working_days(date(2020, 10, 9), 1) == date(2020, 10, 10)


def test_adding_working_days_does_not_count_the_start_day():
    assert WorkingCalendar().add_working_days(date(2020, 3, 2), 0) == date(2020, 3, 2)
    assert WorkingCalendar().add_working_days(date(2020, 3, 2), 5) == date(
        2020, 3, 9
    )  # Monday to next Monday


def test_a_negative_number_of_working_days_is_an_error():
    with pytest.raises(ValueError):
        WorkingCalendar().add_working_days(date(2020, 3, 2), -1)


# --- calendar-day periods (民法典 art. 201, 203) -----------------------------


def test_a_30_day_period_ending_on_national_day_ends_on_the_next_working_day():
    # 1 September + 30 days = 1 October, a holiday: the period ends on 9 October.
    assert WorkingCalendar().add_days(date(2020, 9, 1), 30) == date(2020, 10, 9)


def test_a_30_day_period_ending_on_an_ordinary_weekday_stays():
    assert WorkingCalendar().add_days(date(2020, 3, 2), 30) == date(2020, 4, 1)  # a Wednesday


def test_a_period_ending_on_an_ordinary_sunday_moves_to_monday():
    assert WorkingCalendar().add_days(date(2020, 3, 2), 27) == date(
        2020, 3, 30
    )  # 29 March is a Sunday


def test_a_period_ending_on_a_make_up_saturday_stays_because_it_is_a_working_day():
    assert WorkingCalendar().add_days(date(2020, 9, 10), 30) == date(2020, 10, 10)


# --- counting working days, both ends included ---------------------------


def test_counting_working_days_includes_both_ends():
    assert (
        WorkingCalendar().count_working_days(date(2020, 3, 2), date(2020, 3, 6)) == 5
    )  # Monday to Friday
    assert WorkingCalendar().count_working_days(date(2020, 10, 9), date(2020, 10, 9)) == 1


def test_counting_across_national_day_2020_counts_the_make_up_days_and_skips_the_holiday():
    # 28-30 September, 9 and 10 October.
    assert WorkingCalendar().count_working_days(date(2020, 9, 28), date(2020, 10, 11)) == 5


def test_counting_a_holiday_alone_or_an_empty_range_gives_zero():
    assert WorkingCalendar().count_working_days(date(2020, 10, 1), date(2020, 10, 1)) == 0
    assert WorkingCalendar().count_working_days(date(2020, 3, 6), date(2020, 3, 2)) == 0


# --- a year without a schedule: provisional, never refused (§9) ---------------


def test_a_date_in_2027_without_a_schedule_is_counted_provisionally_and_never_raises():
    calendar = WorkingCalendar()
    assert calendar.knows(2027) is False
    assert calendar.is_working_day(date(2027, 3, 1)) is True  # a Monday
    assert calendar.is_working_day(date(2027, 10, 4)) is False  # 国庆节 补假 (holidays 0.108)
    assert calendar.is_working_day(date(2027, 2, 9)) is False  # 春节 补假


def test_a_deadline_running_into_2027_is_provisional_and_says_so():
    calendar = WorkingCalendar()
    due = calendar.add_days(date(2026, 12, 15), 30)  # 14 January 2027, a Thursday
    assert due == date(2027, 1, 14) and is_provisional_deadline(due)
    due = calendar.add_working_days(date(2026, 12, 28), 10)  # 1 January is 元旦
    assert due == date(2027, 1, 12) and is_provisional_deadline(due)
    assert not is_provisional_deadline(calendar.add_days(date(2026, 3, 2), 30))


@pytest.fixture
def schedule_2027():
    CalendarOverride.objects.create(date=date(2027, 1, 1), is_working_day=False, name="元旦")
    CalendarOverride.objects.create(date=date(2027, 2, 20), is_working_day=True, name="春节调休")
    CalendarYear.objects.create(year=2027, complete=True, notice_number="国办发明电〔2026〕1号")


def test_one_entered_day_does_not_make_2027_known():
    CalendarOverride.objects.create(date=date(2027, 1, 1), is_working_day=False, name="元旦")
    calendar = WorkingCalendar()
    assert calendar.knows(2027) is False
    assert is_provisional_deadline(calendar.add_days(date(2026, 12, 15), 30))


def test_a_year_entered_but_not_marked_complete_is_not_known():
    CalendarYear.objects.create(year=2027, complete=False)
    assert WorkingCalendar().knows(2027) is False


def test_once_2027_is_marked_complete_weekdays_work_and_weekends_rest(schedule_2027):
    assert WorkingCalendar().knows(2027) is True
    assert WorkingCalendar().is_working_day(date(2027, 3, 1)) is True  # Monday
    assert WorkingCalendar().is_working_day(date(2027, 3, 6)) is False  # Saturday
    assert WorkingCalendar().is_working_day(date(2027, 3, 7)) is False  # Sunday
    # the entries are the whole schedule: the package's statutory days no longer count
    assert WorkingCalendar().is_working_day(date(2027, 10, 4)) is True


def test_once_2027_is_marked_complete_its_holidays_and_make_up_days_win(schedule_2027):
    assert (
        date(2027, 1, 1).weekday() == 4
        and WorkingCalendar().is_working_day(date(2027, 1, 1)) is False
    )
    assert (
        date(2027, 2, 20).weekday() == 5
        and WorkingCalendar().is_working_day(date(2027, 2, 20)) is True
    )


def test_once_2027_is_marked_complete_a_deadline_across_new_year_is_certain(schedule_2027):
    # 31 December 2026 (Thursday) + 1 working day: 1 January is 元旦, then a weekend.
    due = WorkingCalendar().add_working_days(date(2026, 12, 31), 1)
    assert due == date(2027, 1, 4) and not is_provisional_deadline(due)


def test_an_override_wins_over_the_package_for_a_year_it_knows():
    CalendarOverride.objects.create(
        date=date(2020, 10, 10), is_working_day=False, name="本地不调休"
    )
    CalendarOverride.objects.create(
        date=date(2020, 10, 8), is_working_day=True, name="本地提前上班"
    )

    assert WorkingCalendar().is_working_day(date(2020, 10, 10)) is False
    assert WorkingCalendar().is_working_day(date(2020, 10, 8)) is True
    assert WorkingCalendar().add_working_days(date(2020, 9, 30), 1) == date(2020, 10, 8)


def test_a_calendar_reads_each_years_overrides_once(django_assert_num_queries):
    calendar = WorkingCalendar()

    with django_assert_num_queries(1):
        assert calendar.count_working_days(date(2020, 1, 1), date(2020, 12, 31)) == 249
