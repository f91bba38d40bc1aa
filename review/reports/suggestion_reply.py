"""审查建议答复书: the filing authority's written answer to a 审查建议 (法规规章备案条例
art. 9), GB/T 9704 like the other notices. It names the addressee as they signed
the suggestion and never their contact details (those stay on the desk)."""

import datetime
from dataclasses import dataclass

from . import layout as L
from .compose import paragraphs
from .data import MissingRecord

ART_9 = "《法规规章备案条例》第九条"


@dataclass
class Reply:
    authority: str
    addressee: str
    receipt: str
    document: str
    received_on: datetime.date
    provisions: str
    outcome: str
    reply: str
    day: datetime.date
    opinion_on: datetime.date | None = None


def reply_letter(suggestion) -> Reply:
    if suggestion.replied_on is None:
        raise MissingRecord(f"审查建议 {suggestion.receipt} 尚未答复，没有答复书。")
    return Reply(
        authority=suggestion.authority.name,
        addressee=suggestion.submitter_name or "建议人",
        receipt=suggestion.receipt,
        document=suggestion.document_name,
        received_on=suggestion.received_on,
        provisions=suggestion.provisions,
        outcome=str(suggestion.get_outcome_display()),
        reply=suggestion.reply,
        day=suggestion.replied_on,
        opinion_on=suggestion.correction.issued_on if suggestion.correction_id else None,
    )


def compose_reply(r: Reply) -> L.Document:
    title = "审查建议答复书"
    doc = L.Document(title=f"{title}：{r.receipt}", author=r.authority, date=r.day)
    doc.add(L.Title(title), L.Subtitle(f"回执号 {r.receipt}"), L.Addressee(f"{r.addressee}："))
    doc.add(
        L.Para(
            f"你于{L.cn_date(r.received_on)}提出的关于{_named(r.document)}"
            f"（所涉条款：{r.provisions}）的审查建议收悉。根据{ART_9}，我机关进行了研究，"
            "现答复如下："
        ),
        L.Para(f"办理结果：{r.outcome}。"),
        *paragraphs(r.reply),
    )
    if r.opinion_on:
        doc.add(L.Para(f"我机关已于{L.cn_date(r.opinion_on)}向制定机关提出审查意见。"))
    doc.add(L.Para("感谢你对规范性文件备案审查工作的支持。"))
    doc.add(L.Signature(r.authority, L.cn_date(r.day)))
    return doc


def _named(name):
    name = (name or "").strip()
    if name.startswith("《"):
        return name
    return f"《{name}》" if name else "相关文件"
