"""Personal information in comments (个人信息保护法 art. 13, 17, 19, 47).

A comment may carry a name and a contact (e-mail or telephone), given to be
answered. The contact is never shown on a public page, in an output or in the
API; only the moderators of the document (MODERATORS) see it on the desk.

- Retention: GUIFAN_CONTACT_RETENTION_DAYS (default 365) after the last day of the
  comment period, `erase_expired_contacts` (manage.py erase_contact_details, daily)
  erases the contact, and a private person's name; an organisation's name stays
  (the public summary names organisations). The comment text and its answer stay.
- On request: whoever holds the receipt AND gives the same contact erases them at
  once (`erase_on_request`). A wrong pair changes nothing and says nothing.

A 审查建议 (review.suggestions) carries a name and a contact, both required, to be
answered in writing; only the authority's filing reviewers handling it see them.
GUIFAN_CONTACT_RETENTION_DAYS after its answer both are erased by the same command;
on request (receipt AND the same contact) at once. The suggestion itself, its
evidence and the answer are kept: a suggestion is never deleted.

Each erasure that changes something appends one audit event (no contact in it).
"""

import datetime
import hmac

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .. import audit
from ..models import Comment, ReviewSuggestion


def retention_days():
    return int(getattr(settings, "GUIFAN_CONTACT_RETENTION_DAYS", 365))


def _erase(queryset):
    """Blank the contacts and private persons' names of `queryset`."""
    queryset.exclude(contact="").update(contact="")
    queryset.filter(author_kind=Comment.AuthorKind.PERSON).exclude(author_name="").update(
        author_name=""
    )


def expired(today=None):
    """Comments whose period's last day is more than the retention before `today` and
    that still hold a contact or a private person's name."""
    today = today or timezone.localdate()
    limit = today - datetime.timedelta(days=retention_days())
    person = Comment.AuthorKind.PERSON
    holding = Comment.objects.exclude(contact="") | Comment.objects.filter(
        author_kind=person
    ).exclude(author_name="")
    return holding.filter(period__closes_on__lt=limit)


def expired_suggestions(today=None):
    """Answered suggestions whose answer is more than the retention before `today` and
    that still hold a name or a contact."""
    today = today or timezone.localdate()
    limit = today - datetime.timedelta(days=retention_days())
    holding = ReviewSuggestion.objects.exclude(contact="") | ReviewSuggestion.objects.exclude(
        submitter_name=""
    )
    return holding.filter(replied_on__lt=limit)


def _erase_suggestions(queryset):
    queryset.update(contact="", submitter_name="")


def erase_expired_contacts(today=None):
    """Erase what the retention no longer allows; one audit event if anything was
    erased (a run with nothing to do writes nothing: the command is idempotent)."""
    with transaction.atomic():
        pks = list(expired(today).values_list("pk", flat=True))
        suggestion_pks = list(expired_suggestions(today).values_list("pk", flat=True))
        if not (pks or suggestion_pks):
            return 0
        _erase(Comment.objects.filter(pk__in=pks))
        _erase_suggestions(ReviewSuggestion.objects.filter(pk__in=suggestion_pks))
        audit.record(
            action="erase_contacts",
            note="超过保存期限的意见、审查建议联系方式已删除",
            data={
                "comments": len(pks),
                "suggestions": len(suggestion_pks),
                "retention_days": retention_days(),
            },
        )
    return len(pks) + len(suggestion_pks)


def matches(comment, contact):
    """The contact entered is the one stored (spaces and letter case aside)."""
    given = (contact or "").strip().casefold()
    stored = (comment.contact or "").strip().casefold()
    return bool(stored) and hmac.compare_digest(given.encode(), stored.encode())


def erase_on_request(receipt, contact):
    """A citizen's request (个人信息保护法 art. 47): erase the contact of the comment
    with `receipt` when `contact` matches it. True when erased; False otherwise, and
    then nothing is written."""
    with transaction.atomic():
        comment = (
            Comment.objects.select_for_update()
            .select_related("period__document")
            .filter(receipt=(receipt or "").strip().upper())
            .first()
        )
        if comment is None or not matches(comment, contact):
            return False
        _erase(Comment.objects.filter(pk=comment.pk))
        document = comment.period.document
        audit.record(
            action="erase_contact_request",
            document=document,
            from_state=document.state,
            to_state=document.state,
            note="应提交人请求删除意见联系方式",
            data={"receipt": comment.receipt},
        )
    return True


def erase_suggestion_on_request(receipt, contact):
    """个人信息保护法 art. 47 for a 审查建议: erase its name and contact when `contact`
    matches the one given. True when erased; False otherwise, and nothing is written."""
    with transaction.atomic():
        suggestion = (
            ReviewSuggestion.objects.select_for_update(of=("self",))
            .select_related("document")
            .filter(receipt=(receipt or "").strip().upper())
            .first()
        )
        if suggestion is None or not matches(suggestion, contact):
            return False
        _erase_suggestions(ReviewSuggestion.objects.filter(pk=suggestion.pk))
        document = suggestion.document
        audit.record(
            action="erase_contact_request",
            document=document,
            from_state=document.state if document else "",
            to_state=document.state if document else "",
            note="应建议人请求删除审查建议的姓名和联系方式",
            data={"receipt": suggestion.receipt},
        )
    return True
