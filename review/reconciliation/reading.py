"""The two files a reconciliation reads (docs/reconciliation.md), as rows:

- the 发文登记簿 exported from the body's 公文 system: 文号, 标题, 成文日期, and
  optionally 类别, 密级 and 正文 (or 摘要);
- the list of what it published: 标题, 公布日期, and optionally URL, 文号, 密级.

A row with a 密级 (anything but 无/非密/公开) is dropped as it is read: its title
is never kept, shown or stored (保密法), only counted. Errors name the row number,
never a title. Read by `review.importer.read_table` (.csv UTF-8 or .xlsx)."""

import datetime
import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..errors import Refused
from ..importer import read_table
from ..importer.columns import cell_text, header_key
from ..importer.columns import parse_date as _parse_date

# key: (header, aliases)
ISSUED_COLUMNS = {
    "number": ("文号", ("发文字号", "文件编号", "number", "document_number")),
    "title": ("标题", ("文件标题", "题名", "文件名称", "名称", "title")),
    "issued_on": ("成文日期", ("发文日期", "印发日期", "日期", "issued_on", "date")),
    "category": ("类别", ("文种", "类型", "文件类别", "category")),
    "classification": ("密级", ("保密等级", "涉密等级", "classification", "secrecy")),
    "text": ("正文", ("内容", "摘要", "内容摘要", "text", "summary")),
}
ISSUED_REQUIRED = ("number", "title", "issued_on")
PUBLISHED_COLUMNS = {
    "title": ("标题", ("文件标题", "题名", "文件名称", "名称", "title")),
    "published_on": ("公布日期", ("发布日期", "公开日期", "published_on", "date")),
    "url": ("URL", ("网址", "链接", "公布网址", "url", "link")),
    "number": ("文号", ("发文字号", "number", "document_number")),
    "classification": ("密级", ("保密等级", "涉密等级", "classification", "secrecy")),
}
PUBLISHED_REQUIRED = ("title", "published_on")
# What a 密级 cell may say of a row that is not classified.
NOT_CLASSIFIED = {"", "无", "非密", "不涉密", "公开", "否", "-", "—", "none", "public"}


class ReconcileInputInvalid(Refused):
    """A file cannot be reconciled: its header lacks a column, or rows have bad values."""


@dataclass
class IssuedRow:
    row: int
    number: str
    title: str
    issued_on: datetime.date
    category: str = ""
    text: str = ""


@dataclass
class PublishedRow:
    row: int
    title: str
    published_on: datetime.date
    url: str = ""
    number: str = ""


@dataclass
class Source:
    name: str
    sha256: str
    rows: list
    skipped_classified: int
    rows_read: int


def _lookup(columns):
    table = {}
    for key, (header, aliases) in columns.items():
        for name in (header, *aliases):
            table[header_key(name)] = key
    return table


def _header(cells, columns, required, name):
    lookup = _lookup(columns)
    found = {}
    for index, cell in enumerate(cells):
        key = lookup.get(header_key(cell))
        if key and key not in found:
            found[key] = index
    missing = [columns[key][0] for key in required if key not in found]
    if missing:
        raise ReconcileInputInvalid(
            f"{name} 缺少列：{'、'.join(missing)}（第1行应为表头，见 docs/reconciliation.md）"
        )
    return found


def _classified(values, found):
    index = found.get("classification")
    if index is None or index >= len(values):
        return False
    return cell_text(values[index]).lower() not in NOT_CLASSIFIED


def read_source(path, kind, year):
    """Source(rows of `year`, skipped classified rows). `kind`: "issued" or "published".
    Raises ReconcileInputInvalid (a missing column, or rows with a bad date: their
    row numbers) or importer.RegisterUnreadable; nothing is kept of a classified row."""
    path = Path(path)
    columns, required, make, date_key = {
        "issued": (ISSUED_COLUMNS, ISSUED_REQUIRED, IssuedRow, "issued_on"),
        "published": (PUBLISHED_COLUMNS, PUBLISHED_REQUIRED, PublishedRow, "published_on"),
    }[kind]
    table = read_table(path)
    if not table:
        raise ReconcileInputInvalid(f"{path.name} 是空文件")
    found = _header(table[0][1], columns, required, path.name)
    rows, errors, skipped, read = [], [], 0, 0
    for number, values in table[1:]:
        if not any(cell_text(value) for value in values):
            continue
        read += 1
        if _classified(values, found):
            skipped += 1  # 保密法: nothing of the row is read further
            continue
        cells = {
            key: values[index] if index < len(values) else None for key, index in found.items()
        }
        cells.pop("classification", None)
        try:
            day = _parse_date(cells[date_key], columns[date_key][0])
        except ValueError as exc:
            errors.append(f"第{number}行：{exc}")
            continue
        if not cell_text(cells["title"]):
            errors.append(f"第{number}行：标题为空")
            continue
        if day.year != year:
            continue
        texts = {key: cell_text(value) for key, value in cells.items() if key != date_key}
        rows.append(make(row=number, **{date_key: day}, **texts))
    if errors:
        raise ReconcileInputInvalid(
            f"{path.name} 有 {len(errors)} 行无法核对，未作任何处理：" + "；".join(errors[:20])
        )
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return Source(path.name, digest, rows, skipped, read)
