"""Checking the register before anything is written: the header, then each row by
column group (organisation and numbers, issue and publication, filing, filing
review, correction, validity), then the deadlines the system keeps. Every problem
is kept with its spreadsheet row; `check` returns them all in a Plan.

The importer records history as it was: it checks that the register is
consistent, not that the past met today's gates (docs/import.md).
"""

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import timezone

from .. import rules
from ..calendar import WorkingCalendar
from ..errors import Refused
from ..models import EndCause, FilingReview, Organisation, Registration
from ..numbering import format_document_number, normalise_number
from ..states import State
from ..text import clean_text
from .columns import (
    BY_KEY,
    COLUMNS,
    HEADER_LOOKUP,
    IN_FORCE,
    MATERIAL_KEYS,
    STATUS_LABELS,
    STATUSES,
    cell_text,
    header_key,
    parse_date,
    parse_document_number,
    parse_registration_number,
    parse_yes_no,
)
from .decisions import read_decisions, resolve_decisions
from .reading import RegisterUnreadable, read_table
from .rows import Row, RowError, derive_state


@dataclass
class Plan:
    path: Path
    sha256: str
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    ignored_columns: list = field(default_factory=list)


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
    # Duplicates are compared on the parsed parts (机关代字, year, serial), the unique key
    # of Registration: two spellings of one number are one number.
    numbers, reg_numbers = {}, {}
    for number, cells in data:
        row, problems = _check_row(number, cells, columns, context)
        if row.number_parts:
            if row.number_parts in numbers:
                problems.append(f"发文字号 {row.number} 与第{numbers[row.number_parts]}行重复")
            numbers.setdefault(row.number_parts, number)
        if row.reg_parts:
            if row.reg_parts in reg_numbers:
                problems.append(f"登记号 {row.reg_number} 与第{reg_numbers[row.reg_parts]}行重复")
            reg_numbers.setdefault(row.reg_parts, number)
        plan.errors.extend(RowError(number, problem) for problem in problems)
        plan.rows.append(row)
    return plan


def _blank(cells):
    return all(cell_text(cell) == "" for cell in cells)


def _map_header(cells, errors):
    """{column key: cell index}; unknown headers are ignored and listed."""
    found, ignored = {}, []
    for index, cell in enumerate(cells):
        text = cell_text(cell)
        if not text:
            continue
        key = HEADER_LOOKUP.get(header_key(text))
        if key is None:
            ignored.append(text)
        elif key in found:
            first = cell_text(cells[found[key]])
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


class _Cells:
    """One data row's cells by column key. A cell that cannot be read adds its
    problem to `problems` and reads as None."""

    def __init__(self, cells, columns, today):
        self.cells = cells
        self.columns = columns
        self.today = today
        self.problems = []

    def raw(self, key):
        index = self.columns.get(key)
        return self.cells[index] if index is not None and index < len(self.cells) else None

    def text(self, key):
        return cell_text(self.raw(key))

    def date(self, key, *, term=False):
        """A date cell. What happened (成文, 公布, 报送, 审查, 纠正完成) cannot be after
        today; a term the record states (有效期至, 纠正期限) may well end after it: a
        document in force is valid until a later day (§6, §8)."""
        if self.text(key) == "":
            return None
        try:
            value = parse_date(self.raw(key), BY_KEY[key].header)
        except ValueError as exc:
            self.problems.append(str(exc))
            return None
        if value > self.today and not term:
            self.problems.append(f"{BY_KEY[key].header} {value} 晚于今天（{self.today}）")
        return value

    def yes_no(self, key):
        if self.text(key) == "":
            return None
        try:
            return parse_yes_no(self.raw(key), BY_KEY[key].header)
        except ValueError as exc:
            self.problems.append(str(exc))
            return None


def _check_row(number, values, columns, context):
    """A Row and the list of what is wrong with it, in the order of the columns."""
    row = Row(row=number)
    cells = _Cells(values, columns, context.today)
    for column in COLUMNS:
        if column.required and cells.text(column.key) == "":
            cells.problems.append(f"{column.header}未填写")
    _check_organisation(row, cells, context)
    _check_title(row, cells)
    _check_numbers(row, cells, context)
    _check_publication(row, cells)
    _check_filing(row, cells)
    _check_review(row, cells)
    _check_correction(row, cells)
    _check_validity(row, cells, context)
    problems = cells.problems
    if not problems and row.organisation:
        _deadlines(row, problems, context)
    if not problems:
        row.state = derive_state(row)
    return row, problems


# --- the column groups, in the order _check_row runs them ---------------------


def _check_organisation(row, cells, context):
    name = cells.text("organisation")
    if not name:
        return
    row.organisation = context.organisation(name)
    if row.organisation is None:
        cells.problems.append(
            f"制定机关“{name}”不存在（请填写系统中的单位代码，如 akmz，或单位全称）"
        )
    elif not row.organisation.issuing_code:
        cells.problems.append(f"{row.organisation}未设置机关代字，无法核对发文字号")


def _check_title(row, cells):
    row.title = clean_text(cells.text("title"), multiline=False)
    if row.title.startswith("《") and row.title.endswith("》"):
        row.title = row.title[1:-1].strip()
    if len(row.title) > 200:
        cells.problems.append("标题超过 200 字")


def _check_numbers(row, cells, context):
    """The 发文字号 (GB/T 9704, the organisation's 机关代字) and the 登记号 (三统一)."""
    problems = cells.problems
    row.number = normalise_number(cells.text("number"))
    if row.number:
        try:
            row.number_parts = parse_document_number(row.number)
        except ValueError as exc:
            problems.append(str(exc))
        else:  # stored in its one written form (GB/T 9704)
            row.number = format_document_number(*row.number_parts)
    if row.number_parts:
        prefix, year, _serial = row.number_parts
        issuing_code = row.organisation.issuing_code if row.organisation else ""
        if issuing_code and prefix != issuing_code:
            problems.append(
                f"发文字号“{row.number}”的机关代字“{prefix}”与{row.organisation}的机关代字“{issuing_code}”不符"
            )
        if not 1949 <= year <= context.today.year:
            problems.append(f"发文字号“{row.number}”的年份 {year} 不合理")

    row.reg_number = normalise_number(cells.text("reg_number"))
    if row.reg_number:
        try:
            row.reg_parts = parse_registration_number(row.reg_number)
        except ValueError as exc:
            problems.append(str(exc))
        if row.reg_parts and not 1949 <= row.reg_parts[1] <= context.today.year:
            problems.append(f"登记号“{row.reg_number}”的年份 {row.reg_parts[1]} 不合理")


def _check_publication(row, cells):
    """Issue and publication (§6): not published → not valid, and filed only after it."""
    row.signed_on = cells.date("signed_on")
    row.published_on = cells.date("published_on")
    row.channel = clean_text(cells.text("channel"), multiline=False)
    if row.signed_on and row.published_on and row.published_on < row.signed_on:
        cells.problems.append(f"公布日期 {row.published_on} 早于成文日期 {row.signed_on}")


def _check_filing(row, cells):
    """Filing (§7): after publication, with the authority set, and its materials."""
    problems = cells.problems
    row.filed_on = cells.date("filed_on")
    row.materials_complete = cells.yes_no("materials_complete")
    if row.filed_on:
        if cells.text("published_on") == "":
            problems.append("未填写公布日期，却填写了报送备案日期（未经公布的文件不得报送备案）")
        elif row.published_on and row.filed_on < row.published_on:
            problems.append(f"报送备案日期 {row.filed_on} 早于公布日期 {row.published_on}")
        if row.organisation and row.organisation.files_with_id is None:
            problems.append(f"{row.organisation}未设置备案审查机关，无法导入报送备案记录")
        if cells.text("materials_complete") == "":
            problems.append("已报送备案的，须填写备案材料齐全（是/否）")
    else:
        if cells.text("materials_complete"):
            problems.append("未填写报送备案日期，却填写了备案材料齐全")
    _check_missing_materials(row, cells)
    row.materials_unspecified = row.materials_complete is False and not row.missing_materials


def _check_missing_materials(row, cells):
    missing_text = cells.text("missing_materials")
    if not missing_text:
        return
    if row.materials_complete:
        cells.problems.append("备案材料齐全为“是”，却填写了缺少材料")
    for name in filter(None, (part.strip() for part in re.split(r"[、，,；;/\s]+", missing_text))):
        if name in MATERIAL_KEYS:
            row.missing_materials.append(MATERIAL_KEYS[name])
        else:
            labels = "、".join(MATERIAL_KEYS)
            cells.problems.append(f"缺少材料“{name}”不是备案材料（应为 {labels} 中的一项或几项）")


def _check_review(row, cells):
    """Filing review (备案条例 art. 7, 10): a date and the decisions, after the filing."""
    problems = cells.problems
    row.reviewed_on = cells.date("reviewed_on")
    decided = read_decisions(row, cells)
    reviewed_text = cells.text("reviewed_on")
    if reviewed_text or decided:
        if cells.text("filed_on") == "":
            problems.append("未填写报送备案日期，却填写了备案审查的日期或结论")
        if decided and reviewed_text == "":
            problems.append("填写了审查结论，却未填写审查日期")
        if reviewed_text and not decided:
            problems.append("填写了审查日期，却未填写审查结论")
    if row.reviewed_on and row.filed_on and row.reviewed_on < row.filed_on:
        problems.append(f"审查日期 {row.reviewed_on} 早于报送备案日期 {row.filed_on}")
    row.notes = cells.text("notes")


def _check_correction(row, cells):
    """Correction (备案条例 art. 17): only on a review's 审查意见, dated after it."""
    problems = cells.problems
    row.correction_required = bool(cells.yes_no("correction_required"))
    row.correction_deadline = cells.date("correction_deadline", term=True)
    row.correction_closed_on = cells.date("correction_closed_on")
    if not row.correction_required:
        if cells.text("correction_deadline"):
            problems.append("未要求纠正，却填写了纠正期限")
        if cells.text("correction_closed_on"):
            problems.append("未要求纠正，却填写了纠正完成日期")
        resolve_decisions(row, cells)
        return
    if not (row.legacy or row.outcome):
        problems.append("需要纠正为“是”，却没有备案审查结论（纠正源于备案审查提出的审查意见）")
    elif FilingReview.Outcome.DEFERRED in (row.legacy, row.outcome):
        problems.append("审查结论为“暂缓办理备案登记”的，不能同时要求纠正")
    if row.reviewed_on and row.correction_deadline and row.correction_deadline < row.reviewed_on:
        problems.append(f"纠正期限 {row.correction_deadline} 早于审查日期 {row.reviewed_on}")
    if row.reviewed_on and row.correction_closed_on and row.correction_closed_on < row.reviewed_on:
        problems.append(f"纠正完成日期 {row.correction_closed_on} 早于审查日期 {row.reviewed_on}")
    resolve_decisions(row, cells)


def _check_validity(row, cells, context):
    """Validity (§8): 施行日期 and 有效期至 as the document states them (both may be
    after today), and the status it is in."""
    problems = cells.problems
    row.effective_from = cells.date("effective_from", term=True)
    row.valid_until = cells.date("valid_until", term=True)
    started = row.published_on or row.signed_on
    if row.effective_from and row.published_on and row.effective_from < row.published_on:
        problems.append(f"施行日期 {row.effective_from} 早于公布日期 {row.published_on}")
    if row.valid_until and row.effective_from and row.valid_until < row.effective_from:
        problems.append(f"有效期至 {row.valid_until} 早于施行日期 {row.effective_from}")
    elif row.valid_until and started and row.valid_until < started:
        problems.append(
            f"有效期至 {row.valid_until} 早于{'公布' if row.published_on else '成文'}日期 {started}"
        )
    status_text = cells.text("status")
    if status_text:
        row.status = STATUSES.get(status_text) or STATUSES.get(status_text.lower(), "")
        if not row.status:
            problems.append(f"状态“{status_text}”无法识别（应为 现行有效、已废止 或 已失效）")
        elif row.status != IN_FORCE and cells.text("published_on") == "":
            problems.append(f"未公布的文件，状态不能为“{status_text}”")
    _check_end(row, cells)
    if row.status == IN_FORCE and row.valid_until and row.valid_until < context.today:
        row.warnings.append(
            f"有效期至 {row.valid_until} 已届满，台账状态仍为现行有效，请按有效期届满程序处理"
        )


# the date column each ending status takes, and the end cause it records
END_COLUMNS = {State.REPEALED: "repealed_on", State.EXPIRED: "lapsed_on"}


def _check_end(row, cells):
    """废止日期 / 失效日期 (the first day no longer in force) beside 状态: the one of the
    status, after 公布, no later than the day after 有效期至 (rules.check_end_date). An
    已失效 row without its date lapsed the day after 有效期至; with another date it was
    declared invalid (宣布失效). An 已废止 row without its date is imported without
    one, and the catalogue cannot list it on any day."""
    problems = cells.problems
    for status, key in END_COLUMNS.items():
        if cells.text(key) and row.status != status:
            problems.append(f"填写了{BY_KEY[key].header}，状态应为“{STATUS_LABELS[status]}”")
    if row.status not in END_COLUMNS:
        return
    row.ended_on = cells.date(END_COLUMNS[row.status])
    expiry = rules.expiry_ends_on(row.valid_until) if row.valid_until else None
    if row.status == State.EXPIRED:
        row.ended_on = row.ended_on or expiry
        row.end_cause = (
            EndCause.EXPIRED if row.ended_on in (None, expiry) else EndCause.DECLARED_INVALID
        )
    else:
        row.end_cause = EndCause.REPEALED
    if row.ended_on is None:
        return
    try:
        rules.check_end_date(
            published_on=row.published_on, valid_until=row.valid_until, ended_on=row.ended_on
        )
    except Refused as refused:
        problems.append(refused.message)


def _deadlines(row, problems, context):
    """Deadlines the system keeps, from review.rules as the actions have them. A row
    whose deadline falls in a year whose holiday schedule is not yet known is imported
    with the deadline provisional (暂定, recomputed when the year is marked complete),
    and its warning says so."""
    settings = context.settings(row.organisation)
    if row.filed_on:
        row.filing_due_on = rules.filing_due(settings, row.published_on, context.calendar)
        row.review_due_on = rules.filing_review_due(settings, row.filed_on, context.calendar)
    if row.correction_required and row.correction_deadline is None:
        row.correction_deadline = rules.correction_due(settings, row.reviewed_on, context.calendar)
    provisional = [
        rules.shown(day)
        for day in (row.filing_due_on, row.review_due_on, row.correction_deadline)
        if rules.is_provisional_deadline(day)
    ]
    if provisional:
        row.warnings.append(
            f"期限 {'、'.join(provisional)} 所在年度的放假安排尚未录入，按法定节假日暂定计算，"
            "录入后自动重新计算"
        )


def check_database(plan):
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
