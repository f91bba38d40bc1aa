"""The reconciliation report (issue 18, docs/reconciliation.md) as JSON, CSV or the
GB/T 9704 blocks of its PDF, each from the one dict `review.reconciliation.report`
returns. No request, no clock."""

import io
import json

from ..choices import FindingKind
from . import layout as L
from . import spreadsheet

KIND_LABELS = {kind: str(label) for kind, label in FindingKind.choices}
STATUS_LABELS = {
    "open": "待处理",
    "not_normative": "不属于规范性文件",
    "backfilled": "已补登记",
    "demanded": "已限期报送",
    "filed": "限期内已报送",
    "notified": "已通报",
}
HEADERS = [
    ("kind", "问题类型"),
    ("number", "文号"),
    ("title", "标题"),
    ("issued_on", "成文日期"),
    ("published_on", "公布日期"),
    ("due", "报送期限"),
    ("rule", "触发规则"),
    ("status", "状态"),
]


def to_json(report) -> bytes:
    return (json.dumps(report, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def to_csv(report) -> bytes:
    """One row per finding (kind and status as codes, readable labels beside them),
    then the totals and the classified rows skipped. UTF-8 with a BOM for Excel; no
    cell runs as a formula (`spreadsheet`)."""
    out = io.StringIO()
    w = spreadsheet.writer(out, lineterminator="\r\n")
    w.writerow(["单位(organisation)", report["organisation"]])
    w.writerow(["年度(year)", report["year"]])
    w.writerow(["跳过的涉密行(skipped_classified)", report["skipped_classified"]])
    w.writerow([])
    w.writerow([f"{label}({key})" for key, label in HEADERS] + ["说明(label)"])
    for line in report["findings"]:
        w.writerow(
            [line[key] or "" for key, _label in HEADERS]
            + [f"{KIND_LABELS[line['kind']]}；{STATUS_LABELS.get(line['status'], '')}"]
        )
    w.writerow([])
    for kind, count in report["totals"].items():
        w.writerow([f"{KIND_LABELS[kind]}({kind})", count])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def compose(report, organisation_name="") -> L.Document:
    year = report["year"]
    title = f"{year}年度发文与备案核对情况"
    doc = L.Document(title=title, author=organisation_name)
    doc.add(L.Title(title))
    doc.add(L.Subtitle(organisation_name or report["organisation"]))
    total = len(report["findings"])
    doc.add(
        L.Para(
            f"将发文登记簿、公布清单与规范性文件台账逐项核对，共发现问题{total}项。"
            f"登记簿中标有密级的{report['skipped_classified']}行未予读取（保密法）。"
        )
    )
    doc.add(L.Heading("一、问题汇总"))
    doc.add(
        L.Table(
            [L.Column("问题类型", 4), L.Column("件数", 1, "right")],
            [[KIND_LABELS[k], str(n)] for k, n in report["totals"].items()]
            + [["合计", str(total)]],
            bold_last_row=True,
        )
    )
    doc.add(L.Heading("二、问题清单"))
    if not report["findings"]:
        doc.add(L.Para("未发现问题。"))
        return doc
    rows = [
        [
            KIND_LABELS[line["kind"]],
            line["number"] or "—",
            line["title"],
            line["published_on"] or "—",
            line["due"] or "—",
            line["rule"],
            STATUS_LABELS.get(line["status"], line["status"]),
        ]
        for line in report["findings"]
    ]
    doc.add(
        L.Table(
            [
                L.Column("类型", 1.6),
                L.Column("文号", 1.6),
                L.Column("标题", 2.4),
                L.Column("公布日期", 1.1),
                L.Column("报送期限", 1.1),
                L.Column("触发规则", 2.6),
                L.Column("状态", 1.0),
            ],
            rows,
        )
    )
    return doc
