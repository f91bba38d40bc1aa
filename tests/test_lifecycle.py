"""The gates of domain-rules §2 as guards: each one refuses from each wrong state,
for each wrong role, with its reason — and a refusal changes nothing."""

import datetime

import pytest

from review import actions, lifecycle
from review.driver import ALL_OK, FILING_ALL_OK
from review.errors import NotPermitted, Refused
from review.models import (
    AttachmentKind,
    AuditEvent,
    Classification,
    Comment,
    Deliberation,
    FilingReview,
    NormativeDocument,
    Registration,
    ReviewOutcome,
)
from review.states import Role, State

from .conftest import START, make_user


def refused(call, match):
    """Run `call`, expect a Refused whose message contains `match`, and check that
    nothing was written: no audit event, no state change."""
    events = AuditEvent.objects.count()
    with pytest.raises(Refused) as caught:
        call()
    assert match in caught.value.message
    assert AuditEvent.objects.count() == events
    return caught.value


# --- the lawful path ---------------------------------------------------------


def test_every_step_of_the_lawful_path_writes_exactly_one_audit_event(walk, document):
    walk.to(State.FILED)
    moves = list(AuditEvent.objects.filter(document=document).exclude(from_state=""))
    changes = [(e.from_state, e.to_state) for e in moves if e.from_state != e.to_state]
    assert changes == [
        (State.DRAFTING, State.LEGALITY_REVIEW),
        (State.LEGALITY_REVIEW, State.DELIBERATION),
        (State.DELIBERATION, State.REGISTRATION),
        (State.REGISTRATION, State.PUBLICATION),
        (State.PUBLICATION, State.FILING),
        (State.FILING, State.FILING_REVIEW),
        (State.FILING_REVIEW, State.UNDER_REVIEW),
        (State.UNDER_REVIEW, State.FILED),
    ]


def test_publication_sets_effect_thirty_days_later_and_validity_of_five_years(walk, document):
    walk.to(State.FILING)
    published = document.publication.published_on
    assert document.effective_from == published + datetime.timedelta(days=30)
    assert document.valid_until == document.effective_from.replace(
        year=document.effective_from.year + 5
    ) - datetime.timedelta(days=1)


def test_immediate_effect_needs_and_keeps_its_reason(walk, document, registrar):
    walk.to(State.PUBLICATION)
    actions.publish(
        document,
        by=registrar,
        published_on=START + datetime.timedelta(days=20),
        immediate_effect_reason="疫情防控急需",
    )
    document.refresh_from_db()
    assert document.effective_from == document.publication.published_on
    assert document.immediate_effect_reason == "疫情防控急需"


# --- gate 1: no deliberation without a passed legality review -----------------


def test_document_without_legality_review_outcome_cannot_go_to_deliberation(
    walk, document, legal_reviewer
):
    walk.prepare()
    walk.submit_for_review()
    actions.classify(document, by=legal_reviewer, normative=True)
    refused(
        lambda: actions.send_to_deliberation(document, by=legal_reviewer),
        "未经合法性审核或者经审核不合法的，不得提交集体审议",
    )
    document.refresh_from_db()
    assert document.state == State.LEGALITY_REVIEW


def test_drafting_document_cannot_go_to_deliberation(document, legal_reviewer):
    refused(lambda: actions.send_to_deliberation(document, by=legal_reviewer), "当前状态为“起草”")


@pytest.mark.parametrize("outcome", [ReviewOutcome.REVISE, ReviewOutcome.UNLAWFUL])
def test_review_that_finds_problems_sends_the_draft_back_and_blocks_deliberation(
    walk, document, legal_reviewer, outcome
):
    walk.prepare()
    walk.submit_for_review()
    walk.review(outcome=outcome)
    document.refresh_from_db()
    assert document.state == State.REVISION
    refused(
        lambda: actions.send_to_deliberation(document, by=legal_reviewer), "当前状态为“退回修改”"
    )


def test_lawful_outcome_with_a_problem_in_the_checklist_is_refused(walk, document, legal_reviewer):
    walk.prepare()
    walk.submit_for_review()
    actions.classify(document, by=legal_reviewer, normative=True)
    checklist = {**ALL_OK, "powers": {"ok": False, "note": "设定了收费事项"}}
    refused(
        lambda: actions.record_legality_review(
            document,
            by=legal_reviewer,
            outcome=ReviewOutcome.LAWFUL,
            checklist=checklist,
            opinion="合法",
        ),
        "结论不得为“合法”",
    )


def test_incomplete_checklist_is_refused(walk, document, legal_reviewer):
    walk.prepare()
    walk.submit_for_review()
    actions.classify(document, by=legal_reviewer, normative=True)
    partial = {key: ALL_OK[key] for key in list(ALL_OK)[:5]}
    refused(
        lambda: actions.record_legality_review(
            document,
            by=legal_reviewer,
            outcome=ReviewOutcome.LAWFUL,
            checklist=partial,
            opinion="合法",
        ),
        "审查要点未逐项作答（共 4 项未选“无问题”或“存在问题”）",
    )


def test_review_needs_classification_first(walk, document, legal_reviewer):
    walk.prepare()
    walk.submit_for_review()
    refused(
        lambda: actions.record_legality_review(
            document,
            by=legal_reviewer,
            outcome=ReviewOutcome.LAWFUL,
            checklist=ALL_OK,
            opinion="合法",
        ),
        "须先认定其属于行政规范性文件",
    )


def test_deliberation_needs_the_advisor_sign_off(walk, document, legal_reviewer):
    walk.prepare()
    walk.submit_for_review()
    actions.classify(document, by=legal_reviewer, normative=True)
    actions.record_legality_review(
        document, by=legal_reviewer, outcome=ReviewOutcome.LAWFUL, checklist=ALL_OK, opinion="合法"
    )
    refused(
        lambda: actions.send_to_deliberation(document, by=legal_reviewer),
        "法律顾问尚未出具书面意见并签署",
    )


def test_a_revision_after_the_advisor_signed_makes_the_sign_off_stale(
    walk, document, drafter, legal_reviewer, advisor
):
    walk.prepare()
    walk.submit_for_review()
    actions.classify(document, by=legal_reviewer, normative=True)
    actions.record_legality_review(
        document, by=legal_reviewer, outcome=ReviewOutcome.LAWFUL, checklist=ALL_OK, opinion="合法"
    )
    # the advisor signs version 1, disagreeing: the review goes back, and is sent back
    actions.sign_advisor_opinion(document, by=advisor, opinion="第五条缺乏依据", agrees=False)
    actions.record_legality_review(
        document,
        by=legal_reviewer,
        outcome=ReviewOutcome.REVISE,
        checklist={**ALL_OK, "rights": {"ok": False, "note": "第五条缺乏依据"}},
        opinion="修改第五条",
    )
    actions.add_version(document, by=drafter, text="第一条 修改后的条文。", note="修改稿")
    actions.submit_for_review(document, by=drafter, on=START)
    actions.classify(document, by=legal_reviewer, normative=True)
    actions.record_legality_review(
        document,
        by=legal_reviewer,
        outcome=ReviewOutcome.LAWFUL,
        checklist=ALL_OK,
        opinion="修改后合法",
    )
    refused(
        lambda: actions.send_to_deliberation(document, by=legal_reviewer), "意见已失效，须重新签署"
    )
    actions.sign_advisor_opinion(document, by=advisor, opinion="同意", agrees=True)
    actions.send_to_deliberation(document, by=legal_reviewer)
    document.refresh_from_db()
    assert document.state == State.DELIBERATION


def test_advisor_sign_off_can_be_switched_off_per_jurisdiction(
    walk, document, bureau, legal_reviewer
):
    from review.models import JurisdictionSettings

    JurisdictionSettings.objects.create(organisation=bureau, advisor_signoff_required=False)
    walk.prepare()
    walk.submit_for_review()
    actions.classify(document, by=legal_reviewer, normative=True)
    actions.record_legality_review(
        document, by=legal_reviewer, outcome=ReviewOutcome.LAWFUL, checklist=ALL_OK, opinion="合法"
    )
    actions.send_to_deliberation(document, by=legal_reviewer)
    document.refresh_from_db()
    assert document.state == State.DELIBERATION


# --- submission for legality review --------------------------------------------


def test_submission_needs_a_draft(document, drafter):
    refused(lambda: actions.submit_for_review(document, by=drafter, on=START), "尚未提交送审稿")


def test_submission_needs_the_drafting_note(walk, document, drafter):
    walk.prepare(drafting_note=False)
    refused(lambda: actions.submit_for_review(document, by=drafter, on=START), "缺少起草说明")


def test_submission_needs_a_legal_basis(walk, document, drafter):
    NormativeDocument.objects.filter(pk=document.pk).update(legal_basis="")
    walk.prepare()
    refused(lambda: actions.submit_for_review(document, by=drafter, on=START), "未载明制定依据")


def test_body_not_on_the_issuer_list_cannot_submit(walk, document, bureau, drafter):
    walk.prepare()
    bureau.may_issue = False
    bureau.save()
    refused(lambda: actions.submit_for_review(document, by=drafter, on=START), "未列入制定主体清单")


def test_review_time_shorter_than_five_working_days_needs_an_urgent_reason(walk, document, drafter):
    walk.prepare()
    refused(
        lambda: actions.submit_for_review(document, by=drafter, requested_working_days=3, on=START),
        "一般不少于 5 个工作日",
    )
    review = actions.submit_for_review(
        document, by=drafter, requested_working_days=3, urgent_reason="防汛救灾急需", on=START
    )
    assert review.due_on == datetime.date(2020, 3, 5)


def test_major_decision_gets_at_least_seven_working_days_of_review(walk, document, drafter):
    NormativeDocument.objects.filter(pk=document.pk).update(is_major_decision=True)
    document.refresh_from_db()
    walk.prepare()  # a major decision goes out for comment first
    refused(
        lambda: actions.submit_for_review(
            document, by=drafter, requested_working_days=6, on=walk.day
        ),
        "一般不少于 7 个工作日",
    )


def test_review_deadline_counts_fifteen_working_days_by_default(walk, document, drafter):
    walk.prepare()
    review = actions.submit_for_review(document, by=drafter, on=START)
    assert review.due_on == datetime.date(2020, 3, 23)


# --- gate: public comment before the legality review (§4) ---------------------


@pytest.fixture
def important(document):
    NormativeDocument.objects.filter(pk=document.pk).update(is_important=True)
    document.refresh_from_db()
    return document


def _prepare_without_comment(walk):
    document = walk.document
    actions.add_version(document, by=walk.actors.drafter, text=walk.text)
    actions.add_attachment(
        document, by=walk.actors.drafter, kind=AttachmentKind.DRAFTING_NOTE, text="说明"
    )
    actions.add_attachment(
        document, by=walk.actors.drafter, kind=AttachmentKind.ASSESSMENT, text="评估论证报告"
    )


def test_important_document_cannot_skip_public_comment(walk, important, drafter):
    _prepare_without_comment(walk)
    refused(
        lambda: actions.submit_for_review(important, by=drafter, on=START), "本文件应当公开征求意见"
    )


def test_comment_period_shorter_than_seven_working_days_is_refused(walk, important, drafter):
    _prepare_without_comment(walk)
    # Opening Monday 2020-03-02, counted from the 3rd (民法典 art. 201): to Saturday the
    # 7th four working days; to Wednesday the 11th seven.
    refused(
        lambda: actions.open_comment_period(
            important, by=drafter, opens_on=START, closes_on=datetime.date(2020, 3, 7), on=START
        ),
        "不少于 7 个工作日（所选期间只有 4 个工作日）",
    )
    assert important.comment_periods.count() == 0
    actions.open_comment_period(
        important, by=drafter, opens_on=START, closes_on=datetime.date(2020, 3, 11), on=START
    )
    important.refresh_from_db()
    assert important.state == State.PUBLIC_COMMENT


def test_comment_period_counted_in_working_days_over_a_holiday(walk, important, drafter):
    _prepare_without_comment(walk)
    on = datetime.date(2020, 9, 28)
    # 9-29..10-09 (the opening day not counted) spans National Day: only 29, 30 Sep
    # and 9 Oct are working days.
    refused(
        lambda: actions.open_comment_period(
            important, by=drafter, opens_on=on, closes_on=datetime.date(2020, 10, 9), on=on
        ),
        "所选期间只有 3 个工作日",
    )


def test_market_related_document_needs_thirty_days_of_comment(walk, document, drafter):
    NormativeDocument.objects.filter(pk=document.pk).update(is_market_related=True)
    document.refresh_from_db()
    _prepare_without_comment(walk)
    refused(
        lambda: actions.open_comment_period(
            document,
            by=drafter,
            opens_on=START,
            closes_on=START + datetime.timedelta(days=29),
            on=START,
        ),
        "不少于 30 日（所选期间只有 29 日）",
    )
    period = actions.open_comment_period(
        document,
        by=drafter,
        opens_on=START,
        closes_on=START + datetime.timedelta(days=29),
        urgent_reason="省政府部署限期出台，须于四月一日前施行",
        on=START,
    )
    assert period.urgent_reason == "省政府部署限期出台，须于四月一日前施行"


def test_comment_period_cannot_be_closed_before_it_ends(walk, important, drafter):
    _prepare_without_comment(walk)
    actions.open_comment_period(
        important, by=drafter, opens_on=START, closes_on=datetime.date(2020, 3, 12), on=START
    )
    refused(
        lambda: actions.close_comment_period(important, by=drafter, on=datetime.date(2020, 3, 12)),
        "期满前不得结束征求意见",
    )
    actions.close_comment_period(important, by=drafter, on=datetime.date(2020, 3, 13))
    important.refresh_from_db()
    assert important.state == State.DRAFTING


def test_unanswered_comments_block_the_legality_review(walk, important, drafter):
    _prepare_without_comment(walk)
    period = actions.open_comment_period(
        important, by=drafter, opens_on=START, closes_on=datetime.date(2020, 3, 12), on=START
    )
    comment = Comment.objects.create(period=period, receipt="R-1", text="建议明确申请材料清单")
    actions.close_comment_period(important, by=drafter, on=datetime.date(2020, 3, 13))
    refused(
        lambda: actions.submit_for_review(important, by=drafter, on=datetime.date(2020, 3, 13)),
        "每条意见均已答复采纳情况",
    )
    Comment.objects.filter(pk=comment.pk).update(
        response=Comment.Response.ADOPTED, response_reason="已在第三条补充"
    )
    actions.submit_for_review(important, by=drafter, on=datetime.date(2020, 3, 13))
    important.refresh_from_db()
    assert important.state == State.LEGALITY_REVIEW


# --- gate 2: no number for what is not a normative document --------------------


def test_submission_classified_as_not_normative_is_rejected_and_never_numbered(
    walk, document, legal_reviewer, registrar
):
    walk.prepare()
    walk.submit_for_review()
    actions.classify(
        document, by=legal_reviewer, normative=False, note="属于工作方案，不是规范性文件"
    )
    document.refresh_from_db()
    assert document.state == State.REJECTED
    assert document.classification == Classification.NOT_NORMATIVE
    refused(lambda: actions.register_and_number(document, by=registrar), "当前状态为“不予登记”")
    assert not Registration.objects.exists()


def test_rejection_as_not_normative_needs_a_reason(walk, document, legal_reviewer):
    walk.prepare()
    walk.submit_for_review()
    refused(
        lambda: actions.classify(document, by=legal_reviewer, normative=False, note=""),
        "请填写认定理由",
    )
    document.refresh_from_db()
    assert document.classification == Classification.PENDING


def test_body_removed_from_the_issuer_list_gets_no_number(walk, document, bureau, registrar):
    walk.to(State.REGISTRATION)
    bureau.may_issue = False
    bureau.save()
    refused(
        lambda: actions.register_and_number(document, by=registrar, on=walk.day),
        "未列入制定主体清单",
    )
    assert not Registration.objects.exists()


def test_deliberation_meeting_must_suit_the_body(walk, document, secretary):
    walk.to(State.DELIBERATION)
    refused(
        lambda: actions.record_deliberation(
            document,
            by=secretary,
            meeting_type=Deliberation.MeetingType.EXECUTIVE,
            meeting_date=walk.day,
            attendance="局长",
            outcome=Deliberation.Outcome.PASSED,
            minutes="通过",
            on=walk.day,
        ),
        "应当由局务会议、办公会议审议决定",
    )


def test_deferred_deliberation_keeps_the_document_in_deliberation_and_records_dissent(
    walk, document, secretary
):
    walk.to(State.DELIBERATION)
    actions.record_deliberation(
        document,
        by=secretary,
        meeting_type=Deliberation.MeetingType.BUREAU,
        meeting_date=walk.day,
        attendance="局长、副局长",
        outcome=Deliberation.Outcome.DEFERRED,
        minutes="暂缓审议",
        dissent="副局长认为补贴标准偏低",
        on=walk.day,
    )
    document.refresh_from_db()
    assert document.state == State.DELIBERATION
    assert document.latest_deliberation.dissent == "副局长认为补贴标准偏低"


def test_failed_deliberation_sends_the_document_back(walk, document):
    walk.to(State.DELIBERATION)
    walk.deliberate(outcome=Deliberation.Outcome.FAILED)
    document.refresh_from_db()
    assert document.state == State.REVISION


# --- gate 3: not published → not filed -------------------------------------------


def test_unpublished_document_cannot_be_filed(walk, document, filing_clerk):
    walk.to(State.PUBLICATION)
    refused(
        lambda: actions.file_with_authority(document, by=filing_clerk, on=walk.day),
        "当前状态为“待公布”",
    )


def test_publication_date_cannot_precede_the_signing_date(walk, document, registrar):
    walk.to(State.PUBLICATION)
    refused(
        lambda: actions.publish(
            document, by=registrar, published_on=START - datetime.timedelta(days=1)
        ),
        "不得早于成文日期",
    )


# --- filing review --------------------------------------------------------------


def test_filing_with_missing_materials_cannot_be_registered_until_supplied(
    walk, document, filing_reviewer, filing_clerk
):
    walk.prepare(legal_basis_file=False)
    walk.to(State.FILING_REVIEW)
    assert document.latest_filing.missing_materials == ["legal_basis"]
    # 备案条例 art. 7: registration is formal — incomplete materials are not registered.
    refused(lambda: actions.register_filing(document, by=filing_reviewer), "缺：制定依据")
    review = actions.defer_filing(document, by=filing_reviewer, to_supply="请补充制定依据文本")
    assert review.missing == ["legal_basis"]  # named from what the filing lacks
    document.refresh_from_db()
    assert document.state == State.SUPPLEMENT
    actions.add_attachment(
        document, by=filing_clerk, kind=AttachmentKind.LEGAL_BASIS, text="《政府信息公开条例》全文"
    )
    refiled = actions.file_with_authority(document, by=filing_clerk, on=walk.next_day())
    assert refiled.materials_complete
    assert refiled.due_on == refiled.resubmission_of.due_on
    assert document.state == State.FILING_REVIEW  # a new registration decision is due
    actions.register_filing(document, by=filing_reviewer)
    actions.accept_filing(document, by=filing_reviewer, substantive=FILING_ALL_OK)
    document.refresh_from_db()
    assert document.state == State.FILED
    assert document.latest_filing.review.conclusion == FilingReview.Conclusion.NO_PROBLEM


def test_filing_deadline_is_thirty_days_after_publication(walk, document):
    walk.to(State.FILING_REVIEW)
    filing = document.latest_filing
    # 备案条例 art. 3: published Sunday 8 March 2020; the start day is not counted
    # (民法典 art. 201): 30 日 end on Tuesday 7 April, a working day after 清明 (4-6 April).
    assert document.publication.published_on == datetime.date(2020, 3, 8)
    assert filing.due_on == datetime.date(2020, 4, 7)
    assert filing.on_time


def test_late_filing_is_recorded_as_late(walk, document):
    walk.to(State.FILING)
    walk.file(days_after=45)
    filing = document.latest_filing
    assert not filing.on_time
    assert filing.days_late > 0


def test_accepting_a_filing_needs_every_review_item_clean(walk, document, filing_reviewer):
    walk.to(State.UNDER_REVIEW)
    items = {
        **FILING_ALL_OK,
        "superior_law": {"ok": False, "note": "与《社会救助暂行办法》第十一条不一致"},
    }
    refused(
        lambda: actions.accept_filing(document, by=filing_reviewer, substantive=items),
        "实质审查尚未完成或发现问题",
    )


def test_correction_loop_ends_filed_and_is_closed(walk, document, filing_reviewer, filing_clerk):
    walk.to(State.UNDER_REVIEW)
    items = {**FILING_ALL_OK, "superior_law": {"ok": False, "note": "与上位法不一致"}}
    correction = actions.require_correction(
        document,
        by=filing_reviewer,
        substantive=items,
        findings="第五条与上位法不一致",
        suggestion="请于30日内自行纠正",
        on=walk.day,
    )
    # 备案条例 art. 17: 30 日 from Tuesday 10 March 2020 end on Thursday 9 April.
    assert walk.day == datetime.date(2020, 3, 10)
    assert correction.deadline == datetime.date(2020, 4, 9)
    # 备案条例 art. 14: a 审查意见, never 不予备案登记; the registration stands.
    review = document.latest_filing.review
    assert (review.outcome, review.conclusion) == ("registered", "opinion")
    refused(lambda: actions.accept_correction(document, by=filing_reviewer), "当前状态为“待纠正”")
    actions.report_correction(
        document,
        by=filing_clerk,
        handling_report="已修改第五条",
        text="第一条 修改后的文本。",
        on=walk.next_day(),
    )
    actions.reopen_correction(document, by=filing_reviewer, reason="修改不到位")
    document.refresh_from_db()
    assert document.state == State.CORRECTION
    actions.report_correction(
        document,
        by=filing_clerk,
        handling_report="已删除第五条",
        text="第一条 删除第五条后的文本。",
        on=walk.next_day(),
    )
    actions.accept_correction(document, by=filing_reviewer, on=walk.next_day())
    document.refresh_from_db()
    correction.refresh_from_db()
    assert document.state == State.FILED
    assert correction.closed_on == walk.day
    assert correction.closed_on_time


def test_correction_without_a_finding_is_refused(walk, document, filing_reviewer):
    walk.to(State.UNDER_REVIEW)
    refused(
        lambda: actions.require_correction(
            document,
            by=filing_reviewer,
            substantive=FILING_ALL_OK,
            findings="无",
            suggestion="纠正",
        ),
        "未发现问题，不能提出纠错建议",
    )


def test_filing_review_can_be_extended_once_by_twenty_days(walk, document, filing_reviewer):
    walk.to(State.UNDER_REVIEW)
    # Filed Tuesday 10 March 2020: 30 日 of review end on Thursday 9 April; 20 日 more
    # end on Wednesday 29 April (劳动节 starts 1 May).
    assert document.latest_filing.review.due_on == datetime.date(2020, 4, 9)
    review = actions.extend_filing_review(document, by=filing_reviewer, reason="需征求省民政厅意见")
    assert review.due_on == datetime.date(2020, 4, 29)
    refused(
        lambda: actions.extend_filing_review(document, by=filing_reviewer, reason="再次延长"),
        "已延长过一次",
    )


# --- the end of life ----------------------------------------------------------------


def test_withdrawal_is_possible_before_publication_only(walk, document, drafter, registrar):
    walk.to(State.FILING)
    refused(
        lambda: actions.withdraw(document, by=drafter, reason="不再需要"), "当前状态为“待报送备案”"
    )


def test_withdrawal_needs_a_reason_and_ends_the_document(document, drafter):
    refused(lambda: actions.withdraw(document, by=drafter, reason=" "), "请填写撤回理由")
    actions.withdraw(document, by=drafter, reason="政策调整，不再制定")
    document.refresh_from_db()
    assert document.state == State.WITHDRAWN


def test_document_expires_only_after_its_validity(walk, document, registrar):
    walk.to(State.FILED)
    refused(lambda: actions.expire(document, by=registrar, on=document.valid_until), "尚未届满")
    actions.expire(
        document, by=None, on=document.valid_until + datetime.timedelta(days=1), system=True
    )
    document.refresh_from_db()
    assert document.state == State.EXPIRED


def test_repeal_and_amend_record_what_replaced_the_document(
    walk, document, registrar, bureau, drafter
):
    walk.to(State.FILED)
    newer = actions.create_document(
        organisation=bureau, title="安康市民政局政府信息公开制度（修订）", by=drafter
    )
    document.refresh_from_db()
    # the walk's dates are in the past: the amendment takes effect within the validity
    ended_on = document.valid_until
    actions.mark_amended(
        document, by=registrar, amended_by=newer, note="由修订版替代", ended_on=ended_on
    )
    document.refresh_from_db()
    assert (document.ended_on, document.end_cause) == (ended_on, "amended")
    assert document.state == State.AMENDED
    assert document.amended_by == newer
    refused(
        lambda: actions.repeal(
            document, by=registrar, reason="废止", decision_number="安民发〔2021〕1号"
        ),
        "当前状态为“已修改”",
    )


# --- roles ----------------------------------------------------------------------------

# Who may take each transition, in the issuing body (I) or the filing authority (A).
EXPECTED_ROLES = {
    "open_comment": ("I", {Role.DRAFTER}),
    "close_comment": ("I", {Role.DRAFTER}),
    "submit_for_review": ("I", {Role.DRAFTER}),
    "reject_as_not_normative": ("I", {Role.LEGAL_REVIEWER}),
    "return_for_revision": ("I", {Role.LEGAL_REVIEWER}),
    "send_to_deliberation": ("I", {Role.LEGAL_REVIEWER}),
    "approve": ("I", {Role.DELIBERATION_SECRETARY}),
    "reject_at_deliberation": ("I", {Role.DELIBERATION_SECRETARY}),
    "register": ("I", {Role.REGISTRAR}),
    "publish": ("I", {Role.REGISTRAR}),
    "file": ("I", {Role.FILING_CLERK}),
    "register_filing": ("A", {Role.FILING_REVIEWER}),
    "defer_filing": ("A", {Role.FILING_REVIEWER}),
    "refuse_registration": ("A", {Role.FILING_REVIEWER}),
    "extend_filing_review": ("A", {Role.FILING_REVIEWER}),
    "accept_filing": ("A", {Role.FILING_REVIEWER}),
    "require_correction": ("A", {Role.FILING_REVIEWER}),
    "report_correction": ("I", {Role.FILING_CLERK}),
    "accept_correction": ("A", {Role.FILING_REVIEWER}),
    "accept_repeal": ("A", {Role.FILING_REVIEWER}),
    "reopen_correction": ("A", {Role.FILING_REVIEWER}),
    "revoke": ("A", {Role.FILING_REVIEWER}),
    "change_by_authority": ("A", {Role.FILING_REVIEWER}),
    "notify_uncorrected": ("A", {Role.FILING_REVIEWER}),
    "reopen_review": ("A", {Role.FILING_REVIEWER}),
    "demand_filing": ("A", {Role.FILING_REVIEWER}),
    "notify_late_filing": ("A", {Role.FILING_REVIEWER}),
    "expire": ("I", {Role.REGISTRAR}),
    "repeal": ("I", {Role.REGISTRAR}),
    "mark_amended": ("I", {Role.REGISTRAR}),
    "declare_invalid": ("I", {Role.REGISTRAR}),
    # after a decision to pass, only the deliberation secretary, recording a new decision
    "withdraw": ("I", {Role.DRAFTER, Role.REGISTRAR, Role.DELIBERATION_SECRETARY}),
}


def _transitions():
    return NormativeDocument._meta.get_field("state").get_all_transitions(NormativeDocument)


def test_every_transition_has_an_expected_role():
    assert {t.name for t in _transitions()} == set(EXPECTED_ROLES)


@pytest.mark.parametrize("name", sorted(EXPECTED_ROLES))
def test_only_the_right_role_in_the_right_body_may_take_each_transition(
    name, bureau, authority, county_bureau, walk, document
):
    walk.to(State.FILING_REVIEW)  # gives the document a filing with the authority
    where, allowed = EXPECTED_ROLES[name]
    home = bureau if where == "I" else authority
    source = next(t.source for t in _transitions() if t.name == name)
    NormativeDocument.objects.filter(pk=document.pk).update(state=source)
    doc = NormativeDocument.objects.get(pk=document.pk)
    for role in Role.values:
        insider = make_user(f"{name}-{role}", home, role)
        outsider = make_user(f"{name}-{role}-out", county_bureau, role)
        assert lifecycle.may_perform(doc, name, insider) is (role in allowed), (name, role)
        assert lifecycle.may_perform(doc, name, outsider) is False, (name, role)


@pytest.mark.parametrize("state", State.values)
def test_each_transition_from_a_wrong_state_is_refused_with_the_state_named(state, document):
    NormativeDocument.objects.filter(pk=document.pk).update(state=state)
    doc = NormativeDocument.objects.get(pk=document.pk)
    for transition in _transitions():
        sources = {t.source for t in _transitions() if t.name == transition.name}
        if state in sources:
            continue
        reasons = lifecycle.refusals(doc, transition.name)
        assert reasons and f"当前状态为“{doc.get_state_display()}”" in reasons[0]


def test_wrong_role_gets_not_permitted_and_nothing_changes(walk, document, drafter, outsider):
    walk.to(State.REGISTRATION)
    events = AuditEvent.objects.count()
    for user in (drafter, outsider):
        with pytest.raises(NotPermitted):
            actions.register_and_number(document, by=user, on=walk.day)
    document.refresh_from_db()
    assert document.state == State.REGISTRATION
    assert AuditEvent.objects.count() == events
    assert not Registration.objects.exists()


def test_filing_reviewer_of_another_authority_cannot_decide(walk, document, county_bureau):
    walk.to(State.FILING_REVIEW)
    stranger = make_user("other-reviewer", county_bureau, Role.FILING_REVIEWER)
    with pytest.raises(NotPermitted):
        actions.register_filing(document, by=stranger)
    walk.to(State.UNDER_REVIEW)
    with pytest.raises(NotPermitted):
        actions.accept_filing(document, by=stranger, substantive=FILING_ALL_OK)


def test_drafter_of_another_body_cannot_add_versions(document, outsider):
    with pytest.raises(NotPermitted):
        actions.add_version(document, by=outsider, text="篡改")
    assert document.versions.count() == 0


def test_documents_are_visible_only_to_their_body_and_their_filing_authority(
    walk, document, drafter, outsider, filing_reviewer
):
    assert list(NormativeDocument.objects.visible_to(drafter)) == [document]
    assert list(NormativeDocument.objects.visible_to(outsider)) == []
    assert list(NormativeDocument.objects.visible_to(filing_reviewer)) == []
    walk.to(State.FILING_REVIEW)
    assert list(NormativeDocument.objects.visible_to(filing_reviewer)) == [document]


# --- bad input that must change nothing -------------------------------------------


def test_a_deadline_in_a_year_without_calendar_data_is_provisional_not_refused(
    walk, document, drafter
):
    # domain-rules §9: the legal division's deadline must not stop the drafter.
    walk.prepare()
    late_december = datetime.date(2026, 12, 21)  # 15 working days later is in 2027
    review = actions.submit_for_review(document, by=drafter, on=late_december)
    document.refresh_from_db()
    assert document.state == State.LEGALITY_REVIEW
    assert (review.due_on, review.due_on_provisional) == (datetime.date(2027, 1, 12), True)
    assert (review.counted_from, review.working_days) == (late_december, 15)


def test_a_number_already_taken_is_refused_without_burning_or_writing(
    walk, document, bureau, drafter, registrar
):
    from review.models import DocumentVersion, NumberSequence

    walk.to(State.REGISTRATION)
    other = actions.create_document(organisation=bureau, title="历史文件", by=drafter)
    version = DocumentVersion.objects.create(document=other, number=1, text="正文", sha256="0" * 64)
    Registration.objects.create(
        document=other,
        version=version,
        number_prefix="安民发",
        number_year=walk.day.year,
        number_serial=1,
        number=f"安民发〔{walk.day.year}〕1号",
        reg_prefix="安规",
        reg_year=walk.day.year,
        reg_serial=900,
        reg_number=f"安规〔{walk.day.year}〕900",
        signed_on=walk.day,
    )
    refused(
        lambda: actions.register_and_number(document, by=registrar, on=walk.day),
        "已被《历史文件》使用",
    )
    document.refresh_from_db()
    assert document.state == State.REGISTRATION
    assert not NumberSequence.objects.filter(last__gt=0).exists()


def test_actions_never_touch_the_process_wide_protection_flag(walk, document, monkeypatch):
    from django_fsm import FSMModelMixin

    def racy(*args, **kwargs):
        raise AssertionError(
            "FSMModelMixin.refresh_from_db toggles field.protected for every thread"
        )

    monkeypatch.setattr(FSMModelMixin, "refresh_from_db", racy)
    walk.to(State.LEGALITY_REVIEW)  # every action reads the document afresh
    assert document.state == State.LEGALITY_REVIEW
    assert NormativeDocument._meta.get_field("state").protected is True
    with pytest.raises(AttributeError):
        document.state = State.FILED
