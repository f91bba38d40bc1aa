"""A calendar that never stops lawful work (issue 13 §3, domain-rules §9): a year
without a published schedule is counted provisionally (暂定), never refused; an
administrator enters the year in one form and marks it complete, and every
provisional deadline and timer is counted again, audited."""

import csv
import datetime
from datetime import date
from io import StringIO

import chinese_calendar
import holidays
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from review import actions, reports, rules
from review.calendar import HOLIDAY_BRIDGE_DAYS, WorkingCalendar, statutory_holidays
from review.errors import Refused
from review.models import (
    AuditEvent,
    CalendarOverride,
    CalendarYear,
    Deliberation,
    JurisdictionSettings,
    NormativeDocument,
)
from review.states import State
from workflows.driving import open_task, perform
from workflows.flows import FilingReviewFlow, IssuingFlow

from .test_import_register import HEADER
from .test_reports_fixtures import docx_text
from .test_workflow_issuing import at, prepare, review_lawfully

pytestmark = pytest.mark.django_db

# A test schedule for 2027 (the real notice is not out): 元旦, the Spring Festival,
# and two made-up days off on the provisional deadlines below, so that they move.
NOTICE = "国办发明电〔2026〕99号"
HOLIDAYS_2027 = [date(2027, 1, 1), date(2027, 1, 20), date(2027, 1, 27)] + [
    date(2027, 2, d) for d in range(5, 12)
]
WORKDAYS_2027 = [date(2027, 2, 20)]


def mark_2027_complete(by=None):
    return actions.enter_calendar_year(
        2027, by=by, holidays=HOLIDAYS_2027, workdays=WORKDAYS_2027, notice_number=NOTICE
    )


def moment(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


# --- the provisional count ------------------------------------------------------


def test_the_statutory_holidays_of_2027_come_from_the_holidays_package_with_lunar_days():
    assert holidays.__version__ == "0.108"
    days = statutory_holidays(2027)
    assert date(2027, 2, 6) in days  # 春节 (lunar)
    assert date(2027, 6, 9) in days  # 端午节 (lunar)
    assert date(2027, 9, 15) in days  # 中秋节 (lunar)
    assert date(2027, 10, 1) in days and date(2027, 10, 4) in days  # 国庆节 with 补假
    assert date(2027, 2, 20) not in days  # no 调休 days


def test_every_bridging_holiday_since_2008_lay_within_the_bridge_distance_of_a_statutory_day():
    # The worst case of the comment window rests on this: a weekday the State Council
    # gave off (调休放假) was never further than HOLIDAY_BRIDGE_DAYS from a statutory day.
    furthest = 0
    for year in range(2008, 2027):
        known = holidays.China(years=[year - 1, year, year + 1], language="zh_CN")
        statutory = {d for d, name in known.items() if "调休" not in name}
        day = date(year, 1, 1)
        while day.year == year:
            if day.weekday() < 5 and not chinese_calendar.is_workday(day) and day not in statutory:
                furthest = max(furthest, min(abs((s - day).days) for s in statutory))
            day += datetime.timedelta(days=1)
    assert furthest == HOLIDAY_BRIDGE_DAYS


# --- the comment window: the citizen's minimum holds whatever 2027 brings ----------


def check_window(opens_on, closes_on):
    return rules.check_comment_window(
        JurisdictionSettings(),
        WorkingCalendar(),
        opens_on=opens_on,
        closes_on=closes_on,
        today=date(2026, 12, 1),
        market_related=False,
        major_decision=False,
    )


def test_a_2027_window_around_national_day_is_refused_counting_every_day_that_may_be_off():
    # 27 September to 8 October 2027 has 7 weekdays that are neither statutory days nor
    # their 补假, but every one of them is near National Day and may be given off.
    with pytest.raises(Refused) as refused:
        check_window(date(2027, 9, 27), date(2027, 10, 8))
    assert str(refused.value) == (
        "征求意见期限不足：不少于 7 个工作日（2027 年放假安排尚未公布，法定节假日及其前后 4 日内"
        "的工作日均可能放假，按全部扣除计算，所选期间只能确定 0 个工作日）。确因紧急情况需要缩短的，"
        "须载明理由"
    )


def test_a_2027_window_far_from_any_holiday_is_accepted_on_its_weekdays():
    # Opening Monday 1 March 2027, counted from the 2nd (民法典 art. 201) to Wednesday
    # 10 March: seven weekdays, no holiday near.
    assert check_window(date(2027, 3, 1), date(2027, 3, 10)) == (7, 9)


def test_once_2027_is_complete_the_window_is_judged_on_the_schedule():
    CalendarYear.objects.create(year=2027, complete=True, notice_number=NOTICE)
    # the same window: 7 working days under the (test) schedule, which gives no day off
    assert check_window(date(2027, 9, 27), date(2027, 10, 8)) == (9, 11)  # from 28 September


def test_the_drafter_is_told_why_a_2027_window_near_the_spring_festival_is_refused(
    walk, document, drafter
):
    NormativeDocument.objects.filter(pk=document.pk).update(is_important=True)
    document.refresh_from_db()
    actions.add_version(document, by=drafter, text=walk.text)
    today = date(2026, 12, 1)
    # 1 to 12 February 2027: the Spring Festival (5-10 February) and the days around it
    with pytest.raises(Refused, match="2027 年放假安排尚未公布.*只能确定 0 个工作日"):
        actions.open_comment_period(
            document, by=drafter, opens_on=date(2027, 2, 1), closes_on=date(2027, 2, 12), on=today
        )
    assert not document.comment_periods.exists()
    actions.open_comment_period(
        document, by=drafter, opens_on=date(2027, 3, 1), closes_on=date(2027, 3, 10), on=today
    )
    document.refresh_from_db()
    assert document.state == State.PUBLIC_COMMENT


# --- nobody is refused for a deadline someone else must meet --------------------


def test_a_legality_review_due_in_2027_does_not_refuse_the_drafter(walk, document, drafter):
    walk.prepare()
    with at(date(2026, 12, 21)):
        review = actions.submit_for_review(document, by=drafter)
    assert (review.due_on, review.due_on_provisional) == (date(2027, 1, 12), True)
    event = document.audit_events.get(action="submit_for_review")
    assert event.data["due_on_provisional"] is True
    text = docx_text(reports.build("legality_opinion", document, "docx"))
    assert "2027年1月12日（暂定）" in text


def publish_late_2026(document, actors):
    """Drive the document through its flow; it is published on 21 December 2026."""
    IssuingFlow.start.run(document=document)
    with at(date(2026, 11, 2)):
        prepare(document, actors.drafter)
        perform(
            open_task(document, IssuingFlow.draft),
            actors.drafter,
            lambda d: actions.submit_for_review(d, by=actors.drafter),
        )
        review_lawfully(document, actors)
        perform(
            open_task(document, IssuingFlow.deliberate),
            actors.secretary,
            lambda d: actions.record_deliberation(
                d,
                by=actors.secretary,
                meeting_type=Deliberation.MeetingType.BUREAU,
                meeting_date=date(2026, 11, 2),
                attendance="局领导",
                outcome=Deliberation.Outcome.PASSED,
                minutes="通过",
            ),
        )
        perform(
            open_task(document, IssuingFlow.register),
            actors.registrar,
            lambda d: actions.register_and_number(d, by=actors.registrar),
        )
    with at(date(2026, 12, 21)):
        perform(
            open_task(document, IssuingFlow.publish),
            actors.registrar,
            lambda d: actions.publish(d, by=actors.registrar, published_on=date(2026, 12, 21)),
        )


def timers_of(task):
    return sorted(
        Task.objects.filter(
            previous=task, flow_task_type="TIMER", status=STATUS.SCHEDULED
        ).values_list("scheduled", flat=True)
    )


def test_marking_2027_complete_moves_an_open_filing_task_and_its_timers_with_an_event(
    document, actors
):
    publish_late_2026(document, actors)
    task = open_task(document, IssuingFlow.file)
    assert task.data == {"due_on": "2027-01-20", "due_provisional": True}
    # due soon from 18 January (3 days before the day after), overdue from 21 January
    assert timers_of(task) == [moment(date(2027, 1, 18)), moment(date(2027, 1, 21))]

    with at(date(2026, 12, 22)):
        mark_2027_complete()

    task.refresh_from_db()
    assert task.data == {"due_on": "2027-01-21"}  # 20 January is a day off in the test schedule
    assert timers_of(task) == [moment(date(2027, 1, 19)), moment(date(2027, 1, 22))]
    [event] = document.audit_events.filter(action="recompute_deadline")
    assert event.data["from"] == "2027-01-20" and event.data["to"] == "2027-01-21"
    assert event.data["field"] == "filing_due" and event.data["provisional"] is False


def test_marking_2027_complete_recomputes_stored_deadlines_and_the_review_timers(
    client, document, actors
):
    publish_late_2026(document, actors)
    with at(date(2026, 12, 28)):
        perform(
            open_task(document, IssuingFlow.file),
            actors.filing_clerk,
            lambda d: actions.file_with_authority(d, by=actors.filing_clerk),
        )
    document.refresh_from_db()
    assert document.state == State.FILING_REVIEW
    # 备案条例 art. 7: the registration at receipt, within the review period
    review_task = open_task(document, FilingReviewFlow.register)
    assert review_task.data == {"due_on": "2027-01-27", "due_provisional": True}
    client.force_login(actors.filing_reviewer)
    page = client.get(document.get_absolute_url()).content.decode()
    assert "备案审查期限：2027-01-27（暂定）" in page
    assert "报送期限：2027年1月20日（暂定）" in page, page[page.find("报送期限：") :][:80]
    report = docx_text(reports.build("filing_report", document, "docx"))
    assert "报送期限为2027年1月20日（暂定）" in report

    admin = get_user_model().objects.create_superuser("root", "root@example.invalid", "x")
    with at(date(2026, 12, 29)):
        moved = mark_2027_complete(by=admin)

    filing = document.latest_filing
    filing.refresh_from_db()
    filing.review.refresh_from_db()
    assert (filing.due_on, filing.due_on_provisional) == (date(2027, 1, 21), False)
    assert (filing.review.due_on, filing.review.due_on_provisional) == (date(2027, 1, 28), False)
    assert sorted((field, str(new)) for _r, field, _old, new in moved) == [
        ("due_on", "2027-01-21"),
        ("due_on", "2027-01-28"),
    ]
    events = document.audit_events.filter(action="recompute_deadline").order_by("seq")
    assert [(e.data["record"], e.data["from"], e.data["to"]) for e in events] == [
        ("filing", "2027-01-20", "2027-01-21"),
        ("filingreview", "2027-01-27", "2027-01-28"),
    ]
    assert all(e.actor == admin for e in events)
    review_task.refresh_from_db()
    assert review_task.data == {"due_on": "2027-01-28"}
    assert timers_of(review_task) == [moment(date(2027, 1, 26)), moment(date(2027, 1, 29))]
    page = client.get(document.get_absolute_url()).content.decode()
    assert "备案审查期限：2027-01-28" in page and "暂定" not in page


def test_a_deadline_that_does_not_move_loses_its_mark_without_an_event(walk, document, drafter):
    walk.prepare()
    with at(date(2026, 12, 21)):
        review = actions.submit_for_review(document, by=drafter)
    CalendarOverride.objects.create(date=date(2027, 3, 1), is_working_day=False)
    actions.enter_calendar_year(
        2027, by=None, holidays=[date(2027, 1, 1)], workdays=[], notice_number=NOTICE
    )
    review.refresh_from_db()
    assert (review.due_on, review.due_on_provisional) == (date(2027, 1, 12), False)
    assert not AuditEvent.objects.filter(action="recompute_deadline").exists()
    # the year's entries were replaced by the form's lists, and the entry audited
    assert list(CalendarOverride.objects.values_list("date", flat=True)) == [date(2027, 1, 1)]
    event = AuditEvent.objects.get(action="enter_calendar_year")
    assert event.note == NOTICE and event.data["year"] == 2027


def test_a_legality_review_submitted_with_its_own_date_is_counted_again_from_it(
    walk, document, drafter
):
    walk.prepare()
    review = actions.submit_for_review(document, by=drafter, on=date(2026, 12, 21))
    assert (review.due_on, review.due_on_provisional) == (date(2027, 1, 12), True)
    actions.enter_calendar_year(
        2027,
        by=None,
        holidays=[date(2027, 1, 1), date(2027, 1, 11)],
        workdays=[],
        notice_number=NOTICE,
    )
    review.refresh_from_db()
    # the 15th working day after 21 December, with 11 January off: 13 January
    assert (review.due_on, review.due_on_provisional) == (date(2027, 1, 13), False)
    event = document.audit_events.get(action="recompute_deadline")
    assert (event.data["record"], event.data["from"], event.data["to"]) == (
        "legalityreview",
        "2027-01-12",
        "2027-01-13",
    )


def test_marking_a_year_complete_needs_the_notice_number_and_a_sound_schedule():
    with pytest.raises(Refused, match="国务院办公厅通知文号"):
        actions.enter_calendar_year(
            2027, by=None, holidays=HOLIDAYS_2027, workdays=[], notice_number=" "
        )
    with pytest.raises(Refused, match="调休上班日应为周六或周日：2027-03-01"):
        actions.enter_calendar_year(
            2027, by=None, holidays=HOLIDAYS_2027, workdays=[date(2027, 3, 1)], notice_number=NOTICE
        )
    with pytest.raises(Refused, match="不在 2027 年内"):
        actions.enter_calendar_year(
            2027, by=None, holidays=[date(2028, 1, 1)], workdays=[], notice_number=NOTICE
        )
    with pytest.raises(Refused, match="chinesecalendar 已有 2026 年"):
        actions.enter_calendar_year(
            2026, by=None, holidays=[date(2026, 1, 1)], workdays=[], notice_number=NOTICE
        )
    assert not CalendarYear.objects.exists() and not CalendarOverride.objects.exists()


# --- the administrator's form ------------------------------------------------------


@pytest.fixture
def admin_client(client, db):
    admin = get_user_model().objects.create_superuser("root", "root@example.invalid", "x-test")
    client.force_login(admin)
    return client


def test_the_administrator_enters_2027_in_one_form_with_ranges(admin_client):
    response = admin_client.post(
        "/admin/review/calendaryear/add/",
        {
            "year": "2027",
            "notice_number": NOTICE,
            "complete": "on",
            "holidays": "2027-01-01\n2027-02-05~2027-02-11，2027-10-01至2027-10-07",
            "workdays": "2027-02-20 2027-09-26",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    year = CalendarYear.objects.get(year=2027)
    assert year.complete and year.notice_number == NOTICE and year.marked_by.username == "root"
    assert CalendarOverride.objects.filter(is_working_day=False).count() == 15
    assert CalendarOverride.objects.filter(is_working_day=True).count() == 2
    assert WorkingCalendar().knows(2027)
    assert AuditEvent.objects.get(action="enter_calendar_year").actor_name


def test_the_administrators_form_refuses_a_complete_year_without_its_notice(admin_client):
    response = admin_client.post(
        "/admin/review/calendaryear/add/",
        {"year": "2027", "notice_number": "", "complete": "on", "holidays": "2027-01-01"},
    )
    assert response.status_code == 200
    assert "标记为完整录入须填写国务院办公厅通知文号" in response.content.decode()
    assert not CalendarYear.objects.exists()


def test_one_day_entered_in_the_override_admin_leaves_2027_provisional(admin_client):
    admin_client.post(
        "/admin/review/calendaroverride/add/",
        {"date": "2027-02-06", "is_working_day": "", "name": "春节"},
    )
    assert CalendarOverride.objects.count() == 1
    due = rules.filing_due(JurisdictionSettings(), date(2026, 12, 21), WorkingCalendar())
    assert rules.shown(due) == "2027-01-20（暂定）"


# --- the importer ----------------------------------------------------------------


def test_the_importer_accepts_a_row_filed_in_january_2027_with_provisional_deadlines(
    bureau, tmp_path
):
    row = [
        "akmz",
        "安康市社会救助家庭经济状况核对办法",
        "安民发〔2026〕30号",
        "安规〔2026〕010",
        "2026-12-15",
        "2026-12-20",
        "2027-01-05",
        "是",
        "",
        "",
        "否",
        "",
        "",
        "2031-12-19",
        "现行有效",
    ]
    path = tmp_path / "台账.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerow(row)
    out = StringIO()
    call_command("import_register", str(path), "--today", "2027-01-10", stdout=out)
    assert "已导入 1 件" in out.getvalue()
    assert "按法定节假日暂定计算" in out.getvalue()
    document = NormativeDocument.objects.get(registration__number="安民发〔2026〕30号")
    filing = document.latest_filing
    assert (filing.due_on, filing.due_on_provisional) == (date(2027, 1, 19), True)
    assert (filing.review.due_on, filing.review.due_on_provisional) == (date(2027, 2, 4), True)
