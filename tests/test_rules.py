"""review.rules: every period of domain-rules.md, pinned to the day.

The expected dates are worked out by hand from the law and the State Council's
schedules (chinesecalendar 1.11.0), never by calling the function under test:
2020 清明 4-6 April; 劳动节 1-5 May with 26 April (Sunday) and 9 May (Saturday)
worked; 国庆 1-8 October with 27 September (Sunday) and 10 October (Saturday)
worked; the Spring Festival extended to 2 February. 2026 国庆 1-7 October.
"""

import re
from datetime import date
from pathlib import Path

import pytest

from desk.forms import DeliberationForm, DraftTaskForm
from review import actions, lifecycle, rules
from review.calendar import WorkingCalendar
from review.errors import Refused
from review.models import Deliberation, JurisdictionSettings, Organisation
from review.states import State
from workflows.driving import open_task, perform
from workflows.flows import IssuingFlow

from .test_workflow_issuing import at, prepare, review_lawfully

pytestmark = pytest.mark.django_db


def settings(**changed):
    """The defaults of domain-rules.md with `changed` settings (an unsaved row)."""
    return JurisdictionSettings(**changed)


def refusal(call):
    with pytest.raises(Refused) as caught:
        call()
    return caught.value.message


# --- deadlines: the default, and the date moving with its setting ----------------

# (rule, start, {setting: value}, expected date, why)
DEADLINES = [
    (
        rules.filing_due,
        date(2020, 9, 1),
        {},
        date(2020, 10, 9),
        "备案条例 art. 3: 1 September + 30 日 = 1 October, 国庆 until 8 October",
    ),
    (
        rules.filing_due,
        date(2020, 9, 1),
        {"filing_deadline_days": 15},
        date(2020, 9, 16),
        "a locality with 15 日: Wednesday 16 September",
    ),
    (
        rules.filing_due,
        date(2020, 1, 10),
        {},
        date(2020, 2, 10),
        "10 January 2020 + 30 日 = Sunday 9 February: Monday 10th",
    ),
    (
        rules.filing_due,
        date(2026, 9, 1),
        {},
        date(2026, 10, 8),
        "2026: 1 October is 国庆 (1-7 October): Thursday 8 October",
    ),
    (
        rules.filing_review_due,
        date(2020, 3, 10),
        {},
        date(2020, 4, 9),
        "30 日 from Tuesday 10 March: Thursday 9 April",
    ),
    (
        rules.filing_review_due,
        date(2020, 3, 10),
        {"filing_review_days": 20},
        date(2020, 3, 30),
        "20 日 end on Monday 30 March",
    ),
    (
        rules.extended_filing_review_due,
        date(2020, 4, 9),
        {},
        date(2020, 4, 29),
        "20 日 more: Wednesday 29 April",
    ),
    (
        rules.extended_filing_review_due,
        date(2020, 4, 9),
        {"filing_review_extension_days": 10},
        date(2020, 4, 20),
        "10 日 end on Sunday 19 April: Monday 20th",
    ),
    (
        rules.correction_due,
        date(2020, 3, 10),
        {},
        date(2020, 4, 9),
        "备案条例 art. 17: 30 日",
    ),
    (
        rules.correction_due,
        date(2020, 3, 10),
        {"correction_days": 60},
        date(2020, 5, 9),
        "60 日 end on Saturday 9 May 2020, a make-up working day: it stays",
    ),
    (
        rules.filing_demand_due,
        date(2020, 4, 8),
        {},
        date(2020, 4, 23),
        "备案条例 art. 20 限期报送: 15 日 end on Thursday 23 April",
    ),
    (
        rules.filing_demand_due,
        date(2020, 4, 8),
        {"filing_demand_days": 10},
        date(2020, 4, 20),
        "限期报送 of 10 日 end on Saturday 18 April: Monday 20th",
    ),
    (
        rules.suggestion_due,
        date(2020, 3, 2),
        {},
        date(2020, 5, 6),
        "审查建议 (备案条例 art. 9), 60 日 local: Friday 1 May is 劳动节 (1-5 May): Wednesday 6th",
    ),
    (
        rules.suggestion_due,
        date(2020, 3, 10),
        {},
        date(2020, 5, 9),
        "审查建议 60 日 end on Saturday 9 May 2020, a make-up working day: it stays",
    ),
    (
        rules.suggestion_due,
        date(2020, 3, 2),
        {"suggestion_handling_days": 30},
        date(2020, 4, 1),
        "a locality answering 审查建议 within 30 日: Wednesday 1 April",
    ),
    (
        rules.consultation_link_expires_on,
        date(2020, 4, 1),
        {},
        date(2020, 5, 6),
        "审查意见征集 link, 30 日: Friday 1 May is 劳动节 (1-5 May): Wednesday 6th",
    ),
    (
        rules.consultation_link_expires_on,
        date(2020, 4, 1),
        {"consultation_link_days": 7},
        date(2020, 4, 8),
        "a link valid 7 日: Wednesday 8 April",
    ),
]


def test_a_filing_is_overdue_from_the_day_after_its_deadline():
    # published Sunday 8 March 2020: due Tuesday 7 April (清明 4-6 April)
    calendar = WorkingCalendar()
    assert not rules.filing_overdue(settings(), date(2020, 3, 8), date(2020, 4, 7), calendar)
    assert rules.filing_overdue(settings(), date(2020, 3, 8), date(2020, 4, 8), calendar)


@pytest.mark.parametrize(
    "rule, start, changed, expected, why", DEADLINES, ids=[row[4] for row in DEADLINES]
)
def test_each_deadline_is_the_day_the_law_gives_and_moves_with_its_setting(
    rule, start, changed, expected, why
):
    assert rule(settings(**changed), start, WorkingCalendar()) == expected


def test_the_legality_review_ends_after_the_working_days_the_drafter_gave():
    # 30 September 2020 + 15 working days: 9, 10 (make-up Saturday), 12-16, 19-23,
    # 26, 27, 28 October.
    assert rules.legality_review_due(date(2020, 9, 30), 15, WorkingCalendar()) == date(2020, 10, 28)
    assert rules.legality_review_due(date(2020, 9, 30), 14, WorkingCalendar()) == date(2020, 10, 27)


@pytest.mark.parametrize(
    "changed, expected",
    [({}, 15), ({"legality_review_max_working_days": 12}, 12)],
)
def test_a_review_time_left_blank_is_the_maximum_of_the_setting(changed, expected):
    assert (
        rules.check_legality_review_days(settings(**changed), requested=None, major_decision=False)
        == expected
    )


@pytest.mark.parametrize(
    "rule, expected",
    [
        (rules.filing_due, date(2027, 1, 19)),  # 20 December + 30 日, a Tuesday
        (rules.filing_review_due, date(2027, 1, 19)),
        (rules.extended_filing_review_due, date(2027, 1, 11)),  # 9 January is a Saturday
        (rules.correction_due, date(2027, 1, 19)),
    ],
)
def test_every_deadline_reaching_a_year_without_calendar_data_is_provisional(rule, expected):
    due = rule(settings(), date(2026, 12, 20), WorkingCalendar())
    assert due == expected
    assert rules.is_provisional_deadline(due)
    assert rules.shown(due) == f"{expected.isoformat()}（暂定）"


def test_a_legality_review_reaching_2027_is_provisional():
    # 15 working days after Monday 21 December 2026; 1 January 2027 is 元旦.
    due = rules.legality_review_due(date(2026, 12, 21), 15, WorkingCalendar())
    assert due == date(2027, 1, 12) and rules.is_provisional_deadline(due)


def test_a_deadline_within_a_known_year_is_not_provisional():
    due = rules.filing_due(settings(), date(2026, 3, 2), WorkingCalendar())
    assert due == date(2026, 4, 1) and not rules.is_provisional_deadline(due)
    assert rules.shown(due) == "2026-04-01"


# --- checks on what users enter: the refusal moves with each setting --------------

# 民法典 art. 201: the opening day is not counted (rules.comment_window_length).
WINDOW_7_WORKING_DAYS = {"opens_on": date(2020, 3, 2), "closes_on": date(2020, 3, 11)}
WINDOW_30_DAYS = {"opens_on": date(2020, 3, 2), "closes_on": date(2020, 4, 1)}

# (setting, value that refuses, the window, its (working days, days), flags, refusal)
COMMENT_SETTINGS = [
    (
        "comment_min_working_days",
        8,
        WINDOW_7_WORKING_DAYS,
        (7, 9),  # 3-6 and 9-11 March 2020
        {},
        "不少于 8 个工作日（所选期间只有 7 个工作日）",
    ),
    (
        "comment_min_days_market",
        31,
        WINDOW_30_DAYS,
        (22, 30),
        {"market_related": True},
        "不少于 31 日（所选期间只有 30 日）",
    ),
    (
        "comment_min_days_major",
        31,
        WINDOW_30_DAYS,
        (22, 30),
        {"major_decision": True},
        "不少于 31 日（所选期间只有 30 日）",
    ),
]


@pytest.mark.parametrize("name, value, window, length, flags, message", COMMENT_SETTINGS)
def test_each_comment_minimum_setting_moves_the_refusal(
    name, value, window, length, flags, message
):
    def check(**changed):
        return rules.check_comment_window(
            settings(**changed),
            WorkingCalendar(),
            today=date(2020, 3, 2),
            **{"market_related": False, "major_decision": False, **flags},
            **window,
        )

    assert check() == length  # the default minimum is met exactly
    assert message in refusal(lambda: check(**{name: value}))


def test_the_stricter_comment_rule_wins_and_an_urgent_reason_allows_a_shorter_window():
    def check(**entered):
        return rules.check_comment_window(
            settings(),
            WorkingCalendar(),
            today=date(2020, 3, 2),
            market_related=True,
            major_decision=False,
            **WINDOW_7_WORKING_DAYS,
            **entered,
        )

    assert "不少于 30 日（所选期间只有 9 日）" in refusal(check)
    assert check(urgent_reason="疫情防控急需，须在三月中旬前公布防控措施") == (7, 9)


def test_a_comment_window_does_not_count_its_opening_day():
    """民法典 art. 201: 开始的当日不计入. Opening on Monday 2 March 2020, the 30 日 end on
    1 April and the 7 个工作日 on 11 March."""
    calendar = WorkingCalendar()
    assert rules.comment_window_length(calendar, date(2020, 3, 2), date(2020, 4, 1)) == (22, 30)
    assert rules.comment_window_length(calendar, date(2020, 3, 2), date(2020, 3, 11)) == (7, 9)
    assert rules.comment_window_length(calendar, date(2020, 3, 2), date(2020, 3, 10)) == (6, 8)


def _urgent_check(reason, **changed):
    return rules.check_comment_window(
        settings(**changed),
        WorkingCalendar(),
        today=date(2020, 3, 2),
        market_related=True,
        major_decision=False,
        opens_on=date(2020, 3, 2),
        closes_on=date(2020, 3, 9),  # 7 日, 5 个工作日
        urgent_reason=reason,
    )


def test_an_urgent_reason_shortening_the_comment_period_has_a_minimum_length():
    reason = "汛期将至，须在主汛期前公布"  # 13 characters
    assert _urgent_check(reason) == (5, 7)
    assert "至少 14 个字" in refusal(
        lambda: _urgent_check(reason, **{"urgent_reason_min_chars": 14})
    )
    assert "紧急理由过于简略" in refusal(lambda: _urgent_check("紧急"))


def test_an_urgent_market_related_window_keeps_the_jurisdiction_floor():
    reason = "汛期将至，须在主汛期前公布"
    assert _urgent_check(reason, **{"comment_min_days_market_urgent": 7}) == (5, 7)
    message = refusal(lambda: _urgent_check(reason, **{"comment_min_days_market_urgent": 8}))
    assert (
        message
        == "涉及市场主体的文件，即使情况紧急，征求意见期也不得少于 8 日（所选期间只有 7 日）"
    )


# (setting, value that refuses, requested working days, major decision, refusal)
REVIEW_SETTINGS = [
    ("legality_review_min_working_days", 6, 5, False, "一般不少于 6 个工作日"),
    ("legality_review_major_min_working_days", 8, 7, True, "一般不少于 8 个工作日"),
    ("legality_review_max_working_days", 14, 15, False, "最长不超过 14 个工作日"),
]


@pytest.mark.parametrize("name, value, requested, major, message", REVIEW_SETTINGS)
def test_each_legality_review_setting_moves_the_refusal(name, value, requested, major, message):
    def check(**changed):
        return rules.check_legality_review_days(
            settings(**changed), requested=requested, major_decision=major
        )

    assert check() == requested
    assert message in refusal(lambda: check(**{name: value}))


def test_a_department_decides_at_its_bureau_meeting_and_a_government_at_its_executive():
    department = Organisation(name="安康市民政局", kind=Organisation.Kind.DEPARTMENT)
    government = Organisation(name="安康市人民政府", kind=Organisation.Kind.GOVERNMENT)
    rules.check_meeting_type(department, Deliberation.MeetingType.BUREAU)
    rules.check_meeting_type(government, Deliberation.MeetingType.EXECUTIVE)
    assert refusal(
        lambda: rules.check_meeting_type(department, Deliberation.MeetingType.EXECUTIVE)
    ) == ("安康市民政局的规范性文件应当由局务会议、办公会议审议决定")


# --- the 施行日期 and 有效期至 a document states (domain-rules §6, §8) ---------------


@pytest.mark.parametrize(
    "changed, reason, expected",
    [
        ({}, "", date(2020, 6, 8)),  # 9 May + 30 日
        ({"effective_after_days": 20}, "", date(2020, 5, 29)),
        ({}, "疫情防控需要立即施行", date(2020, 5, 9)),
    ],
)
def test_the_earliest_effective_date_moves_with_its_setting(changed, reason, expected):
    assert rules.earliest_effective_date(settings(**changed), date(2020, 5, 9), reason) == expected


@pytest.mark.parametrize(
    "changed, provisional, expected",
    [
        ({}, False, date(2025, 6, 7)),
        ({"validity_years": 3}, False, date(2023, 6, 7)),
        ({}, True, date(2022, 6, 7)),
        ({"provisional_validity_years": 1}, True, date(2021, 6, 7)),
    ],
)
def test_the_latest_valid_until_moves_with_its_setting(changed, provisional, expected):
    assert (
        rules.latest_valid_until(settings(**changed), date(2020, 6, 8), provisional=provisional)
        == expected
    )


def test_validity_from_29_february_ends_on_27_february():
    assert rules.latest_valid_until(settings(), date(2024, 2, 29)) == date(2029, 2, 27)


def test_a_title_with_zanxing_or_shixing_is_provisional():
    assert rules.is_provisional("安康市慈善组织认定暂行办法")
    assert rules.is_provisional("安康市殡葬服务收费管理办法（试行）")
    assert not rules.is_provisional("安康市最低生活保障审核确认办法")


def stated(changed=None, **dates):
    entered = {
        "published_on": date(2020, 5, 9),
        "effective_from": date(2020, 6, 8),
        "valid_until": date(2025, 6, 7),
        **dates,
    }
    return lambda: rules.check_stated_dates(settings(**(changed or {})), **entered)


def test_stated_dates_at_the_bounds_are_lawful():
    stated()()
    stated(
        effective_from=date(2020, 5, 9),
        valid_until=date(2025, 5, 8),
        immediate_effect_reason="灾情",
    )()
    stated(valid_until=date(2020, 12, 31))()


@pytest.mark.parametrize(
    "changed, dates, message",
    [
        (
            {},
            {"effective_from": date(2020, 6, 7)},
            "施行日期不得早于 2020-06-08：应自公布之日起 30 日后施行；确需公布即施行的，须载明理由",
        ),
        ({"effective_after_days": 31}, {}, "施行日期不得早于 2020-06-09"),
        (
            {},
            {"effective_from": date(2020, 5, 8), "immediate_effect_reason": "灾情"},
            "不得早于公布日期",
        ),
        ({}, {"valid_until": date(2025, 6, 8)}, "有效期不得超过 5 年：有效期至最晚为 2025-06-07"),
        ({"validity_years": 4}, {}, "有效期不得超过 4 年：有效期至最晚为 2024-06-07"),
        ({}, {"valid_until": date(2020, 6, 7)}, "有效期至不得早于施行日期 2020-06-08"),
        (
            {"provisional_validity_years": 2},
            {"provisional": True, "valid_until": date(2022, 6, 8)},
            "有效期不得超过 2 年",
        ),
    ],
)
def test_stated_dates_outside_the_bounds_are_refused(changed, dates, message):
    assert message in refusal(stated(changed, **dates))


@pytest.mark.parametrize(
    "changed, expected",
    [({}, date(2024, 12, 7)), ({"evaluation_months_before_expiry": 3}, date(2025, 3, 7))],
)
def test_the_evaluation_window_opens_months_before_expiry(changed, expected):
    assert rules.evaluation_opens_on(settings(**changed), date(2025, 6, 7)) == expected


def test_an_evaluation_window_from_31_august_opens_on_the_last_day_of_february():
    assert rules.evaluation_opens_on(settings(), date(2025, 8, 31)) == date(2025, 2, 28)


# --- the actions apply the checks and the settings --------------------------------


def test_publishing_with_a_stated_effective_date_too_early_is_refused_and_changes_nothing(
    walk, document, registrar
):
    walk.to(State.PUBLICATION)
    message = refusal(
        lambda: actions.publish(
            document,
            by=registrar,
            published_on=date(2020, 5, 9),
            effective_from=date(2020, 5, 20),
            valid_until=date(2025, 5, 19),
        )
    )
    assert message.startswith("施行日期不得早于 2020-06-08")
    document.refresh_from_db()
    assert document.state == State.PUBLICATION
    assert document.effective_from is None


def test_publishing_keeps_the_stated_dates_within_the_bounds(walk, document, registrar):
    walk.to(State.PUBLICATION)
    actions.publish(
        document,
        by=registrar,
        published_on=date(2020, 5, 9),
        effective_from=date(2020, 7, 1),
        valid_until=date(2022, 6, 30),
    )
    document.refresh_from_db()
    assert (document.effective_from, document.valid_until) == (date(2020, 7, 1), date(2022, 6, 30))


def test_publishing_without_stated_dates_takes_the_bounds_of_the_settings(
    walk, document, registrar, bureau
):
    JurisdictionSettings.objects.create(
        organisation=bureau, effective_after_days=20, validity_years=3
    )
    walk.to(State.PUBLICATION)
    actions.publish(document, by=registrar, published_on=date(2020, 5, 9))
    document.refresh_from_db()
    assert (document.effective_from, document.valid_until) == (date(2020, 5, 29), date(2023, 5, 28))


def test_the_filing_deadline_of_an_action_moves_with_the_setting(walk, document, bureau):
    JurisdictionSettings.objects.create(organisation=bureau, filing_deadline_days=15)
    walk.to(State.FILING_REVIEW)
    # published Sunday 8 March 2020 + 15 日 = Monday 23 March
    assert document.publication.published_on == date(2020, 3, 8)
    assert document.latest_filing.due_on == date(2020, 3, 23)


def test_the_publication_channel_is_the_jurisdictions_setting_else_the_bodys_portal(
    walk, document, registrar, bureau
):
    walk.to(State.PUBLICATION)
    actions.publish(document, by=registrar, published_on=date(2020, 5, 9))
    assert document.publication.channel == "安康市民政局门户网站"  # the body's name + 门户网站


def test_a_set_publication_channel_is_used_for_publication_and_comment(
    walk, document, registrar, drafter, bureau
):
    JurisdictionSettings.objects.create(
        organisation=bureau, publication_channel="安康市人民政府公报"
    )
    walk.prepare()
    period = actions.open_comment_period(
        document,
        by=drafter,
        opens_on=date(2020, 3, 2),
        closes_on=date(2020, 3, 11),
        on=date(2020, 3, 2),
    )
    assert period.channel == "安康市人民政府公报"


# --- form and action: the same check, the same words ------------------------------


def test_the_draft_form_and_the_action_refuse_a_short_comment_window_alike(walk, document, drafter):
    walk.prepare()
    entered = {"opens_on": date(2099, 3, 2), "closes_on": date(2099, 3, 3)}
    form = DraftTaskForm(
        {"decision": "comment", "opens_on": "2099-03-02", "closes_on": "2099-03-03"},
        document=document,
    )
    assert not form.is_valid()
    action = refusal(lambda: actions.open_comment_period(document, by=drafter, **entered))
    assert form.non_field_errors() == [action]
    assert "2099" in action  # the calendar has no 2099: refused, not guessed


def test_the_draft_form_and_the_action_refuse_a_too_long_review_time_alike(walk, document, drafter):
    walk.prepare()
    form = DraftTaskForm({"decision": "submit", "requested_working_days": "16"}, document=document)
    assert not form.is_valid()
    action = refusal(
        lambda: actions.submit_for_review(document, by=drafter, requested_working_days=16)
    )
    assert form.non_field_errors() == [action] == ["合法性审核期限最长不超过 15 个工作日"]


def test_the_deliberation_form_refuses_a_government_meeting_for_a_department(document):
    form = DeliberationForm(
        {
            "meeting_type": Deliberation.MeetingType.EXECUTIVE,
            "meeting_date": "2020-04-01",
            "attendance": "局长、副局长",
            "outcome": Deliberation.Outcome.PASSED,
            "minutes": "审议通过",
        },
        document=document,
    )
    assert not form.is_valid()
    assert form.non_field_errors() == ["安康市民政局的规范性文件应当由局务会议、办公会议审议决定"]


def test_refusals_show_the_check_on_entered_values_beside_the_guards(walk, document):
    walk.prepare()
    entered = {"opens_on": date(2020, 3, 2), "closes_on": date(2020, 3, 3)}
    document.as_of = date(2020, 3, 2)
    assert lifecycle.refusals(document, "open_comment") == []
    [reason] = lifecycle.refusals(document, "open_comment", entered=entered)
    assert reason.startswith("征求意见期限不足：不少于 7 个工作日（所选期间只有 1 个工作日）")
    assert (
        lifecycle.input_rule(document, "open_comment")
        == "征求意见期不少于 7 个工作日（紧急缩短须载明理由）"
    )


def test_extending_a_review_a_second_time_is_a_lifecycle_refusal(walk, document, filing_reviewer):
    walk.to(State.UNDER_REVIEW)
    assert lifecycle.refusals(document, "extend_filing_review") == []
    actions.extend_filing_review(document, by=filing_reviewer, reason="需征求省民政厅意见")
    assert lifecycle.refusals(document, "extend_filing_review") == ["审查期限已延长过一次"]


def test_the_document_page_lists_the_rule_a_next_step_must_meet(client, walk, document, drafter):
    # A step is listed where it has a control: here the drafter's task of the flow.
    IssuingFlow.start.run(document=document)
    walk.prepare()
    client.force_login(drafter)
    page = client.get(document.get_absolute_url()).content.decode()
    assert "须符合：征求意见期不少于 7 个工作日（紧急缩短须载明理由）" in page
    assert "须符合：合法性审核期限 5 至 15 个工作日（紧急缩短须载明理由）" in page


# --- one home: no deadline arithmetic outside review.rules and review.calendar ------

ROOT = Path(__file__).resolve().parent.parent
DATE_ARITHMETIC = re.compile(r"timedelta\(days=|add_days\(|add_working_days\(")
HOMES = {"review/calendar.py"}
HOME_PACKAGE = "review/rules/"  # review/rules/__init__.py and one module per topic
# Files that move a demo's "today" along, not a deadline: they stay as they are.
DEMO_TIME_TRAVEL = {
    "review/driver.py": "the Walker steps the demo's dates forward between actions",
    "workflows/management/commands/seed_demo.py": "the demo seed walks dates onto working days",
    "review/security_log.py": (
        "the security log's retention and a password's age: system-wide account settings "
        "(issue 16), not a document's deadline"
    ),
    "review/comments/privacy.py": (
        "how long commenters' contacts are kept (GUIFAN_CONTACT_RETENTION_DAYS, 个人信息保护法): "
        "a system-wide privacy setting, not a document's deadline"
    ),
}


def test_no_deadline_arithmetic_outside_the_rules_and_the_calendar():
    found = []
    for folder in ("review", "workflows", "desk", "portal"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            name = path.relative_to(ROOT).as_posix()
            if name in HOMES or name.startswith(HOME_PACKAGE) or name in DEMO_TIME_TRAVEL:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if DATE_ARITHMETIC.search(line):
                    found.append(f"{name}:{number}: {line.strip()}")
    assert found == []


def test_the_arithmetic_check_would_catch_a_second_copy():
    assert DATE_ARITHMETIC.search("due = published + datetime.timedelta(days=30)")
    assert DATE_ARITHMETIC.search("calendar.add_days(published_on, 30)")
    assert DATE_ARITHMETIC.search("calendar.add_working_days(day, 15)")
    assert all((ROOT / name).exists() for name in DEMO_TIME_TRAVEL)


def test_the_settings_periods_are_each_covered_by_a_test_here():
    """Every period setting of JurisdictionSettings is changed by a test in this file."""
    text = Path(__file__).read_text(encoding="utf-8")
    periods = [
        field.name
        for field in JurisdictionSettings._meta.fields
        if field.get_internal_type() == "PositiveSmallIntegerField"
    ]
    assert [name for name in periods if f'"{name}"' not in text] == []


# --- a deadline in a year without calendar data, across the flow -----------------


def test_publishing_in_late_2026_is_not_refused_and_the_filing_deadline_shows_as_provisional(
    client, document, actors
):
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
        # The registrar's own act: its filing deadline (21 December + 30 日, in 2027)
        # is the filing clerk's, so publishing is not refused for want of 2027 data.
        perform(
            open_task(document, IssuingFlow.publish),
            actors.registrar,
            lambda d: actions.publish(d, by=actors.registrar, published_on=date(2026, 12, 21)),
        )
        task = open_task(document, IssuingFlow.file)
        # 21 December + 30 日 = 20 January 2027, counted without the 2027 schedule
        assert task.data == {"due_on": "2027-01-20", "due_provisional": True}
        client.force_login(actors.filing_clerk)
        page = client.get(document.get_absolute_url()).content.decode()
        assert "报送备案期限：2027-01-20（暂定）" in page
        tasks = client.get("/tasks/queue/").content.decode()
        assert "2027-01-20（暂定）" in tasks
    with at(date(2026, 12, 28)):
        # The filing clerk's own act stores the deadline as provisional: not refused.
        perform(
            open_task(document, IssuingFlow.file),
            actors.filing_clerk,
            lambda d: actions.file_with_authority(d, by=actors.filing_clerk),
        )
    document.refresh_from_db()
    assert document.state == State.FILING_REVIEW
    filing = document.latest_filing
    assert (filing.due_on, filing.due_on_provisional) == (date(2027, 1, 20), True)
    # 28 December + 30 日 = 27 January 2027: the reviewer's deadline, provisional too
    assert (filing.review.due_on, filing.review.due_on_provisional) == (date(2027, 1, 27), True)
