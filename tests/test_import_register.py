"""manage.py import_register: a bureau's register of past documents, all or nothing."""

import csv
import datetime
from io import StringIO
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from review import actions, audit
from review.importer import COLUMNS, parse_document_number, parse_registration_number
from review.models import (
    AuditEvent,
    Correction,
    Filing,
    FilingReview,
    JurisdictionSettings,
    NormativeDocument,
    NumberSequence,
    Registration,
)
from review.reports import audit_report
from review.states import State

DOCS = Path(__file__).resolve().parent.parent / "docs"
SAMPLE_CSV = DOCS / "samples" / "register-sample.csv"
SAMPLE_XLSX = DOCS / "samples" / "register-sample.xlsx"

HEADER = [
    "制定机关",
    "标题",
    "发文字号",
    "登记号",
    "成文日期",
    "公布日期",
    "报送备案日期",
    "备案材料齐全",
    "审查日期",
    "审查结论",
    "需要纠正",
    "纠正期限",
    "纠正完成日期",
    "有效期至",
    "状态",
]

# Four documents of 2020, one in each of four states.
GOOD = [
    [
        "akmz",
        "安康市临时救助实施细则",
        "安民发〔2020〕3号",
        "安规〔2020〕001",
        "2020-01-06",
        "2020-01-10",
        "2020-02-03",
        "是",
        "2020-02-20",
        "予以备案登记",
        "否",
        "",
        "",
        "2025-01-09",
        "现行有效",
    ],
    [
        "安康市民政局",
        "安康市养老机构综合监管办法",
        "安民发〔2020〕12号",
        "安规〔2020〕004",
        "2020-04-07",
        "2020-04-10",
        "2020-06-15",
        "否",
        "2020-06-30",
        "不予备案登记",
        "是",
        "2020-07-30",
        "",
        "",
        "",
    ],
    [
        "akmz",
        "安康市地名档案管理办法",
        "安民发〔2020〕17号",
        "安规〔2020〕005",
        "2020-05-11",
        "2020-05-15",
        "2020-06-01",
        "是",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ],
    [
        "akmz",
        "安康市殡葬管理实施细则",
        "安民发〔2019〕21号",
        "",
        "2019-05-20",
        "2019-05-24",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "已废止",
    ],
]


def write_csv(path, rows, header=HEADER, bom=False):
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path, rows, header=HEADER):
    """Dates as real Excel date cells, as a register kept in Excel has them."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "台账"
    sheet.append(header)
    for row in rows:
        cells = []
        for value in row:
            try:
                cells.append(datetime.date.fromisoformat(value))
            except ValueError:
                cells.append(value)
        sheet.append(cells)
    workbook.save(path)
    return path


def run(path, *args):
    out, err = StringIO(), StringIO()
    call_command("import_register", str(path), *args, stdout=out, stderr=err)
    return out.getvalue()


def refused(path, *args):
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import_register", str(path), *args, stdout=out, stderr=err)
    return str(raised.value), err.getvalue(), out.getvalue()


def doc(number):
    return NormativeDocument.objects.get(registration__number=number)


def sequence_last(kind, prefix, year):
    return NumberSequence.objects.get(kind=kind, prefix=prefix, year=year).last


def assert_good_register_imported():
    assert NormativeDocument.objects.filter(imported=True).count() == 4

    filed = doc("安民发〔2020〕3号")
    assert filed.state == State.FILED
    assert filed.classification == "normative"
    assert filed.registration.reg_number == "安规〔2020〕001"
    assert (
        filed.registration.number_prefix,
        filed.registration.number_year,
        filed.registration.number_serial,
    ) == ("安民发", 2020, 3)
    assert filed.registration.signed_on == datetime.date(2020, 1, 6)
    assert filed.publication.published_on == datetime.date(2020, 1, 10)
    assert filed.valid_until == datetime.date(2025, 1, 9)
    filing = filed.latest_filing
    assert filing.filed_on == datetime.date(2020, 2, 3)
    # 2020-01-10 + 30 days = 2020-02-09, a Sunday (and inside the extended Spring Festival) → Monday 10th
    assert filing.due_on == datetime.date(2020, 2, 10)
    assert filing.on_time and filing.materials_complete
    # an old 予以备案登记: registered and reviewed without problem, on the review date
    assert filing.review.outcome == FilingReview.Outcome.REGISTERED
    assert filing.review.conclusion == FilingReview.Conclusion.NO_PROBLEM
    assert filing.review.decided_on == filing.review.concluded_on == datetime.date(2020, 2, 20)
    assert filed.current_version.sha256 and "历史台账导入" in filed.current_version.text

    open_correction = doc("安民发〔2020〕12号")
    assert open_correction.state == State.CORRECTION
    late = open_correction.latest_filing
    assert late.due_on == datetime.date(2020, 5, 11)  # 5-10 is a Sunday
    assert late.days_late == 35
    assert not late.materials_complete
    # an old 不予备案登记 with a correction: a 审查意见 on a registered document
    assert late.review.outcome == FilingReview.Outcome.REGISTERED
    assert late.review.conclusion == FilingReview.Conclusion.OPINION
    correction = open_correction.open_correction
    assert correction.deadline == datetime.date(2020, 7, 30) and correction.closed_on is None

    in_review = doc("安民发〔2020〕17号")
    assert in_review.state == State.FILING_REVIEW
    assert in_review.latest_filing.review.outcome == ""

    repealed = doc("安民发〔2019〕21号")
    assert repealed.state == State.REPEALED
    assert not repealed.filings.exists()
    # No 登记号 in the register: allocated from the jurisdiction's prefix and the year of the 文号.
    assert repealed.registration.reg_number == "安规〔2019〕001"

    events = AuditEvent.objects.filter(action="import")
    assert events.count() == 4
    for document in NormativeDocument.objects.all():
        event = document.audit_events.get()
        assert event.action == "import"
        assert event.from_state == "" and event.to_state == document.state
        assert event.note.startswith("历史台账导入：") and "行" in event.note
        assert event.data["number"] == document.registration.number
        assert (
            document.register_sort_date == document.registration.signed_on
        )  # the register's order
    assert audit.verify() == 4


# --- the happy paths ----------------------------------------------------------


def test_a_good_csv_imports_every_document_with_its_state_numbers_dates_and_one_audit_event(
    bureau, tmp_path
):
    output = run(write_csv(tmp_path / "台账.csv", GOOD))

    assert_good_register_imported()
    event = doc("安民发〔2020〕12号").audit_events.get()
    assert event.note == "历史台账导入：台账.csv 第3行"
    assert event.actor is None and event.actor_name == "系统"
    assert event.data["days_late"] == 35
    assert (event.data["review_outcome"], event.data["review_conclusion"]) == (
        "registered",
        "opinion",
    )
    assert "第2行 安民发〔2020〕3号（安规〔2020〕001）《安康市临时救助实施细则》→ 已备案" in output
    assert "逾期报送 35 日" in output
    assert "已导入 4 件" in output


def test_an_xlsx_with_excel_date_cells_imports_the_same_as_the_csv(bureau, tmp_path):
    run(write_xlsx(tmp_path / "台账.xlsx", GOOD))

    assert_good_register_imported()


def test_the_actor_given_with_by_is_recorded_on_every_import_event(bureau, registrar, tmp_path):
    run(write_csv(tmp_path / "r.csv", GOOD), "--by", "registrar")

    assert set(AuditEvent.objects.values_list("actor__username", flat=True)) == {"registrar"}


def test_an_unknown_user_given_with_by_is_refused_before_anything_is_read(bureau, tmp_path):
    message, _err, _out = refused(write_csv(tmp_path / "r.csv", GOOD), "--by", "nobody")

    assert "nobody" in message
    assert not NormativeDocument.objects.exists()


def test_a_csv_that_excel_saved_with_a_byte_order_mark_imports(bureau, tmp_path):
    path = write_csv(tmp_path / "bom.csv", GOOD, bom=True)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")

    run(path)

    assert_good_register_imported()


def test_english_column_headers_are_accepted(bureau, tmp_path):
    english = [
        "organisation",
        "title",
        "document_number",
        "registration_number",
        "Date of issue",
        "publication_date",
        "filing_date",
        "materials_complete",
        "review_date",
        "review_outcome",
        "correction_required",
        "correction_deadline",
        "correction_closed_on",
        "valid_until",
        "status",
    ]
    run(write_csv(tmp_path / "en.csv", GOOD, header=english))

    assert_good_register_imported()


def test_the_sample_register_in_docs_imports_cleanly_into_the_city_bureau(bureau):
    output = run(SAMPLE_CSV)

    states = dict(NormativeDocument.objects.values_list("registration__number", "state"))
    assert states == {
        "安民发〔2019〕8号": State.EXPIRED,
        "安民发〔2019〕21号": State.REPEALED,
        "安民发〔2019〕35号": State.FILED,
        "安民发〔2020〕5号": State.SUPPLEMENT,
        "安民发〔2020〕18号": State.CORRECTION,
        "安民发〔2020〕26号": State.FILED,
        "安民发〔2020〕39号": State.FILING_REVIEW,
        "安民发〔2020〕44号": State.FILING,
    }
    late = doc("安民发〔2019〕35号").latest_filing
    assert late.due_on == datetime.date(2019, 10, 8)  # 10-02 falls in the National Day holiday
    assert late.days_late == 21
    assert doc("安民发〔2020〕5号").latest_filing.missing_materials == [
        "drafting_note",
        "legality_opinion",
    ]
    closed = Correction.objects.get(document__registration__number="安民发〔2020〕26号")
    assert closed.closed_on == datetime.date(2020, 10, 20) and closed.closed_on_time
    assert doc("安民发〔2020〕44号").registration.reg_number == "安规〔2020〕011"
    assert audit.verify() == 8
    assert "提示" not in output  # nothing in the sample needs a second look


def test_the_xlsx_sample_holds_the_same_register_as_the_csv_sample(bureau):
    with SAMPLE_CSV.open(encoding="utf-8-sig", newline="") as handle:
        from_csv = [[cell for cell in row] for row in csv.reader(handle)]
    sheet = openpyxl.load_workbook(SAMPLE_XLSX, read_only=True).worksheets[0]
    from_xlsx = [
        [
            value.date().isoformat()
            if isinstance(value, datetime.datetime)
            else ("" if value is None else str(value))
            for value in row
        ]
        for row in sheet.iter_rows(values_only=True)
    ]
    assert from_xlsx == from_csv

    run(SAMPLE_XLSX)
    assert NormativeDocument.objects.count() == 8


# --- all or nothing -----------------------------------------------------------


def test_a_register_with_two_bad_rows_writes_nothing_and_names_both_rows_and_reasons(
    bureau, tmp_path
):
    rows = [list(row) for row in GOOD]
    rows[1][0] = "安康市民生局"  # row 3: no such organisation
    rows[3][5] = "2019-05-10"  # row 5: published before it was signed (2019-05-20)
    documents_before = NormativeDocument.objects.count()

    message, errors, output = refused(write_csv(tmp_path / "bad.csv", rows))

    assert "2 处错误" in message and "未导入任何数据" in message
    assert "第3行：制定机关“安康市民生局”不存在" in errors
    assert "第5行：公布日期 2019-05-10 早于成文日期 2019-05-20" in errors
    assert "第2行" not in errors and "第4行" not in errors
    assert output == ""
    assert NormativeDocument.objects.count() == documents_before
    assert not Registration.objects.exists()
    assert not NumberSequence.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("发文字号", "安民发[2020]3号", "年份应使用六角括号〔〕"),
        ("发文字号", "安民发〔2020〕第3号", "不应加“第”字"),
        ("发文字号", "安民发〔2020〕03号", "不应编虚位"),
        ("发文字号", "安政发〔2020〕3号", "机关代字“安政发”与安康市民政局的机关代字“安民发”不符"),
        ("登记号", "安规〔2020〕1", "序号应为三位数字"),
        ("成文日期", "2020-02-30", "成文日期“2020-02-30”不是有效日期"),
        ("成文日期", "", "成文日期未填写"),
        ("公布日期", "2030-01-10", "晚于今天"),
        ("报送备案日期", "2020-01-08", "报送备案日期 2020-01-08 早于公布日期 2020-01-10"),
        ("备案材料齐全", "齐", "备案材料齐全“齐”应填“是”或“否”"),
        ("审查结论", "同意备案", "审查结论“同意备案”无法识别"),
        ("纠正完成日期", "2020-03-01", "未要求纠正，却填写了纠正完成日期"),
        ("状态", "作废", "状态“作废”无法识别"),
    ],
)
def test_each_kind_of_bad_cell_is_reported_with_its_row_and_reason(
    bureau, tmp_path, column, value, reason
):
    rows = [list(row) for row in GOOD]
    rows[0][HEADER.index(column)] = value

    _message, errors, _output = refused(
        write_csv(tmp_path / "bad.csv", rows), "--today", "2026-11-27"
    )

    assert errors.startswith("第2行：")
    assert reason in errors
    assert not NormativeDocument.objects.exists()


def test_an_old_refusal_without_a_correction_is_a_refused_registration(bureau, tmp_path):
    """备案条例 art. 7: 不予备案登记 without a 审查意见 to correct is out of scope: the
    filing ends, the document stays published and keeps its 登记号."""
    rows = [list(row) for row in GOOD]
    rows[1][HEADER.index("需要纠正")] = "否"
    rows[1][HEADER.index("纠正期限")] = ""

    run(write_csv(tmp_path / "r.csv", rows))

    document = doc("安民发〔2020〕12号")
    assert document.state == State.NOT_REGISTERED
    review = document.latest_filing.review
    assert (review.outcome, review.conclusion) == (FilingReview.Outcome.REFUSED, "")
    assert review.refusal_reason and document.registration.reg_number == "安规〔2020〕004"
    assert not document.corrections.exists()


def test_a_register_missing_a_required_column_is_refused_at_row_one(bureau, tmp_path):
    header = [name for name in HEADER if name != "发文字号"]
    rows = [
        [cell for name, cell in zip(HEADER, row, strict=True) if name != "发文字号"] for row in GOOD
    ]

    _message, errors, _output = refused(write_csv(tmp_path / "bad.csv", rows, header=header))

    assert "第1行：缺少必需的列：发文字号" in errors


def test_a_file_that_is_not_utf8_is_refused_with_how_to_save_it(bureau, tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes(",".join(HEADER).encode("gbk") + b"\n")

    message, _errors, _output = refused(path)

    assert "UTF-8" in message


# --- numbers ------------------------------------------------------------------


def test_a_number_used_twice_within_the_file_is_refused(bureau, tmp_path):
    rows = [list(row) for row in GOOD]
    rows[2][HEADER.index("发文字号")] = "安民发〔2020〕3号"
    rows[3][HEADER.index("登记号")] = "安规〔2020〕001"

    _message, errors, _output = refused(write_csv(tmp_path / "dup.csv", rows))

    assert "第4行：发文字号 安民发〔2020〕3号 与第2行重复" in errors
    assert "第5行：登记号 安规〔2020〕001 与第2行重复" in errors
    assert not NormativeDocument.objects.exists()


def test_a_number_already_registered_in_the_system_is_refused(bureau, tmp_path):
    run(write_csv(tmp_path / "first.csv", GOOD[:1]))
    again = [
        [
            "akmz",
            "另一份文件",
            "安民发〔2020〕3号",
            "安规〔2020〕009",
            "2020-01-06",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ]
    ]
    other_reg = [
        [
            "akmz",
            "又一份文件",
            "安民发〔2020〕30号",
            "安规〔2020〕001",
            "2020-01-06",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ]
    ]

    _message, errors, _output = refused(write_csv(tmp_path / "again.csv", again + other_reg))

    assert (
        "第2行：发文字号 安民发〔2020〕3号 已存在于系统中（《安康市临时救助实施细则》）" in errors
    )
    assert "第3行：登记号 安规〔2020〕001 已存在于系统中" in errors
    assert NormativeDocument.objects.count() == 1
    assert sequence_last(NumberSequence.Kind.DOCUMENT_NUMBER, "安民发", 2020) == 3


def test_importing_the_same_register_twice_changes_nothing_the_second_time(bureau, tmp_path):
    path = write_csv(tmp_path / "r.csv", GOOD)
    run(path)

    _message, errors, _output = refused(path)

    assert errors.count("已存在于系统中") >= 4
    assert NormativeDocument.objects.count() == 4
    assert audit.verify() == 4


def test_sequences_are_advanced_to_the_highest_imported_serial_and_never_lowered(bureau, tmp_path):
    NumberSequence.objects.create(
        kind=NumberSequence.Kind.DOCUMENT_NUMBER, prefix="安民发", year=2019, last=40
    )

    run(write_csv(tmp_path / "r.csv", GOOD))

    assert sequence_last(NumberSequence.Kind.DOCUMENT_NUMBER, "安民发", 2020) == 17
    assert sequence_last(NumberSequence.Kind.REGISTRATION_NUMBER, "安规", 2020) == 5
    assert sequence_last(NumberSequence.Kind.DOCUMENT_NUMBER, "安民发", 2019) == 40
    assert (
        sequence_last(NumberSequence.Kind.REGISTRATION_NUMBER, "安规", 2019) == 1
    )  # the allocated one


def test_a_missing_registration_number_is_allocated_after_those_the_file_gives(bureau, tmp_path):
    rows = [list(row) for row in GOOD]
    rows[3][HEADER.index("发文字号")] = (
        "安民发〔2020〕20号"  # the repealed one, now a 2020 document
    )

    output = run(write_csv(tmp_path / "r.csv", rows))

    # 安规〔2020〕005 is the highest in the file, even though its row comes earlier.
    assert doc("安民发〔2020〕20号").registration.reg_number == "安规〔2020〕006"
    assert "登记号为导入时补编" in output
    assert doc("安民发〔2020〕20号").audit_events.get().data["reg_number_allocated"] is True


def test_the_registration_prefix_for_an_allocated_number_is_the_jurisdictions(bureau, tmp_path):
    JurisdictionSettings.objects.create(organisation=bureau, registration_prefix="安市规")

    run(write_csv(tmp_path / "r.csv", GOOD))

    assert doc("安民发〔2019〕21号").registration.reg_number == "安市规〔2019〕001"


def test_a_document_registered_after_the_import_gets_the_next_serial_never_an_imported_one(
    bureau, walk, tmp_path
):
    run(write_csv(tmp_path / "r.csv", GOOD))

    document = walk.to(State.PUBLICATION)

    registration = document.registration
    assert registration.number == "安民发〔2020〕18号"
    assert registration.reg_number == "安规〔2020〕006"
    assert Registration.objects.filter(number_year=2020, number_prefix="安民发").count() == 4


# --- dry run ------------------------------------------------------------------


def test_a_dry_run_reports_every_row_and_writes_nothing(bureau, tmp_path):
    output = run(write_csv(tmp_path / "r.csv", GOOD), "--dry-run")

    assert "试运行" in output and "未写入任何数据" in output
    assert output.count("第") >= 4 and "安民发〔2020〕17号" in output
    assert "安规〔2019〕001" in output  # the number a real run would allocate
    assert not NormativeDocument.objects.exists()
    assert not Registration.objects.exists() and not Filing.objects.exists()
    assert not NumberSequence.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_dry_run_of_a_bad_register_reports_the_errors_and_fails(bureau, tmp_path):
    rows = [list(row) for row in GOOD]
    rows[0][HEADER.index("审查结论")] = "通过"

    _message, errors, _output = refused(write_csv(tmp_path / "r.csv", rows), "--dry-run")

    assert "第2行：审查结论“通过”无法识别" in errors


# --- states -------------------------------------------------------------------


def test_a_deferred_filing_is_imported_as_waiting_to_be_filed_again(bureau, tmp_path):
    rows = [
        [
            "akmz",
            "安康市临时救助实施细则",
            "安民发〔2020〕3号",
            "",
            "2020-01-06",
            "2020-01-10",
            "2020-02-03",
            "否",
            "2020-02-20",
            "暂缓办理备案登记",
            "",
            "",
            "",
            "",
            "",
        ]
    ]

    run(write_csv(tmp_path / "r.csv", rows))

    document = doc("安民发〔2020〕3号")
    assert document.state == State.SUPPLEMENT
    assert document.latest_filing.review.outcome == FilingReview.Outcome.DEFERRED
    # The register says incomplete without saying what: the report and text were filed, the rest is unknown.
    assert document.latest_filing.missing_materials == [
        "drafting_note",
        "legal_basis",
        "legality_opinion",
    ]


def test_an_imported_document_with_an_open_correction_continues_along_the_normal_path(
    bureau, filing_clerk, filing_reviewer, tmp_path
):
    run(write_csv(tmp_path / "r.csv", GOOD))
    document = doc("安民发〔2020〕12号")

    actions.report_correction(
        document,
        by=filing_clerk,
        handling_report="已删除第九条。",
        text="删除第九条后的全文。",
        on=datetime.date(2020, 7, 20),
    )
    actions.accept_correction(document, by=filing_reviewer, on=datetime.date(2020, 7, 25))

    document.refresh_from_db()
    assert document.state == State.FILED
    assert list(document.audit_events.values_list("action", flat=True)) == [
        "import",
        "report_correction",
        "accept_correction",
    ]


def test_an_unpublished_document_is_imported_as_waiting_for_publication(bureau, tmp_path):
    rows = [
        [
            "akmz",
            "安康市临时救助实施细则",
            "安民发〔2020〕3号",
            "",
            "2020-01-06",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ]
    ]

    run(write_csv(tmp_path / "r.csv", rows))

    assert doc("安民发〔2020〕3号").state == State.PUBLICATION


# --- formats (unit) -----------------------------------------------------------


def test_number_parsers_take_apart_well_formed_numbers_only():
    assert parse_document_number("安民发〔2020〕5号") == ("安民发", 2020, 5)
    assert parse_registration_number("安规〔2020〕001") == ("安规", 2020, 1)
    for bad in ("安民发〔2020〕5", "安民发〔20〕5号", "安民发2020年5号", "〔2020〕5号"):
        with pytest.raises(ValueError):
            parse_document_number(bad)
    for bad in ("安规〔2020〕0001", "安规〔2020〕000", "安规〔2020〕001号"):
        with pytest.raises(ValueError):
            parse_registration_number(bad)


def test_every_column_is_documented_in_docs_import_md():
    text = (DOCS / "import.md").read_text(encoding="utf-8")
    for column in COLUMNS:
        assert f"`{column.header}`" in text, column.header
        for alias in column.aliases:
            assert f"`{alias}`" in text, alias


# --- the registration decision and the review conclusion (备案条例 art. 7, 10) ------


def with_columns(rows, **cells):
    """GOOD's header and rows with the new columns 登记结论 and 审查意见结论 added."""
    header = [*HEADER, "登记结论", "审查意见结论"]
    return header, [[*row, *cells.get(row[2], ("", ""))] for row in rows]


def test_the_new_columns_say_each_decision_in_its_own_words(bureau, tmp_path):
    header, rows = with_columns(
        GOOD,
        **{
            # registered, its review not concluded yet
            "安民发〔2020〕3号": ("予以备案登记", ""),
            "安民发〔2020〕12号": ("予以备案登记", "提出审查意见"),
        },
    )
    rows[0][HEADER.index("审查结论")] = ""
    run(write_csv(tmp_path / "r.csv", rows, header=header))

    under_review = doc("安民发〔2020〕3号")
    assert under_review.state == State.UNDER_REVIEW
    assert under_review.latest_filing.review.outcome == FilingReview.Outcome.REGISTERED
    assert under_review.latest_filing.review.conclusion == ""
    corrected = doc("安民发〔2020〕12号")
    assert corrected.state == State.CORRECTION
    assert corrected.latest_filing.review.conclusion == FilingReview.Conclusion.OPINION


def test_a_conclusion_without_registration_or_against_a_correction_is_refused(bureau, tmp_path):
    header, rows = with_columns(
        GOOD,
        **{
            "安民发〔2020〕3号": ("暂缓办理备案登记", "审查无问题"),
            "安民发〔2020〕12号": ("", "审查无问题"),
            "安民发〔2020〕17号": ("登记了", ""),
        },
    )
    _message, errors, _output = refused(write_csv(tmp_path / "bad.csv", rows, header=header))
    assert "第2行：只有予以备案登记的文件才有审查意见结论" in errors
    assert "第3行：审查意见结论为“审查无问题”的，不能同时要求纠正" in errors
    assert "第4行：登记结论“登记了”无法识别" in errors


def test_the_2020_figures_of_the_imported_sample_register_are_unchanged(bureau):
    """An old 予以备案登记 is registered *and* reviewed without problem, so 审查率
    does not drop; the figures are those the register gave before issue 12."""
    run(SAMPLE_CSV)
    report = audit_report.compute(organisation="akmz", year=2020, today=datetime.date(2021, 1, 10))
    akmz = report["organisations"][0]
    assert {k: akmz[k] for k in audit_report.BASE_COUNTS} == {
        "issued": 5,
        "due_for_filing": 4,
        "filed": 4,
        "filed_on_time": 4,
        "filed_complete": 3,
        "reviewed": 3,
        "found_wrong": 2,
        "corrected": 1,
        "corrected_on_time": 1,
    }
    assert akmz["rates"] == {
        "filing_rate": 1.0,
        "timely_rate": 1.0,
        "conformity_rate": 0.75,
        "review_rate": 0.75,
        "correction_rate": 0.5,
    }
    assert sorted((v["kind"], v["number"]) for v in report["violations"]) == [
        ("correction_open", "安民发〔2020〕18号"),
        ("correction_overdue", "安民发〔2020〕18号"),
        ("materials_incomplete", "安民发〔2020〕5号"),
        ("not_reviewed", "安民发〔2020〕39号"),
    ]
    # and the decisions apart: 5号 deferred, 18号 and 26号 registered with a 审查意见
    assert {k: akmz[k] for k in audit_report.DECISION_COUNTS} == {
        "registered": 2,
        "refused_registration": 0,
        "deferred": 1,
        "escalated": 0,
    }
    earlier = audit_report.compute(
        organisation="akmz", year=2019, today=datetime.date(2021, 1, 10)
    )["organisations"][0]
    assert (earlier["filed"], earlier["filed_on_time"], earlier["reviewed"]) == (3, 2, 3)
    assert earlier["rates"]["review_rate"] == 1.0
