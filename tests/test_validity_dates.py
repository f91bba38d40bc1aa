"""Dates a document states and the end of its validity (issue 13 §1; domain-rules §6, §8).

Exact dates worked out by hand: a document published Sunday 8 March 2020 (the walk)
may take effect 30 calendar days later, Tuesday 7 April 2020 (no holiday shift: 清明
is 4-6 April, and the date is not moved); valid at most until 6 April 2025 (5 years −
1 day), a 暂行 document until 6 April 2022 (2 years − 1 day).
"""

from datetime import date
from importlib import import_module

import pytest
from django.apps import apps

from review import actions, rules
from review.errors import NotPermitted, Refused
from review.models import JurisdictionSettings, NormativeDocument
from review.states import State

pytestmark = pytest.mark.django_db

PUBLISHED = date(2020, 3, 8)  # the walk's day of publication


def settings(**changed):
    return JurisdictionSettings(**changed)


def refusal(call):
    with pytest.raises(Refused) as caught:
        call()
    return caught.value.message


# --- 施行日期: 30 calendar days, no holiday shift ---------------------------------------


def test_the_earliest_effective_date_is_thirty_calendar_days_even_onto_a_holiday():
    # 2020-09-01 + 30 = 2020-10-01, 国庆: a stated date, not a deadline, so not moved
    assert rules.earliest_effective_date(settings(), date(2020, 9, 1)) == date(2020, 10, 1)


def test_the_earliest_effective_date_moves_with_effective_after_days():
    assert rules.earliest_effective_date(
        settings(effective_after_days=45), date(2020, 9, 1)
    ) == date(2020, 10, 16)


def test_an_effective_date_one_day_early_is_refused_with_the_rules_words():
    message = refusal(
        lambda: rules.check_stated_dates(
            settings(),
            published_on=date(2020, 9, 1),
            effective_from=date(2020, 9, 30),
            valid_until=date(2025, 9, 29),
        )
    )
    assert message == (
        "施行日期不得早于 2020-10-01：应自公布之日起 30 日后施行；确需公布即施行的，须载明理由"
    )


def test_an_effective_date_at_publication_is_lawful_with_the_reason_recorded():
    rules.check_stated_dates(
        settings(),
        published_on=date(2020, 9, 1),
        effective_from=date(2020, 9, 1),
        valid_until=date(2025, 8, 31),
        immediate_effect_reason="疫情防控急需",
    )


# --- 有效期至: N years − 1 day, 暂行/试行 its own setting -----------------------------------


@pytest.mark.parametrize(
    "changed, provisional, latest",
    [
        ({}, False, date(2025, 4, 6)),
        ({"validity_years": 3}, False, date(2023, 4, 6)),
        ({}, True, date(2022, 4, 6)),
        ({"provisional_validity_years": 3}, True, date(2023, 4, 6)),
    ],
)
def test_the_latest_valid_until_is_n_years_less_a_day_with_its_setting(
    changed, provisional, latest
):
    s = settings(**changed)
    effective = date(2020, 4, 7)
    assert rules.latest_valid_until(s, effective, provisional=provisional) == latest
    rules.check_stated_dates(
        s,
        published_on=PUBLISHED,
        effective_from=effective,
        valid_until=latest,
        provisional=provisional,
    )
    years = s.provisional_validity_years if provisional else s.validity_years
    assert (
        refusal(
            lambda: rules.check_stated_dates(
                s,
                published_on=PUBLISHED,
                effective_from=effective,
                valid_until=rules.expiry_ends_on(latest),
                provisional=provisional,
            )
        )
        == f"有效期不得超过 {years} 年：有效期至最晚为 {latest}"
    )


def test_the_provisional_term_is_detected_from_the_title():
    assert rules.check_provisional("安康市村（居）务公开工作暂行办法") is True
    assert rules.check_provisional("安康市殡葬服务收费管理办法（试行）") is True
    assert rules.check_provisional("安康市临时救助实施办法") is False


def test_overriding_the_title_needs_a_recorded_reason():
    assert refusal(lambda: rules.check_provisional("安康市临时救助暂行办法", False)) == (
        "标题含“暂行”或“试行”，按暂行、试行文件确定有效期；不按此认定的，须载明理由"
    )
    assert refusal(lambda: rules.check_provisional("安康市临时救助实施办法", True)) == (
        "标题不含“暂行”或“试行”，按一般文件确定有效期；认定为暂行、试行文件的，须载明理由"
    )
    assert rules.check_provisional("安康市临时救助暂行办法", False, "上位法已定型") is False
    assert rules.check_provisional("安康市临时救助实施办法", True, "试点期间") is True


# --- the end of validity --------------------------------------------------------------


def test_an_expired_document_is_no_longer_in_force_from_the_day_after_valid_until():
    assert rules.expiry_ends_on(date(2025, 4, 6)) == date(2025, 4, 7)
    assert rules.expiry_ends_on(date(2024, 2, 28)) == date(2024, 2, 29)


def test_an_end_date_must_follow_publication_and_not_pass_the_expiry():
    check = rules.check_end_date
    check(published_on=PUBLISHED, valid_until=date(2025, 4, 6), ended_on=date(2020, 3, 9))
    check(published_on=PUBLISHED, valid_until=date(2025, 4, 6), ended_on=date(2025, 4, 7))
    assert refusal(lambda: check(published_on=PUBLISHED, valid_until=None, ended_on=PUBLISHED)) == (
        "失效日期须晚于公布日期 2020-03-08"
    )
    assert refusal(
        lambda: check(
            published_on=PUBLISHED, valid_until=date(2025, 4, 6), ended_on=date(2025, 4, 8)
        )
    ) == ("有效期至 2025-04-06，届满即失效；失效日期不得晚于 2025-04-07")


# --- in force on a day ------------------------------------------------------------------

DATES = {
    "published_on": date(2020, 3, 8),
    "effective_from": date(2020, 4, 7),
    "valid_until": date(2025, 4, 6),
    "ended_on": date(2022, 7, 1),
}


@pytest.mark.parametrize(
    "day, expected",
    [
        (date(2020, 4, 6), False),  # published, not yet in effect
        (date(2020, 4, 7), True),  # 施行日期
        (date(2022, 6, 30), True),  # the last day before 自2022年7月1日起废止
        (date(2022, 7, 1), False),  # the first day no longer in force
    ],
)
def test_in_force_on_a_day_follows_the_dates(day, expected):
    assert rules.in_force_on(day, **DATES) is expected


def test_without_an_end_a_document_is_in_force_to_its_last_valid_day():
    dates = {**DATES, "ended_on": None}
    assert rules.in_force_on(date(2025, 4, 6), **dates)
    assert not rules.in_force_on(date(2025, 4, 7), **dates)
    # an old register's 已废止 without its date: when it ended is unknown
    assert not rules.in_force_on(date(2021, 1, 1), **dates, ended=True)


# --- the actions ------------------------------------------------------------------------


def test_publishing_stores_the_stated_dates_and_the_provisional_choice_with_its_reason(
    walk, document, registrar
):
    walk.to(State.PUBLICATION)
    actions.publish(
        document,
        by=registrar,
        published_on=PUBLISHED,
        effective_from=date(2020, 4, 7),
        valid_until=date(2022, 4, 6),
        provisional=True,
        provisional_reason="试点期间实施，有效期二年",
    )
    document.refresh_from_db()
    assert (document.effective_from, document.valid_until) == (date(2020, 4, 7), date(2022, 4, 6))
    assert document.provisional and document.provisional_reason == "试点期间实施，有效期二年"
    event = document.audit_events.get(action="publish")
    assert event.data["provisional"] is True


def test_a_provisional_title_caps_the_term_at_two_years(walk, document, registrar):
    document.title = "安康市民政局政府信息公开暂行制度"
    document.save(update_fields=["title"])
    walk.to(State.PUBLICATION)
    message = refusal(
        lambda: actions.publish(
            document,
            by=registrar,
            published_on=PUBLISHED,
            effective_from=date(2020, 4, 7),
            valid_until=date(2025, 4, 6),
        )
    )
    assert message == "有效期不得超过 2 年：有效期至最晚为 2022-04-06"
    document.refresh_from_db()
    assert document.state == State.PUBLICATION and document.valid_until is None


def test_publishing_without_stated_dates_keeps_the_title_provisional_term(
    walk, document, registrar
):
    document.title = "安康市民政局政府信息公开制度（试行）"
    document.save(update_fields=["title"])
    walk.to(State.PUBLICATION)
    actions.publish(document, by=registrar, published_on=PUBLISHED)
    document.refresh_from_db()
    assert document.provisional and document.provisional_reason == ""
    assert document.valid_until == date(2022, 4, 6)


def test_expiry_records_the_day_after_valid_until(walk, document, registrar):
    walk.to(State.FILED)
    actions.expire(document, by=registrar, on=date(2025, 4, 8))
    document.refresh_from_db()
    assert (document.ended_on, document.end_cause) == (date(2025, 4, 7), "expired")


def test_repeal_records_its_decision_number_and_the_stated_day(walk, document, registrar):
    walk.to(State.FILED)
    actions.repeal(
        document,
        by=registrar,
        reason="已被新制度替代",
        decision_number="安民发〔2022〕9号",
        ended_on=date(2022, 7, 1),
        on=date(2022, 6, 15),
    )
    document.refresh_from_db()
    assert document.state == State.REPEALED
    assert (document.ended_on, document.end_cause) == (date(2022, 7, 1), "repealed")
    assert document.end_decision_number == "安民发〔2022〕9号"
    event = document.audit_events.get(action="repeal")
    assert event.data["ended_on"] == "2022-07-01"


def test_repeal_without_a_decision_is_refused(walk, document, registrar):
    walk.to(State.FILED)
    assert refusal(lambda: actions.repeal(document, by=registrar, reason="替代")) == (
        "请填写废止决定的文号，或选择废止本文件的文件"
    )


def test_repeal_dated_after_expiry_is_refused_and_changes_nothing(walk, document, registrar):
    walk.to(State.FILED)
    message = refusal(
        lambda: actions.repeal(
            document,
            by=registrar,
            reason="替代",
            decision_number="安民发〔2025〕1号",
            ended_on=date(2025, 5, 1),
        )
    )
    assert message == "有效期至 2025-04-06，届满即失效；失效日期不得晚于 2025-04-07"
    document.refresh_from_db()
    assert document.state == State.FILED and document.ended_on is None


def test_declared_invalid_needs_its_decision_number(walk, document, registrar):
    walk.to(State.FILED)
    assert refusal(
        lambda: actions.declare_invalid(
            document, by=registrar, decision_number=" ", reason="清理", ended_on=date(2021, 1, 1)
        )
    ) == ("请填写宣布失效决定的文号")
    actions.declare_invalid(
        document,
        by=registrar,
        decision_number="安政发〔2020〕30号",
        reason="2020年规范性文件清理",
        ended_on=date(2021, 1, 1),
        on=date(2020, 12, 20),
    )
    document.refresh_from_db()
    assert document.state == State.EXPIRED
    assert (document.ended_on, document.end_cause) == (date(2021, 1, 1), "declared_invalid")


def test_only_the_issuing_bodys_registrar_may_record_an_end(walk, document, drafter, outsider):
    walk.to(State.FILED)
    for user in (drafter, outsider):
        with pytest.raises(NotPermitted) as caught:
            actions.repeal(document, by=user, reason="替代", decision_number="安民发〔2022〕9号")
        assert "没有权限" in str(caught.value)
    document.refresh_from_db()
    assert document.state == State.FILED


def test_the_migration_fills_in_the_end_of_rows_that_ended_before_the_fields(
    walk, document, registrar
):
    migration = import_module("review.migrations.0009_dates_end_of_validity")
    walk.to(State.FILED)
    actions.expire(document, by=registrar, on=date(2025, 4, 8))
    NormativeDocument.objects.filter(pk=document.pk).update(ended_on=None, end_cause="")
    migration.backfill_ends(apps, None)
    document.refresh_from_db()
    assert (document.ended_on, document.end_cause) == (date(2025, 4, 7), "expired")
