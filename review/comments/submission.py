"""A citizen's comment: the checks on what is entered, the receipt, the submission,
and the digest of every accepted comment that the close writes into the audit chain."""

import hashlib
import hmac
import re
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import clustering
from ..errors import Refused
from ..models import (
    AuditEvent,
    Comment,
    CommentPeriod,
    DocumentVersion,
    NormativeDocument,
)
from ..states import State
from .articles import article_choices

RECEIPT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud on the phone


def max_chars():
    return getattr(settings, "GUIFAN_COMMENT_MAX_CHARS", 5000)


# --- submission ---------------------------------------------------------------

_PHONE_RE = re.compile(r"^\+?[0-9][0-9\- ]{5,18}[0-9]$")


def clean_contact(value):
    """Optional: an e-mail address or a telephone number."""
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) > 100:
        raise Refused(_("联系方式过长（最多 100 个字符）"))
    if "@" in value:
        try:
            validate_email(value)
        except ValidationError as exc:
            raise Refused(_("联系方式不是有效的电子邮箱地址")) from exc
        return value
    if _PHONE_RE.match(value):
        return value
    raise Refused(_("联系方式请填写电子邮箱或电话号码（如 0915-3212345 或 13800000000）"))


def ip_hash(address):
    if not address:
        return ""
    key = settings.SECRET_KEY.encode("utf-8")
    return hmac.new(key, f"comment-ip:{address}".encode(), hashlib.sha256).hexdigest()


def new_receipt(day):
    token = "".join(secrets.choice(RECEIPT_ALPHABET) for _i in range(10))
    return f"YJ{day:%Y%m%d}-{token}"


def refusal_if_closed(period, day):
    """The message a submission gets when the period is not open on `day`, or None."""
    if period.closed_at is not None or day > period.closes_on:
        return _("本文件的征求意见已于 %(date)s 截止，不再接收意见。") % {
            "date": f"{period.closes_on:%Y年%-m月%-d日}"
        }
    if day < period.opens_on:
        return _("本文件的征求意见将于 %(date)s 开始，届时方可提交意见。") % {
            "date": f"{period.opens_on:%Y年%-m月%-d日}"
        }
    if period.document.state != State.PUBLIC_COMMENT:
        return _("本文件目前不在公开征求意见阶段，不再接收意见。")
    return None


class PeriodClosed(Refused):
    """The period is not open for comments today (a 409 on the public page)."""


def _clean_submission(text, author_kind, author_name, contact):
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise Refused(_("请填写意见内容"))
    if len(text) > max_chars():
        raise Refused(
            _("意见内容过长（%(n)s 字），最多 %(max)s 字") % {"n": len(text), "max": max_chars()}
        )
    if "\x00" in text:
        raise Refused(_("意见内容含有无法识别的字符"))
    if author_kind not in Comment.AuthorKind.values:
        raise Refused(_("请选择以个人、单位或匿名方式提交"))
    author_name = (author_name or "").strip()
    if author_kind == Comment.AuthorKind.ANONYMOUS:
        author_name = ""
    elif not author_name:
        raise Refused(_("以个人或单位名义提交的，请填写姓名或单位名称"))
    if len(author_name) > 100:
        raise Refused(_("姓名或单位名称过长（最多 100 个字符）"))
    return text, author_name, clean_contact(contact)


def submit_comment(period, **entered):
    """Accept one comment on `period`; it is committed when this returns (the receipt
    may then be shown). Refused (PeriodClosed when the period is not open) otherwise."""
    return _submit(lambda: _locked_for_share(period_id=period.pk), **entered)


def submit_comment_on(document_id, **entered):
    """The public form's submission: the same, on the document's latest comment period,
    which is read and locked in one statement (CommentPeriod.DoesNotExist if none)."""
    return _submit(lambda: _locked_for_share(document_id=document_id), **entered)


def _submit(
    lock,
    *,
    text,
    article=None,
    author_kind=Comment.AuthorKind.ANONYMOUS,
    author_name="",
    contact="",
    address="",
    now=None,
):
    text, author_name, contact = _clean_submission(text, author_kind, author_name, contact)
    now = now or timezone.now()
    day = timezone.localdate(now)
    with transaction.atomic():
        # A shared lock on the period orders a submission against close_comment_period,
        # which writes the same row: a comment is in before the close or refused.
        # The document's state and the draft's text come with it.
        locked = lock()
        refusal = refusal_if_closed(locked, day)
        if refusal:
            raise PeriodClosed(refusal)
        if article is not None:
            numbers = {number for number, _label in article_choices(locked.version.text)}
            if article not in numbers:
                raise Refused(_("所选条款不存在"))
        comment = Comment.objects.create(
            period=locked,
            receipt=new_receipt(day),
            article=article,
            author_kind=author_kind,
            author_name=author_name,
            contact=contact,
            text=text,
            normalised=clustering.normalise(text),
            ip_hash=ip_hash(address),
            submitted_at=now,
        )
    return comment


def _locked_for_share(*, period_id=None, document_id=None):
    """The period (by its id, or the document's latest), locked against a close, with
    its document's state as `document` and its draft's text as `version`."""
    if connection.vendor == "postgresql":
        # Raw SQL because the ORM cannot say it: select_for_update() takes only
        # exclusive locks (FOR UPDATE / FOR NO KEY UPDATE), which would make
        # submissions wait on each other; FOR SHARE orders them against the close only.
        # Since the statement is raw anyway, the document's state and the draft's text
        # are joined into it (one round trip: the public form reads nothing before it);
        # FOR SHARE OF p locks the period row alone. A close that commits while this
        # waits has set closed_at on the row returned, so the comment is refused
        # whatever state the join read.
        period_table = connection.ops.quote_name(CommentPeriod._meta.db_table)
        document_table = connection.ops.quote_name(NormativeDocument._meta.db_table)
        version_table = connection.ops.quote_name(DocumentVersion._meta.db_table)
        where, key = ("p.id = %s", period_id) if period_id else ("p.document_id = %s", document_id)
        found = list(
            CommentPeriod.objects.raw(
                f"SELECT p.*, d.state AS document_state, v.text AS version_text"
                f" FROM {period_table} p"
                f" JOIN {document_table} d ON d.id = p.document_id"
                f" JOIN {version_table} v ON v.id = p.version_id"
                f" WHERE {where} ORDER BY p.opens_on DESC, p.id DESC LIMIT 1 FOR SHARE OF p",
                [key],
            )
        )
        if not found:
            raise CommentPeriod.DoesNotExist
        locked = found[0]
        locked.document = NormativeDocument(pk=locked.document_id, state=locked.document_state)
        locked.version = DocumentVersion(pk=locked.version_id, text=locked.version_text)
        return locked
    # SQLite: the write transaction already excludes a close.
    periods = CommentPeriod.objects.select_related("document", "version")
    if period_id:
        return periods.get(pk=period_id)
    latest = periods.filter(document_id=document_id).order_by("-opens_on", "-pk").first()
    if latest is None:
        raise CommentPeriod.DoesNotExist
    return latest


def comments_digest(period):
    """SHA-256 over every comment of the period in order: receipt and its text's hash.
    Moderation and answers do not change it; a deleted or altered comment does."""
    digest = hashlib.sha256()
    rows = (
        Comment.objects.filter(period=period)
        .order_by("submitted_at", "pk")
        .values_list("receipt", "text")
    )
    count = 0
    for receipt, text in rows.iterator(chunk_size=2000):
        digest.update(receipt.encode() + b"\x00" + hashlib.sha256(text.encode("utf-8")).digest())
        count += 1
    return count, digest.hexdigest()


def verify_digests():
    """Check every closed period against the digest its close recorded in the audit
    chain; return the list of (period id, message) that no longer match."""
    problems = []
    events = (
        AuditEvent.objects.filter(action="close_comment")
        .order_by("seq")
        .values_list("data", flat=True)
    )
    for data in events:
        if "period" not in data or "digest" not in data:
            continue
        period = CommentPeriod.objects.filter(pk=data["period"]).first()
        if period is None:
            problems.append((data["period"], "征求意见期记录已被删除"))
            continue
        count, digest = comments_digest(period)
        if (count, digest) != (data["received"], data["digest"]):
            problems.append(
                (
                    period.pk,
                    f"意见与征求意见结束时的记录不符（当时 {data['received']} 条，现在 {count} 条）",
                )
            )
    return problems
