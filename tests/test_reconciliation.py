"""Issuance against filing (issue 18): a planted 发文登记簿 and published list give
one finding of each kind, the controls are not flagged, 密级 rows are skipped
unread, and the command writes the issue's JSON."""

import io
import json

import pypdf
import pytest
from django.core.management import CommandError, call_command

from review import actions, reconciliation
from review.models import (
    AuditEvent,
    JurisdictionSettings,
    ReconciliationFinding,
    ReconciliationRun,
)
from review.reconciliation import normative_rule, number_key

from .reconcile_fixtures import (
    CLASSIFIED_TITLES,
    EXPECTED,
    TODAY,
    plant_register,
    planted_files,
)

pytestmark = pytest.mark.django_db
CONTROLS = ["会议纪要", "工作方案", "请示"]


@pytest.fixture
def planted(bureau, tmp_path):
    plant_register(tmp_path)
    return tmp_path


def run(bureau, folder, ext="csv"):
    issued, published = planted_files(folder, ext)
    return reconciliation.reconcile(bureau, 2020, issued, published, today=TODAY)


@pytest.mark.parametrize("ext", ["csv", "xlsx"])
def test_the_planted_register_gives_each_kind_of_finding_and_flags_no_control(bureau, planted, ext):
    _run, findings = run(bureau, planted, ext)
    report = reconciliation.report(_run, findings)
    assert report["totals"] == EXPECTED
    titles = " ".join(line["title"] for line in report["findings"])
    for control in CONTROLS:
        assert control not in titles
    by_kind = {}
    for line in report["findings"]:
        by_kind.setdefault(line["kind"], []).append(line)
    assert {line["number"] for line in by_kind["unregistered"]} == {
        "安民发〔2020〕25号",
        "安民发〔2020〕26号",
        "",
    }
    assert by_kind["unpublished"][0]["number"] == "安民发〔2020〕12号"
    assert {line["number"] for line in by_kind["not_filed"]} == {
        "安民发〔2020〕7号",
        "安民发〔2020〕15号",
    }
    assert by_kind["published_twice"][0]["number"] == "安民发〔2020〕7号、安民发〔2020〕33号"
    assert by_kind["number_conflict"][0]["title"] == "关于调整城乡低保标准的通知"


def test_numbers_written_in_other_forms_match_the_register(bureau, planted):
    """安民发[2020]03号, 安民发（２０２０）7号 and 安民发 〔2020〕 15号 are the register's
    3号, 7号 and 15号: none of them is reported as unregistered."""
    _run, findings = run(bureau, planted)
    unregistered = [f.number for f in findings if f.kind == "unregistered"]
    assert "安民发〔2020〕3号" not in unregistered
    assert number_key("安民发[2020]03号") == "安民发〔2020〕3号"
    assert number_key("安民发（２０２０）7号") == "安民发〔2020〕7号"
    assert number_key("安民发【2020】第7号") == "安民发〔2020〕7号"
    assert number_key("安民发 (2020) 7 号") == "安民发〔2020〕7号"


def test_every_finding_names_the_rule_that_fired(bureau, planted):
    _run, findings = run(bureau, planted)
    assert all(f.rule for f in findings)
    rules = {f.number: f.rule for f in findings if f.kind == "unregistered"}
    assert rules["安民发〔2020〕25号"].startswith("标题形式为“办法”")
    assert rules["安民发〔2020〕26号"].startswith("标题形式为“意见”")
    late = next(f for f in findings if f.number == "安民发〔2020〕15号")
    assert "公布之日起30日" in late.rule and "2020-07-31" in late.rule


def test_the_normative_rule_reads_the_jurisdictions_lists_and_says_which_fired():
    settings = JurisdictionSettings()
    assert normative_rule(settings, "安康市民政局2020年第3次局务会议纪要").rule == (
        "标题含排除用语“会议纪要”"
    )
    verdict = normative_rule(settings, "关于印发《2020年社会救助兜底脱贫工作方案》的通知")
    assert not verdict.normative and "工作方案" in verdict.rule
    assert not normative_rule(settings, "关于申请救灾资金的请示").normative
    assert normative_rule(settings, "关于印发《安康市殡葬管理实施细则》的通知").rule == (
        "标题形式为“细则”"
    )
    assert normative_rule(settings, "安康市民政局文件", text="本办法自公布之日起施行").normative
    assert normative_rule(settings, "某事项", category="规范性文件").normative
    assert not normative_rule(settings, "安康市民政局文件").normative


def test_a_jurisdiction_that_excludes_a_form_sees_no_finding_for_it(bureau, planted):
    JurisdictionSettings.objects.create(
        organisation=bureau, excluded_title_forms="纪要、工作方案、请示、意见"
    )
    bureau.refresh_from_db()
    _run, findings = run(bureau, planted)
    assert "安民发〔2020〕26号" not in {f.number for f in findings}


def test_classified_rows_are_counted_and_their_titles_are_stored_nowhere(bureau, planted):
    _run, findings = run(bureau, planted)
    assert _run.skipped_classified == 2
    stored = json.dumps(
        [
            list(ReconciliationFinding.objects.values_list("title", "rule", "number")),
            list(AuditEvent.objects.values_list("note", "data")),
            list(ReconciliationRun.objects.values()),
        ],
        ensure_ascii=False,
        default=str,
    )
    for title in CLASSIFIED_TITLES:
        assert title not in stored
    assert "〔2020〕30号" not in stored and "〔2020〕31号" not in stored


def test_the_command_writes_the_issue_json(bureau, planted):
    issued, published = planted_files(planted)
    out = io.StringIO()
    call_command(
        "reconcile",
        "--org=akmz",
        "--year=2020",
        f"--issued={issued}",
        f"--published={published}",
        "--format=json",
        "--today=2020-12-31",
        stdout=out,
        stderr=io.StringIO(),
    )
    report = json.loads(out.getvalue())
    assert list(report) == ["organisation", "year", "skipped_classified", "findings", "totals"]
    assert report["organisation"] == "akmz" and report["year"] == 2020
    assert report["skipped_classified"] == 2
    assert report["totals"] == EXPECTED
    keys = ["kind", "number", "title", "issued_on", "published_on", "due", "rule", "status"]
    assert all(list(line) == keys for line in report["findings"])
    assert {line["status"] for line in report["findings"]} == {"open"}


def test_the_command_writes_csv_and_pdf_and_says_how_many_rows_it_skipped(bureau, planted):
    issued, published = planted_files(planted)
    common = ["--org=akmz", "--year=2020", f"--issued={issued}", "--today=2020-12-31"]
    out = io.StringIO()
    call_command("reconcile", *common, "--format=csv", f"--output={planted / 'r.csv'}", stdout=out)
    assert "跳过涉密行2行" in out.getvalue()
    text = (planted / "r.csv").read_text(encoding="utf-8-sig")
    assert "问题类型(kind)" in text and "安民发〔2020〕26号" in text
    call_command("reconcile", *common, "--format=pdf", f"--output={planted / 'r.pdf'}", stdout=out)
    pdf = pypdf.PdfReader(planted / "r.pdf")
    words = "".join(page.extract_text() for page in pdf.pages)
    assert "发文与备案核对" in words and "未登记" in words


def test_the_command_refuses_an_unknown_body_or_a_file_without_its_columns(bureau, planted):
    issued, _published = planted_files(planted)
    with pytest.raises(CommandError, match="未知的单位代码"):
        call_command("reconcile", "--org=nope", "--year=2020", f"--issued={issued}")
    bad = planted / "bad.csv"
    bad.write_text("名称,日期\n某办法,2020-01-01\n", encoding="utf-8")
    with pytest.raises(CommandError, match="缺少列：文号"):
        call_command("reconcile", "--org=akmz", "--year=2020", f"--issued={bad}")
    assert not ReconciliationRun.objects.exists()


def test_a_second_run_finds_the_same_findings_and_keeps_how_they_were_closed(
    bureau, planted, filing_reviewer
):

    _run, findings = run(bureau, planted)
    first = next(f for f in findings if f.number == "安民发〔2020〕26号")
    actions.dismiss_finding(first, by=filing_reviewer, reason="内部工作意见，不对外发生效力")
    second_run, again = run(bureau, planted)
    assert ReconciliationFinding.objects.count() == len(findings) == len(again)
    same = next(f for f in again if f.number == "安民发〔2020〕26号")
    assert same.pk == first.pk and same.status == "not_normative"
    assert same.last_run == second_run
