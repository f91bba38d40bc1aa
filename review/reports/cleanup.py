"""The result lists of a 清理 (domain-rules §8): 继续有效 / 拟修改 / 拟废止 / 宣布失效,
each document under its decision when recorded, else under its proposal; documents
with neither are listed as 尚未提出意见. One reading (`result_lists`), rendered to PDF
and DOCX through the GB/T 9704 blocks (`compose`)."""

import datetime
from dataclasses import dataclass, field

from ..choices import CleanupOutcome
from ..models import CleanupItem
from . import layout as L
from .compose import cn_number

LISTS = [
    (CleanupOutcome.CONTINUE, "继续有效的规范性文件目录"),
    (CleanupOutcome.AMEND, "拟修改的规范性文件目录"),
    (CleanupOutcome.REPEAL, "拟废止的规范性文件目录"),
    (CleanupOutcome.DECLARE_INVALID, "宣布失效的规范性文件目录"),
]


@dataclass
class ResultLine:
    unit: str
    title: str
    number: str
    valid_until: datetime.date | None
    reason: str
    decided: bool


@dataclass
class ResultLists:
    title: str
    organisation: str
    in_force_on: datetime.date
    lists: dict = field(default_factory=dict)  # outcome -> [ResultLine]
    pending: int = 0


def result_lists(campaign) -> ResultLists:
    rows = (
        CleanupItem.objects.filter(campaign=campaign)
        .order_by("unit__name", "document__registration__number", "pk")
        .values_list(
            "unit__name",
            "document__title",
            "document__registration__number",
            "document__valid_until",
            "proposal_note",
            "proposed",
            "decided",
        )
    )
    out = ResultLists(campaign.title, campaign.organisation.name, campaign.in_force_on)
    out.lists = {outcome: [] for outcome, _title in LISTS}
    for unit, title, number, valid_until, note, proposed, decided in rows.iterator():
        outcome = decided or proposed
        if not outcome:
            out.pending += 1
            continue
        out.lists[outcome].append(
            ResultLine(unit, title, number or "", valid_until, note, bool(decided))
        )
    return out


def compose(d: ResultLists) -> L.Document:
    doc = L.Document(title=d.title, author=d.organisation, date=d.in_force_on)
    doc.add(
        L.Title(d.title),
        L.Subtitle(f"（{d.organisation}，截至{L.cn_date(d.in_force_on)}有效的文件）"),
    )
    columns = [
        L.Column("序号", 22, "centre"),
        L.Column("单位", 70),
        L.Column("文件名称", 130),
        L.Column("发文字号", 78),
        L.Column("理由", 80),
        L.Column("状态", 40, "centre"),
    ]
    for n, (outcome, title) in enumerate(LISTS, 1):
        lines = d.lists.get(outcome, [])
        doc.add(L.Heading(f"{cn_number(n)}、{title}（{len(lines)}件）", 1))
        if not lines:
            doc.add(L.Para("无。"))
            continue
        rows = [
            [str(i), x.unit, x.title, x.number, x.reason, "已决定" if x.decided else "拟"]
            for i, x in enumerate(lines, 1)
        ]
        doc.add(L.Table(columns, rows, size=8))
    if d.pending:
        doc.add(L.Para(f"另有{d.pending}件尚未提出清理意见。", indent=False))
    return doc
