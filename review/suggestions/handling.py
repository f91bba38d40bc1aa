"""The authority's handling of a 审查建议 (法规规章备案条例 art. 9): link it to the
document, reopen the document's review, tie the 审查意见 it led to, and answer in
writing with reasons. Only the authority's filing reviewers act; one audit event each.
A suggestion is never deleted."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import actions, audit
from ..errors import NotPermitted, Refused
from ..models import Correction, ReviewSuggestion, has_role
from ..states import Role
from .submission import authority_of, published_documents


def may_handle(user, suggestion):
    """The authority's filing reviewers handle a suggestion and see its contact."""
    return has_role(user, suggestion.authority_id, Role.FILING_REVIEWER)


def _require_handler(user, suggestion):
    if not may_handle(user, suggestion):
        raise NotPermitted(_("只有备案审查机关的备案审查人员可以办理审查建议"))


def _locked(suggestion):
    return (
        # Only the suggestion's row: its document is an outer join (it may be none).
        ReviewSuggestion.objects.select_for_update(of=("self",))
        .select_related("authority", "document")
        .get(pk=suggestion.pk)
    )


def _open(suggestion):
    if suggestion.status == ReviewSuggestion.Status.ANSWERED:
        raise Refused(_("该审查建议已答复办结"))


def _record(suggestion, by, action, note="", data=None):
    document = suggestion.document
    state = document.state if document else ""
    audit.record(
        action=action,
        document=document,
        actor=by,
        from_state=state,
        to_state=state,
        note=note,
        data={"receipt": suggestion.receipt, **(data or {})},
    )


def link_document(suggestion, *, by, document_id):
    """The reviewer finds the document a citizen described (or corrects the one chosen):
    a published document filed with this authority."""
    with transaction.atomic():
        row = _locked(suggestion)
        _require_handler(by, row)
        _open(row)
        document = (
            published_documents().select_related("organisation").filter(pk=document_id).first()
        )
        if document is None:
            raise Refused(_("所选文件不存在或尚未公布"))
        authority = authority_of(document)
        if authority is None or authority.pk != row.authority_id:
            raise Refused(_("该文件不向本机关报送备案，不能关联"))
        if row.reopening_id is not None:
            raise Refused(_("已据此重新审查文件，不能改为关联其他文件"))
        row.document = document
        row.status = ReviewSuggestion.Status.HANDLING
        row.save(update_fields=["document", "status"])
        _record(row, by, "suggestion_linked", note=str(document))
    suggestion.refresh_from_db()
    return row


def reopen_review(suggestion, *, by, reason, on=None):
    """备案条例 art. 9: the suggestion gives ground to review the filed document again
    (review.actions.reopen_review: 已登记·审查中, a new review period)."""
    with transaction.atomic():
        row = _locked(suggestion)
        _require_handler(by, row)
        _open(row)
        if row.document is None:
            raise Refused(_("请先关联所涉文件"))
        if row.reopening_id is not None:
            raise Refused(_("已据此审查建议重新审查该文件"))
        reason = (reason or "").strip() or _("收到审查建议（回执号 %(receipt)s）") % {
            "receipt": row.receipt
        }
        review = actions.reopen_review(row.document, by=by, reason=reason, on=on)
        row.reopening = review.reopenings.order_by("-pk").first()
        row.status = ReviewSuggestion.Status.HANDLING
        row.save(update_fields=["reopening", "status"])
        _record(row, by, "suggestion_reopened", note=reason)
    suggestion.refresh_from_db()
    return row


def correction_after_reopening(suggestion):
    """The 审查意见 (a Correction) raised in the review this suggestion reopened."""
    if suggestion.reopening_id is None:
        return None
    reopening = suggestion.reopening
    return (
        Correction.objects.filter(
            filing_review_id=reopening.filing_review_id, issued_on__gte=reopening.reopened_on
        )
        .order_by("issued_on", "pk")
        .first()
    )


def record_opinion(suggestion, *, by):
    """Tie the 审查意见 the reopened review raised to the suggestion (counted in the
    annual report as a suggestion that led to a correction)."""
    with transaction.atomic():
        row = _locked(suggestion)
        _require_handler(by, row)
        correction = correction_after_reopening(row)
        if correction is None:
            raise Refused(_("重新审查尚未提出审查意见"))
        if row.correction_id != correction.pk:
            row.correction = correction
            row.save(update_fields=["correction"])
            _record(row, by, "suggestion_opinion", data={"correction": correction.pk})
    suggestion.refresh_from_db()
    return row


def answer(suggestion, *, by, outcome, reply, on=None):
    """答复: the reasoned written answer that closes the suggestion. 已提出审查意见 only
    when the reopened review raised one."""
    reply = (reply or "").strip()
    if not reply:
        raise Refused(_("请填写答复内容（理由）"))
    if outcome not in ReviewSuggestion.Outcome.values:
        raise Refused(_("请选择办理结果"))
    with transaction.atomic():
        row = _locked(suggestion)
        _require_handler(by, row)
        _open(row)
        correction = row.correction or correction_after_reopening(row)
        if outcome == ReviewSuggestion.Outcome.OPINION and correction is None:
            raise Refused(_("尚未就该文件提出审查意见，不能以“已提出审查意见”答复"))
        if outcome != ReviewSuggestion.Outcome.OUT_OF_SCOPE and row.document is None:
            raise Refused(_("请先关联所涉文件；不属于本机关审查范围的，选择相应的办理结果"))
        row.correction = correction
        row.outcome = outcome
        row.reply = reply
        row.replied_on = on or timezone.localdate()
        row.replied_by = by
        row.status = ReviewSuggestion.Status.ANSWERED
        row.save(
            update_fields=["correction", "outcome", "reply", "replied_on", "replied_by", "status"]
        )
        _record(
            row,
            by,
            "suggestion_answered",
            note=row.get_outcome_display(),
            data={"on_time": row.answered_on_time, "correction": row.correction_id},
        )
    suggestion.refresh_from_db()
    return row
