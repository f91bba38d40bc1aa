"""The 有效规范性文件目录 as of any day, and the 年度目录 of a year's documents.

"In force on day D" is rules.in_force_on, as a query `DocumentQuerySet.in_force_on`:
a catalogue as of a past day is drawn from the dates a document states (施行日期,
有效期至, the first day no longer in force), never from today's state, so a document
repealed in 2022 is in the catalogue as of 2021 (domain-rules §8).

The 年度目录 (art. 19 of the local rules: last year's documents, sent to the filing
authority before 1月31日) lists what the body published in the year, with how each
has ended since, if it has.

One reading (`valid_catalogue`, `annual_catalogue`), then four renderings: JSON and
CSV here, PDF and DOCX through `compose` (GB/T 9704 blocks). The command
`manage.py catalogue` and the document pages call the same builder.
"""

import datetime
import io
import json
from dataclasses import dataclass

from django.core.paginator import Paginator

from ..choices import EndCause
from ..models import PUBLISHED_STATES, NormativeDocument
from . import layout as L
from . import spreadsheet
from .compose import cn_number

# --------------------------------------------------------------------------
# the data


@dataclass
class CatalogueLine:
    organisation: str
    title: str
    number: str
    reg_number: str
    published_on: datetime.date | None
    effective_from: datetime.date | None
    valid_until: datetime.date | None
    ended_on: datetime.date | None = None
    end_cause: str = ""


@dataclass
class ValidCatalogue:
    on: datetime.date | None  # the day of the catalogue; None for a 年度目录
    scope: str  # the body (and its filers) or "" for all
    lines: list[CatalogueLine]
    code: str = ""  # the body's code, "" for all
    year: int | None = None  # the year of a 年度目录


# 文号 order: by body, then the 发文字号's parts (机关代字, year, serial), so that 安民发
# 〔2020〕10号 follows 9号 (a text sort would put it after 1号).
ORDER = (
    "organisation__code",
    "registration__number_prefix",
    "registration__number_year",
    "registration__number_serial",
    "pk",
)
COLUMNS = (
    "organisation__name",
    "title",
    "registration__number",
    "registration__reg_number",
    "publication__published_on",
    "effective_from",
    "valid_until",
    "ended_on",
    "end_cause",
)


def _scoped(documents, organisation, with_filers):
    if organisation is None:
        return documents, ""
    if with_filers:
        documents = documents.filter(organisation=organisation) | documents.filter(
            organisation__files_with=organisation
        )
        return documents, f"{organisation.name}及向其报送备案的单位"
    return documents.filter(organisation=organisation), organisation.name


def rows(documents):
    """The catalogue's columns of `documents` in 文号 order, as a lazy query (a page
    slices it; `lines_of` turns the rows into CatalogueLines)."""
    return documents.order_by(*ORDER).values_list(*COLUMNS)


def paged(documents, order, number, per_page, fields=COLUMNS):
    """Page `number` of `documents` in `order`, each row the values of `fields` (a
    tuple). The page's ids come first, counted and sorted without the columns' joins
    (the count reads the index document_in_force alone), then its rows by id: one sort
    of ids, not of whole rows (docs/performance.md, session 7)."""
    ids = documents.order_by(*order).values_list("pk", flat=True)
    page = Paginator(ids, per_page).get_page(number)
    ids = list(page.object_list)
    found = documents.model.objects.filter(pk__in=ids).order_by().values_list("pk", *fields)
    by_id = {pk: values for pk, *values in found}
    page.object_list = [tuple(by_id[pk]) for pk in ids]
    return page


def lines_of(rows):
    return [
        CatalogueLine(org, title, number or "", reg or "", *dates, cause)
        for org, title, number, reg, *dates, cause in rows
    ]


def _lines(documents):
    """One query."""
    return lines_of(rows(documents).iterator())


def valid_documents(on, organisation=None, with_filers=False):
    """(documents in force on `on` within the scope, the scope's name)."""
    return _scoped(NormativeDocument.objects.in_force_on(on), organisation, with_filers)


def annual_documents(year, organisation):
    """The documents `organisation` published in `year` (those that ended since too)."""
    return NormativeDocument.objects.filter(
        organisation=organisation,
        state__in=PUBLISHED_STATES,
        publication__published_on__year=year,
    )


def valid_catalogue(on, organisation=None, with_filers=False) -> ValidCatalogue:
    """The documents in force on `on` (rules.in_force_on), ordered by 文号."""
    documents, scope = valid_documents(on, organisation, with_filers)
    return ValidCatalogue(
        on=on,
        scope=scope,
        lines=_lines(documents),
        code=organisation.code if organisation is not None else "",
    )


def annual_catalogue(year, organisation) -> ValidCatalogue:
    """The documents `organisation` published in `year`, ordered by 文号, each with its
    end if it has ended since."""
    documents = annual_documents(year, organisation)
    return ValidCatalogue(
        on=None, scope=organisation.name, lines=_lines(documents), code=organisation.code, year=year
    )


# --------------------------------------------------------------------------
# JSON and CSV

FIELDS = (
    "number",
    "registration_number",
    "title",
    "published_on",
    "effective_from",
    "valid_until",
    "ended_on",
    "end_cause",
)
HEADERS = (
    "发文字号",
    "登记号",
    "文件名称",
    "公布日期",
    "施行日期",
    "有效期至",
    "失效日期",
    "失效原因",
)


def _iso(day):
    return day.isoformat() if day else None


def _record(line):
    return {
        "number": line.number,
        "registration_number": line.reg_number,
        "title": line.title,
        "published_on": _iso(line.published_on),
        "effective_from": _iso(line.effective_from),
        "valid_until": _iso(line.valid_until),
        "ended_on": _iso(line.ended_on),
        "end_cause": line.end_cause or None,
    }


def to_json(catalogue: ValidCatalogue) -> bytes:
    """{"organisation": code, "as_of": date, "documents": [...]} (a 年度目录: "year"
    in place of "as_of"), one document per line."""
    head = {"organisation": catalogue.code or None}
    if catalogue.year is not None:
        head["year"] = catalogue.year
    else:
        head["as_of"] = _iso(catalogue.on)
    documents = ",\n".join(
        "  " + json.dumps(_record(line), ensure_ascii=False) for line in catalogue.lines
    )
    text = json.dumps(head, ensure_ascii=False)[:-1]
    text += ', "documents": [' + (f"\n{documents}\n" if documents else "") + "]}\n"
    return text.encode("utf-8")


def to_csv(catalogue: ValidCatalogue) -> bytes:
    """A header row of the Chinese column names, then one row per document; UTF-8 with a
    BOM so Excel reads the Chinese; no cell runs as a formula (`spreadsheet`)."""
    out = io.StringIO()
    w = spreadsheet.writer(out, lineterminator="\r\n")
    w.writerow(HEADERS)
    for line in catalogue.lines:
        record = _record(line)
        record["end_cause"] = _cause_label(line.end_cause)
        w.writerow([record[key] or "" for key in FIELDS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _cause_label(cause):
    return str(EndCause(cause).label) if cause else ""


# --------------------------------------------------------------------------
# PDF and DOCX (GB/T 9704 blocks)


def compose(d: ValidCatalogue) -> L.Document:
    """One table per body (a 二级 heading each when there are several), dates as
    YYYY-MM-DD so that seven columns fit the 156 mm line; the documents that have
    ended since (or, in a 年度目录, during or after the year) are named below."""
    if d.year is not None:
        title, when = f"{d.year}年度规范性文件目录", f"{d.year}年度"
        doc = L.Document(title=title, author=d.scope, date=datetime.date(d.year, 12, 31))
    else:
        title, when = "有效规范性文件目录", f"截至{L.cn_date(d.on)}"
        doc = L.Document(title=f"{title}（{when}）", author=d.scope, date=d.on)
    subtitle = f"（{d.scope}，{when}）" if d.scope else f"（{when}）"
    doc.add(L.Title(title), L.Subtitle(subtitle))
    _tables(doc, d.lines)
    if not d.lines:
        empty = "该年度没有公布规范性文件。" if d.year else "截至该日没有有效的规范性文件。"
        doc.add(L.Para(empty))
    doc.add(L.Para(f"共{len(d.lines)}件。", indent=False))
    ended = [line for line in d.lines if line.ended_on]
    if ended:
        doc.add(L.Para(f"其中已确定失效日期的{len(ended)}件：", indent=False))
        for line in ended:
            how = _cause_label(line.end_cause)
            doc.add(
                L.Para(
                    f"《{line.title}》（{line.number}），自{L.cn_date(line.ended_on)}起失效（{how}）。"
                )
            )
    return doc


def _tables(doc, lines):
    # weights in points at 8 pt: 文号, 登记号 and ISO dates fit on one line
    columns = [
        L.Column("序号", 22, "centre"),
        L.Column("文件名称", 121),
        L.Column("发文字号", 78),
        L.Column("登记号", 71),
        L.Column("公布日期", 50, "centre"),
        L.Column("施行日期", 50, "centre"),
        L.Column("有效期至", 50, "centre"),
    ]
    bodies = list(dict.fromkeys(line.organisation for line in lines))
    several = len(bodies) > 1
    for n, body in enumerate(bodies, 1):
        if several:
            doc.add(L.Heading(f"（{cn_number(n)}）{body}", 2))
        rows = [
            [
                str(i),
                line.title,
                line.number,
                line.reg_number,
                _iso(line.published_on) or "",
                _iso(line.effective_from) or "",
                _iso(line.valid_until) or "未规定",
            ]
            for i, line in enumerate((x for x in lines if x.organisation == body), 1)
        ]
        doc.add(L.Table(columns, rows, size=8))
