"""The 征求意见及采纳情况: every comment with its answer, the counts, and the text
attached to the document."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext as _

from ..choices import OWES_ANSWER
from ..models import (
    Comment,
    CommentCluster,
)

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


def rows(period, statuses=(Comment.Status.RECEIVED, Comment.Status.PUBLISHED), owed=False):
    """The period's comments with the given statuses (with `owed`: every comment that
    owes an answer, OWES_ANSWER), clusters collapsed, in order of arrival."""
    chosen = OWES_ANSWER if owed else models.Q(status__in=statuses)
    comments = list(
        period.comments.filter(chosen).select_related("cluster").order_by("submitted_at", "pk")
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


def spam_list(period):
    """[(receipt, reason)] of the comments marked as spam: counted and listed in public,
    so that marking one is never a silent way to drop it (their text is not shown)."""
    return list(
        period.comments.filter(status=Comment.Status.SPAM)
        .order_by("submitted_at", "pk")
        .values_list("receipt", "hidden_reason")
    )


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
    # Named comments hidden or marked as spam still owe an answer (OWES_ANSWER); their
    # text is not public, so they are listed by receipt.
    withheld = list(
        period.comments.filter(OWES_ANSWER)
        .filter(status__in=[Comment.Status.HIDDEN, Comment.Status.SPAM])
        .order_by("submitted_at", "pk")
    )
    for comment in withheld:
        if comment.response:
            by_response[comment.response] += 1
        else:
            unanswered += 1
    spam = spam_list(period)
    return {
        "counts": counts(period),
        "by_response": by_response,
        "unanswered": unanswered,
        "rows": answered,
        "withheld": withheld,
        "spam": spam,
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
    for comment in data["withheld"]:
        answer_text = (
            f"{comment.get_response_display()}：{comment.response_reason}"
            if comment.response
            else _("尚未答复")
        )
        lines.append(
            _("[回执号 %(r)s，%(s)s的署名意见] —— %(a)s")
            % {"r": comment.receipt, "s": comment.get_status_display(), "a": answer_text}
        )
    if data["spam"]:
        listed = "；".join(
            _("%(r)s（理由：%(why)s）") % {"r": receipt, "why": reason or _("未说明")}
            for receipt, reason in data["spam"]
        )
        lines.append(
            _("列为垃圾信息的意见 %(n)s 条：%(list)s") % {"n": len(data["spam"]), "list": listed}
        )
    return "\n".join(lines)
