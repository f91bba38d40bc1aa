"""Staff pages for public comment: the moderation queue, clusters and answers.

Drafters and legal reviewers of the issuing body only: another organisation's
document is a 404 (it is not visible), a visible document without the role is a
403. Every POST calls one review.comments function and says what happened.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.sorting import Sorting
from review import comments
from review.choices import NAMED_AUTHORS
from review.errors import Refused
from review.models import Comment, CommentCluster, CommentPeriod, Membership
from review.text import clean_text

from .common import PAGE_SIZE, login_required, safe_next, visible_documents


def _document_and_period(request, pk):
    document = get_object_or_404(
        visible_documents(request.user).select_related("organisation"), pk=pk
    )
    if not comments.may_moderate(request.user, document):
        raise PermissionDenied
    period = document.comment_periods.select_related("version").order_by("-opens_on", "-pk").first()
    if period is None:
        raise Http404
    return document, period


def _done(request, document, call, success, default="desk:comments"):
    try:
        call()
    except Refused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, success)
    return redirect(safe_next(request, reverse(default, args=[document.pk])))


# The comment queue's sortable columns (?sort=, desk.sorting); newest period first.
QUEUE_SORT = {
    "opens": ("opens_on", "pk"),
    "title": ("document__title", "pk"),
    "received": ("n_received", "pk"),
    "unanswered": ("n_unanswered", "pk"),
}


@login_required
def queue(request):
    """Every period of the documents the user moderates, with its counts."""
    org_ids = Membership.objects.filter(user=request.user, role__in=comments.MODERATORS).values(
        "organisation_id"
    )
    periods = (
        CommentPeriod.objects.filter(document__organisation_id__in=org_ids)
        .select_related("document")
        .annotate(
            **{
                f"n_{status}": Count("comments", filter=Q(comments__status=status))
                for status in Comment.Status.values
            },
            n_unanswered=Count(
                "comments",
                # OWES_ANSWER, said along the join
                filter=(
                    Q(comments__status__in=[Comment.Status.RECEIVED, Comment.Status.PUBLISHED])
                    | Q(comments__author_kind__in=NAMED_AUTHORS)
                )
                & Q(comments__response=""),
            ),
        )
    )
    q = request.GET.get("q", "").strip()[:100]
    if q:
        periods = periods.filter(document__title__contains=q)
    sorting = Sorting(request, QUEUE_SORT, "-opens")
    page = Paginator(sorting.apply(periods), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"page": page, "sorting": sorting, "q": q, "query": query.urlencode()}
    return render(request, "desk/comments_queue.html", context)


@login_required
def moderation(request, pk):
    document, period = _document_and_period(request, pk)
    status = request.GET.get("status", Comment.Status.RECEIVED)
    if status not in Comment.Status.values:
        status = Comment.Status.RECEIVED
    listed = (
        period.comments.filter(status=status)
        .select_related("moderated_by")
        .order_by("submitted_at", "pk")
    )
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    labels = dict(comments.article_choices(period.version.text))
    for comment in page.object_list:
        comment.article_label = labels.get(comment.article, "") if comment.article else ""
    return render(
        request,
        "desk/comments_moderation.html",
        {
            "document": document,
            "period": period,
            "counts": comments.counts(period),
            "status": status,
            "statuses": Comment.Status.choices,
            "page": page,
            "query": f"status={status}",
        },
    )


@login_required
@require_POST
def moderate(request, pk, comment_pk):
    document, period = _document_and_period(request, pk)
    comment = get_object_or_404(Comment, pk=comment_pk, period__document=document)
    action = request.POST.get("action", "")
    return _done(
        request,
        document,
        lambda: comments.moderate(
            comment,
            by=request.user,
            action=action,
            reason=clean_text(request.POST.get("reason", ""), multiline=False),
        ),
        _("意见 %(r)s 已处理") % {"r": comment.receipt},
    )


@login_required
def answers(request, pk):
    document, period = _document_and_period(request, pk)
    rows = comments.rows(period, owed=True)
    return render(
        request,
        "desk/comments_answers.html",
        {
            "document": document,
            "period": period,
            "rows": rows,
            "articles": comments.article_choices(period.version.text),
            "responses": Comment.Response.choices,
            "summary": comments.summary_text(period),
            "answerable": document.state in comments.ANSWERABLE_STATES,
        },
    )


def _article(request):
    value = request.POST.get("article", "")
    return int(value) if value.isdigit() else None


@login_required
@require_POST
def cluster(request, pk):
    document, period = _document_and_period(request, pk)

    return _done(
        request,
        document,
        lambda: comments.cluster_comments(period, by=request.user),
        _("相似意见已归并"),
        default="desk:comment_answers",
    )


@login_required
@require_POST
def answer(request, pk, comment_pk):
    document, period = _document_and_period(request, pk)
    comment = get_object_or_404(Comment, pk=comment_pk, period__document=document)
    return _done(
        request,
        document,
        lambda: comments.answer(
            comment,
            by=request.user,
            response=request.POST.get("response", ""),
            reason=clean_text(request.POST.get("reason", "")),
            article=_article(request),
        ),
        _("意见 %(r)s 已答复") % {"r": comment.receipt},
        default="desk:comment_answers",
    )


@login_required
@require_POST
def answer_cluster(request, pk, cluster_pk):
    document, period = _document_and_period(request, pk)
    group = get_object_or_404(CommentCluster, pk=cluster_pk, period__document=document)
    return _done(
        request,
        document,
        lambda: comments.answer_cluster(
            group,
            by=request.user,
            response=request.POST.get("response", ""),
            reason=clean_text(request.POST.get("reason", "")),
            article=_article(request),
        ),
        _("相似意见已统一答复"),
        default="desk:comment_answers",
    )
