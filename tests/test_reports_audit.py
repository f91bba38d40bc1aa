"""The filing audit (年度备案审查工作报告): counts, rates, violations, hash, formats.

The constructed year 2020, judged on 2021-01-10 (before 1月底, when the annual
list is due). Filing deadlines are stored as published_on + 30 days.

安康市民政局 (akmz):
  ok            published 03-02, filed on day 30 (04-01 = due), complete, reviewed in time
  never         published 06-01, never filed (deadline 07-01 passed)       -> never_filed
  late          published 03-02, filed on day 31 (04-02)                    -> filed_late
  incomplete    published 04-01, filed 04-10 without 起草说明                -> materials_incomplete
  pending       published 12-01, filed 12-20, review due 2021-01-19         -> not_reviewed
  slow_review   published 05-06, filed 05-20, review due 06-19, decided 06-30 -> review_overdue
  slow_fix      correction due 08-31, reported 09-10, closed 09-20           -> correction_overdue
  open_fix      correction due 10-09, reported 10-08, never closed           -> correction_open
  fixed         correction due 10-20, reported 10-15, closed 10-25 (on time)
  fresh         published 12-20, not filed, deadline 2021-01-19 not passed (not yet due)
汉滨区民政局 (hbmz):
  stalled       filed 10-15, review due 11-14, undecided -> not_reviewed, review_overdue
Outside the period: akmz documents published 2019-12-15 and 2021-01-05.
Outside the authority: 商洛市民政局 (files with another authority).
"""

# The fixtures imported from test_reports_fixtures are parameters of the tests below.
# ruff: noqa: F811

import datetime
import io
import json

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from review.models import CalendarOverride, CalendarYear, Escalation
from review.reports import audit_report, build
from tests.test_reports_fixtures import (  # noqa: F401  (fixtures)
    ALL_MATERIALS,
    D,
    city_government,
    civil_affairs,
    correct,
    county,
    docx_tables,
    docx_text,
    elsewhere,
    file,
    justice,
    pdf_fonts,
    pdf_text,
    published,
    review,
    squash,
)

TODAY = D(2021, 1, 10)


@pytest.fixture
def year_2020(civil_affairs, county, elsewhere):
    docs = {}
    a = civil_affairs

    docs["ok"] = d = published(
        a, "安康市民政局关于规范社会救助家庭经济状况核对工作的通知", D(2020, 3, 2)
    )
    review(file(d, D(2020, 4, 1)), decided_on=D(2020, 4, 20))

    docs["never"] = published(a, "安康市民政局关于加强殡葬管理工作的通知", D(2020, 6, 1))

    docs["late"] = d = published(a, "安康市民政局婚姻登记工作规范", D(2020, 3, 2))
    review(file(d, D(2020, 4, 2)), decided_on=D(2020, 4, 21))

    docs["incomplete"] = d = published(a, "安康市民政局养老服务补贴发放办法", D(2020, 4, 1))
    review(
        file(d, D(2020, 4, 10), materials={**ALL_MATERIALS, "drafting_note": False}),
        decided_on=D(2020, 5, 1),
    )

    docs["pending"] = d = published(a, "安康市民政局关于做好冬春救助工作的通知", D(2020, 12, 1))
    review(file(d, D(2020, 12, 20)))  # due 2021-01-19, after the report's date

    docs["slow_review"] = d = published(a, "安康市民政局地名管理办法", D(2020, 5, 6))
    review(file(d, D(2020, 5, 20)), due_on=D(2020, 6, 19), decided_on=D(2020, 6, 30))

    docs["slow_fix"] = d = published(a, "安康市民政局社会组织登记管理办法", D(2020, 7, 1))
    r = review(file(d, D(2020, 7, 10)), decided_on=D(2020, 7, 30), conclusion="opinion")
    correct(
        d, r, D(2020, 7, 30), D(2020, 8, 31), reported_on=D(2020, 9, 10), closed_on=D(2020, 9, 20)
    )

    docs["open_fix"] = d = published(a, "安康市民政局临时救助实施细则", D(2020, 8, 3))
    r = review(file(d, D(2020, 8, 20)), decided_on=D(2020, 9, 1), conclusion="opinion")
    correct(d, r, D(2020, 9, 1), D(2020, 10, 9), reported_on=D(2020, 10, 8))

    docs["fixed"] = d = published(a, "安康市民政局特困人员认定办法", D(2020, 9, 1))
    r = review(file(d, D(2020, 9, 10)), decided_on=D(2020, 9, 20), conclusion="opinion")
    correct(
        d,
        r,
        D(2020, 9, 20),
        D(2020, 10, 20),
        reported_on=D(2020, 10, 15),
        closed_on=D(2020, 10, 25),
    )

    docs["fresh"] = published(a, "安康市民政局关于春节期间走访慰问的通知", D(2020, 12, 20))

    docs["stalled"] = d = published(county, "汉滨区民政局低保审核确认办法", D(2020, 10, 9))
    review(file(d, D(2020, 10, 15)), due_on=D(2020, 11, 14))

    docs["last_year"] = d = published(a, "安康市民政局2019年冬季救助通知", D(2019, 12, 15))
    review(file(d, D(2020, 1, 10)), decided_on=D(2020, 1, 20))
    docs["next_year"] = published(a, "安康市民政局2021年工作要点", D(2021, 1, 5))
    docs["other_city"] = published(elsewhere, "商洛市民政局救助办法", D(2020, 5, 5))
    return docs


def audit(**params):
    return audit_report.compute(**{"year": 2020, "today": TODAY, **params})


def by_code(report):
    return {org["code"]: org for org in report["organisations"]}


def kinds(report):
    return sorted((v["kind"], v["title"]) for v in report["violations"])


# --- counts and rates --------------------------------------------------------


def test_bureau_counts_are_those_computed_by_hand(year_2020):
    akmz = by_code(audit(authority="aksfj"))["akmz"]
    assert {k: akmz[k] for k in audit_report.COUNTS} == {
        "issued": 10,
        "due_for_filing": 9,  # "fresh" is not yet due
        "filed": 8,
        "filed_on_time": 7,  # all but "late"
        "filed_complete": 7,  # all but "incomplete"
        "reviewed": 7,  # all but "pending"
        "found_wrong": 3,
        "corrected": 2,  # slow_fix, fixed
        "corrected_on_time": 1,  # fixed
        "registered": 7,  # every filed document but "pending", awaiting its decision
        "refused_registration": 0,
        "deferred": 0,
        "escalated": 0,
    }


def test_bureau_rates_are_fractions_computed_by_hand(year_2020):
    rates = by_code(audit(authority="aksfj"))["akmz"]["rates"]
    assert rates == {
        "filing_rate": pytest.approx(8 / 9),
        "timely_rate": pytest.approx(7 / 8),
        "conformity_rate": pytest.approx(7 / 8),
        "review_rate": pytest.approx(7 / 8),
        "correction_rate": pytest.approx(2 / 3),
    }


def test_a_rate_with_nothing_to_measure_is_none_not_zero(year_2020):
    hbmz = by_code(audit(authority="aksfj"))["hbmz"]
    assert hbmz["rates"]["correction_rate"] is None
    assert hbmz["rates"]["review_rate"] == 0


def test_totals_add_up_the_bodies_and_rates_come_from_the_sums(year_2020):
    report = audit(authority="aksfj")
    totals = report["totals"]
    assert (totals["issued"], totals["due_for_filing"], totals["filed"], totals["reviewed"]) == (
        11,
        10,
        9,
        7,
    )
    assert totals["rates"]["filing_rate"] == pytest.approx(9 / 10)
    assert totals["rates"]["timely_rate"] == pytest.approx(8 / 9)
    assert totals["rates"]["review_rate"] == pytest.approx(7 / 9)
    assert totals["rates"]["correction_rate"] == pytest.approx(2 / 3)


def test_filing_on_day_30_after_publication_is_on_time_and_day_31_is_late(year_2020):
    report = audit(organisation="akmz")
    late = [v for v in report["violations"] if v["kind"] == "filed_late"]
    assert [(v["title"], v["due"], v["done"], v["days_late"]) for v in late] == [
        ("安康市民政局婚姻登记工作规范", "2020-04-01", "2020-04-02", 1)
    ]
    assert not any(v["title"] == year_2020["ok"].title for v in report["violations"])


def test_each_violation_kind_is_found_on_its_document(year_2020):
    report = audit(authority="aksfj")
    t = {name: doc.title for name, doc in year_2020.items()}
    assert kinds(report) == sorted(
        [
            ("never_filed", t["never"]),
            ("filed_late", t["late"]),
            ("materials_incomplete", t["incomplete"]),
            ("not_reviewed", t["pending"]),
            ("not_reviewed", t["stalled"]),
            ("review_overdue", t["slow_review"]),
            ("review_overdue", t["stalled"]),
            ("correction_overdue", t["slow_fix"]),
            ("correction_open", t["open_fix"]),
        ]
    )


def test_violations_carry_due_done_and_days_late_as_of_the_report_date(year_2020):
    found = {(v["kind"], v["title"]): v for v in audit(authority="aksfj")["violations"]}
    t = {name: doc.title for name, doc in year_2020.items()}
    never = found[("never_filed", t["never"])]
    assert (never["organisation"], never["due"], never["done"], never["days_late"]) == (
        "akmz",
        "2020-07-01",
        None,
        193,
    )
    assert never["number"] == year_2020["never"].registration.number
    assert found[("review_overdue", t["slow_review"])]["days_late"] == 11
    assert found[("review_overdue", t["stalled"])]["days_late"] == 57
    assert found[("not_reviewed", t["pending"])]["days_late"] == 0
    assert found[("correction_overdue", t["slow_fix"])]["done"] == "2020-09-10"
    assert found[("correction_overdue", t["slow_fix"])]["days_late"] == 10
    assert found[("correction_open", t["open_fix"])]["days_late"] == 93
    assert "起草说明" in found[("materials_incomplete", t["incomplete"])]["detail"]


def test_violations_are_listed_in_kind_order(year_2020):
    order = list(audit_report.VIOLATION_KINDS)
    listed = [order.index(v["kind"]) for v in audit(authority="aksfj")["violations"]]
    assert listed == sorted(listed)


def test_documents_published_outside_the_period_are_not_counted(year_2020):
    titles = {v["title"] for v in audit(organisation="akmz")["violations"]}
    assert by_code(audit(organisation="akmz"))["akmz"]["issued"] == 10
    assert year_2020["next_year"].title not in titles


def test_a_date_range_counts_only_documents_published_in_it(year_2020):
    report = audit(organisation="akmz", year=None, date_from=D(2020, 3, 1), date_to=D(2020, 3, 31))
    akmz = by_code(report)["akmz"]
    assert (akmz["issued"], akmz["filed"], akmz["filed_on_time"]) == (2, 2, 1)
    assert report["parameters"]["year"] is None
    assert report["title"] == "规范性文件备案审查工作报告"


def test_authority_scope_covers_the_authority_and_the_bodies_filing_with_it(year_2020):
    assert [org["code"] for org in audit(authority="aksfj")["organisations"]] == ["akmz", "hbmz"]
    assert "slmz" in by_code(audit())
    assert "slmz" not in by_code(audit(authority="aksfj"))


def test_an_unfiled_document_whose_deadline_is_still_open_is_issued_but_not_due(year_2020):
    report = audit(organisation="akmz", today=D(2020, 6, 30))  # "never" is due 07-01
    akmz = by_code(report)["akmz"]
    assert not any(v["kind"] == "never_filed" for v in report["violations"])
    assert akmz["issued"] - akmz["due_for_filing"] == 1
    report = audit(organisation="akmz", today=D(2020, 7, 2))
    assert [v["days_late"] for v in report["violations"] if v["kind"] == "never_filed"] == [1]


def test_events_after_the_report_date_are_not_counted(year_2020):
    report = audit(
        organisation="akmz", date_from=D(2020, 3, 1), date_to=D(2020, 3, 31), today=D(2020, 4, 1)
    )
    akmz = by_code(report)["akmz"]
    # "late" is filed on 04-02: as of 04-01 it is unfiled and its deadline is today, not past.
    assert (akmz["filed"], akmz["due_for_filing"], akmz["reviewed"]) == (1, 1, 0)


def test_a_resubmission_keeps_the_first_deadline_and_its_completeness_counts(
    year_2020, civil_affairs
):
    d = published(civil_affairs, "安康市民政局慈善组织认定办法", D(2020, 2, 3))
    first = file(d, D(2020, 3, 1), materials={**ALL_MATERIALS, "legal_basis": False})
    review(first, decided_on=D(2020, 3, 10), outcome="deferred")
    review(
        file(d, D(2020, 3, 20), due_on=first.due_on, resubmission_of=first),
        decided_on=D(2020, 3, 30),
    )
    report = audit(organisation="akmz", date_from=D(2020, 2, 1), date_to=D(2020, 2, 29), year=None)
    akmz = by_code(report)["akmz"]
    assert (akmz["filed"], akmz["filed_on_time"], akmz["filed_complete"], akmz["reviewed"]) == (
        1,
        1,
        1,
        1,
    )
    assert report["violations"] == []


def test_a_resubmission_awaiting_review_is_not_reviewed_though_the_first_filing_was(
    year_2020, civil_affairs
):
    d = published(civil_affairs, "安康市民政局慈善组织认定办法", D(2020, 2, 3))
    first = file(d, D(2020, 3, 1), materials={**ALL_MATERIALS, "legal_basis": False})
    review(first, decided_on=D(2020, 3, 10), outcome="deferred")
    review(file(d, D(2020, 3, 20), due_on=first.due_on, resubmission_of=first))
    report = audit(organisation="akmz", date_from=D(2020, 2, 1), date_to=D(2020, 2, 29), year=None)
    assert by_code(report)["akmz"]["reviewed"] == 0
    # the resubmission, not the decided first filing, is late in review
    assert [(v["kind"], v["due"]) for v in report["violations"]] == [
        ("not_reviewed", "2020-04-19"),
        ("review_overdue", "2020-04-19"),
    ]


def test_a_deadline_in_a_year_without_holiday_data_is_provisional_and_the_report_says_so(
    civil_affairs,
):
    published(civil_affairs, "安康市民政局2026年岁末通知", D(2026, 12, 20))  # due in 2027
    report = audit_report.compute(organisation="akmz", year=2026, today=D(2027, 3, 1))
    # 20 December + 30 日 = 19 January 2027, counted without the 2027 schedule: 暂定.
    [never] = report["violations"]
    assert (never["kind"], never["due"], never["due_provisional"]) == (
        "never_filed",
        "2027-01-19",
        True,
    )
    assert any("2027年放假安排尚未公布" in note for note in report["notes"])
    csv_text = build("filing_audit", report, "csv").decode("utf-8-sig")
    assert "2027-01-19（暂定）" in csv_text and "2027年放假安排尚未公布" in csv_text


def test_one_entered_day_leaves_2027_provisional_in_the_report(civil_affairs):
    CalendarOverride.objects.create(date=D(2027, 1, 1), is_working_day=False, name="元旦")
    published(civil_affairs, "安康市民政局2026年岁末通知", D(2026, 12, 20))
    report = audit_report.compute(organisation="akmz", year=2026, today=D(2027, 3, 1))
    [never] = report["violations"]
    assert never["due_provisional"] is True


def test_once_2027_is_marked_complete_the_unfiled_document_is_judged_on_its_deadline(
    civil_affairs,
):
    CalendarOverride.objects.create(date=D(2027, 1, 1), is_working_day=False, name="元旦")
    CalendarYear.objects.create(year=2027, complete=True, notice_number="国办发明电〔2026〕1号")
    published(civil_affairs, "安康市民政局2026年岁末通知", D(2026, 12, 20))
    report = audit_report.compute(organisation="akmz", year=2026, today=D(2027, 3, 1))
    # 20 December + 30 日 = 19 January 2027, a Tuesday (民法典 art. 201)
    [never] = report["violations"]
    assert (never["kind"], never["due"], never["due_provisional"]) == (
        "never_filed",
        "2027-01-19",
        False,
    )
    assert report["notes"] == []


def test_the_report_reads_with_a_bounded_number_of_queries(year_2020, civil_affairs):
    with CaptureQueriesContext(connection) as small:
        audit(authority="aksfj")
    for n in range(20):
        review(
            file(published(civil_affairs, f"批量文件{n}", D(2020, 2, 3)), D(2020, 2, 20)),
            decided_on=D(2020, 3, 1),
        )
    with CaptureQueriesContext(connection) as large:
        report = audit(authority="aksfj")
    assert by_code(report)["akmz"]["issued"] == 30
    assert len(large.captured_queries) == len(small.captured_queries) <= 10


# --- the JSON and its hash ------------------------------------------------------


def test_the_json_has_the_documented_fields(year_2020):
    report = json.loads(
        build("filing_audit", {"authority": "aksfj", "year": 2020, "today": TODAY}, "json")
    )
    assert list(report)[:1] == ["parameters"]
    assert {"parameters", "data_hash", "totals", "organisations", "violations"} <= set(report)
    assert report["parameters"] == {
        "scope": "authority",
        "organisation": None,
        "authority": "aksfj",
        "year": 2020,
        "from": "2020-01-01",
        "to": "2020-12-31",
        "today": "2021-01-10",
    }
    org = report["organisations"][0]
    assert set(audit_report.COUNTS) | {"code", "name", "rates"} <= set(org)
    assert set(org["rates"]) == {
        "filing_rate",
        "timely_rate",
        "conformity_rate",
        "review_rate",
        "correction_rate",
    }
    assert set(report["violations"][0]) >= {
        "kind",
        "organisation",
        "title",
        "number",
        "due",
        "done",
        "days_late",
    }
    assert len(report["data_hash"]) == 64


def test_the_data_hash_changes_when_an_input_row_changes_and_only_then(year_2020):
    before = audit(authority="aksfj")["data_hash"]
    assert audit(authority="aksfj")["data_hash"] == before
    filing = year_2020["ok"].filings.get()
    filing.materials = {**ALL_MATERIALS, "report": False}
    filing.save()
    assert audit(authority="aksfj")["data_hash"] != before


def test_an_unknown_organisation_code_is_refused(year_2020):
    with pytest.raises(ValueError, match="未知的单位代码"):
        audit(organisation="nope")


# --- the renderings ------------------------------------------------------------


def test_the_csv_has_a_row_per_body_a_total_and_the_violations(year_2020):
    data = build("filing_audit", audit(authority="aksfj"), "csv")
    assert data.startswith("\ufeff".encode())
    text = data.decode("utf-8-sig")
    assert "akmz,安康市民政局,10,9,8,7,7,7,3,2,1,0.8889,0.8750,0.8750,0.8750,0.6667,7,0,0,0" in text
    assert "合计,,11,10,9,8,8,7,3,2,1,0.9000" in text
    assert "never_filed,瞒报漏报（逾期未报备）,akmz,安康市民政局关于加强殡葬管理工作的通知" in text


def test_the_pdf_shows_the_figures_the_chart_and_embeds_the_font(year_2020):
    data = build("filing_audit", audit(authority="aksfj"), "pdf")
    text = squash(pdf_text(data))
    assert "2020年度规范性文件备案审查工作报告" in text
    assert "报备率90.0%" in text  # the totals sentence
    assert "安康市民政局88.9%87.5%87.5%87.5%66.7%" in text  # its row of the rates table
    assert "各单位备案审查指标" in text  # the chart's title
    never = year_2020["never"].registration.number
    assert "瞒报漏报" in text and f"{never}2020-07-01未办理193" in text  # its row, cells in order
    assert all(pdf_fonts(data).values()), pdf_fonts(data)


def test_the_docx_has_the_same_tables(year_2020):
    data = build("filing_audit", audit(authority="aksfj"), "docx")
    tables = docx_tables(data)
    counts = tables[0]
    assert counts[0][:3] == ["单位", "公布", "应报备"]
    assert counts[1][:4] == ["安康市民政局", "10", "9", "8"]
    assert counts[-1][:4] == ["合计", "11", "10", "9"]
    assert tables[1][1][1:] == ["88.9%", "87.5%", "87.5%", "87.5%", "66.7%"]
    assert tables[2][0] == ["单位", "予以备案登记", "不予备案登记", "暂缓办理", "撤销改变通报"]
    assert tables[2][1][1:] == ["7", "0", "0", "0"]
    assert len(tables[3]) == 1 + 9  # header + the violations
    assert "瞒报漏报" in docx_text(data)


def test_every_format_is_byte_identical_for_the_same_inputs_whenever_it_is_built(year_2020):
    params = {"authority": "aksfj", "year": 2020, "today": TODAY}
    for fmt in ("json", "csv", "pdf", "docx"):
        with time_machine.travel(
            datetime.datetime(2021, 1, 10, 9, tzinfo=datetime.UTC), tick=False
        ):
            first = build("filing_audit", params, fmt)
        with time_machine.travel(
            datetime.datetime(2021, 2, 1, 17, tzinfo=datetime.UTC), tick=False
        ):
            second = build("filing_audit", params, fmt)
        assert first == second, fmt


# --- the command -----------------------------------------------------------------


def test_the_command_writes_identical_bytes_on_two_runs(year_2020, tmp_path):
    paths = [tmp_path / "one.pdf", tmp_path / "two.pdf"]
    for path in paths:
        call_command(
            "filing_audit",
            "--authority",
            "aksfj",
            "--year",
            "2020",
            "--today",
            "2021-01-10",
            "--format",
            "pdf",
            "--output",
            str(path),
            stdout=io.StringIO(),
        )
    assert paths[0].read_bytes() == paths[1].read_bytes()
    assert paths[0].read_bytes().startswith(b"%PDF")


def test_the_command_writes_a_line_per_body_when_writing_a_file(year_2020, tmp_path):
    out = io.StringIO()
    call_command(
        "filing_audit",
        "--authority",
        "aksfj",
        "--year",
        "2020",
        "--today",
        "2021-01-10",
        "--format",
        "csv",
        "--output",
        str(tmp_path / "a.csv"),
        stdout=out,
    )
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("akmz 安康市民政局：公布10件，应报备9件，已报备8件；报备率88.9%")
    assert lines[0].endswith("问题7项")
    assert lines[1].startswith("hbmz 汉滨区民政局") and lines[1].endswith("问题2项")
    assert lines[2].startswith("合计") and lines[2].endswith("问题9项")
    assert str(tmp_path / "a.csv") in lines[3]


def test_the_command_writes_a_pdf_to_a_redirected_stdout(year_2020, tmp_path):
    stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    call_command(
        "filing_audit",
        "--org",
        "akmz",
        "--year",
        "2020",
        "--today",
        "2021-01-10",
        "--format",
        "pdf",
        stdout=stdout,
    )
    stdout.flush()
    path = tmp_path / "a.pdf"
    call_command(
        "filing_audit",
        "--org",
        "akmz",
        "--year",
        "2020",
        "--today",
        "2021-01-10",
        "--format",
        "pdf",
        "--output",
        str(path),
        stdout=io.StringIO(),
    )
    assert stdout.buffer.getvalue() == path.read_bytes()


def test_the_command_prints_json_to_stdout_without_output(year_2020):
    out = io.StringIO()
    call_command(
        "filing_audit",
        "--org",
        "akmz",
        "--year",
        "2020",
        "--today",
        "2021-01-10",
        "--format",
        "json",
        stdout=out,
    )
    report = json.loads(out.getvalue())
    assert report["organisations"][0]["issued"] == 10


def test_the_command_takes_a_date_range(year_2020):
    out = io.StringIO()
    call_command(
        "filing_audit",
        "--org",
        "akmz",
        "--from",
        "2020-03-01",
        "--to",
        "2020-03-31",
        "--today",
        "2021-01-10",
        "--format",
        "csv",
        stdout=out,
    )
    assert "akmz,安康市民政局,2,2,2,1" in out.getvalue()


def test_the_command_refuses_a_binary_format_without_a_place_to_write(year_2020):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="--output"):
        call_command(
            "filing_audit",
            "--org",
            "akmz",
            "--year",
            "2020",
            "--format",
            "docx",
            stdout=io.StringIO(),
        )


def test_the_command_refuses_both_org_and_authority(year_2020):
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command(
            "filing_audit",
            "--org",
            "akmz",
            "--authority",
            "aksfj",
            "--year",
            "2020",
            "--format",
            "json",
            stdout=io.StringIO(),
        )


def test_registration_decisions_and_escalations_are_counted_apart(year_2020, civil_affairs):
    """备案条例 art. 7: 不予备案登记 ends the filing (handled, not awaiting review);
    a registered document awaits its review until it is concluded; art. 20: an
    escalation (撤销/改变/通报) is counted once per document."""
    a = civil_affairs
    out_of_scope = published(a, "安康市民政局机关考勤制度", D(2020, 2, 3))
    review(file(out_of_scope, D(2020, 2, 10)), decided_on=D(2020, 2, 12), outcome="refused")
    registered = published(a, "安康市民政局慈善组织认定办法", D(2020, 2, 4))
    review(file(registered, D(2020, 2, 10)), decided_on=D(2020, 2, 12), conclusion="")
    deferred = published(a, "安康市民政局社会救助资金管理办法", D(2020, 2, 5))
    first = file(deferred, D(2020, 2, 10), materials={**ALL_MATERIALS, "legal_basis": False})
    review(first, decided_on=D(2020, 2, 12), outcome="deferred")
    r = review(
        file(deferred, D(2020, 2, 20), due_on=first.due_on, resubmission_of=first),
        decided_on=D(2020, 2, 25),
        conclusion="opinion",
    )
    correct(deferred, r, D(2020, 2, 25), D(2020, 3, 26))
    for kind in ("notify", "revoke"):
        Escalation.objects.create(
            document=deferred, kind=kind, decided_on=D(2020, 4, 1), reason="逾期未纠正"
        )
    report = audit(organisation="akmz", date_from=D(2020, 2, 1), date_to=D(2020, 2, 29), year=None)
    akmz = by_code(report)["akmz"]
    assert {k: akmz[k] for k in audit_report.DECISION_COUNTS} == {
        "registered": 2,
        "refused_registration": 1,
        "deferred": 1,
        "escalated": 1,
    }
    assert (akmz["filed"], akmz["reviewed"], akmz["found_wrong"]) == (3, 2, 1)
    assert [
        (v["kind"], v["title"]) for v in report["violations"] if v["kind"] == "not_reviewed"
    ] == [("not_reviewed", "安康市民政局慈善组织认定办法")]
