"""The filing authority's notices (法规规章备案条例 art. 7, 20), each read into plain
data and composed into GB/T 9704 blocks, like `data` and `compose` do for the
other outputs: 备案登记通知, 暂缓办理通知, 不予备案登记通知 (the registration
decision at receipt), 撤销/改变决定 and 通报 (an escalation), 限期报送通知.
The 审查意见书 (the review's conclusion) is `review_opinion` in `data`/`compose`."""

import datetime
from dataclasses import dataclass, field

from ..models import FILING_MATERIALS, Escalation, FilingDemand, FilingReview
from . import layout as L
from .compose import paragraphs
from .data import MissingRecord, _registration, person

MATERIAL_LABELS = {key: str(label) for key, label in FILING_MATERIALS}
ART_7 = "《法规规章备案条例》第七条"
ART_20 = "《法规规章备案条例》第二十条"


@dataclass
class Notice:
    """What every notice names: who writes to whom about which document."""

    authority: str
    organisation: str
    title: str
    number: str
    reg_number: str
    day: datetime.date | None
    filed_on: datetime.date | None = None
    received_on: datetime.date | None = None
    published_on: datetime.date | None = None
    missing: list[str] = field(default_factory=list)
    text: str = ""  # what the decision says in words
    reviewer: str = ""
    kind: str = ""
    decision_number: str = ""
    effective_on: datetime.date | None = None
    due_on: datetime.date | None = None
    deadline: datetime.date | None = None
    notified_on: datetime.date | None = None


def _cited(n):
    number = "，".join(x for x in (n.number, f"登记号{n.reg_number}" if n.reg_number else "") if x)
    return f"《{n.title}》" + (f"（{number}）" if number else "")


def _base(document, authority, day):
    registration = _registration(document)
    return Notice(
        authority=authority,
        organisation=document.organisation.name,
        title=document.title,
        number=registration.number if registration else "",
        reg_number=registration.reg_number if registration else "",
        day=day,
    )


def _decided(document, outcome, missing_text):
    review = (
        FilingReview.objects.filter(filing__document=document, outcome=outcome)
        .select_related("filing__authority", "reviewer")
        .order_by("-filing__filed_on", "-filing__pk")
        .first()
    )
    if review is None:
        raise MissingRecord(missing_text.format(title=document.title))
    notice = _base(document, review.filing.authority.name, review.decided_on)
    notice.filed_on = review.filing.filed_on
    notice.received_on = review.received_on
    notice.reviewer = person(review.reviewer)
    notice.missing = [MATERIAL_LABELS[key] for key in review.missing or []]
    notice.text = {
        FilingReview.Outcome.DEFERRED: review.to_supply,
        FilingReview.Outcome.REFUSED: review.refusal_reason,
    }.get(outcome, "")
    return notice


# --- reading ------------------------------------------------------------------


def registration_notice(document):
    return _decided(
        document, FilingReview.Outcome.REGISTERED, "《{title}》尚未予以备案登记，没有备案登记通知。"
    )


def deferral_notice(document):
    return _decided(
        document, FilingReview.Outcome.DEFERRED, "《{title}》没有暂缓办理备案登记的决定。"
    )


def refusal_notice(document):
    return _decided(document, FilingReview.Outcome.REFUSED, "《{title}》没有不予备案登记的决定。")


def escalation_decision(document):
    escalation = (
        Escalation.objects.filter(document=document)
        .select_related("decided_by")
        .order_by("-decided_on", "-pk")
        .first()
    )
    if escalation is None:
        raise MissingRecord(f"《{document.title}》没有撤销、改变或通报的决定。")
    files_with = document.organisation.files_with
    notice = _base(document, files_with.name if files_with else "", escalation.decided_on)
    notice.kind = escalation.kind
    notice.decision_number = escalation.decision_number
    notice.effective_on = escalation.effective_on
    notice.text = escalation.reason
    notice.reviewer = person(escalation.decided_by)
    return notice


def filing_demand_notice(document):
    demand = (
        FilingDemand.objects.filter(document=document)
        .select_related("authority")
        .order_by("-issued_on", "-pk")
        .first()
    )
    if demand is None:
        raise MissingRecord(f"《{document.title}》没有限期报送通知。")
    notice = _base(document, demand.authority.name, demand.issued_on)
    publication = getattr(document, "publication", None)
    notice.published_on = publication.published_on if publication else None
    notice.deadline = demand.deadline
    notice.notified_on = demand.notified_on
    notice.filed_on = demand.filed_on
    notice.text = demand.note
    return notice


# --- composing ----------------------------------------------------------------


def _letter(title, n):
    doc = L.Document(title=f"{title}：{n.title}", author=n.authority, date=n.day)
    doc.add(L.Title(title), L.Addressee(f"{n.organisation}："))
    return doc


def _received(n):
    return (
        f"你单位{L.cn_date(n.filed_on)}报送备案的{_cited(n)}，"
        f"我机关于{L.cn_date(n.received_on)}收悉。"
    )


def compose_registration_notice(n: Notice) -> L.Document:
    doc = _letter("备案登记通知", n)
    doc.add(
        L.Para(
            _received(n) + "经审查，该文件属于本机关备案审查范围，备案材料齐全、符合要求。"
            f"根据{ART_7}，予以备案登记。"
        ),
        L.Para("我机关将依法对该文件进行审查，审查意见另行通知。"),
        L.Signature(n.authority, L.cn_date(n.day)),
    )
    return doc


def compose_deferral_notice(n: Notice) -> L.Document:
    doc = _letter("暂缓办理备案登记通知", n)
    doc.add(
        L.Para(
            _received(n) + f"经审查，备案材料不齐全或者不符合要求，根据{ART_7}，暂缓办理备案登记。"
        )
    )
    if n.missing:
        doc.add(L.Para("请补充或者重新报送以下材料："))
        doc.add(*[L.Para(f"{i}. {label}") for i, label in enumerate(n.missing, 1)])
    doc.add(*paragraphs(n.text))
    doc.add(
        L.Para("补充或者重新报送后，我机关将重新作出备案登记决定。"),
        L.Signature(n.authority, L.cn_date(n.day)),
    )
    return doc


def compose_refusal_notice(n: Notice) -> L.Document:
    doc = _letter("不予备案登记通知", n)
    doc.add(
        L.Para(
            _received(n) + f"经审查，该文件不属于本机关备案审查范围，根据{ART_7}，不予备案登记。"
        ),
        *paragraphs(n.text),
        L.Para("现将报备材料退回。本通知不涉及该文件的效力，该文件的登记号不变。"),
        L.Signature(n.authority, L.cn_date(n.day)),
    )
    return doc


ESCALATION_TITLES = {
    Escalation.Kind.REVOKE: "关于撤销《{title}》的决定",
    Escalation.Kind.CHANGE: "关于改变《{title}》的决定",
    Escalation.Kind.NOTIFY: "关于《{title}》未按审查意见纠正的通报",
}


def compose_escalation_decision(n: Notice) -> L.Document:
    title = ESCALATION_TITLES[n.kind].format(title=n.title)
    doc = L.Document(title=title, author=n.authority, date=n.day)
    doc.add(L.Title(title))
    if n.decision_number:
        doc.add(L.Subtitle(n.decision_number))
    doc.add(L.Addressee(f"{n.organisation}："), *paragraphs(n.text))
    verb = {Escalation.Kind.REVOKE: "撤销", Escalation.Kind.CHANGE: "改变"}.get(n.kind)
    if verb:
        doc.add(
            L.Para(
                f"你单位制定的{_cited(n)}经审查提出审查意见后，未按期自行纠正。根据{ART_20}，"
                f"决定予以{verb}，自{L.cn_date(n.effective_on)}起生效。"
            )
        )
    else:
        doc.add(
            L.Para(
                f"你单位制定的{_cited(n)}经审查提出审查意见后，未按要求自行纠正。"
                f"根据{ART_20}，予以通报，请即纠正并报告处理情况。"
            )
        )
    doc.add(L.Signature(n.authority, L.cn_date(n.day)))
    return doc


def compose_filing_demand_notice(n: Notice) -> L.Document:
    doc = _letter("限期报送备案通知", n)
    doc.add(
        L.Para(
            f"你单位于{L.cn_date(n.published_on)}公布的{_cited(n)}，逾期未报送备案。"
            f"根据{ART_20}，请于{L.cn_date(n.deadline)}前报送备案。逾期仍不报送的，予以通报。"
        ),
        *paragraphs(n.text),
    )
    if n.filed_on:
        doc.add(L.Para(f"该文件已于{L.cn_date(n.filed_on)}报送备案。"))
    if n.notified_on:
        doc.add(L.Para(f"限期届满仍未报送，已于{L.cn_date(n.notified_on)}予以通报。"))
    doc.add(L.Signature(n.authority, L.cn_date(n.day)))
    return doc


KINDS = {
    "registration_notice": ("备案登记通知", registration_notice, compose_registration_notice),
    "deferral_notice": ("暂缓办理备案登记通知", deferral_notice, compose_deferral_notice),
    "refusal_notice": ("不予备案登记通知", refusal_notice, compose_refusal_notice),
    "escalation_decision": (
        "撤销、改变决定或通报",
        escalation_decision,
        compose_escalation_decision,
    ),
    "filing_demand_notice": (
        "限期报送备案通知",
        filing_demand_notice,
        compose_filing_demand_notice,
    ),
}
