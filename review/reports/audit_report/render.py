"""Renderings of the one dict `compute()` returns: JSON, CSV, and the GB/T 9704
blocks the PDF and DOCX renderers lay out (`compose`)."""

import datetime
import io
import json

from .. import charts, spreadsheet
from .. import layout as L
from .labels import (
    BASE_COUNTS,
    COUNT_LABELS,
    DECISION_COUNTS,
    RATE_LABELS,
    RATES,
    VIOLATION_KINDS,
)
from .suggestions import SUGGESTION_COUNTS, SUGGESTION_LABELS


def to_json(report) -> bytes:
    """One top-level field per line (so a diff shows which part changed), each written
    by json's C encoder in one call: indent= would switch to the pure-Python encoder,
    four times slower on a year of 10,000 documents. `python -m json.tool` pretty-prints."""
    lines = [
        f"{json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}"
        for key, value in report.items()
    ]
    return ("{" + ",\n".join(lines) + "}\n").encode("utf-8")


# --- CSV --------------------------------------------------------------------


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
    _csv_bodies(w, report)
    w.writerow([])
    _csv_violations(w, report)
    _csv_suggestions(w, report)
    for note in report["notes"]:
        w.writerow(["注", note])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _csv_suggestions(w, report):
    """审查建议: the four counts (a report written before they were counted has none)."""
    counted = report.get("suggestions")
    if not counted:
        return
    w.writerow([])
    w.writerow(["审查建议"])
    for key in SUGGESTION_COUNTS:
        w.writerow([SUGGESTION_LABELS[key], counted[key]])


def _csv_bodies(w, report):
    """The counts and rates as before, then the registration decisions and escalations
    (added later: appended, so the earlier columns keep their places)."""
    w.writerow(
        ["单位代码(code)", "单位名称(name)"]
        + [f"{COUNT_LABELS[k]}({k})" for k in BASE_COUNTS]
        + [f"{RATE_LABELS[k]}({k})" for k in RATES]
        + [f"{COUNT_LABELS[k]}({k})" for k in DECISION_COUNTS]
    )
    for org in report["organisations"]:
        w.writerow(
            [org["code"], org["name"]]
            + [org[k] for k in BASE_COUNTS]
            + [_fraction(org["rates"][k]) for k in RATES]
            + [org[k] for k in DECISION_COUNTS]
        )
    totals = report["totals"]
    w.writerow(
        ["合计", ""]
        + [totals[k] for k in BASE_COUNTS]
        + [_fraction(totals["rates"][k]) for k in RATES]
        + [totals[k] for k in DECISION_COUNTS]
    )


def _csv_violations(w, report):
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
                _due(v),
                v["done"] or "",
                "" if v["days_late"] is None else v["days_late"],
                v["detail"],
            ]
        )


def _due(violation):
    """The deadline, marked （暂定） when provisional (domain-rules §9)."""
    due = violation["due"] or ""
    return f"{due}（暂定）" if due and violation.get("due_provisional") else due


# --- the GB/T 9704 document ----------------------------------------------------


def _period_text(p):
    start, end = datetime.date.fromisoformat(p["from"]), datetime.date.fromisoformat(p["to"])
    return f"{L.cn_date(start)}至{L.cn_date(end)}"


def compose(report) -> L.Document:
    """The report as GB/T 9704 blocks for the PDF and DOCX renderers: 一、总体情况,
    二、各单位情况, 三、问题清单, 四、统计口径."""
    p = report["parameters"]
    doc = L.Document(
        title=report["title"],
        author="规范性文件备案审查系统",
        subject=f"数据摘要 SHA-256 {report['data_hash']}",
        date=datetime.date.fromisoformat(p["today"]),
    )
    doc.add(
        L.Title(report["title"]),
        L.Subtitle(f"（统计期间：{_period_text(p)}；统计截止：{L.cn_date(p['today'])}）"),
    )
    _overview(doc, report)
    _by_body(doc, report)
    _violation_list(doc, report)
    _method(doc, report)
    return doc


def _overview(doc, report):
    totals = report["totals"]
    t = totals["rates"]
    doc.add(
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
    counted = report.get("suggestions")
    if counted:
        doc.add(
            L.Para(
                f"收到公民、法人和其他组织提出的审查建议{counted['received']}件，"
                f"已书面答复{counted['answered']}件（其中按期答复{counted['answered_on_time']}件），"
                f"据此提出审查意见{counted['led_to_correction']}件。"
            )
        )
    never = sum(1 for v in report["violations"] if v["kind"] == "never_filed")
    doc.add(
        L.Para(
            "未发现瞒报漏报。"
            if not never
            else f"发现瞒报漏报（逾期未报送备案）{never}件，详见问题清单。"
        )
    )


def _by_body(doc, report):
    totals = report["totals"]
    orgs = report["organisations"]
    doc.add(L.Heading("二、各单位情况", 1))
    doc.add(
        L.Table(
            [L.Column("单位", 2.2)] + [L.Column(COUNT_LABELS[k], 1, "right") for k in BASE_COUNTS],
            [[o["name"]] + [str(o[k]) for k in BASE_COUNTS] for o in orgs]
            + [["合计"] + [str(totals[k]) for k in BASE_COUNTS]],
            size=9,
            bold_last_row=True,
        ),
        L.Table(
            [L.Column("单位", 2.6)] + [L.Column(RATE_LABELS[k], 1.2, "right") for k in RATES],
            [[o["name"]] + [L.pct(o["rates"][k]) for k in RATES] for o in orgs]
            + [["合计"] + [L.pct(totals["rates"][k]) for k in RATES]],
            size=9,
            bold_last_row=True,
        ),
        L.Table(
            [L.Column("单位", 2.6)]
            + [L.Column(COUNT_LABELS[k], 1.2, "right") for k in DECISION_COUNTS],
            [[o["name"]] + [str(o[k]) for k in DECISION_COUNTS] for o in orgs]
            + [["合计"] + [str(totals[k]) for k in DECISION_COUNTS]],
            size=9,
            bold_last_row=True,
        ),
    )
    if orgs:
        doc.add(charts.rate_chart(report))


def _violation_list(doc, report):
    doc.add(L.Heading("三、问题清单", 1))
    violations = report["violations"]
    if not violations:
        doc.add(L.Para("统计期间未发现问题。"))
        return
    names = {o["code"]: o["name"] for o in report["organisations"]}
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
                    _due(v),
                    v["done"] or "未办理",
                    "" if v["days_late"] is None else str(v["days_late"]),
                ]
                for i, v in enumerate(violations, 1)
            ],
            size=8,
        )
    )


def _method(doc, report):
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
