"""The filing audit: 有件必备、有备必审、有错必纠, counted (domain-rules §7).

`compute()` reads the documents published in a period by one body, by an
authority and the bodies filing with it, or by all bodies, and returns one
JSON-ready dict: counts and rates per body and in total, and the list of
violations. The JSON, CSV, PDF and DOCX outputs are all rendered from that dict.
The formulas and the violation kinds are documented in docs/filing-audit.md.

The cohort is the documents *published* in the period ("issued"). What happened
to them is judged as of `today` (default: the local date): an event dated after
`today` is treated as not having happened yet, so a report re-run with the same
`today` gives the same figures.

Reads are bounded: one query each for bodies, jurisdiction settings, documents,
filings (with their reviews) and corrections, plus one per calendar year the
deadlines touch — never one per document.
"""

import datetime
import hashlib
import io
import json

from django.utils import timezone

from ... import rules
from ...calendar import CalendarMissing, WorkingCalendar
from ...models import (
    FILING_MATERIALS,
    Correction,
    Filing,
    JurisdictionSettings,
    NormativeDocument,
    Organisation,
)
from .. import layout as L
from .. import spreadsheet

COUNTS = [
    "issued",
    "due_for_filing",
    "filed",
    "filed_on_time",
    "filed_complete",
    "reviewed",
    "found_wrong",
    "corrected",
    "corrected_on_time",
]
COUNT_LABELS = {
    "issued": "公布",
    "due_for_filing": "应报备",
    "filed": "已报备",
    "filed_on_time": "按期报备",
    "filed_complete": "材料齐全",
    "reviewed": "已审查",
    "found_wrong": "发现问题",
    "corrected": "已纠正",
    "corrected_on_time": "按期纠正",
}
# rate: (numerator, denominator)
RATES = {
    "filing_rate": ("filed", "due_for_filing"),
    "timely_rate": ("filed_on_time", "filed"),
    "conformity_rate": ("filed_complete", "filed"),
    "review_rate": ("reviewed", "filed"),
    "correction_rate": ("corrected", "found_wrong"),
}
RATE_LABELS = {
    "filing_rate": "报备率",
    "timely_rate": "报备及时率",
    "conformity_rate": "规范率",
    "review_rate": "审查率",
    "correction_rate": "纠错率",
}
VIOLATION_KINDS = {
    "never_filed": "瞒报漏报（逾期未报备）",
    "filed_late": "逾期报备",
    "materials_incomplete": "备案材料不齐全",
    "not_reviewed": "尚无审查结论",
    "review_overdue": "备案审查超期",
    "correction_overdue": "逾期未纠正",
    "correction_open": "纠错未结案",
    "deadline_unknown": "期限未知（需录入节假日）",
}
KIND_ORDER = {kind: n for n, kind in enumerate(VIOLATION_KINDS)}
MATERIAL_LABELS = dict(FILING_MATERIALS)


def rates(counts):
    """Fractions; None where the denominator is 0 (nothing to measure)."""
    return {
        name: (counts[num] / counts[den] if counts[den] else None)
        for name, (num, den) in RATES.items()
    }


def _iso(day):
    return day.isoformat() if day else None


def _canonical(row):
    return json.dumps(row, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=_iso)


class _Hasher:
    """SHA-256 over the canonical JSON of every input row, one line each, in query order."""

    def __init__(self):
        self.sha = hashlib.sha256()

    def section(self, name):
        self.sha.update(f"#{name}\n".encode())

    def row(self, row):
        self.sha.update(_canonical(list(row)).encode())
        self.sha.update(b"\n")

    def hexdigest(self):
        return self.sha.hexdigest()


class _Doc:
    __slots__ = (
        "id",
        "org",
        "title",
        "published",
        "number",
        "deadline",
        "filed_on",
        "filed_due",
        "last_filed",
        "review_due",
        "missing",
        "reviewed",
        "corrections",
        "corrected",
        "corrected_on_time",
    )

    def __init__(self, pk, org, title, published, number):
        self.id, self.org, self.title, self.published, self.number = (
            pk,
            org,
            title,
            published,
            number or "",
        )
        self.deadline = None
        self.filed_on = self.filed_due = self.last_filed = self.review_due = None
        self.missing = None
        self.reviewed = False
        self.corrections = 0
        self.corrected = True
        self.corrected_on_time = True


def _period(year, date_from, date_to):
    if year is not None and not datetime.MINYEAR <= year <= datetime.MAXYEAR:
        raise ValueError(
            f"统计年度 {year} 超出范围（{datetime.MINYEAR} 至 {datetime.MAXYEAR}）(year out of range)."
        )
    start = date_from or (datetime.date(year, 1, 1) if year else None)
    end = date_to or (datetime.date(year, 12, 31) if year else None)
    if start is None or end is None:
        raise ValueError("须指定统计年度，或起止日期 (give a year, or both dates).")
    if start > end:
        raise ValueError(
            f"统计起始日期 {start} 晚于截止日期 {end} (the period starts after it ends)."
        )
    return start, end


def _code(value):
    return value.code if isinstance(value, Organisation) else value


def compute(
    *, organisation=None, authority=None, year=None, date_from=None, date_to=None, today=None
) -> dict:
    """The audit of one body (`organisation`), of an authority and the bodies filing
    with it (`authority`), or of every body (neither). Codes or Organisation objects."""
    if organisation and authority:
        raise ValueError(
            "单位与备案审查机关只能指定其一 (give organisation or authority, not both)."
        )
    start, end = _period(year, date_from, date_to)
    today = today or timezone.localdate()
    hasher = _Hasher()
    calendar = WorkingCalendar()
    notes = set()

    # --- bodies and their settings ---------------------------------------
    orgs = {
        row[0]: row
        for row in Organisation.objects.order_by("pk").values_list(
            "pk", "code", "name", "short_name", "parent_id", "files_with_id", "may_issue"
        )
    }
    by_code = {row[1]: row for row in orgs.values()}
    scope_ids = None
    if organisation or authority:
        code = _code(organisation or authority)
        if code not in by_code:
            raise ValueError(f"未知的单位代码：{code} (unknown organisation code).")
        head = by_code[code][0]
        scope_ids = {head}
        if authority:
            scope_ids |= {pk for pk, row in orgs.items() if row[5] == head}
    settings_rows = {
        row[0]: JurisdictionSettings(filing_deadline_days=row[1], filing_review_days=row[2])
        for row in JurisdictionSettings.objects.order_by("organisation_id").values_list(
            "organisation_id", "filing_deadline_days", "filing_review_days"
        )
    }
    defaults = JurisdictionSettings()

    def settings_for(org_id):
        seen = set()
        while org_id is not None and org_id not in seen:
            seen.add(org_id)
            if org_id in settings_rows:
                return settings_rows[org_id]
            org_id = orgs[org_id][4]
        return defaults

    def rule_deadline(rule, doc, start, what):
        """`rule` (review.rules) for the document's body. In a year without holiday data
        the deadline is unknown: not guessed, not judged, listed as deadline_unknown."""
        try:
            return rule(settings_for(doc.org), start, calendar)
        except CalendarMissing as missing:
            notes.add(
                f"{missing.year}年节假日安排缺失，相关期限未知，未判断是否逾期，"
                f"请录入该年放假和调休安排后重新生成 (no holiday schedule for "
                f"{missing.year}: those deadlines are unknown and not judged)."
            )
            violation(
                "deadline_unknown",
                doc,
                None,
                None,
                detail=f"{what}未知，需录入{missing.year}年节假日",
                late=False,
            )
            return None

    # --- documents published in the period ------------------------------
    documents = NormativeDocument.objects.filter(
        publication__published_on__gte=start, publication__published_on__lte=min(end, today)
    )
    if scope_ids is not None:
        documents = documents.filter(organisation_id__in=sorted(scope_ids))
    docs = {}
    hasher.section("documents")
    for row in (
        documents.order_by("pk")
        .values_list(
            "pk", "organisation_id", "title", "publication__published_on", "registration__number"
        )
        .iterator(chunk_size=2000)
    ):
        hasher.row(row)
        docs[row[0]] = _Doc(*row)
    doc_ids = documents.values("pk")

    violations = []

    def violation(kind, doc, due, done, *, detail="", late=True, key=0):
        days_late = None
        if late and due is not None:
            days_late = max(0, ((done or today) - due).days)
        violations.append(
            (
                (
                    KIND_ORDER[kind],
                    orgs[doc.org][1],
                    _iso(due) or "",
                    doc.number,
                    doc.title,
                    doc.id,
                    key,
                ),
                {
                    "kind": kind,
                    "organisation": orgs[doc.org][1],
                    "document": doc.id,
                    "title": doc.title,
                    "number": doc.number,
                    "due": _iso(due),
                    "done": _iso(done),
                    "days_late": days_late,
                    "detail": detail,
                },
            )
        )

    # --- filings and their reviews, in filing order per document ----------
    hasher.section("filings")
    filings = (
        Filing.objects.filter(document_id__in=doc_ids, filed_on__lte=today)
        .order_by("document_id", "filed_on", "pk")
        .values_list(
            "pk",
            "document_id",
            "filed_on",
            "due_on",
            "materials",
            "review__due_on",
            "review__decided_on",
            "review__outcome",
        )
    )
    for row in filings.iterator(chunk_size=2000):
        hasher.row(row)
        pk, doc_id, filed_on, due_on, materials, review_due, decided_on, outcome = row
        doc = docs[doc_id]
        if doc.filed_on is None:
            doc.filed_on, doc.filed_due = filed_on, due_on
        doc.last_filed = filed_on
        doc.missing = [key for key, _label in FILING_MATERIALS if not (materials or {}).get(key)]
        if decided_on is not None and decided_on > today:
            decided_on, outcome = None, ""  # decided after the report's date
        decided = decided_on is not None or bool(outcome)
        doc.reviewed = decided  # the last filing's review is the one that stands
        if review_due is None:
            review_due = rule_deadline(rules.filing_review_due, doc, filed_on, "备案审查期限")
        if review_due is None:
            pass  # unknown: listed as deadline_unknown
        elif decided_on is not None and decided_on > review_due:
            violation("review_overdue", doc, review_due, decided_on, key=pk)
        elif not decided and today > review_due:
            violation("review_overdue", doc, review_due, None, key=pk)
        doc.review_due = review_due

    # --- corrections -----------------------------------------------------
    hasher.section("corrections")
    corrections = (
        Correction.objects.filter(document_id__in=doc_ids, issued_on__lte=today)
        .order_by("document_id", "issued_on", "pk")
        .values_list("pk", "document_id", "issued_on", "deadline", "reported_on", "closed_on")
    )
    for row in corrections.iterator(chunk_size=2000):
        hasher.row(row)
        pk, doc_id, _issued, deadline, reported_on, closed_on = row
        doc = docs[doc_id]
        reported_on = reported_on if reported_on and reported_on <= today else None
        closed_on = closed_on if closed_on and closed_on <= today else None
        doc.corrections += 1
        if closed_on is None:
            doc.corrected = doc.corrected_on_time = False
            violation("correction_open", doc, deadline, None, key=pk)
        if reported_on is None or reported_on > deadline:
            doc.corrected_on_time = False
            if reported_on is not None or today > deadline:
                violation("correction_overdue", doc, deadline, reported_on, key=pk)

    # --- per document: filing status, then counts per body ----------------
    zero = dict.fromkeys(COUNTS, 0)
    counts = {}
    # Listed: the bodies on the 制定主体清单 and any body with a document in the
    # cohort; a body asked for by --org always.
    issuing = {doc.org for doc in docs.values()} | {pk for pk, row in orgs.items() if row[6]}
    if scope_ids is None:
        active = issuing
    elif organisation:
        active = scope_ids
    else:
        active = scope_ids & issuing
    for org_id in sorted(active, key=lambda pk: orgs[pk][1]):
        counts[org_id] = dict(zero)
    for doc in docs.values():
        c = counts[doc.org]
        c["issued"] += 1
        if doc.filed_on is None:
            due = rule_deadline(rules.filing_due, doc, doc.published, "报送备案期限")
            if due is not None and today > due:
                c["due_for_filing"] += 1
                violation("never_filed", doc, due, None)
            continue
        c["due_for_filing"] += 1
        c["filed"] += 1
        if doc.filed_on <= doc.filed_due:
            c["filed_on_time"] += 1
        else:
            violation("filed_late", doc, doc.filed_due, doc.filed_on)
        if doc.missing:
            missing = "、".join(str(MATERIAL_LABELS[key]) for key in doc.missing)
            violation(
                "materials_incomplete",
                doc,
                doc.filed_due,
                doc.last_filed,
                detail=f"缺：{missing}",
                late=False,
            )
        else:
            c["filed_complete"] += 1
        if doc.reviewed:
            c["reviewed"] += 1
        else:
            violation("not_reviewed", doc, doc.review_due, None)
        if doc.corrections:
            c["found_wrong"] += 1
            c["corrected"] += doc.corrected
            c["corrected_on_time"] += doc.corrected_on_time

    # --- the bodies' rows in the hash (names appear in the report) ---------
    hasher.section("organisations")
    for org_id in counts:
        hasher.row(orgs[org_id][:4])
    hasher.section("settings")
    for org_id in counts:
        found = settings_for(org_id)
        hasher.row([org_id, found.filing_deadline_days, found.filing_review_days])

    totals = dict(zero)
    for c in counts.values():
        for key in COUNTS:
            totals[key] += c[key]
    totals["rates"] = rates(totals)
    violations.sort(key=lambda item: item[0])

    scope = "organisation" if organisation else "authority" if authority else "all"
    return {
        "parameters": {
            "scope": scope,
            "organisation": _code(organisation) if organisation else None,
            "authority": _code(authority) if authority else None,
            "year": year
            if year and (start, end) == (datetime.date(year, 1, 1), datetime.date(year, 12, 31))
            else None,
            "from": start.isoformat(),
            "to": end.isoformat(),
            "today": today.isoformat(),
        },
        "title": _title(year, start, end),
        "scope_name": _scope_name(scope, orgs, by_code, organisation or authority, len(counts)),
        "data_hash": hasher.hexdigest(),
        "totals": totals,
        "organisations": [
            {"code": orgs[org_id][1], "name": orgs[org_id][2], **c, "rates": rates(c)}
            for org_id, c in counts.items()
        ],
        "violations": [item for _key, item in violations],
        "notes": sorted(notes),
    }


def _title(year, start, end):
    if year and (start, end) == (datetime.date(year, 1, 1), datetime.date(year, 12, 31)):
        return f"{year}年度规范性文件备案审查工作报告"
    return "规范性文件备案审查工作报告"


def _scope_name(scope, orgs, by_code, head, n):
    if scope == "organisation":
        return by_code[_code(head)][2]
    if scope == "authority":
        return f"{by_code[_code(head)][2]}及向其报送备案的单位（共{n}个）"
    return f"全部单位（共{n}个）"


# --------------------------------------------------------------------------
# Renderings of the one dict


def to_json(report) -> bytes:
    """One top-level field per line (so a diff shows which part changed), each written
    by json's C encoder in one call: indent= would switch to the pure-Python encoder,
    four times slower on a year of 10,000 documents. `python -m json.tool` pretty-prints."""
    lines = [
        f"{json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}"
        for key, value in report.items()
    ]
    return ("{" + ",\n".join(lines) + "}\n").encode("utf-8")


def _fraction(rate):
    return "" if rate is None else f"{rate:.4f}"


def to_csv(report) -> bytes:
    """Sections for a spreadsheet: the report's facts, the bodies (with a 合计 row), the
    violations. UTF-8 with a BOM so Excel reads the Chinese; no cell runs as a formula
    (`spreadsheet`)."""
    out = io.StringIO()
    w = spreadsheet.writer(out, lineterminator="\r\n")
    p = report["parameters"]
    w.writerow(["报告", report["title"]])
    w.writerow(["统计范围", report["scope_name"]])
    w.writerow(["统计期间(from/to)", p["from"], p["to"]])
    w.writerow(["统计截止日(today)", p["today"]])
    w.writerow(["数据摘要(data_hash)", report["data_hash"]])
    w.writerow([])
    w.writerow(
        ["单位代码(code)", "单位名称(name)"]
        + [f"{COUNT_LABELS[k]}({k})" for k in COUNTS]
        + [f"{RATE_LABELS[k]}({k})" for k in RATES]
    )
    for org in report["organisations"]:
        w.writerow(
            [org["code"], org["name"]]
            + [org[k] for k in COUNTS]
            + [_fraction(org["rates"][k]) for k in RATES]
        )
    totals = report["totals"]
    w.writerow(
        ["合计", ""] + [totals[k] for k in COUNTS] + [_fraction(totals["rates"][k]) for k in RATES]
    )
    w.writerow([])
    w.writerow(
        [
            "问题类型(kind)",
            "类型说明",
            "单位代码(organisation)",
            "文件名称(title)",
            "发文字号(number)",
            "期限(due)",
            "办理日期(done)",
            "逾期天数(days_late)",
            "说明(detail)",
        ]
    )
    for v in report["violations"]:
        w.writerow(
            [
                v["kind"],
                VIOLATION_KINDS[v["kind"]],
                v["organisation"],
                v["title"],
                v["number"],
                v["due"] or "",
                v["done"] or "",
                "" if v["days_late"] is None else v["days_late"],
                v["detail"],
            ]
        )
    for note in report["notes"]:
        w.writerow(["注", note])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _period_text(p):
    start, end = datetime.date.fromisoformat(p["from"]), datetime.date.fromisoformat(p["to"])
    return f"{L.cn_date(start)}至{L.cn_date(end)}"


def compose(report) -> L.Document:
    """The report as GB/T 9704 blocks for the PDF and DOCX renderers."""
    p = report["parameters"]
    totals = report["totals"]
    t = totals["rates"]
    orgs = report["organisations"]
    names = {o["code"]: o["name"] for o in orgs}
    doc = L.Document(
        title=report["title"],
        author="规范性文件备案审查系统",
        subject=f"数据摘要 SHA-256 {report['data_hash']}",
        date=datetime.date.fromisoformat(p["today"]),
    )
    doc.add(
        L.Title(report["title"]),
        L.Subtitle(f"（统计期间：{_period_text(p)}；统计截止：{L.cn_date(p['today'])}）"),
        L.Heading("一、总体情况", 1),
        L.Para(
            f"统计范围：{report['scope_name']}。统计期间公布规范性文件{totals['issued']}件，"
            f"应报送备案{totals['due_for_filing']}件，已报送{totals['filed']}件，报备率{L.pct(t['filing_rate'])}；"
            f"按期报送{totals['filed_on_time']}件，报备及时率{L.pct(t['timely_rate'])}；"
            f"材料齐全规范{totals['filed_complete']}件，规范率{L.pct(t['conformity_rate'])}；"
            f"已作出审查结论{totals['reviewed']}件，审查率{L.pct(t['review_rate'])}；"
            f"发现问题{totals['found_wrong']}件，已纠正{totals['corrected']}件（其中按期纠正"
            f"{totals['corrected_on_time']}件），纠错率{L.pct(t['correction_rate'])}。"
        ),
    )
    never = sum(1 for v in report["violations"] if v["kind"] == "never_filed")
    doc.add(
        L.Para(
            "未发现瞒报漏报。"
            if not never
            else f"发现瞒报漏报（逾期未报送备案）{never}件，详见问题清单。"
        )
    )
    doc.add(L.Heading("二、各单位情况", 1))
    doc.add(
        L.Table(
            [L.Column("单位", 2.2)] + [L.Column(COUNT_LABELS[k], 1, "right") for k in COUNTS],
            [[o["name"]] + [str(o[k]) for k in COUNTS] for o in orgs]
            + [["合计"] + [str(totals[k]) for k in COUNTS]],
            size=9,
            bold_last_row=True,
        ),
        L.Table(
            [L.Column("单位", 2.6)] + [L.Column(RATE_LABELS[k], 1.2, "right") for k in RATES],
            [[o["name"]] + [L.pct(o["rates"][k]) for k in RATES] for o in orgs]
            + [["合计"] + [L.pct(t[k]) for k in RATES]],
            size=9,
            bold_last_row=True,
        ),
    )
    if orgs:
        doc.add(
            L.BarChart(
                "各单位备案审查指标",
                [o["name"] for o in orgs],
                [(RATE_LABELS[k], [o["rates"][k] for o in orgs]) for k in RATES],
            )
        )
    doc.add(L.Heading("三、问题清单", 1))
    violations = report["violations"]
    if violations:
        doc.add(L.Para(f"共{len(violations)}项。同一文件可能列于多类问题之下。"))
        doc.add(
            L.Table(
                [
                    # weights in points at 8 pt: dates, 文号 and a 6-character body name fit
                    L.Column("序号", 24, "centre"),
                    L.Column("问题类型", 48),
                    L.Column("单位", 55),
                    L.Column("文件名称", 97),
                    L.Column("发文字号", 80),
                    L.Column("期限", 50, "centre"),
                    L.Column("办理日期", 50, "centre"),
                    L.Column("逾期天数", 40, "right"),
                ],
                [
                    [
                        str(i),
                        VIOLATION_KINDS[v["kind"]] + (f"（{v['detail']}）" if v["detail"] else ""),
                        names.get(v["organisation"], v["organisation"]),
                        v["title"],
                        v["number"],
                        v["due"] or "",
                        v["done"] or "未办理",
                        "" if v["days_late"] is None else str(v["days_late"]),
                    ]
                    for i, v in enumerate(violations, 1)
                ],
                size=8,
            )
        )
    else:
        doc.add(L.Para("统计期间未发现问题。"))
    doc.add(
        L.Heading("四、统计口径", 1),
        L.Para(
            "报备率＝已报送备案件数÷应报送备案件数；报备及时率＝按期报送件数÷已报送件数；"
            "规范率＝最近一次报送材料齐全的件数÷已报送件数；审查率＝已作出审查结论的件数÷已报送件数；"
            "纠错率＝已纠正件数÷发现问题件数。分母为零的比率不计算，以“—”表示。"
        ),
        L.Para(
            "统计对象为统计期间内公布的文件；应报送备案指已报送或报送期限已届满的文件。"
            "统计截止日之后发生的报送、审查和纠正不计入。"
        ),
    )
    for note in report["notes"]:
        doc.add(L.Para(note))
    doc.add(L.Para(f"数据摘要（SHA-256）：{report['data_hash']}", indent=False))
    return doc
