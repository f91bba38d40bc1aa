"""Evaluation before expiry (domain-rules §8): opened by the daily timer on the exact
day, concluded with an outcome and a report, and each outcome's effect on the
document's validity and on the catalogue as of a date."""

import datetime
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from viewflow.workflow.status import STATUS

from review import actions
from review.choices import EndCause, EvaluationOutcome
from review.driver import Walker
from review.errors import NotPermitted, Refused
from review.models import Evaluation, JurisdictionSettings, NormativeDocument
from review.reports.catalogue import valid_catalogue
from review.states import State
from workflows import evaluation as evaluation_flow
from workflows.models import processes_of

D = datetime.date


def report():
    return SimpleUploadedFile("评估报告.pdf", b"%PDF-1.4\n% evaluation report\n")


def timer(day):
    out = StringIO()
    call_command("expire_documents", today=day.isoformat(), stdout=out)
    return out.getvalue()


@pytest.fixture
def filed(walk, document):
    walk.to(State.FILED)
    document.refresh_from_db()
    return document


def set_valid_until(document, day):
    NormativeDocument.objects.filter(pk=document.pk).update(valid_until=day)
    document.refresh_from_db()


def titles_on(day):
    return [line.title for line in valid_catalogue(day).lines]


def test_evaluation_opens_six_months_before_expiry_to_the_day_even_on_a_holiday(filed, drafter):
    # 有效期至 2026-04-04: evaluation opens 2025-10-04, in the 国庆 holiday, not moved.
    set_valid_until(filed, D(2026, 4, 4))
    assert "开启评估\t" not in timer(D(2025, 10, 3))
    assert not Evaluation.objects.exists()
    out = timer(D(2025, 10, 4))
    assert "开启评估" in out and "新开启评估 1 件" in out
    evaluation = Evaluation.objects.get()
    assert (evaluation.opens_on, evaluation.valid_until) == (D(2025, 10, 4), D(2026, 4, 4))
    assert evaluation.assignee == drafter
    assert filed.audit_events.filter(action="open_evaluation").count() == 1


def test_the_timer_is_idempotent_and_says_so(filed):
    set_valid_until(filed, D(2026, 4, 4))
    timer(D(2025, 10, 4))
    again = timer(D(2025, 10, 5))
    assert "开启评估\t" not in again and "新开启评估 0 件" in again
    assert Evaluation.objects.count() == 1
    assert filed.audit_events.filter(action="open_evaluation").count() == 1


def test_a_month_end_is_clamped_when_the_evaluation_opens(filed):
    # 有效期至 2026-08-31 − 6 months = 2026-02-28 (February has no 31st).
    set_valid_until(filed, D(2026, 8, 31))
    assert "开启评估\t" not in timer(D(2026, 2, 27))
    assert "开启评估\t" in timer(D(2026, 2, 28))


def test_the_number_of_months_is_the_jurisdictions_setting(filed, bureau):
    JurisdictionSettings.objects.create(organisation=bureau, evaluation_months_before_expiry=3)
    set_valid_until(filed, D(2026, 4, 4))
    assert "开启评估\t" not in timer(D(2025, 10, 4))
    assert "开启评估\t" in timer(D(2026, 1, 4))


def test_an_imported_document_is_evaluated_by_the_legal_division(filed, legal_reviewer, drafter):
    NormativeDocument.objects.filter(pk=filed.pk).update(imported=True)
    set_valid_until(filed, D(2026, 4, 4))
    timer(D(2025, 10, 4))
    evaluation = Evaluation.objects.get()
    assert evaluation.assignee is None
    assert actions.may_conclude(evaluation, legal_reviewer)
    assert not actions.may_conclude(evaluation, drafter)


def test_an_outsider_cannot_conclude_and_nothing_changes(filed, outsider):
    set_valid_until(filed, D(2026, 4, 4))
    timer(D(2025, 10, 4))
    evaluation = Evaluation.objects.get()
    with pytest.raises(NotPermitted):
        actions.conclude_evaluation(
            evaluation, by=outsider, outcome=EvaluationOutcome.LAPSE, report=report()
        )
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.OPEN


def test_a_conclusion_needs_an_outcome_and_a_report(filed, drafter):
    set_valid_until(filed, D(2026, 4, 4))
    timer(D(2025, 10, 4))
    evaluation = Evaluation.objects.get()
    with pytest.raises(Refused, match="评估结论"):
        actions.conclude_evaluation(evaluation, by=drafter, outcome="", report=report())
    with pytest.raises(Refused, match="评估报告"):
        actions.conclude_evaluation(
            evaluation, by=drafter, outcome=EvaluationOutcome.LAPSE, report=None
        )


def test_lapse_leaves_the_document_in_force_until_its_last_day(filed, drafter):
    set_valid_until(filed, D(2026, 4, 4))
    timer(D(2025, 10, 4))
    evaluation = actions.conclude_evaluation(
        Evaluation.objects.get(), by=drafter, outcome=EvaluationOutcome.LAPSE, report=report()
    )
    assert evaluation.report_sha256 and evaluation.successor is None
    filed.refresh_from_db()
    assert filed.state == State.FILED
    timer(D(2026, 4, 5))
    filed.refresh_from_db()
    assert (filed.state, filed.ended_on) == (State.EXPIRED, D(2026, 4, 5))
    assert filed.title in titles_on(D(2026, 4, 4))
    assert filed.title not in titles_on(D(2026, 4, 5))


def test_repeal_is_a_conclusion_until_the_registrar_records_the_decision(filed, drafter, registrar):
    set_valid_until(filed, D(2026, 4, 4))
    timer(D(2025, 10, 4))
    actions.conclude_evaluation(
        Evaluation.objects.get(), by=drafter, outcome=EvaluationOutcome.REPEAL, report=report()
    )
    filed.refresh_from_db()
    assert filed.state == State.FILED and filed.ended_on is None
    actions.repeal(
        filed,
        by=registrar,
        reason="经评估废止",
        decision_number="安民发〔2025〕9号",
        ended_on=D(2025, 12, 1),
        on=D(2025, 11, 20),
    )
    assert filed.title in titles_on(D(2025, 11, 30))
    assert filed.title not in titles_on(D(2025, 12, 1))


def _reissue(filed, drafter, actors, outcome):
    set_valid_until(filed, D(2026, 4, 4))
    timer(D(2025, 10, 4))
    evaluation = evaluation_flow.conclude(
        Evaluation.objects.get(), by=drafter, outcome=outcome, report=report()
    )
    new = evaluation.successor
    assert new.state == State.DRAFTING and new.title == filed.title
    assert processes_of(new).filter(status=STATUS.NEW).exists()  # its issuing process
    Walker(new, actors, D(2025, 10, 13)).to(State.FILED)
    new.refresh_from_db()
    return new


def test_amend_starts_a_new_document_and_the_old_ends_the_day_it_takes_effect(
    filed, drafter, actors
):
    new = _reissue(filed, drafter, actors, EvaluationOutcome.AMEND)
    took_effect = new.effective_from
    day_before = took_effect - datetime.timedelta(days=1)
    assert "已取代" not in timer(day_before)
    out = timer(took_effect)
    assert "已取代" in out and "1 件由重新制发的文件取代" in out
    filed.refresh_from_db()
    assert (filed.state, filed.end_cause, filed.ended_on) == (
        State.AMENDED,
        EndCause.AMENDED,
        took_effect,
    )
    assert filed.amended_by == new
    # The catalogue as of each day: the old one until the day before, the new one from then.
    on_eve, on_day = titles_on(day_before), titles_on(took_effect)
    assert on_eve.count(filed.title) == 1 and on_day.count(filed.title) == 1
    assert valid_catalogue(took_effect).lines[0].number == new.registration.number
    assert "已取代" not in timer(took_effect)  # idempotent


def test_continue_reissued_repeals_the_old_by_the_new(filed, drafter, actors):
    new = _reissue(filed, drafter, actors, EvaluationOutcome.CONTINUE)
    timer(new.effective_from)
    filed.refresh_from_db()
    assert (filed.state, filed.end_cause, filed.repealed_by) == (
        State.REPEALED,
        EndCause.REPEALED,
        new,
    )
    assert filed.end_decision_number == new.registration.number


def test_continue_as_a_recorded_decision_only_creates_nothing(filed, drafter, bureau):
    JurisdictionSettings.objects.create(organisation=bureau, evaluation_continue_by_record=True)
    set_valid_until(filed, D(2026, 4, 4))
    timer(D(2025, 10, 4))
    evaluation = evaluation_flow.conclude(
        Evaluation.objects.get(), by=drafter, outcome=EvaluationOutcome.CONTINUE, report=report()
    )
    assert evaluation.successor is None
    assert NormativeDocument.objects.count() == 1
    filed.refresh_from_db()
    assert filed.state == State.FILED
    assert filed.audit_events.filter(action="conclude_evaluation").count() == 1
