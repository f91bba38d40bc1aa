"""Each reconciliation finding is closed by a person (issue 18): 不属于规范性文件 with
the reason, 补登记 (the document at its real state, flagged 程序缺失 and counted late
and irregular by the audit), or 限期报送 then 通报 with the letter and its deadline."""

import datetime
import io

import pypdf
import pytest
import time_machine
from django.utils import timezone

from review import actions, reconciliation, reports
from review.errors import NotPermitted, Refused
from review.models import AuditEvent, Filing, FilingDemand, NormativeDocument, Registration
from review.reports import audit_report
from review.states import State
from workflows import reconciliation as flow

from .reconcile_fixtures import TODAY, plant_register, planted_files

pytestmark = pytest.mark.django_db
TZ = datetime.timezone(datetime.timedelta(hours=8))


def at(day):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(10), tzinfo=TZ))


@pytest.fixture
def findings(bureau, tmp_path):
    plant_register(tmp_path)
    issued, published = planted_files(tmp_path)
    _run, found = reconciliation.reconcile(bureau, 2020, issued, published, today=TODAY)
    return {(f.kind, f.number or f.title): f for f in found}


def test_not_normative_closes_a_finding_with_its_reason_on_record(findings, filing_reviewer):
    finding = findings[("unregistered", "安民发〔2020〕26号")]
    with pytest.raises(Refused, match="请填写理由"):
        actions.dismiss_finding(finding, by=filing_reviewer, reason="  ")
    actions.dismiss_finding(finding, by=filing_reviewer, reason="内部工作意见，不涉及外部权利义务")
    finding.refresh_from_db()
    assert finding.status == "not_normative" and finding.closed_by == filing_reviewer
    event = AuditEvent.objects.get(action="close_finding")
    assert event.note == "内部工作意见，不涉及外部权利义务" and event.data["kind"] == "unregistered"
    with pytest.raises(Refused, match="已处理"):
        actions.dismiss_finding(finding, by=filing_reviewer, reason="再次")


def test_only_the_authoritys_filing_reviewer_may_close_a_finding(findings, outsider, registrar):
    finding = findings[("unregistered", "安民发〔2020〕26号")]
    for user in (outsider, registrar):
        with pytest.raises(NotPermitted):
            actions.dismiss_finding(finding, by=user, reason="不是")
    finding.refresh_from_db()
    assert finding.is_open


def test_backfilling_a_published_document_enters_it_awaiting_filing_flagged(
    findings, filing_reviewer
):
    finding = findings[("unregistered", "安民发〔2020〕25号")]
    actions.backfill_finding(finding, by=filing_reviewer, note="经核实属于规范性文件")
    finding.refresh_from_db()
    document = finding.document
    assert finding.status == "backfilled"
    assert document.state == State.FILING and document.procedure_missing
    assert document.publication.published_on == datetime.date(2020, 9, 15)
    registration = Registration.objects.get(document=document)
    assert registration.number == "安民发〔2020〕25号"
    assert registration.signed_on == datetime.date(2020, 9, 10)
    assert registration.reg_number.startswith("安规〔2020〕")
    assert AuditEvent.objects.filter(document=document, action="backfill").count() == 1


def test_backfilling_an_unpublished_document_leaves_it_awaiting_publication(
    findings, filing_reviewer
):
    finding = findings[("unregistered", "安民发〔2020〕26号")]
    actions.backfill_finding(finding, by=filing_reviewer)
    finding.refresh_from_db()
    assert finding.document.state == State.PUBLICATION and finding.document.procedure_missing


def test_a_finding_without_a_usable_number_cannot_be_backfilled(findings, filing_reviewer):
    finding = findings[("unregistered", "安康市居家养老服务补贴办法")]
    with pytest.raises(Refused, match="文号不规范"):
        actions.backfill_finding(finding, by=filing_reviewer)
    with pytest.raises(Refused, match="只有“已印发但未登记”"):
        actions.backfill_finding(
            findings[("unpublished", "安民发〔2020〕12号")], by=filing_reviewer
        )
    assert not NormativeDocument.objects.filter(procedure_missing=True).exists()


def test_demand_then_notify_follows_the_existing_escalation_with_its_letter(
    findings, filing_reviewer
):
    finding = findings[("not_filed", "安民发〔2020〕7号")]
    with at(datetime.date(2021, 1, 5)):
        flow.demand(finding, filing_reviewer, "请于限期内报送备案")
        finding.refresh_from_db()
        assert finding.status == "demanded"
        demand = FilingDemand.objects.get(document=finding.document)
        assert finding.demand == demand and demand.deadline > timezone.localdate()
        with pytest.raises(Refused, match="期限届满前不得通报"):
            flow.notify(finding, filing_reviewer)
    letter = reports.build("filing_demand_notice", finding.document, "pdf")
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(letter)).pages)
    assert "限期报送备案通知" in text
    with at(demand.deadline + datetime.timedelta(days=1)):
        flow.notify(finding, filing_reviewer, "逾期仍未报送")
    finding.refresh_from_db()
    assert finding.status == "notified"


def test_a_backfilled_document_can_then_be_demanded(findings, filing_reviewer):
    finding = findings[("unregistered", "安民发〔2020〕25号")]
    with at(datetime.date(2021, 1, 5)):
        actions.backfill_finding(finding, by=filing_reviewer)
        finding.refresh_from_db()
        flow.demand(finding, filing_reviewer)
    finding.refresh_from_db()
    assert finding.closing == "backfilled" and finding.status == "demanded"


def test_a_finding_without_a_document_cannot_be_demanded(findings, filing_reviewer):
    with pytest.raises(Refused, match="请先补登记"):
        flow.demand(findings[("unregistered", "安民发〔2020〕26号")], filing_reviewer)


def _body(report):
    return next(org for org in report["organisations"] if org["code"] == "akmz")


def test_the_audit_counts_a_backfilled_document_as_late_and_irregular(findings, filing_reviewer):
    before = _body(audit_report.compute(organisation="akmz", year=2020, today=TODAY))
    finding = findings[("unregistered", "安民发〔2020〕25号")]
    actions.backfill_finding(finding, by=filing_reviewer)
    finding.refresh_from_db()
    after = audit_report.compute(organisation="akmz", year=2020, today=TODAY)
    body = _body(after)
    assert body["issued"] == before["issued"] + 1
    assert body["due_for_filing"] == before["due_for_filing"] + 1
    flagged = [v for v in after["violations"] if v["kind"] == "procedure_missing"]
    assert [v["number"] for v in flagged] == ["安民发〔2020〕25号"]
    # Even filed in time with every material, it is neither on time nor in form.
    Filing.objects.create(
        document=finding.document,
        authority=finding.document.organisation.files_with,
        filed_on=datetime.date(2020, 9, 20),
        due_on=datetime.date(2020, 10, 15),
        materials=dict.fromkeys(
            ["report", "official_text", "drafting_note", "legal_basis", "legality_opinion"], True
        ),
    )
    body = _body(audit_report.compute(organisation="akmz", year=2020, today=TODAY))
    assert body["filed"] == before["filed"] + 1
    assert body["filed_on_time"] == before["filed_on_time"]
    assert body["filed_complete"] == before["filed_complete"]


def test_a_demand_answered_by_filing_shows_the_finding_filed(
    findings, filing_reviewer, filing_clerk
):
    finding = findings[("not_filed", "安民发〔2020〕7号")]
    with at(datetime.date(2021, 1, 5)):
        flow.demand(finding, filing_reviewer)
        actions.file_with_authority(finding.document, by=filing_clerk)
    finding.refresh_from_db()
    assert finding.status == "filed"
