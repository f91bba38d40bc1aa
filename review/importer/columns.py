"""The register's columns and the values its cells may hold (docs/import.md):
the headers each column is known by, and the parsers of dates, 是/否, 发文字号
and 登记号, each raising ValueError with the text the importer reports."""

import datetime
import re
from dataclasses import dataclass

from .. import numbering
from ..models import FILING_MATERIALS, FilingReview
from ..states import State
from ..text import clean_text


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
    Column("effective_from", "施行日期", ("实施日期", "生效日期", "effective_from")),
    Column("valid_until", "有效期至", ("有效期", "valid_until")),
    Column("status", "状态", ("效力状态", "status")),
    # the first day no longer in force (自某日起废止: that day), beside 状态
    Column("repealed_on", "废止日期", ("repealed_on",)),
    Column("lapsed_on", "失效日期", ("lapsed_on", "expired_on")),
]
BY_KEY = {column.key: column for column in COLUMNS}


def header_key(text):
    """Headers such as 备案材料齐全*, Date of issue, 发文字号（必填） → a comparable form."""
    text = str(text or "").strip().lower()
    text = re.sub(r"[（(]\s*(必填|选填|可选|required|optional)\s*[)）]", "", text)
    text = text.replace("*", "").replace("＊", "")
    text = re.sub(r"[\s\-]+", "_", text.strip())
    return text.strip("_")


HEADER_LOOKUP = {}
for _column in COLUMNS:
    for _name in (_column.header, *_column.aliases):
        HEADER_LOOKUP[header_key(_name)] = _column.key


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


def cell_text(value):
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
    text = cell_text(value)
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
    text = cell_text(value).lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValueError(f"{label}“{cell_text(value)}”应填“是”或“否”")


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
