"""Load a bureau's register (台账) of past documents, so their history can be
audited from day one (`manage.py import_register`, docs/import.md).

All or nothing: every row is checked first and every error is reported with its
spreadsheet row (the header is row 1); if there is any, nothing is written.
Otherwise the whole register is written in one transaction: per row a document
(imported, classified normative, its state derived from the register), a version,
its registration, publication, filing, filing review and correction as the
register records them, and one "import" audit event.

The importer records history as it was. It checks that the register is
consistent (numbers in the GB/T 9704 format, dates in order, no number used
twice) but does not re-apply today's gates to the past: a filing made late, or
registered with incomplete materials, is imported as such, so that the audit
shows it.
"""

import csv
import datetime
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from .. import audit, numbering, rules
from ..calendar import CalendarMissing, WorkingCalendar
from ..errors import Refused
from ..models import (
    FILING_MATERIALS,
    Classification,
    Correction,
    DocumentVersion,
    Filing,
    FilingReview,
    NormativeDocument,
    NumberSequence,
    Organisation,
    Publication,
    Registration,
    sha256_bytes,
)
from ..states import State
from ..text import clean_text

DOC = NumberSequence.Kind.DOCUMENT_NUMBER
REG = NumberSequence.Kind.REGISTRATION_NUMBER

VERSION_TEXT = "（历史台账导入，无正文）"
UNRECORDED = "（历史台账未载明）"


# --- columns --------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # the Chinese header docs/import.md documents
    aliases: tuple = ()  # other Chinese headers and the English ones
    required: bool = False  # the cell must be filled in every row


COLUMNS = [
    Column(
        "organisation",
        "制定机关",
        ("制定单位", "发文机关", "organisation", "organization", "org"),
        True,
    ),
    Column("title", "标题", ("文件名称", "文件标题", "名称", "title"), True),
    Column("number", "发文字号", ("文号", "document_number", "doc_number", "number"), True),
    Column("reg_number", "登记号", ("统一登记号", "registration_number", "reg_number")),
    Column("signed_on", "成文日期", ("发文日期", "date_of_issue", "issue_date", "signed_on"), True),
    Column("published_on", "公布日期", ("发布日期", "publication_date", "published_on")),
    Column("channel", "公布载体", ("publication_channel", "channel")),
    Column("filed_on", "报送备案日期", ("备案日期", "报备日期", "filing_date", "filed_on")),
    Column(
        "materials_complete", "备案材料齐全", ("材料齐全", "材料是否齐全", "materials_complete")
    ),
    Column("missing_materials", "缺少材料", ("missing_materials",)),
    Column("reviewed_on", "审查日期", ("备案审查日期", "review_date", "reviewed_on")),
    Column("outcome", "审查结论", ("备案审查结论", "审查结果", "review_outcome", "outcome")),
    Column("notes", "审查意见", ("review_notes", "findings")),
    Column("correction_required", "需要纠正", ("是否需要纠正", "是否纠错", "correction_required")),
    Column("correction_deadline", "纠正期限", ("correction_deadline",)),
    Column(
        "correction_closed_on",
        "纠正完成日期",
        ("纠正结案日期", "结案日期", "correction_closed_on", "correction_closed"),
    ),
    Column("valid_until", "有效期至", ("有效期", "valid_until")),
    Column("status", "状态", ("效力状态", "status")),
]
BY_KEY = {column.key: column for column in COLUMNS}


def _header_key(text):
    """Headers such as 备案材料齐全*, Date of issue, 发文字号（必填） → a comparable form."""
    text = str(text or "").strip().lower()
    text = re.sub(r"[（(]\s*(必填|选填|可选|required|optional)\s*[)）]", "", text)
    text = text.replace("*", "").replace("＊", "")
    text = re.sub(r"[\s\-]+", "_", text.strip())
    return text.strip("_")


HEADER_LOOKUP = {}
for _column in COLUMNS:
    for _name in (_column.header, *_column.aliases):
        HEADER_LOOKUP[_header_key(_name)] = _column.key


# --- values ---------------------------------------------------------------

YES = {"是", "y", "yes", "true", "1"}
NO = {"否", "n", "no", "false", "0"}

OUTCOMES = {
    "予以备案登记": FilingReview.Outcome.REGISTERED,
    "registered": FilingReview.Outcome.REGISTERED,
    "不予备案登记": FilingReview.Outcome.REFUSED,
    "refused": FilingReview.Outcome.REFUSED,
    "暂缓办理备案登记": FilingReview.Outcome.DEFERRED,
    "deferred": FilingReview.Outcome.DEFERRED,
}

IN_FORCE = "in_force"
STATUSES = {
    "现行有效": IN_FORCE,
    "in_force": IN_FORCE,
    "已废止": State.REPEALED,
    "repealed": State.REPEALED,
    "已失效": State.EXPIRED,
    "expired": State.EXPIRED,
}
STATUS_LABELS = {IN_FORCE: "现行有效", State.REPEALED: "已废止", State.EXPIRED: "已失效"}

MATERIAL_KEYS = {str(label): key for key, label in FILING_MATERIALS}
# A filing is a 备案报告 sent with the 正式文本: those two are on file whatever else was missing.
ALWAYS_FILED_MATERIALS = {"report", "official_text"}

DATE_FORMATS = [
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
]

# GB/T 9704-2012 7.2.4: 机关代字〔年份〕序号号 — hexagonal brackets, no 第, no leading zeros.
DOCUMENT_NUMBER = re.compile(r"^(?P<prefix>[^〔〕\s]+)〔(?P<year>\d{4})〕(?P<serial>\d+)号$")
# Shaanxi 三统一: 区域简称+规〔年份〕+ three-digit serial, no 号.
REGISTRATION_NUMBER = re.compile(r"^(?P<prefix>[^〔〕\s]+)〔(?P<year>\d{4})〕(?P<serial>\d+)$")
WRONG_BRACKETS = re.compile(r"[\[\]［］()（）【】{}｛｝〈〉<>]")


def _text(value):
    """A cell as text, without control characters (a line break in a cell stays)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_text(str(value)).strip()


def parse_date(value, label):
    """A date cell: an Excel date, or text such as 2020-03-05, 2020/3/5, 2020.3.5, 2020年3月5日."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    text = re.sub(r"[ T]00:00(:00)?$", "", text)
    for pattern in DATE_FORMATS:
        match = pattern.match(text)
        if match:
            try:
                return datetime.date(*(int(part) for part in match.groups()))
            except ValueError:
                break
    raise ValueError(f"{label}“{text}”不是有效日期（应写作 2020-03-05 或 2020年3月5日）")


def parse_yes_no(value, label):
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValueError(f"{label}“{_text(value)}”应填“是”或“否”")


def parse_document_number(text):
    """(机关代字, year, serial) of a 发文字号, or ValueError saying what is wrong."""
    example = "应为 机关代字〔年份〕序号号，如 安民发〔2020〕5号"
    if re.search(r"第\s*\d", text):
        raise ValueError(f"发文字号“{text}”不应加“第”字（GB/T 9704：{example}）")
    if "〔" not in text and WRONG_BRACKETS.search(text):
        raise ValueError(f"发文字号“{text}”的年份应使用六角括号〔〕（{example}）")
    match = DOCUMENT_NUMBER.match(text)
    if not match:
        raise ValueError(f"发文字号“{text}”格式不正确（{example}）")
    serial = match["serial"]
    if serial.startswith("0"):
        raise ValueError(f"发文字号“{text}”的序号不应编虚位（不加前导 0，如 5号 而非 05号）")
    return match["prefix"], int(match["year"]), int(serial)


def parse_registration_number(text):
    """(prefix, year, serial) of a 三统一登记号, or ValueError."""
    example = "应为 区域简称+规〔年份〕三位序号，如 安规〔2020〕001"
    if "〔" not in text and WRONG_BRACKETS.search(text):
        raise ValueError(f"登记号“{text}”的年份应使用六角括号〔〕（{example}）")
    match = REGISTRATION_NUMBER.match(text)
    if not match:
        raise ValueError(f"登记号“{text}”格式不正确（{example}）")
    prefix, year, serial = match["prefix"], int(match["year"]), int(match["serial"])
    if serial == 0 or numbering.format_registration_number(prefix, year, serial) != text:
        raise ValueError(f"登记号“{text}”的序号应为三位数字，从 001 起（{example}）")
    return prefix, year, serial


# --- what a row says --------------------------------------------------------


@dataclass
class RowError:
    row: int
    message: str

    def __str__(self):
        return f"第{self.row}行：{self.message}"


@dataclass
class Row:
    row: int
    organisation: Organisation = None
    title: str = ""
    number: str = ""
    number_parts: tuple = None  # (prefix, year, serial)
    reg_number: str = ""
    reg_parts: tuple = None
    reg_allocated: bool = False
    signed_on: datetime.date = None
    published_on: datetime.date = None
    channel: str = ""
    filed_on: datetime.date = None
    filing_due_on: datetime.date = None
    review_due_on: datetime.date = None
    materials_complete: bool = None
    missing_materials: list = field(default_factory=list)
    materials_unspecified: bool = False
    reviewed_on: datetime.date = None
    outcome: str = ""
    notes: str = ""
    correction_required: bool = False
    correction_deadline: datetime.date = None
    correction_closed_on: datetime.date = None
    valid_until: datetime.date = None
    status: str = IN_FORCE
    state: str = ""
    warnings: list = field(default_factory=list)

    @property
    def days_late(self):
        if self.filed_on is None or self.filing_due_on is None:
            return 0
        return max(0, (self.filed_on - self.filing_due_on).days)

    def materials(self):
        """{material: bool or None}. None: the register says the materials were incomplete
        without saying which; such an entry counts as missing, as False does."""
        if self.materials_complete:
            return {key: True for key, _label in FILING_MATERIALS}
        if self.missing_materials:
            return {key: key not in self.missing_materials for key, _label in FILING_MATERIALS}
        return {
            key: (True if key in ALWAYS_FILED_MATERIALS else None)
            for key, _label in FILING_MATERIALS
        }

    def summary(self):
        """What the audit event keeps of the row."""
        return {
            "row": self.row,
            "organisation": self.organisation.code,
            "title": self.title,
            "number": self.number,
            "reg_number": self.reg_number,
            "reg_number_allocated": self.reg_allocated,
            "signed_on": self.signed_on,
            "published_on": self.published_on,
            "filed_on": self.filed_on,
            "filing_due_on": self.filing_due_on,
            "days_late": self.days_late,
            "materials_complete": self.materials_complete,
            "missing_materials": self.missing_materials,
            "reviewed_on": self.reviewed_on,
            "review_outcome": self.outcome,
            "correction_required": self.correction_required,
            "correction_deadline": self.correction_deadline,
            "correction_closed_on": self.correction_closed_on,
            "valid_until": self.valid_until,
            "status": self.status,
        }


def derive_state(row):
    """The state the document is in today, from what the register records (docs/import.md)."""
    if row.status in (State.REPEALED, State.EXPIRED):
        return row.status
    if row.published_on is None:
        return State.PUBLICATION
    if row.filed_on is None:
        return State.FILING
    if not row.outcome:
        return State.FILING_REVIEW
    if row.outcome == FilingReview.Outcome.DEFERRED:
        return State.FILING  # 备案条例 art. 7: to be supplemented and filed again
    if row.correction_required and row.correction_closed_on is None:
        return State.CORRECTION
    return State.FILED


# --- reading the file -------------------------------------------------------


class RegisterUnreadable(Refused):
    """The file cannot be read as a register at all."""


class RegisterInvalid(Refused):
    """The register has errors; nothing was written."""

    def __init__(self, errors):
        self.errors = sorted(errors, key=lambda error: error.row)
        super().__init__(f"台账校验未通过：共 {len(self.errors)} 处错误，未导入任何数据")


def read_table(path):
    """[(spreadsheet row number, [cell values])], header first."""
    path = Path(path)
    if not path.is_file():
        raise RegisterUnreadable(f"找不到文件 {path}")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    raise RegisterUnreadable("只能导入 .csv 或 .xlsx 文件（.xls 请在 Excel 中另存为 .xlsx）")


def _read_csv(path):
    # utf-8-sig reads both: Excel's "CSV UTF-8" starts with a BOM, other tools write none.
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            try:
                return list(enumerate(reader, start=1))
            except csv.Error as exc:  # a cell over csv's field limit (131,072 characters)
                raise RegisterUnreadable(
                    f"{path.name} 第{reader.line_num}行无法读取：单元格过长或格式错误，"
                    f"不是有效的台账 ({exc})"
                ) from exc
    except UnicodeDecodeError as exc:
        raise RegisterUnreadable(
            "文件不是 UTF-8 编码：请在 Excel 中“另存为”选择“CSV UTF-8（逗号分隔）”，或直接导入 .xlsx 文件"
        ) from exc
    except OSError as exc:
        raise RegisterUnreadable(f"无法读取文件 {path.name}：{exc.strerror or exc}") from exc


def _read_xlsx(path):
    import zipfile

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as exc:
        raise RegisterUnreadable(f"无法读取 Excel 文件 {path.name}：{exc}") from exc
    try:
        sheet = workbook.worksheets[0]  # the register is the first sheet
        return [
            (number, list(values))
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        workbook.close()


def _blank(cells):
    return all(_text(cell) == "" for cell in cells)


# --- checking -----------------------------------------------------------------


@dataclass
class Plan:
    path: Path
    sha256: str
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    ignored_columns: list = field(default_factory=list)


def _map_header(cells, errors):
    """{column key: cell index}; unknown headers are ignored and listed."""
    found, ignored = {}, []
    for index, cell in enumerate(cells):
        text = _text(cell)
        if not text:
            continue
        key = HEADER_LOOKUP.get(_header_key(text))
        if key is None:
            ignored.append(text)
        elif key in found:
            first = _text(cells[found[key]])
            errors.append(RowError(1, f"列“{text}”与列“{first}”重复（都表示{BY_KEY[key].header}）"))
        else:
            found[key] = index
    missing = [column.header for column in COLUMNS if column.required and column.key not in found]
    if missing:
        errors.append(RowError(1, f"缺少必需的列：{'、'.join(missing)}（列名见 docs/import.md）"))
    return found, ignored


class _Context:
    """What checking every row needs once: organisations, settings, the calendar."""

    def __init__(self, today):
        self.today = today
        self.calendar = WorkingCalendar()
        self.by_code = {}
        self.by_name = {}
        for organisation in Organisation.objects.select_related("files_with"):
            self.by_code[organisation.code] = organisation
            self.by_name[organisation.name] = organisation
        self._settings = {}

    def organisation(self, text):
        return self.by_code.get(text) or self.by_name.get(text)

    def settings(self, organisation):
        if organisation.pk not in self._settings:
            self._settings[organisation.pk] = organisation.jurisdiction
        return self._settings[organisation.pk]


def _check_row(number, cells, columns, context):
    """A Row and the list of what is wrong with it."""
    row = Row(row=number)
    problems = []

    def cell(key):
        index = columns.get(key)
        return cells[index] if index is not None and index < len(cells) else None

    def text(key):
        return _text(cell(key))

    def date(key, *, term=False):
        """A date cell. What happened (成文, 公布, 报送, 审查, 纠正完成) cannot be after
        today; a term the record states (有效期至, 纠正期限) may well end after it: a
        document in force is valid until a later day (§6, §8)."""
        if text(key) == "":
            return None
        try:
            value = parse_date(cell(key), BY_KEY[key].header)
        except ValueError as exc:
            problems.append(str(exc))
            return None
        if value > context.today and not term:
            problems.append(f"{BY_KEY[key].header} {value} 晚于今天（{context.today}）")
        return value

    def yes_no(key):
        if text(key) == "":
            return None
        try:
            return parse_yes_no(cell(key), BY_KEY[key].header)
        except ValueError as exc:
            problems.append(str(exc))
            return None

    for column in COLUMNS:
        if column.required and text(column.key) == "":
            problems.append(f"{column.header}未填写")

    # Organisation and numbers
    name = text("organisation")
    if name:
        row.organisation = context.organisation(name)
        if row.organisation is None:
            problems.append(
                f"制定机关“{name}”不存在（请填写系统中的单位代码，如 akmz，或单位全称）"
            )
        elif not row.organisation.issuing_code:
            problems.append(f"{row.organisation}未设置机关代字，无法核对发文字号")

    row.title = clean_text(text("title"), multiline=False)
    if row.title.startswith("《") and row.title.endswith("》"):
        row.title = row.title[1:-1].strip()
    if len(row.title) > 200:
        problems.append("标题超过 200 字")

    row.number = text("number")
    if row.number:
        try:
            row.number_parts = parse_document_number(row.number)
        except ValueError as exc:
            problems.append(str(exc))
    if row.number_parts:
        prefix, year, _serial = row.number_parts
        if (
            row.organisation
            and row.organisation.issuing_code
            and prefix != row.organisation.issuing_code
        ):
            problems.append(
                f"发文字号“{row.number}”的机关代字“{prefix}”与{row.organisation}的机关代字“{row.organisation.issuing_code}”不符"
            )
        if not 1949 <= year <= context.today.year:
            problems.append(f"发文字号“{row.number}”的年份 {year} 不合理")

    row.reg_number = text("reg_number")
    if row.reg_number:
        try:
            row.reg_parts = parse_registration_number(row.reg_number)
        except ValueError as exc:
            problems.append(str(exc))
        if row.reg_parts and not 1949 <= row.reg_parts[1] <= context.today.year:
            problems.append(f"登记号“{row.reg_number}”的年份 {row.reg_parts[1]} 不合理")

    # Issue and publication (§6): not published → not valid, and filed only after publication.
    row.signed_on = date("signed_on")
    row.published_on = date("published_on")
    row.channel = clean_text(text("channel"), multiline=False)
    if row.signed_on and row.published_on and row.published_on < row.signed_on:
        problems.append(f"公布日期 {row.published_on} 早于成文日期 {row.signed_on}")

    # Filing (§7)
    row.filed_on = date("filed_on")
    row.materials_complete = yes_no("materials_complete")
    missing_text = text("missing_materials")
    if row.filed_on:
        if text("published_on") == "":
            problems.append("未填写公布日期，却填写了报送备案日期（未经公布的文件不得报送备案）")
        elif row.published_on and row.filed_on < row.published_on:
            problems.append(f"报送备案日期 {row.filed_on} 早于公布日期 {row.published_on}")
        if row.organisation and row.organisation.files_with_id is None:
            problems.append(f"{row.organisation}未设置备案审查机关，无法导入报送备案记录")
        if text("materials_complete") == "":
            problems.append("已报送备案的，须填写备案材料齐全（是/否）")
    else:
        if text("materials_complete"):
            problems.append("未填写报送备案日期，却填写了备案材料齐全")
    if missing_text:
        if row.materials_complete:
            problems.append("备案材料齐全为“是”，却填写了缺少材料")
        for name in filter(
            None, (part.strip() for part in re.split(r"[、，,；;/\s]+", missing_text))
        ):
            if name in MATERIAL_KEYS:
                row.missing_materials.append(MATERIAL_KEYS[name])
            else:
                labels = "、".join(MATERIAL_KEYS)
                problems.append(f"缺少材料“{name}”不是备案材料（应为 {labels} 中的一项或几项）")
    row.materials_unspecified = row.materials_complete is False and not row.missing_materials

    # Filing review (备案条例 art. 7)
    row.reviewed_on = date("reviewed_on")
    outcome_text = text("outcome")
    if outcome_text:
        row.outcome = OUTCOMES.get(outcome_text) or OUTCOMES.get(outcome_text.lower(), "")
        if not row.outcome:
            problems.append(
                f"审查结论“{outcome_text}”无法识别（应为 予以备案登记、不予备案登记 或 暂缓办理备案登记）"
            )
    has_review = bool(text("reviewed_on") or outcome_text)
    if has_review:
        if text("filed_on") == "":
            problems.append("未填写报送备案日期，却填写了备案审查的日期或结论")
        if outcome_text and text("reviewed_on") == "":
            problems.append("填写了审查结论，却未填写审查日期")
        if text("reviewed_on") and not outcome_text:
            problems.append("填写了审查日期，却未填写审查结论")
    if row.reviewed_on and row.filed_on and row.reviewed_on < row.filed_on:
        problems.append(f"审查日期 {row.reviewed_on} 早于报送备案日期 {row.filed_on}")
    row.notes = text("notes")

    # Correction (备案条例 art. 17)
    required = yes_no("correction_required")
    row.correction_required = bool(required)
    row.correction_deadline = date("correction_deadline", term=True)
    row.correction_closed_on = date("correction_closed_on")
    if row.correction_required:
        if not outcome_text:
            problems.append("需要纠正为“是”，却没有备案审查结论（纠正源于备案审查提出的审查建议）")
        elif row.outcome == FilingReview.Outcome.DEFERRED:
            problems.append("审查结论为“暂缓办理备案登记”的，不能同时要求纠正")
        if (
            row.reviewed_on
            and row.correction_deadline
            and row.correction_deadline < row.reviewed_on
        ):
            problems.append(f"纠正期限 {row.correction_deadline} 早于审查日期 {row.reviewed_on}")
        if (
            row.reviewed_on
            and row.correction_closed_on
            and row.correction_closed_on < row.reviewed_on
        ):
            problems.append(
                f"纠正完成日期 {row.correction_closed_on} 早于审查日期 {row.reviewed_on}"
            )
    else:
        if row.outcome == FilingReview.Outcome.REFUSED:
            problems.append(
                "审查结论为“不予备案登记”的，须填写需要纠正“是”及纠正情况（备案条例第十七条：审查建议、限期纠正）"
            )
        if text("correction_deadline"):
            problems.append("未要求纠正，却填写了纠正期限")
        if text("correction_closed_on"):
            problems.append("未要求纠正，却填写了纠正完成日期")

    # Validity (§8)
    row.valid_until = date("valid_until", term=True)
    started = row.published_on or row.signed_on
    if row.valid_until and started and row.valid_until < started:
        problems.append(
            f"有效期至 {row.valid_until} 早于{'公布' if row.published_on else '成文'}日期 {started}"
        )
    status_text = text("status")
    if status_text:
        row.status = STATUSES.get(status_text) or STATUSES.get(status_text.lower(), "")
        if not row.status:
            problems.append(f"状态“{status_text}”无法识别（应为 现行有效、已废止 或 已失效）")
        elif row.status != IN_FORCE and text("published_on") == "":
            problems.append(f"未公布的文件，状态不能为“{status_text}”")
    if row.status == IN_FORCE and row.valid_until and row.valid_until < context.today:
        row.warnings.append(
            f"有效期至 {row.valid_until} 已届满，台账状态仍为现行有效，请按有效期届满程序处理"
        )

    # Deadlines the system keeps, from review.rules as the actions have them. A row
    # whose deadline falls in a year without calendar data is refused (it could not
    # be stored without it), with the year to enter.
    if not problems and row.organisation:
        settings = context.settings(row.organisation)
        try:
            if row.filed_on:
                row.filing_due_on = rules.filing_due(settings, row.published_on, context.calendar)
                row.review_due_on = rules.filing_review_due(
                    settings, row.filed_on, context.calendar
                )
            if row.correction_required and row.correction_deadline is None:
                row.correction_deadline = rules.correction_due(
                    settings, row.reviewed_on, context.calendar
                )
        except CalendarMissing as exc:
            problems.append(f"无法计算期限：{exc}")

    if not problems:
        row.state = derive_state(row)
    return row, problems


def check(path, *, today=None):
    """Read and check the register; a Plan with its rows and every error found."""
    path = Path(path)
    table = read_table(path)
    plan = Plan(path=path, sha256=hashlib.sha256(path.read_bytes()).hexdigest())
    while table and _blank(table[0][1]):
        table.pop(0)
    if not table:
        raise RegisterUnreadable(f"{path.name} 是空文件：第 1 行应为列名")
    header_row, header = table[0]
    if header_row != 1:
        plan.errors.append(RowError(header_row, "列名应在第 1 行"))
    columns, plan.ignored_columns = _map_header(header, plan.errors)
    if plan.errors:
        return plan
    data = [(number, cells) for number, cells in table[1:] if not _blank(cells)]
    if not data:
        raise RegisterUnreadable(f"{path.name} 只有列名，没有数据行")
    context = _Context(today or timezone.localdate())
    numbers, reg_numbers = {}, {}
    for number, cells in data:
        row, problems = _check_row(number, cells, columns, context)
        if row.number_parts:
            if row.number in numbers:
                problems.append(f"发文字号 {row.number} 与第{numbers[row.number]}行重复")
            numbers.setdefault(row.number, number)
        if row.reg_parts:
            if row.reg_number in reg_numbers:
                problems.append(f"登记号 {row.reg_number} 与第{reg_numbers[row.reg_number]}行重复")
            reg_numbers.setdefault(row.reg_number, number)
        plan.errors.extend(RowError(number, problem) for problem in problems)
        plan.rows.append(row)
    return plan


def _check_database(plan):
    """Numbers already taken. Run after the sequences are locked, so that a registration
    committed meanwhile is seen (or waits for the import)."""
    errors = []
    numbers = {row.number: row for row in plan.rows if row.number_parts}
    for number, title in Registration.objects.filter(number__in=numbers).values_list(
        "number", "document__title"
    ):
        errors.append(
            RowError(numbers[number].row, f"发文字号 {number} 已存在于系统中（《{title}》）")
        )
    regs = {row.reg_number: row for row in plan.rows if row.reg_parts}
    for number, title in Registration.objects.filter(reg_number__in=regs).values_list(
        "reg_number", "document__title"
    ):
        errors.append(RowError(regs[number].row, f"登记号 {number} 已存在于系统中（《{title}》）"))
    return errors


# --- writing ------------------------------------------------------------------


def _sequence_keys(plan):
    """{(kind, prefix, year): the highest serial the register uses}."""
    highest = {}
    for row in plan.rows:
        for kind, parts in ((DOC, row.number_parts), (REG, row.reg_parts)):
            if parts:
                prefix, year, serial = parts
                highest[(kind, prefix, year)] = max(highest.get((kind, prefix, year), 0), serial)
    return highest


def _lock_sequences(keys):
    """Lock (creating them when missing) the sequences the register touches, in a fixed order."""
    locked = {}
    for kind, prefix, year in sorted(keys):
        NumberSequence.objects.bulk_create(
            [NumberSequence(kind=kind, prefix=prefix, year=year, last=0)], ignore_conflicts=True
        )
        locked[(kind, prefix, year)] = NumberSequence.objects.select_for_update().get(
            kind=kind, prefix=prefix, year=year
        )
    return locked


def _advance(locked, highest):
    """New numbers continue after the highest imported one: last = max(last, imported)."""
    for key, sequence in locked.items():
        if sequence.last < highest[key]:
            NumberSequence.objects.filter(pk=sequence.pk).update(last=highest[key])


def _aware(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def _write_row(row, plan, by, settings):
    organisation = row.organisation
    document = NormativeDocument(
        title=row.title,
        organisation=organisation,
        classification=Classification.NORMATIVE,
        classification_note="历史台账导入",
        state=row.state,  # a protected FSM field: set once, at construction
        valid_until=row.valid_until,
        end_note=f"历史台账记载：{STATUS_LABELS[row.status]}" if row.status != IN_FORCE else "",
        imported=True,
        register_sort_date=row.signed_on,
    )
    document.save()
    text = f"《{row.title}》\n{VERSION_TEXT}"
    version = DocumentVersion.objects.create(
        document=document,
        number=1,
        text=text,
        sha256=sha256_bytes(text.encode("utf-8")),
        note="历史台账导入",
        created_by=by,
    )
    prefix, year, serial = row.number_parts
    if row.reg_parts is None:
        # No 登记号 in the register: one is allocated after every number already used.
        reg_prefix = settings.registration_prefix
        reg_serial = numbering.next_serial(REG, reg_prefix, year)
        row.reg_parts = (reg_prefix, year, reg_serial)
        row.reg_number = numbering.format_registration_number(reg_prefix, year, reg_serial)
        row.reg_allocated = True
    reg_prefix, reg_year, reg_serial = row.reg_parts
    Registration.objects.create(
        document=document,
        version=version,
        number_prefix=prefix,
        number_year=year,
        number_serial=serial,
        number=row.number,
        reg_prefix=reg_prefix,
        reg_year=reg_year,
        reg_serial=reg_serial,
        reg_number=row.reg_number,
        signed_on=row.signed_on,
        registered_at=_aware(row.signed_on),
        registered_by=None,
    )
    if row.published_on:
        Publication.objects.create(
            document=document, published_on=row.published_on, channel=row.channel or UNRECORDED
        )
    if row.filed_on:
        filing = Filing.objects.create(
            document=document,
            authority=organisation.files_with,
            filed_on=row.filed_on,
            due_on=row.filing_due_on,
            materials=row.materials(),
            report="（历史台账导入，备案报告未载明）",
        )
        review = FilingReview.objects.create(
            filing=filing,
            received_on=row.filed_on,
            due_on=row.review_due_on,
            formal_ok=None
            if not row.outcome
            else (row.outcome != FilingReview.Outcome.DEFERRED and row.materials_complete),
            outcome=row.outcome,
            findings=row.notes,
            decided_on=row.reviewed_on,
            to_supply=(row.notes or UNRECORDED)
            if row.outcome == FilingReview.Outcome.DEFERRED
            else "",
        )
        if row.correction_required:
            Correction.objects.create(
                document=document,
                filing_review=review,
                suggestion=row.notes or UNRECORDED,
                issued_on=row.reviewed_on,
                deadline=row.correction_deadline,
                handling_report="（历史台账导入）" if row.correction_closed_on else "",
                # The register gives one date for the correction's end: taken as both the
                # report of the handling and the closing.
                reported_on=row.correction_closed_on,
                closed_on=row.correction_closed_on,
            )
    audit.record(
        action="import",
        document=document,
        actor=by,
        from_state="",
        to_state=document.state,
        note=f"历史台账导入：{plan.path.name} 第{row.row}行",
        data={"source": plan.path.name, "source_sha256": plan.sha256, **row.summary()},
    )
    return document


@dataclass
class Imported:
    row: Row
    document: NormativeDocument

    def line(self):
        row = self.row
        parts = [
            f"第{row.row}行 {row.number}（{row.reg_number}）《{row.title}》→ {State(row.state).label}"
        ]
        if row.reg_allocated:
            parts.append("登记号为导入时补编")
        if row.days_late:
            parts.append(f"逾期报送 {row.days_late} 日（期限 {row.filing_due_on}）")
        if row.filed_on and not row.materials_complete:
            parts.append("备案材料不齐全")
        parts.extend(f"提示：{warning}" for warning in row.warnings)
        return "；".join(parts)


@dataclass
class Result:
    plan: Plan
    imported: list
    sequences: list
    dry_run: bool


def import_register(path, *, by=None, today=None, dry_run=False):
    """Check the register and, if it has no error, write it in one transaction.
    Raises RegisterUnreadable or RegisterInvalid (with every error) and writes nothing.
    A dry run writes everything and rolls back, so it reports the very numbers a real
    run would allocate."""
    plan = check(path, today=today)
    highest = _sequence_keys(plan)
    with transaction.atomic():
        locked = _lock_sequences(highest)
        errors = plan.errors + _check_database(plan)
        if errors:
            raise RegisterInvalid(errors)
        _advance(locked, highest)
        settings = {}
        imported = []
        for row in plan.rows:
            org = row.organisation
            if org.pk not in settings:
                settings[org.pk] = org.jurisdiction
            imported.append(Imported(row, _write_row(row, plan, by, settings[org.pk])))
        touched = set(highest) | {
            (REG, *item.row.reg_parts[:2]) for item in imported if item.row.reg_allocated
        }
        sequences = sorted(
            (
                s
                for s in NumberSequence.objects.filter(prefix__in={key[1] for key in touched})
                if (s.kind, s.prefix, s.year) in touched
            ),
            key=lambda s: (s.kind, s.prefix, s.year),
        )
        if dry_run:
            transaction.set_rollback(True)
    return Result(plan=plan, imported=imported, sequences=sequences, dry_run=dry_run)
