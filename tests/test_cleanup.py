"""清理 campaigns (domain-rules §8): opened by the legal division, built by the
background job over 1,000 documents, proposals that change nothing, decisions recorded
through the end-of-validity actions, progress per unit and the result lists."""

import datetime
import io
from io import StringIO

import docx
import pytest
from django.core.management import call_command

from review import actions
from review.choices import CleanupOutcome, EndCause
from review.errors import NotPermitted, Refused
from review.models import CleanupCampaign, CleanupItem, NormativeDocument, Publication
from review.reports import cleanup as cleanup_report
from review.reports import render
from review.reports.catalogue import valid_catalogue
from review.states import State

D = datetime.date
PUBLISHED = D(2022, 1, 10)


def bulk_documents(organisation, n, *, published_on=PUBLISHED, prefix="文件"):
    """`n` published documents in force from 2022-03-01 to 2026-12-31 (written in bulk:
    the campaign reads dates and states only)."""
    docs = NormativeDocument.objects.bulk_create(
        NormativeDocument(
            organisation=organisation,
            title=f"{prefix}{i:05d}",
            effective_from=D(2022, 3, 1),
            valid_until=D(2026, 12, 31),
            state=State.FILED,
        )
        for i in range(n)
    )
    if docs[0].pk is None:  # backends without RETURNING: read them back
        docs = list(NormativeDocument.objects.filter(title__startswith=prefix).order_by("pk"))
    Publication.objects.bulk_create(
        Publication(document=d, published_on=published_on, channel="政府网站") for d in docs
    )
    NormativeDocument.objects.filter(pk__in=[d.pk for d in docs]).refresh_in_force()
    return docs


def build():
    out = StringIO()
    call_command("build_cleanup", today="2025-06-01", stdout=out)
    return out.getvalue()


@pytest.fixture
def campaign(bureau, legal_reviewer):
    return actions.open_campaign(
        bureau, by=legal_reviewer, title="民法典涉及的规范性文件清理", in_force_on=D(2025, 6, 1)
    )


def test_only_the_legal_division_opens_a_campaign(bureau, drafter):
    with pytest.raises(NotPermitted):
        actions.open_campaign(bureau, by=drafter, title="清理", in_force_on=D(2025, 6, 1))
    assert not CleanupCampaign.objects.exists()


def test_the_background_job_builds_one_item_per_document_over_a_thousand(
    bureau, division, campaign, django_assert_max_num_queries
):
    bulk_documents(bureau, 1000)
    bulk_documents(division, 5, prefix="科室文件")  # a unit under the bureau: in scope
    bulk_documents(bureau, 3, published_on=D(2025, 7, 1), prefix="后来")  # not yet in force
    assert campaign.status == CleanupCampaign.Status.PENDING
    with django_assert_max_num_queries(30):  # batches of 5,000: constant here
        out = build()
    assert "已生成" in out and "1005 件" in out
    campaign.refresh_from_db()
    assert (campaign.status, campaign.item_count) == (CleanupCampaign.Status.READY, 1005)
    progress = {row["unit__name"]: row["total"] for row in actions.progress(campaign)}
    assert progress == {bureau.name: 1000, division.name: 5}
    assert "已生成" not in build()  # the job runs again: nothing to do
    assert CleanupItem.objects.count() == 1005


def test_a_rebuild_after_a_crash_keeps_the_items_already_made(bureau, campaign):
    docs = bulk_documents(bureau, 30)
    CleanupItem.objects.create(campaign=campaign, document=docs[0], unit=bureau)
    assert actions.build_campaign(campaign) == 30


def test_proposals_change_nothing_and_decisions_go_through_the_end_actions(
    bureau, campaign, drafter, legal_reviewer
):
    keep, amend, repeal, invalid = bulk_documents(bureau, 4)
    actions.build_campaign(campaign)
    items = {i.document_id: i for i in CleanupItem.objects.all()}
    actions.propose(items[keep.pk], by=drafter, outcome=CleanupOutcome.CONTINUE)
    actions.propose(
        items[amend.pk], by=drafter, outcome=CleanupOutcome.AMEND, note="与民法典不一致"
    )
    actions.propose(
        items[repeal.pk], by=drafter, outcome=CleanupOutcome.REPEAL, note="调整对象已消失"
    )
    actions.propose(
        items[invalid.pk], by=drafter, outcome=CleanupOutcome.DECLARE_INVALID, note="已不适用"
    )
    with pytest.raises(Refused, match="理由"):
        actions.propose(items[amend.pk], by=drafter, outcome=CleanupOutcome.AMEND)
    assert len(valid_catalogue(D(2025, 9, 1)).lines) == 4  # proposals change nothing

    actions.decide(
        items[invalid.pk],
        by=legal_reviewer,
        outcome=CleanupOutcome.DECLARE_INVALID,
        decision_number="安民发〔2025〕20号",
        reason="清理",
        ended_on=D(2025, 8, 1),
        on=D(2025, 7, 20),
    )
    actions.decide(
        items[repeal.pk],
        by=legal_reviewer,
        outcome=CleanupOutcome.REPEAL,
        decision_number="安民发〔2025〕20号",
        reason="清理",
        ended_on=D(2025, 8, 1),
        on=D(2025, 7, 20),
    )
    actions.decide(items[keep.pk], by=legal_reviewer, outcome=CleanupOutcome.CONTINUE)
    invalid.refresh_from_db()
    repeal.refresh_from_db()
    assert (invalid.state, invalid.end_cause) == (State.EXPIRED, EndCause.DECLARED_INVALID)
    assert (repeal.state, repeal.ended_on) == (State.REPEALED, D(2025, 8, 1))
    assert len(valid_catalogue(D(2025, 7, 31)).lines) == 4
    assert len(valid_catalogue(D(2025, 8, 1)).lines) == 2
    with pytest.raises(Refused, match="已经录入"):
        actions.decide(items[keep.pk], by=legal_reviewer, outcome=CleanupOutcome.REPEAL)
    assert invalid.audit_events.filter(action="declare_invalid").count() == 1


def test_a_bad_decision_date_is_refused_and_nothing_is_recorded(bureau, campaign, legal_reviewer):
    (doc,) = bulk_documents(bureau, 1)
    actions.build_campaign(campaign)
    item = CleanupItem.objects.get()
    with pytest.raises(Refused, match="失效日期"):
        actions.decide(
            item,
            by=legal_reviewer,
            outcome=CleanupOutcome.DECLARE_INVALID,
            decision_number="安民发〔2025〕20号",
            reason="清理",
            ended_on=D(2028, 1, 1),
        )
    item.refresh_from_db()
    assert item.decided == ""


def test_the_result_lists_come_out_as_docx_and_pdf(bureau, campaign, drafter, legal_reviewer):
    a, b, c = bulk_documents(bureau, 3)
    actions.build_campaign(campaign)
    items = {i.document_id: i for i in CleanupItem.objects.all()}
    actions.propose(items[a.pk], by=drafter, outcome=CleanupOutcome.REPEAL, note="调整对象已消失")
    actions.propose(items[b.pk], by=drafter, outcome=CleanupOutcome.CONTINUE)
    lists = cleanup_report.result_lists(campaign)
    assert [x.title for x in lists.lists[CleanupOutcome.REPEAL]] == [a.title]
    assert lists.pending == 1
    data = render(cleanup_report.compose(lists), "docx")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert "拟废止的规范性文件目录（1件）" in text and "另有1件尚未提出清理意见" in text
    assert render(cleanup_report.compose(lists), "pdf").startswith(b"%PDF")


def test_progress_per_unit_follows_proposals_and_decisions(
    bureau, division, campaign, drafter, legal_reviewer
):
    a, b = bulk_documents(bureau, 2)
    bulk_documents(division, 1, prefix="科室")
    actions.build_campaign(campaign)
    items = {i.document_id: i for i in CleanupItem.objects.all()}
    actions.propose(items[a.pk], by=drafter, outcome=CleanupOutcome.CONTINUE)
    actions.propose(items[a.pk], by=drafter, outcome=CleanupOutcome.REPEAL, note="改变意见")
    actions.decide(items[b.pk], by=legal_reviewer, outcome=CleanupOutcome.CONTINUE)
    rows = {row["unit__name"]: row for row in actions.progress(campaign)}
    assert (rows[bureau.name]["total"], rows[bureau.name]["proposed"]) == (2, 1)
    assert rows[bureau.name]["decided"] == 1
    assert (rows[division.name]["total"], rows[division.name]["decided"]) == (1, 0)
