"""What each official output says, read from the models into plain dataclasses.

One function per document. They take a `NormativeDocument` (or parameters) and
return data only — no layout, no request — so the PDF, DOCX and any later format
render the same facts. The filing audit has its own module (`audit_report`).
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from .. import rules
from ..actions import filing_materials
from ..calendar import Deadline, WorkingCalendar
from ..choices import ConsultationStage
from ..models import (
    CHECKLIST_ITEMS,
    FILING_MATERIALS,
    FILING_REVIEW_ITEMS,
    ArticleNote,
    Comment,
    Correction,
    FilingReview,
    NormativeDocument,
    Organisation,
    ReviewOutcome,
)
from .consultations import ConsultationLine, consultation_lines


class MissingRecord(ValueError):
    """The document has not reached the step the output reports on."""


def person(user):
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def local_date(moment):
    return timezone.localtime(moment).date() if moment else None


def _need(value, message):
    if value is None:
        raise MissingRecord(message)
    return value


def _registration(document):
    # A missing one-to-one raises RelatedObjectDoesNotExist, an AttributeError.
    return getattr(document, "registration", None)


def _publication(document):
    return getattr(document, "publication", None)


registration_of, publication_of = _registration, _publication


def has_filing_review(document) -> bool:
    """What review_opinion reads exists: a filing review of one of its filings."""
    return FilingReview.objects.filter(filing__document=document).exists()


def _authority_name(document, filing=None):
    if filing is not None:
        return filing.authority.name
    files_with = document.organisation.files_with
    return files_with.name if files_with else ""


# --------------------------------------------------------------------------
# 1. 合法性审核意见书


@dataclass
class ChecklistLine:
    key: str
    label: str
    ok: bool | None  # None: not answered
    note: str


@dataclass
class AdvisorLine:
    advisor: str
    opinion: str
    agrees: bool
    signed_on: datetime.date
    version_number: int
    version_sha256: str
    same_version: bool  # signed the version that was reviewed


@dataclass
class NoteLine:
    article: str  # 第X条, or 序言 for the text before the first article
    chapter: str
    author: str
    text: str
    noted_on: datetime.date


@dataclass
class LegalityOpinion:
    organisation: str
    title: str
    drafting_unit: str
    version_number: int
    version_sha256: str
    received_on: datetime.date
    due_on: datetime.date
    completed_on: datetime.date | None
    urgent_reason: str
    reviewer: str
    outcome: str
    outcome_label: str
    opinion: str
    checklist: list[ChecklistLine]
    advisors: list[AdvisorLine]
    notes: list[NoteLine]
    consultations: list[ConsultationLine] = field(default_factory=list)


def legality_opinion(document: NormativeDocument) -> LegalityOpinion:
    review = (
        document.legality_reviews.exclude(outcome="").order_by("-started_at", "-pk").first()
        or document.latest_review
    )
    _need(review, f"《{document.title}》尚无合法性审核记录，不能出具合法性审核意见书。")
    checklist = []
    for key, label in CHECKLIST_ITEMS:
        answer = review.checklist.get(key) or {}
        checklist.append(ChecklistLine(key, str(label), answer.get("ok"), answer.get("note", "")))
    advisors = [
        AdvisorLine(
            advisor=person(opinion.advisor),
            opinion=opinion.opinion,
            agrees=opinion.agrees,
            signed_on=local_date(opinion.signed_at),
            version_number=opinion.version.number,
            version_sha256=opinion.version_sha256,
            same_version=opinion.version_sha256 == review.version_sha256,
        )
        for opinion in review.advisor_opinions.select_related("advisor", "version").order_by(
            "signed_at", "pk"
        )
    ]
    return LegalityOpinion(
        organisation=document.organisation.name,
        title=document.title,
        drafting_unit=document.drafting_unit.name if document.drafting_unit else "",
        version_number=review.version.number,
        version_sha256=review.version_sha256,
        received_on=local_date(review.started_at),
        due_on=Deadline.of(review.due_on, review.due_on_provisional),
        completed_on=local_date(review.completed_at),
        urgent_reason=review.urgent_reason,
        reviewer=person(review.reviewer),
        outcome=review.outcome,
        outcome_label=str(ReviewOutcome(review.outcome).label) if review.outcome else "审核中",
        opinion=review.opinion,
        checklist=checklist,
        advisors=advisors,
        notes=article_notes(review.version),
        consultations=consultation_lines(document, ConsultationStage.LEGALITY),
    )


def article_notes(version) -> list[NoteLine]:
    """The reviewers' notes on the reviewed version's articles, in the text's order."""
    notes = ArticleNote.objects.filter(article__version=version).select_related("article", "author")
    return [
        NoteLine(
            article=note.article.label or "序言",
            chapter=note.article.chapter,
            author=person(note.author),
            text=note.text,
            noted_on=local_date(note.created_at),
        )
        for note in notes.order_by("article__position", "created_at", "pk")
    ]


# --------------------------------------------------------------------------
# 2. 征求意见及采纳情况说明


@dataclass
class CommentLine:
    receipt: str
    article: int | None
    author: str
    text: str
    response: str
    response_label: str
    reason: str


@dataclass
class CommentPeriodSummary:
    opens_on: datetime.date
    closes_on: datetime.date
    channel: str
    calendar_days: int
    working_days: int | None  # None: the calendar has no data for that year
    urgent_reason: str
    summary: str
    counts: dict
    comments: list[CommentLine]


@dataclass
class CommentSummary:
    organisation: str
    title: str
    periods: list[CommentPeriodSummary]
    dated: datetime.date | None


def _comment_author(comment):
    # Personal names and contacts are not printed (个人信息保护); a body's name is.
    if comment.author_kind == Comment.AuthorKind.ORGANISATION and comment.author_name:
        return comment.author_name
    return str(Comment.AuthorKind(comment.author_kind).label)


def comment_summary(document: NormativeDocument) -> CommentSummary:
    periods = list(document.comment_periods.order_by("opens_on", "pk"))
    if not periods:
        raise MissingRecord(f"《{document.title}》未公开征求意见，没有征求意见及采纳情况可说明。")
    calendar = WorkingCalendar()
    out = []
    for period in periods:
        counts = dict.fromkeys(
            (
                "received",
                "published",
                "hidden",
                "spam",
                "adopted",
                "partly",
                "not_adopted",
                "unanswered",
            ),
            0,
        )
        lines = []
        for comment in period.comments.order_by("submitted_at", "pk"):
            if comment.status == Comment.Status.SPAM:
                counts["spam"] += 1
                continue
            counts["received"] += 1
            counts["hidden" if comment.status == Comment.Status.HIDDEN else "published"] += 1
            counts[comment.response or "unanswered"] += 1
            hidden = comment.status == Comment.Status.HIDDEN
            lines.append(
                CommentLine(
                    receipt=comment.receipt,
                    article=comment.article,
                    author=_comment_author(comment),
                    text=f"（不予公开：{comment.hidden_reason or '未说明理由'}）"
                    if hidden
                    else comment.text,
                    response=comment.response,
                    response_label=str(Comment.Response(comment.response).label)
                    if comment.response
                    else "未答复",
                    reason=comment.response_reason,
                )
            )
        # 民法典 art. 201, as the window was checked: the opening day is not counted.
        working_days, calendar_days = rules.comment_window_length(
            calendar, period.opens_on, period.closes_on
        )
        if calendar.unknown_years(period.opens_on, period.closes_on):
            working_days = None  # not certain before the year's schedule is published
        out.append(
            CommentPeriodSummary(
                opens_on=period.opens_on,
                closes_on=period.closes_on,
                channel=period.channel,
                calendar_days=calendar_days,
                working_days=working_days,
                urgent_reason=period.urgent_reason,
                summary=period.summary,
                counts=counts,
                comments=lines,
            )
        )
    last = periods[-1]
    return CommentSummary(
        organisation=document.organisation.name,
        title=document.title,
        periods=out,
        dated=local_date(last.closed_at) or last.closes_on,
    )


# --------------------------------------------------------------------------
# 3. 正式文本


@dataclass
class OfficialText:
    organisation: str
    issuer_mark: str  # 发文机关标志, e.g. 安康市民政局文件
    number: str  # 发文字号
    reg_number: str  # 三统一登记号
    title: str
    body: str
    signed_on: datetime.date
    published_on: datetime.date | None
    effective_from: datetime.date | None
    valid_until: datetime.date | None
    cc: list[str]
    printer: str
    printed_on: datetime.date
    version_number: int
    version_sha256: str


def _printing_office(organisation):
    """印发机关: the body's own 办公室 (e.g. 安康市民政局办公室, the usual 印发 unit)
    where it is recorded as a division, else the body itself."""
    office = f"{organisation.name}办公室"
    exists = organisation.children.filter(kind=Organisation.Kind.DIVISION, name=office).exists()
    return office if exists else organisation.name


def official_text(document: NormativeDocument) -> OfficialText:
    registration = _need(
        _registration(document), f"《{document.title}》尚未登记编号，没有正式文本。"
    )
    publication = _publication(document)
    organisation = document.organisation
    # The models keep no 抄送 list: copy the superior body and the filing authority.
    cc = [org.name for org in (organisation.parent, organisation.files_with) if org is not None]
    return OfficialText(
        organisation=organisation.name,
        issuer_mark=f"{organisation.name}文件",
        number=registration.number,
        reg_number=registration.reg_number,
        title=document.title,
        body=registration.version.text,
        signed_on=registration.signed_on,
        published_on=publication.published_on if publication else None,
        effective_from=document.effective_from,
        valid_until=document.valid_until,
        cc=list(dict.fromkeys(cc)),
        printer=_printing_office(organisation),
        printed_on=registration.signed_on,
        version_number=registration.version.number,
        version_sha256=registration.version.sha256,
    )


# --------------------------------------------------------------------------
# 4. 备案报告 with 材料清单


@dataclass
class MaterialLine:
    key: str
    label: str
    attached: bool


@dataclass
class FilingReport:
    organisation: str
    authority: str
    title: str
    number: str
    reg_number: str
    signed_on: datetime.date | None
    published_on: datetime.date | None
    channel: str
    effective_from: datetime.date | None
    valid_until: datetime.date | None
    filed_on: datetime.date | None  # None: not filed yet (a draft report)
    due_on: datetime.date | None
    on_time: bool | None
    resubmission: bool
    report_text: str
    materials: list[MaterialLine]


def filing_report(document: NormativeDocument) -> FilingReport:
    registration = _need(
        _registration(document), f"《{document.title}》尚未登记编号，不能报送备案。"
    )
    publication = _need(
        _publication(document), f"《{document.title}》尚未公布，公布后方可报送备案。"
    )
    filing = document.latest_filing
    if filing is not None:
        materials = filing.materials
    else:
        materials = filing_materials(document, "（本报告）")
    return FilingReport(
        organisation=document.organisation.name,
        authority=_authority_name(document, filing),
        title=document.title,
        number=registration.number,
        reg_number=registration.reg_number,
        signed_on=registration.signed_on,
        published_on=publication.published_on,
        channel=publication.channel,
        effective_from=document.effective_from,
        valid_until=document.valid_until,
        filed_on=filing.filed_on if filing else None,
        due_on=Deadline.of(filing.due_on, filing.due_on_provisional) if filing else None,
        on_time=filing.on_time if filing else None,
        resubmission=bool(filing and filing.resubmission_of_id),
        report_text=filing.report if filing else "",
        materials=[
            MaterialLine(key, str(label), bool(materials.get(key)))
            for key, label in FILING_MATERIALS
        ],
    )


# --------------------------------------------------------------------------
# 5. 备案审查意见 / 审查建议书


@dataclass
class CorrectionLine:
    suggestion: str
    issued_on: datetime.date
    deadline: datetime.date
    reported_on: datetime.date | None
    handling_report: str
    closed_on: datetime.date | None


@dataclass
class ReviewOpinion:
    authority: str
    organisation: str
    title: str
    number: str
    reg_number: str
    filed_on: datetime.date
    received_on: datetime.date
    due_on: datetime.date
    extended: bool
    decided_on: datetime.date | None
    formal_ok: bool | None
    outcome: str
    outcome_label: str  # the registration decision (登记结论, 备案条例 art. 7)
    items: list[ChecklistLine]
    findings: str
    to_supply: str
    reviewer: str
    corrections: list[CorrectionLine] = field(default_factory=list)
    conclusion: str = ""
    conclusion_label: str = ""  # the review's conclusion (审查意见结论, art. 10, 14)
    concluded_on: datetime.date | None = None
    consultations: list[ConsultationLine] = field(default_factory=list)


def _conclusion_label(review):
    """备案条例 art. 10: only a registered document is reviewed."""
    if review.conclusion:
        return str(FilingReview.Conclusion(review.conclusion).label)
    if review.outcome == FilingReview.Outcome.REGISTERED:
        return "审查中"
    if review.outcome:
        return f"未予备案登记，不作审查（{FilingReview.Outcome(review.outcome).label}）"
    return "待备案登记"


def review_opinion(document: NormativeDocument) -> ReviewOpinion:
    review = (
        FilingReview.objects.filter(filing__document=document)
        .select_related("filing__authority", "reviewer")
        .order_by("-filing__filed_on", "-filing__pk")
        .first()
    )
    _need(review, f"《{document.title}》尚未报送备案，没有备案审查意见。")
    filing = review.filing
    registration = _registration(document)
    items = []
    for key, label in FILING_REVIEW_ITEMS:
        answer = review.substantive.get(key) or {}
        items.append(ChecklistLine(key, str(label), answer.get("ok"), answer.get("note", "")))
    corrections = [
        CorrectionLine(
            c.suggestion,
            c.issued_on,
            Deadline.of(c.deadline, c.deadline_provisional),
            c.reported_on,
            c.handling_report,
            c.closed_on,
        )
        for c in Correction.objects.filter(document=document).order_by("issued_on", "pk")
    ]
    return ReviewOpinion(
        authority=filing.authority.name,
        organisation=document.organisation.name,
        title=document.title,
        number=registration.number if registration else "",
        reg_number=registration.reg_number if registration else "",
        filed_on=filing.filed_on,
        received_on=review.received_on,
        due_on=Deadline.of(review.due_on, review.due_on_provisional),
        extended=review.extended,
        decided_on=review.decided_on,
        formal_ok=review.formal_ok,
        outcome=review.outcome,
        outcome_label=str(FilingReview.Outcome(review.outcome).label)
        if review.outcome
        else "待登记",
        items=items,
        findings=review.findings,
        to_supply=review.to_supply,
        reviewer=person(review.reviewer),
        corrections=corrections,
        conclusion=review.conclusion,
        conclusion_label=_conclusion_label(review),
        concluded_on=review.concluded_on,
        consultations=consultation_lines(document, ConsultationStage.FILING),
    )


__all__ = [
    "MissingRecord",
    "legality_opinion",
    "comment_summary",
    "official_text",
    "filing_report",
    "review_opinion",
]
