"""Staff work on the comments: moderate, cluster similar ones, answer one or a cluster.
Each is atomic and appends one audit event."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import audit, clustering
from ..choices import OWES_ANSWER
from ..errors import NotPermitted, Refused
from ..models import (
    Comment,
    CommentCluster,
    CommentPeriod,
    has_role,
)
from ..states import Role, State
from .articles import article_choices

MODERATORS = (Role.DRAFTER, Role.LEGAL_REVIEWER)
# Answers feed the legality review (37号): once the draft has gone on, they are fixed.
ANSWERABLE_STATES = (State.PUBLIC_COMMENT, State.DRAFTING, State.REVISION)
MODERATION_ACTIONS = {
    "publish": Comment.Status.PUBLISHED,
    "hide": Comment.Status.HIDDEN,
    "spam": Comment.Status.SPAM,
}


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
    if target == Comment.Status.SPAM and not reason:
        raise Refused(_("标为垃圾信息的，须填写理由（垃圾信息在采纳情况中公开计数）"))
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
        fresh.hidden_reason = reason if target != Comment.Status.PUBLISHED else ""
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
        if not Comment.objects.filter(OWES_ANSWER, pk=fresh.pk).exists():
            raise Refused(_("匿名的不予公开意见或垃圾信息无须答复"))
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
        answered = ["response", "response_reason", "answered_by", "answered_at"]
        if article is not None:
            fresh.article = article
            answered.append("article")
        fresh.save(update_fields=answered)
        members = fresh.comments.filter(OWES_ANSWER)
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
