"""审查意见征集 in the opinion letters: who was asked, by when, and what they answered
(a late answer marked), for the 合法性审核意见书 and the filing review's 审查意见书."""

import datetime
from dataclasses import dataclass

from ..models import Consultation
from . import layout as L


@dataclass
class ConsultationLine:
    addressee: str
    question: str
    asked_on: datetime.date
    due_on: datetime.date
    answer: str
    answered_on: datetime.date | None
    late: bool


def consultation_lines(document, stage) -> list[ConsultationLine]:
    rows = Consultation.objects.filter(document=document, stage=stage).order_by("asked_on", "pk")
    return [
        ConsultationLine(
            addressee=c.addressee,
            question=c.question,
            asked_on=c.asked_on,
            due_on=c.due_on,
            answer=c.answer,
            answered_on=c.answered_on,
            late=c.late,
        )
        for c in rows
    ]


def add_consultations(doc, heading, lines):
    """征求意见情况: each answer after its addressee and dates; none asked: nothing."""
    if not lines:
        return
    doc.add(heading("征求意见情况"))
    for i, c in enumerate(lines, 1):
        if c.answered_on:
            when = f"{L.cn_date(c.answered_on)}答复" + ("（逾期）" if c.late else "")
        else:
            when = "未答复"
        doc.add(
            L.Para(
                f"{i}. {c.addressee}（{L.cn_date(c.asked_on)}征求，"
                f"请于{L.cn_date(c.due_on)}前答复；{when}）：{c.question}"
            )
        )
        doc.add(*[L.Para(line.strip()) for line in c.answer.splitlines() if line.strip()])
