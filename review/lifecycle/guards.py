"""The conditions of the document's transitions, on stored state: each a `Guard`
with the refusal users see when it fails (domain-rules §2). The transitions that
name them are in `transitions`; the checks on what the user enters are in `inputs`.
"""

from contextlib import contextmanager

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import (
    FILING_MATERIALS,
    FILING_REVIEW_KEYS,
    OWES_ANSWER,
    AttachmentKind,
    Classification,
    DeliberationOutcome,
    ReviewOutcome,
)


class Guard:
    """A condition of a transition with the reason given when it fails."""

    def __init__(self, check, message):
        self.check = check
        self.message = message

    def __call__(self, document):
        memo = document.__dict__.get("_guard_memo")
        if memo is None:
            return bool(self.check(document))
        if self not in memo:
            memo[self] = bool(self.check(document))
        return memo[self]

    def reason(self, document):
        return str(self.message(document) if callable(self.message) else self.message)


@contextmanager
def guards_evaluated_once(document):
    """Within the block each guard is evaluated once: refusals() and django-fsm's own
    check of the same conditions, moments apart on the same locked row, agree."""
    document._guard_memo = {}
    try:
        with document.reading_once():  # and the records they ask for are read once
            yield
    finally:
        del document._guard_memo


def today_for(document):
    """The date a guard judges by: the date of the act being recorded, else today."""
    return getattr(document, "as_of", None) or timezone.localdate()


# --- guards ---------------------------------------------------------------


def _has_version(doc):
    return doc.current_version is not None


def _may_issue(doc):
    return doc.organisation.may_issue


def _has_drafting_note(doc):
    return AttachmentKind.DRAFTING_NOTE in doc.attachment_kinds()


def _has_assessment(doc):
    """37号: an important document goes 评估论证 → 公开征求意见 → 合法性审核; its
    评估论证报告 is among the materials the legal division receives."""
    return not doc.is_important or AttachmentKind.ASSESSMENT in doc.attachment_kinds()


def _has_legal_basis(doc):
    return bool(doc.legal_basis.strip())


def _comment_done(doc):
    """A document that must go out for comment has a closed period whose comments are all answered."""
    if not doc.requires_public_comment:
        return True
    period = doc.comment_periods.filter(closed_at__isnull=False).order_by("-closes_on").first()
    if period is None:
        return False
    return not period.comments.filter(OWES_ANSWER, response="").exists()


def _comment_period_over(doc):
    period = doc.comment_periods.order_by("-opens_on").first()
    return period is not None and today_for(doc) > period.closes_on


def _comment_period_over_reason(doc):
    period = doc.comment_periods.order_by("-opens_on").first()
    if period is None:
        return _("没有征求意见期记录")
    return _("征求意见期截止于 %(date)s，期满前不得结束征求意见") % {"date": period.closes_on}


def _classified_normative(doc):
    return doc.classification == Classification.NORMATIVE


def _classified_not_normative(doc):
    return doc.classification == Classification.NOT_NORMATIVE


def _review_sent_back(doc):
    review = doc.latest_review
    return review is not None and review.outcome in (ReviewOutcome.REVISE, ReviewOutcome.UNLAWFUL)


def _review_passed(doc):
    review = doc.latest_review
    return review is not None and review.passed


def _review_covers_current_version(doc):
    review = doc.latest_review
    current = doc.current_version
    return review is not None and current is not None and review.version_sha256 == current.sha256


def _advisor_signed_texts(doc):
    """The SHA-256 of every text a legal advisor has signed an opinion on."""
    return doc.advisor_signed_texts()


def _advisor_signed_current(doc):
    """The sign-off is bound to the text, not to a review round: any change of text
    after signing makes it stale."""
    if not doc.settings.advisor_signoff_required:
        return True
    current = doc.current_version
    return current is not None and current.sha256 in _advisor_signed_texts(doc)


def _advisor_reason(doc):
    if _advisor_signed_texts(doc):
        return _("法律顾问签署的是此前的版本，文本修改后其意见已失效，须重新签署")
    return _("法律顾问尚未出具书面意见并签署")


def _deliberation_passed(doc):
    deliberation = doc.latest_deliberation
    return deliberation is not None and deliberation.passed


def _deliberation_failed(doc):
    deliberation = doc.latest_deliberation
    return deliberation is not None and deliberation.outcome == DeliberationOutcome.FAILED


def _has_issuing_code(doc):
    return bool(doc.organisation.issuing_code)


def _registered(doc):
    return doc.registration_or_none is not None


def _published(doc):
    return doc.publication_or_none is not None


def _has_authority(doc):
    return doc.organisation.files_with_id is not None


def _filing_materials_complete(doc):
    filing = doc.latest_filing
    return filing is not None and filing.materials_complete


def _filing_materials_reason(doc):
    filing = doc.latest_filing
    if filing is None:
        return _("没有报送备案记录")
    labels = dict(_filing_material_labels())
    missing = "、".join(str(labels[key]) for key in filing.missing_materials)
    return _("备案材料不齐全（缺：%(missing)s），不得予以备案登记，应暂缓办理并通知补充") % {
        "missing": missing
    }


def _filing_material_labels():
    return FILING_MATERIALS


def _filing_review_clean(doc):
    filing = doc.latest_filing
    review = filing.review_or_none if filing else None
    if review is None:
        return False
    items = review.substantive or {}
    return all(key in items and items[key].get("ok") is True for key in FILING_REVIEW_KEYS)


def _filing_review_not_extended(doc):
    filing = doc.latest_filing
    review = filing.review_or_none if filing else None
    return review is not None and not review.extended


def _correction_reported(doc):
    correction = doc.open_correction
    return correction is not None and correction.reported_on is not None


def _expired(doc):
    return doc.valid_until is not None and doc.valid_until < today_for(doc)


has_version = Guard(_has_version, _("尚未提交送审稿（文件没有任何版本）"))
may_issue = Guard(_may_issue, _("制定机关未列入制定主体清单，不得制发行政规范性文件"))
has_drafting_note = Guard(_has_drafting_note, _("送审材料不齐全：缺少起草说明"))
has_assessment = Guard(
    _has_assessment,
    _("重要规范性文件须先进行评估论证：送审材料缺少评估论证报告（国办发〔2018〕37号）"),
)
has_legal_basis = Guard(_has_legal_basis, _("送审材料不齐全：未载明制定依据"))
comment_done = Guard(
    _comment_done,
    _("本文件应当公开征求意见：须在征求意见期结束、每条意见均已答复采纳情况后，方可送合法性审核"),
)
comment_period_over = Guard(_comment_period_over, _comment_period_over_reason)
classified_normative = Guard(_classified_normative, _("合法性审核机构尚未认定其属于行政规范性文件"))
classified_not_normative = Guard(_classified_not_normative, _("未认定为“不属于行政规范性文件”"))
review_sent_back = Guard(_review_sent_back, _("合法性审核结论不是“应当予以修改”或“不合法”"))
review_passed = Guard(_review_passed, _("未经合法性审核或者经审核不合法的，不得提交集体审议"))
review_covers_current_version = Guard(
    _review_covers_current_version, _("合法性审核所依据的不是现行文本：文本修改后须重新审核")
)
advisor_signed_current = Guard(_advisor_signed_current, _advisor_reason)
deliberation_passed = Guard(_deliberation_passed, _("集体审议未通过，不得登记编号"))
deliberation_failed = Guard(_deliberation_failed, _("最近一次集体审议结果不是“不通过”"))
has_issuing_code = Guard(_has_issuing_code, _("制定机关未设置机关代字，无法编发文字号"))
registered = Guard(_registered, _("未经统一登记、编号的文件不得公布"))
published = Guard(_published, _("未经公布的文件不得作为行政管理依据，也不得报送备案"))
has_authority = Guard(_has_authority, _("制定机关未设置备案审查机关"))
filing_materials_complete = Guard(_filing_materials_complete, _filing_materials_reason)
filing_review_clean = Guard(
    _filing_review_clean,
    _("实质审查尚未完成或发现问题：每一审查事项均须审查且无问题，方可予以备案登记"),
)
filing_review_not_extended = Guard(_filing_review_not_extended, _("审查期限已延长过一次"))
correction_reported = Guard(_correction_reported, _("制定机关尚未报送纠正处理情况"))
expired = Guard(_expired, lambda doc: _("有效期至 %(date)s，尚未届满") % {"date": doc.valid_until})
