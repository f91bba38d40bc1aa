"""Issue 13 §4, the legality review and the deliberation: the meeting after the
review and the advisor's sign-off; no withdrawal after a decision to pass; the
advisor's own choice on a given conclusion; checklists answered item by item; the
评估论证报告 of an important document. Each: the allowed path, the refusal with its
words, nothing written."""

import datetime

import pytest
from django.utils import translation

from desk.forms import AdvisorForm, DeliberationForm, LegalReviewForm
from desk.forms_filing import FilingReviewForm
from desk.views.tasks import task_url
from review import actions
from review.driver import ALL_OK, FILING_ALL_OK
from review.errors import Refused
from review.models import (
    CHECKLIST_KEYS,
    AdvisorOpinion,
    AttachmentKind,
    AuditEvent,
    Deliberation,
    LegalityReview,
    NormativeDocument,
    ReviewOutcome,
)
from review.states import State
from workflows.driving import open_task, perform
from workflows.flows import IssuingFlow

from .test_workflow_issuing import at, conclude_lawful, prepare

D = datetime.date
CONCLUDED = D(2020, 3, 5)
SIGNED = D(2020, 3, 9)
RECORDED_ON = D(2020, 3, 20)


@pytest.fixture(autouse=True)
def in_chinese():
    """The refusals are compared as users of the default language read them, whatever
    language an earlier test left active in this thread."""
    with translation.override("zh-hans"):
        yield


def refused(call, match):
    """`call` is refused with `match` in its message, and writes no audit event."""
    events = AuditEvent.objects.count()
    with pytest.raises(Refused) as caught:
        call()
    assert match in caught.value.message, caught.value.message
    assert AuditEvent.objects.count() == events
    return caught.value.message


def conclude(document, reviewer, outcome=ReviewOutcome.LAWFUL, checklist=ALL_OK, on=CONCLUDED):
    actions.classify(document, by=reviewer, normative=True)
    return actions.record_legality_review(
        document, by=reviewer, outcome=outcome, checklist=checklist, opinion="合法。", on=on
    )


@pytest.fixture
def in_review(walk, document):
    walk.prepare()
    walk.submit_for_review()
    return document


@pytest.fixture
def in_deliberation(in_review, actors):
    conclude(in_review, actors.legal_reviewer)
    actions.sign_advisor_opinion(
        in_review, by=actors.advisor, opinion="同意。", agrees=True, on=SIGNED
    )
    actions.send_to_deliberation(in_review, by=actors.legal_reviewer)
    return in_review


def deliberate(document, secretary, meeting_date, on=RECORDED_ON):
    return actions.record_deliberation(
        document,
        by=secretary,
        meeting_type=Deliberation.MeetingType.BUREAU,
        meeting_date=meeting_date,
        attendance="局领导",
        outcome=Deliberation.Outcome.PASSED,
        minutes="审议通过",
        on=on,
    )


# --- 1. the meeting comes after the review and the sign-off -------------------------


def test_a_meeting_dated_before_the_review_conclusion_is_refused(in_deliberation, actors):
    refused(
        lambda: deliberate(in_deliberation, actors.secretary, D(2020, 3, 4)),
        "会议日期 2020-03-04 早于合法性审核结论出具日期 2020-03-05：须先审核、后审议",
    )
    assert not Deliberation.objects.exists()


def test_a_meeting_dated_before_the_advisors_sign_off_is_refused(in_deliberation, actors):
    refused(
        lambda: deliberate(in_deliberation, actors.secretary, D(2020, 3, 6)),
        "会议日期 2020-03-06 早于法律顾问签署意见日期 2020-03-09：须先签署意见、后审议",
    )
    assert not Deliberation.objects.exists()


def test_a_meeting_on_the_day_of_the_sign_off_is_recorded(in_deliberation, actors):
    deliberate(in_deliberation, actors.secretary, SIGNED)
    in_deliberation.refresh_from_db()
    assert in_deliberation.state == State.REGISTRATION


def test_the_deliberation_form_refuses_the_early_meeting_in_the_actions_words(
    in_deliberation, actors
):
    data = {
        "meeting_type": Deliberation.MeetingType.BUREAU,
        "meeting_date": "2020-03-06",
        "attendance": "局领导",
        "outcome": Deliberation.Outcome.PASSED,
        "minutes": "审议通过",
    }
    form = DeliberationForm(data, document=in_deliberation)
    assert not form.is_valid()
    action = refused(
        lambda: deliberate(in_deliberation, actors.secretary, D(2020, 3, 6)), "早于法律顾问"
    )
    assert form.non_field_errors() == [action]


# --- 1. after a decision to pass, no withdrawal but by a new decision ------------------


def test_after_the_decision_to_pass_the_drafter_cannot_withdraw(walk, document, actors):
    walk.to(State.REGISTRATION)
    for user in (actors.drafter, actors.registrar):
        refused(
            lambda user=user: actions.withdraw(document, by=user, reason="不再需要"),
            "集体审议已决定通过本文件，起草人不得撤回；撤回须经集体审议重新作出决定",
        )
    refused(
        lambda: actions.withdraw(document, by=actors.secretary, reason="上位法已修改"),
        "请填写重新作出撤回决定的会议",
    )
    document.refresh_from_db()
    assert document.state == State.REGISTRATION


def test_a_new_decision_recorded_by_the_secretary_withdraws_it(walk, document, actors):
    walk.to(State.PUBLICATION)
    actions.withdraw(
        document, by=actors.secretary, reason="上位法已修改", decision="2020年第5次局务会决定撤回"
    )
    document.refresh_from_db()
    assert document.state == State.WITHDRAWN
    assert document.end_note == "2020年第5次局务会决定撤回：上位法已修改"


def test_before_the_deliberation_the_drafter_still_withdraws(in_review, actors):
    conclude(in_review, actors.legal_reviewer)
    actions.withdraw(in_review, by=actors.drafter, reason="起草单位决定不再制定")
    in_review.refresh_from_db()
    assert in_review.state == State.WITHDRAWN


# --- 2. the advisor's opinion: a choice, on a given conclusion -------------------------


def test_the_advisor_cannot_sign_before_the_review_has_concluded(in_review, actors):
    actions.classify(in_review, by=actors.legal_reviewer, normative=True)
    refused(
        lambda: actions.sign_advisor_opinion(
            in_review, by=actors.advisor, opinion="同意", agrees=True
        ),
        "合法性审核机构尚未出具审核结论",
    )
    assert not AdvisorOpinion.objects.exists()


def test_the_advisor_must_choose_to_agree_or_not(in_review, actors):
    conclude(in_review, actors.legal_reviewer)
    refused(
        lambda: actions.sign_advisor_opinion(in_review, by=actors.advisor, opinion="同意"),
        "请选择是否同意合法性审核意见",
    )
    assert not AdvisorOpinion.objects.exists()


def test_the_advisor_form_has_nothing_ticked_and_requires_the_choice():
    assert AdvisorForm().fields["agrees"].initial is None
    form = AdvisorForm({"opinion": "同意"})
    assert not form.is_valid()
    assert form.errors["agrees"] == ["请选择是否同意合法性审核意见"]
    form = AdvisorForm({"opinion": "第五条缺乏依据", "agrees": "0"})
    assert form.is_valid() and form.cleaned_data["agrees"] is False


def test_a_disagreeing_advisor_sends_the_review_back_for_a_new_conclusion(in_review, actors):
    conclude(in_review, actors.legal_reviewer)
    actions.sign_advisor_opinion(
        in_review, by=actors.advisor, opinion="第五条缺乏上位法依据", agrees=False, on=SIGNED
    )
    in_review.refresh_from_db()
    assert in_review.state == State.LEGALITY_REVIEW
    assert LegalityReview.objects.filter(document=in_review).count() == 2
    assert in_review.latest_review.outcome == ""
    refused(
        lambda: actions.send_to_deliberation(in_review, by=actors.legal_reviewer),
        "未经合法性审核或者经审核不合法的，不得提交集体审议",
    )
    event = in_review.audit_events.order_by("-seq").first()
    assert event.action == "sign_advisor_opinion" and event.data["agrees"] is False
    # The legal division concludes again; the advisor, having signed this text, is not
    # asked again, and the disagreement goes with the document.
    conclude(in_review, actors.legal_reviewer, on=D(2020, 3, 10))
    actions.send_to_deliberation(in_review, by=actors.legal_reviewer)
    in_review.refresh_from_db()
    assert in_review.state == State.DELIBERATION
    [opinion] = in_review.advisor_opinions_on_current()
    assert opinion.agrees is False and opinion.opinion == "第五条缺乏上位法依据"
    deliberation = deliberate(in_review, actors.secretary, D(2020, 3, 11))
    assert deliberation.document.audit_events.order_by("-seq").first().data["advisor_disagreed"]


def test_in_the_flow_a_disagreement_returns_to_the_legal_review_and_reaches_the_meeting(
    client, document, actors
):
    IssuingFlow.start.run(document=document)
    with at(D(2020, 3, 2)):
        prepare(document, actors.drafter)
        perform(
            open_task(document, IssuingFlow.draft),
            actors.drafter,
            lambda d: actions.submit_for_review(d, by=actors.drafter),
        )
        conclude_lawful(document, actors)
        perform(
            open_task(document, IssuingFlow.advisor_signoff),
            actors.advisor,
            lambda d: actions.sign_advisor_opinion(
                d, by=actors.advisor, opinion="第五条缺乏上位法依据", agrees=False
            ),
        )
        assert open_task(document, IssuingFlow.legal_review) is not None
        assert open_task(document, IssuingFlow.advisor_signoff) is None
        conclude_lawful(document, actors)
    document.refresh_from_db()
    assert document.state == State.DELIBERATION
    task = open_task(document, IssuingFlow.deliberate)
    client.force_login(actors.secretary)
    page = client.get(task_url(task)).content.decode()
    assert "不同意合法性审核意见" in page and "第五条缺乏上位法依据" in page


# --- 3. checklists: every item answered, a problem with its 说明 ------------------------


def unanswered(checklist, key="rights"):
    return {**checklist, key: {"ok": None, "note": ""}}


def test_a_legality_checklist_item_left_unanswered_is_refused(in_review, actors):
    actions.classify(in_review, by=actors.legal_reviewer, normative=True)
    for checklist, words in (
        (unanswered(ALL_OK), "审查要点未逐项作答（共 1 项未选“无问题”或“存在问题”）"),
        (
            {**ALL_OK, "rights": {"ok": False, "note": "  "}},
            "选择“存在问题”的要点须填写说明（共 1 项未说明）",
        ),
    ):
        refused(
            lambda checklist=checklist: actions.record_legality_review(
                in_review,
                by=actors.legal_reviewer,
                outcome=ReviewOutcome.REVISE,
                checklist=checklist,
                opinion="修改",
            ),
            words,
        )
    assert in_review.latest_review.outcome == ""


def test_a_filing_checklist_item_left_unanswered_or_unexplained_is_refused(walk, document, actors):
    walk.to(State.FILING_REVIEW)
    refused(
        lambda: actions.accept_filing(
            document, by=actors.filing_reviewer, substantive=unanswered(FILING_ALL_OK, "subject")
        ),
        "审查要点未逐项作答",
    )
    refused(
        lambda: actions.require_correction(
            document,
            by=actors.filing_reviewer,
            substantive={**FILING_ALL_OK, "authority": {"ok": False, "note": ""}},
            findings="超越职权",
            suggestion="删除第五条",
        ),
        "选择“存在问题”的要点须填写说明",
    )
    document.refresh_from_db()
    assert document.state == State.FILING_REVIEW


def test_the_review_forms_start_unanswered_and_refuse_an_unanswered_item():
    form = LegalReviewForm()
    assert all(form.fields[f"{key}_answer"].initial is None for key in CHECKLIST_KEYS)
    data = {"normative": "1", "outcome": ReviewOutcome.LAWFUL, "opinion": "合法"}
    form = LegalReviewForm(data)
    assert not form.is_valid()
    assert form.non_field_errors() == ["审查要点未逐项作答（共 9 项未选“无问题”或“存在问题”）"]
    answered = {f"{key}_answer": "ok" for key in CHECKLIST_KEYS}
    form = LegalReviewForm({**data, **answered, "rights_answer": "problem"})
    assert form.non_field_errors() == ["选择“存在问题”的要点须填写说明（共 1 项未说明）"]
    form = LegalReviewForm({**data, **answered})
    assert form.is_valid()
    assert all(item["ok"] is True for item in form.cleaned_data["checklist"].values())
    form = FilingReviewForm({"decision": "accept"})
    assert "审查要点未逐项作答（共 6 项未选“无问题”或“存在问题”）" in form.non_field_errors()


def test_the_registration_decision_starts_unticked_and_is_required():
    form = LegalReviewForm()
    assert form.fields["normative"].initial is None
    assert "checked" not in str(form["normative"])
    answered = {f"{key}_answer": "ok" for key in CHECKLIST_KEYS}
    form = LegalReviewForm({"outcome": ReviewOutcome.LAWFUL, "opinion": "合法", **answered})
    assert not form.is_valid()
    assert form.errors["normative"] == ["请认定文件性质"]


# --- 4. an important document's 评估论证报告 (37号) ---------------------------------


def test_an_important_document_needs_its_assessment_before_the_legality_review(
    walk, document, actors
):
    NormativeDocument.objects.filter(pk=document.pk).update(is_important=True)
    document.refresh_from_db()
    actions.add_version(document, by=actors.drafter, text=walk.text)
    for kind in (AttachmentKind.DRAFTING_NOTE, AttachmentKind.LEGAL_BASIS):
        actions.add_attachment(document, by=actors.drafter, kind=kind, text="材料")
    walk.comment()
    refused(
        lambda: actions.submit_for_review(document, by=actors.drafter, on=walk.day),
        "重要规范性文件须先进行评估论证：送审材料缺少评估论证报告（国办发〔2018〕37号）",
    )
    actions.add_attachment(
        document, by=actors.drafter, kind=AttachmentKind.ASSESSMENT, text="评估论证报告"
    )
    actions.submit_for_review(document, by=actors.drafter, on=walk.day)
    document.refresh_from_db()
    assert document.state == State.LEGALITY_REVIEW


def test_an_ordinary_document_needs_no_assessment(walk, document):
    walk.prepare()
    assert AttachmentKind.ASSESSMENT not in document.attachment_kinds()
    walk.submit_for_review()
    document.refresh_from_db()
    assert document.state == State.LEGALITY_REVIEW
