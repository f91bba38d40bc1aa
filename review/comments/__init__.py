"""Public comment (domain-rules §4): submit, moderate, cluster, answer, summarise.

Like `review.actions`: one function per operation, atomic, checked, with one
audit event each. A refusal (`Refused`, a message for the page) or a missing
role (`NotPermitted`, a 403) changes nothing.

A submission takes no lock that staff work waits on: the period row is
locked in shared mode (PostgreSQL; SQLite serialises writers anyway), which
orders it against the close without ordering submissions among themselves,
and it appends nothing to the global audit chain. The proof that no accepted
comment was lost or changed is the digest the close writes into the chain
(`comments_digest`: every receipt and the SHA-256 of its text, in order),
which `manage.py verify_audit` checks again; before the close, each citizen
holds a receipt the portal finds again.
"""

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit, clustering
from .errors import NotPermitted, Refused
from .models import (
    AuditEvent,
    Comment,
    CommentCluster,
    CommentPeriod,
    NormativeDocument,
    has_role,
)
from .states import Role, State

MODERATORS = (Role.DRAFTER, Role.LEGAL_REVIEWER)
# Answers feed the legality review (37号): once the draft has gone on, they are fixed.
ANSWERABLE_STATES = (State.PUBLIC_COMMENT, State.DRAFTING, State.REVISION)
MODERATION_ACTIONS = {
    "publish": Comment.Status.PUBLISHED,
    "hide": Comment.Status.HIDDEN,
    "spam": Comment.Status.SPAM,
}
RECEIPT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud on the phone


def max_chars():
    return getattr(settings, "GUIFAN_COMMENT_MAX_CHARS", 5000)


# --- the draft's articles ---------------------------------------------------

_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_NUMERAL = "零〇一二三四五六七八九十百千两0-9０-９"
ARTICLE_RE = re.compile(rf"^\s*第([{_NUMERAL}]+)条(?:[\s\u3000:：]+|$)(.*)$")
HEADING_RE = re.compile(rf"^\s*第([{_NUMERAL}]+)[章节编](?:[\s\u3000]|$)")


def chinese_number(text):
    """一百二十三 → 123, 十五 → 15, 12 → 12 (full-width digits too)."""
    text = text.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for ch in text:
        if ch in _DIGITS:
            current = _DIGITS[ch]
        elif ch in _UNITS:
            total += (current or 1) * _UNITS[ch]
            current = 0
        else:
            raise ValueError(text)
    return total + current


@dataclass
class Block:
    kind: str  # "preamble", "heading" or "article"
    lines: list = field(default_factory=list)
    number: int | None = None
    label: str = ""

    @property
    def first_line(self):
        return self.lines[0] if self.lines else ""


def parse_articles(text):
    """The draft as blocks: the lines before the first article, chapter headings, and
    articles (第X条) numbered as written. Lines after an article's first line (its
    款 and 项, table rows of a .docx) belong to it. Works on typed text and on the
    text extracted from a .docx (one paragraph per line, full-width spaces)."""
    blocks = []
    current = None
    for raw in (text or "").splitlines():
        line = raw.replace("\u3000", " ").strip()
        if not line:
            continue
        match = ARTICLE_RE.match(line)
        if match:
            try:
                number = chinese_number(match.group(1))
            except ValueError:
                number = None
            current = Block(
                "article",
                [match.group(2).strip()] if match.group(2).strip() else [],
                number,
                f"第{match.group(1)}条",
            )
            blocks.append(current)
            continue
        if HEADING_RE.match(line):
            blocks.append(Block("heading", [line]))
            current = None
            continue
        if current is None:
            if blocks and blocks[-1].kind == "preamble":
                blocks[-1].lines.append(line)
            else:
                current = None
                blocks.append(Block("preamble", [line]))
            continue
        current.lines.append(line)
    # An article whose number could not be read takes the one after its predecessor.
    last = 0
    for block in blocks:
        if block.kind == "article":
            if block.number is None:
                block.number = last + 1
            last = block.number
    return blocks


def article_choices(text):
    """[(number, "第X条 first words…")] for the form's select."""
    choices = []
    for block in parse_articles(text):
        if block.kind == "article":
            words = block.first_line
            choices.append(
                (
                    block.number,
                    f"{block.label} {words[:24]}{'…' if len(words) > 24 else ''}".strip(),
                )
            )
    return choices


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


def submit_comment(
    period,
    *,
    text,
    article=None,
    author_kind=Comment.AuthorKind.ANONYMOUS,
    author_name="",
    contact="",
    address="",
    now=None,
):
    """Accept one comment; it is committed when this returns (the receipt may then be shown)."""
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
    contact = clean_contact(contact)
    if article is not None:
        numbers = {number for number, _label in article_choices(period.version.text)}
        if article not in numbers:
            raise Refused(_("所选条款不存在"))
    now = now or timezone.now()
    day = timezone.localdate(now)
    with transaction.atomic():
        # A shared lock on the period orders a submission against close_comment_period,
        # which writes the same row: a comment is in before the close or refused.
        locked = _period_locked_for_share(period.pk)
        # The document as it is now, under the lock (close_comment_period moves it on).
        locked.document = NormativeDocument.objects.only("state").get(pk=locked.document_id)
        refusal = refusal_if_closed(locked, day)
        if refusal:
            raise Refused(refusal)
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


def _period_locked_for_share(pk):
    if connection.vendor == "postgresql":
        # Raw SQL because the ORM cannot say it: select_for_update() takes only
        # exclusive locks (FOR UPDATE / FOR NO KEY UPDATE), which would make
        # submissions wait on each other; FOR SHARE orders them against the close only.
        table = connection.ops.quote_name(CommentPeriod._meta.db_table)
        found = list(
            CommentPeriod.objects.raw(f"SELECT * FROM {table} WHERE id = %s FOR SHARE", [pk])
        )
        if not found:
            raise CommentPeriod.DoesNotExist
        return found[0]
    return CommentPeriod.objects.get(
        pk=pk
    )  # SQLite: the write transaction already excludes a close


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


# --- staff: moderation, clusters, answers ---------------------------------------


def may_moderate(user, document):
    return has_role(user, document.organisation_id, *MODERATORS)


def _require_moderator(user, document):
    if not may_moderate(user, document):
        raise NotPermitted(_("只有制定机关的起草人员或合法性审核人员可以审核、答复意见"))


def _record(document, by, action, note="", data=None):
    return audit.record(
        action=action,
        document=document,
        actor=by,
        from_state=document.state,
        to_state=document.state,
        note=note,
        data=data,
    )


def moderate(comment, *, by, action, reason=""):
    """Publish, hide (with a reason) or mark as spam. Nothing is deleted: the text stays
    as received, and the change is audited."""
    target = MODERATION_ACTIONS.get(action)
    if target is None:
        raise Refused(_("未知的审核操作"))
    reason = (reason or "").strip()
    if target == Comment.Status.HIDDEN and not reason:
        raise Refused(_("不予公开的，须填写理由"))
    if len(reason) > 200:
        raise Refused(_("理由过长（最多 200 个字符）"))
    with transaction.atomic():
        fresh = (
            Comment.objects.select_for_update()
            .select_related("period__document")
            .get(pk=comment.pk)
        )
        document = fresh.period.document
        _require_moderator(by, document)
        before = fresh.status
        fresh.status = target
        fresh.hidden_reason = reason if target == Comment.Status.HIDDEN else ""
        fresh.moderated_by = by
        fresh.moderated_at = timezone.now()
        fresh.save(update_fields=["status", "hidden_reason", "moderated_by", "moderated_at"])
        _record(
            document,
            by,
            "moderate_comment",
            note=reason,
            data={"receipt": fresh.receipt, "from": before, "to": target},
        )
    return fresh


def _clean_answer(period, response, reason, article):
    if response not in Comment.Response.values:
        raise Refused(_("请选择采纳、部分采纳或不采纳"))
    reason = (reason or "").strip()
    if not reason:
        raise Refused(_("请填写采纳情况的理由"))
    if article is not None:
        numbers = {number for number, _label in article_choices(period.version.text)}
        if article not in numbers:
            raise Refused(_("所选条款不存在"))
    return reason


def _require_answerable(document):
    if document.state not in ANSWERABLE_STATES:
        raise Refused(_("文件已送合法性审核，意见采纳情况不能再修改"))


def answer(comment, *, by, response, reason, article=None):
    """Answer one comment: 采纳 / 部分采纳 / 不采纳 with the reason, and the article it concerns."""
    with transaction.atomic():
        fresh = (
            Comment.objects.select_for_update()
            .select_related("period__document", "period__version")
            .get(pk=comment.pk)
        )
        document = fresh.period.document
        _require_moderator(by, document)
        _require_answerable(document)
        if fresh.status in (Comment.Status.HIDDEN, Comment.Status.SPAM):
            raise Refused(_("不予公开或垃圾信息无须答复"))
        reason = _clean_answer(fresh.period, response, reason, article)
        fresh.response = response
        fresh.response_reason = reason
        if article is not None:
            fresh.article = article
        fresh.answered_by = by
        fresh.answered_at = timezone.now()
        fresh.save(
            update_fields=["response", "response_reason", "article", "answered_by", "answered_at"]
        )
        _record(
            document,
            by,
            "answer_comment",
            note=reason,
            data={"receipt": fresh.receipt, "response": response, "article": fresh.article},
        )
    return fresh


def answer_cluster(cluster, *, by, response, reason, article=None):
    """Answer a cluster once; the answer is copied to each member that is not hidden or spam."""
    with transaction.atomic():
        fresh = (
            CommentCluster.objects.select_for_update()
            .select_related("period__document", "period__version")
            .get(pk=cluster.pk)
        )
        document = fresh.period.document
        _require_moderator(by, document)
        _require_answerable(document)
        reason = _clean_answer(fresh.period, response, reason, article)
        now = timezone.now()
        fresh.response, fresh.response_reason, fresh.answered_by, fresh.answered_at = (
            response,
            reason,
            by,
            now,
        )
        if article is not None:
            fresh.article = article
        fresh.save()
        members = fresh.comments.exclude(status__in=[Comment.Status.HIDDEN, Comment.Status.SPAM])
        receipts = list(members.order_by("pk").values_list("receipt", flat=True))
        updates = {
            "response": response,
            "response_reason": reason,
            "answered_by": by,
            "answered_at": now,
        }
        if article is not None:
            updates["article"] = article
        members.update(**updates)
        _record(
            document,
            by,
            "answer_cluster",
            note=reason,
            data={
                "cluster": fresh.pk,
                "response": response,
                "article": fresh.article,
                "receipts": receipts,
            },
        )
    return fresh


def cluster_comments(period, *, by, threshold=None):
    """Group the period's near-duplicate comments (review.clustering). Answered clusters
    and answered comments are left as they are; the rest are regrouped."""
    threshold = threshold or getattr(
        settings, "GUIFAN_COMMENT_CLUSTER_THRESHOLD", clustering.DEFAULT_THRESHOLD
    )
    with transaction.atomic():
        locked = (
            CommentPeriod.objects.select_for_update().select_related("document").get(pk=period.pk)
        )
        document = locked.document
        _require_moderator(by, document)
        open_ = locked.comments.exclude(
            status__in=[Comment.Status.HIDDEN, Comment.Status.SPAM]
        ).filter(response="")
        rows = list(open_.values_list("pk", "normalised", "cluster_id"))
        groups = clustering.cluster(
            [(pk, text) for pk, text, _c in rows], threshold=threshold, normalised=True
        )
        cluster_of = {pk: cluster_id for pk, _t, cluster_id in rows}
        # Unanswered clusters are rebuilt from scratch; answered ones are untouched.
        stale = locked.clusters.filter(response="")
        Comment.objects.filter(cluster__in=stale).update(cluster=None)
        stale_ids = set(stale.values_list("pk", flat=True))
        made = 0
        for keys in groups:
            if len(keys) < 2:
                continue
            reuse = min((cluster_of[k] for k in keys if cluster_of[k] in stale_ids), default=None)
            if reuse is not None:
                stale_ids.discard(reuse)
                target = reuse
            else:
                target = CommentCluster.objects.create(period=locked).pk
            Comment.objects.filter(pk__in=keys).update(cluster_id=target)
            made += 1
        CommentCluster.objects.filter(pk__in=stale_ids, comments__isnull=True).delete()
        sizes = sorted((len(k) for k in groups if len(k) > 1), reverse=True)
        _record(
            document,
            by,
            "cluster_comments",
            data={
                "period": locked.pk,
                "clusters": made,
                "sizes": sizes[:20],
                "threshold": threshold,
            },
        )
    return made


# --- the 征求意见及采纳情况 -------------------------------------------------------


@dataclass
class Row:
    """One answerable unit: a single comment, or a cluster shown as one."""

    comments: list
    cluster: CommentCluster | None = None

    @property
    def first(self):
        return self.comments[0]

    @property
    def count(self):
        return len(self.comments)

    @property
    def response(self):
        return self.cluster.response if self.cluster else self.first.response

    @property
    def response_label(self):
        return str(Comment.Response(self.response).label) if self.response else ""

    @property
    def response_reason(self):
        return self.cluster.response_reason if self.cluster else self.first.response_reason

    @property
    def article(self):
        if self.cluster and self.cluster.article:
            return self.cluster.article
        return self.first.article

    @property
    def answered(self):
        return bool(self.response) and all(c.response for c in self.comments)


def rows(period, statuses=(Comment.Status.RECEIVED, Comment.Status.PUBLISHED)):
    """The period's comments with the given statuses, clusters collapsed, in order of arrival."""
    comments = list(
        period.comments.filter(status__in=statuses)
        .select_related("cluster")
        .order_by("submitted_at", "pk")
    )
    by_cluster = {}
    result = []
    for comment in comments:
        if comment.cluster_id is None:
            result.append(Row([comment]))
        elif comment.cluster_id in by_cluster:
            by_cluster[comment.cluster_id].comments.append(comment)
        else:
            row = Row([comment], comment.cluster)
            by_cluster[comment.cluster_id] = row
            result.append(row)
    return result


def counts(period):
    """{status: n} with every status present."""
    from django.db.models import Count

    found = dict(
        period.comments.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    return {status: found.get(status, 0) for status in Comment.Status.values}


def summary(period):
    """The figures and rows of the 征求意见及采纳情况说明 (the outputs issue renders them)."""
    answered = rows(period)
    by_response = {value: 0 for value in Comment.Response.values}
    unanswered = 0
    for row in answered:
        for comment in row.comments:
            if comment.response:
                by_response[comment.response] += 1
            else:
                unanswered += 1
    return {
        "counts": counts(period),
        "by_response": by_response,
        "unanswered": unanswered,
        "rows": answered,
    }


def summary_text(period):
    """The 征求意见及采纳情况 as plain text, for CommentPeriod.summary and the review."""
    data = summary(period)
    c, r = data["counts"], data["by_response"]
    total = sum(c.values())
    lines = [
        _(
            "征求意见期间 %(a)s 至 %(b)s，共收到意见 %(n)s 条（公开 %(p)s 条，待审核 %(rc)s 条，不予公开 %(h)s 条，垃圾信息 %(s)s 条）。"
        )
        % {
            "a": period.opens_on,
            "b": period.closes_on,
            "n": total,
            "p": c["published"],
            "rc": c["received"],
            "h": c["hidden"],
            "s": c["spam"],
        },
        _("采纳 %(a)s 条，部分采纳 %(p)s 条，不采纳 %(n)s 条，尚未答复 %(u)s 条。")
        % {"a": r["adopted"], "p": r["partly"], "n": r["not_adopted"], "u": data["unanswered"]},
    ]
    for i, row in enumerate(data["rows"], 1):
        where = _("第%(n)s条") % {"n": row.article} if row.article else _("整体")
        many = _("（相同或相似意见 %(n)s 条）") % {"n": row.count} if row.count > 1 else ""
        answer_text = (
            f"{row.response_label}：{row.response_reason}" if row.response else _("尚未答复")
        )
        lines.append(f"{i}. [{where}] {row.first.text[:200]}{many} —— {answer_text}")
    return "\n".join(lines)
