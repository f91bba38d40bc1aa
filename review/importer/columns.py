"""The register's columns and the values its cells may hold (docs/import.md):
the headers each column is known by, and the parsers of dates, 是/否, 发文字号
and 登记号, each raising ValueError with the text the importer reports."""

import datetime
import re
from dataclasses import dataclass

from ..models import FILING_MATERIALS, FilingReview
from ..numbering import (  # noqa: F401  (the importer's names for them)
    DOCUMENT_NUMBER,
    REGISTRATION_NUMBER,
    WRONG_BRACKETS,
    parse_document_number,
    parse_registration_number,
)
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
    Column("registration", "登记结论", ("备案登记结论", "registration_decision")),
    Column("conclusion", "审查意见结论", ("review_conclusion", "conclusion")),
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
# 审查意见结论 (备案条例 art. 10, 14)
CONCLUSIONS = {
    "审查无问题": FilingReview.Conclusion.NO_PROBLEM,
    "无问题": FilingReview.Conclusion.NO_PROBLEM,
    "no_problem": FilingReview.Conclusion.NO_PROBLEM,
    "提出审查意见": FilingReview.Conclusion.OPINION,
    "审查意见": FilingReview.Conclusion.OPINION,
    "opinion": FilingReview.Conclusion.OPINION,
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
