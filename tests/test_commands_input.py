# ruff: noqa: F811  (pytest fixtures imported from test_reports_fixtures are redefined as arguments)
"""Absurd command-line input gets one line, Chinese first, and a non-zero exit
(CommandError), never a traceback."""

import datetime
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from review.models import NormativeDocument
from tests.test_import_register import GOOD, HEADER, run, write_csv
from tests.test_reports_fixtures import (  # noqa: F401  (fixtures)
    D,
    city_government,
    civil_affairs,
    justice,
    published,
)

pytestmark = pytest.mark.django_db


def refused(*args):
    """The CommandError's message, checked to be one line, Chinese before any English."""
    with pytest.raises(CommandError) as raised:
        call_command(*args, stdout=StringIO(), stderr=StringIO())
    message = str(raised.value)
    assert "\n" not in message
    chinese, english = re.search(r"[\u4e00-\u9fff]", message), message.find(" (")
    assert chinese and (english == -1 or chinese.start() < english), message
    return message


# --- filing_audit -------------------------------------------------------------------


@pytest.mark.parametrize("year", ["99999999999", "-5", "0", "10000", "二〇二〇", "1e3"])
def test_filing_audit_refuses_a_year_no_date_can_have(justice, year):
    message = refused("filing_audit", "--authority", "aksfj", "--year", year)
    assert "--year" in message


def test_filing_audit_with_a_year_of_the_calendars_edge_still_reports(justice):
    out = StringIO()
    call_command("filing_audit", "--authority", "aksfj", "--year", "9999", stdout=out)
    assert '"year": 9999' in out.getvalue()


def test_the_audit_itself_refuses_a_year_out_of_range():
    from review.reports import audit_report

    with pytest.raises(ValueError, match="统计年度 99999999999 超出范围"):
        audit_report.compute(year=99999999999)


@pytest.mark.parametrize("option", ["--today", "--from", "--to"])
def test_filing_audit_refuses_a_date_that_is_no_date(justice, option):
    assert option in refused("filing_audit", "--year", "2020", option, "2020-02-30")


def test_an_output_that_cannot_be_written_is_refused_in_one_line(justice, tmp_path):
    message = refused(
        "filing_audit", "--year", "2020", "--format", "csv", "--output", str(tmp_path)
    )
    assert "无法写入输出文件" in message


# --- build_output -----------------------------------------------------------------


@pytest.mark.parametrize("document_id", ["abc", "-1", "0"])
def test_build_output_refuses_a_document_number_that_is_no_number(db, tmp_path, document_id):
    output = str(tmp_path / "x.pdf")
    assert "文件编号" in refused("build_output", "official_text", document_id, "--output", output)


def test_build_output_refuses_a_catalogue_date_that_is_no_date(db, tmp_path):
    output = str(tmp_path / "x.pdf")
    assert "--date" in refused(
        "build_output", "valid_catalogue", "--date", "garbage", "--output", output
    )


def test_build_output_refuses_to_write_into_a_directory(civil_affairs, tmp_path):
    document = published(civil_affairs, "安康市民政局婚姻登记工作规范", D(2020, 3, 2))
    message = refused(
        "build_output",
        "official_text",
        str(document.pk),
        "--format",
        "docx",
        "--output",
        str(tmp_path),
    )
    assert "无法写入输出文件" in message


# --- expire_documents, close_comment_periods ------------------------------------------


@pytest.mark.parametrize("command", ["expire_documents", "close_comment_periods"])
@pytest.mark.parametrize("today", ["garbage", "2020-13-01", ""])
def test_daily_commands_refuse_a_today_that_is_no_date(command, today):
    if today == "":
        call_command(command, "--today", today, stdout=StringIO())  # empty: today
        return
    assert "--today" in refused(command, "--today", today)


def test_expire_documents_on_the_calendars_last_day_runs(civil_affairs):
    published(
        civil_affairs, "安康市民政局婚姻登记工作规范", D(2020, 3, 2), valid_until=D(2025, 3, 1)
    )
    out = StringIO()
    call_command("expire_documents", "--today", "9999-12-31", stdout=out)
    assert "共有 1 件文件有效期届满" in out.getvalue()


# --- import_register ----------------------------------------------------------------


def test_a_csv_field_of_200000_characters_is_refused_in_one_line(bureau, tmp_path):
    rows = [list(row) for row in GOOD[:1]]
    rows[0][1] = "长" * 200_000

    message = refused("import_register", str(write_csv(tmp_path / "big.csv", rows)))

    assert "big.csv 第2行无法读取" in message
    assert not NormativeDocument.objects.exists()


def test_a_validity_and_a_correction_deadline_after_today_are_imported(bureau, tmp_path):
    """A document in force states a 有效期至 after today; an open correction a
    纠正期限 after today (domain rules §6, §8)."""
    rows = [list(row) for row in GOOD[:2]]
    assert rows[0][HEADER.index("有效期至")] == "2025-01-09"
    assert rows[1][HEADER.index("纠正期限")] == "2020-07-30"

    run(write_csv(tmp_path / "r.csv", rows), "--today", "2020-07-01")

    in_force = NormativeDocument.objects.get(title="安康市临时救助实施细则")
    assert in_force.valid_until == datetime.date(2025, 1, 9)
    correction = NormativeDocument.objects.get(title="安康市养老机构综合监管办法").corrections
    assert correction.get().deadline == datetime.date(2020, 7, 30)


def test_what_happened_after_today_is_still_refused(bureau, tmp_path):
    rows = [list(row) for row in GOOD[:1]]
    message = refused(
        "import_register", str(write_csv(tmp_path / "r.csv", rows)), "--today", "2020-01-08"
    )
    assert "未导入任何数据" in message


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("missing.csv", None, "找不到文件"),
        ("empty.csv", b"", "是空文件"),
        ("blank.csv", b"\n\n,,\n", "是空文件"),
        ("binary.csv", bytes(range(256)) * 8, "不是 UTF-8 编码"),
        ("binary.xlsx", bytes(range(256)) * 8, "无法读取 Excel 文件"),
        ("register.xls", b"whatever", "只能导入 .csv 或 .xlsx"),
        ("only-header.csv", ",".join(HEADER).encode(), "只有列名"),
    ],
)
def test_import_register_refuses_a_file_that_is_no_register_in_one_line(
    bureau, tmp_path, name, content, reason
):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    assert reason in refused("import_register", str(path))
    assert not NormativeDocument.objects.exists()


def test_import_register_refuses_a_directory_and_a_today_that_is_no_date(bureau, tmp_path):
    assert "找不到文件" in refused("import_register", str(tmp_path))
    path = write_csv(tmp_path / "r.csv", GOOD[:1])
    assert "--today" in refused("import_register", str(path), "--today", "garbage")
