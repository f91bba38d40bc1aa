"""Reading the text: a version article by article, two versions compared, and a
reviewer's note on an article.

The articles were split once at upload (review.articles); these pages read the
stored rows. The comparison aligns articles by content and marks changes by
character; `comparison()` and the include `desk/includes/version_compare.html`
serve any page that shows a revised version against an earlier one.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from review import actions, articles
from review.errors import Refused
from review.models import ArticleNote, DocumentVersion, VersionArticle, has_role
from review.states import State

from .. import forms
from .common import login_required, safe_next, visible_documents


def articles_of(version, with_notes=False):
    """The version's stored articles in order (with their notes, authors read at once)."""
    rows = VersionArticle.objects.filter(version=version).order_by("position")
    if with_notes:
        rows = rows.prefetch_related(
            Prefetch(
                "notes",
                queryset=ArticleNote.objects.select_related("author").order_by("created_at", "pk"),
            )
        )
    return list(rows)


def may_note(user, document, version):
    """A legality reviewer or legal advisor of the issuing body, on the version under
    legality review while the review runs (review.actions.add_article_note)."""
    if document.state != State.LEGALITY_REVIEW:
        return False
    if not has_role(user, document.organisation_id, *actions.NOTE_ROLES):
        return False
    review = document.latest_review
    return review is not None and review.version_id == version.pk


def reading(document, version, user):
    """What the include `desk/includes/version_text.html` shows: the version, its
    articles with their notes, and whether the user may add a note."""
    can_note = may_note(user, document, version)
    return {
        "version": version,
        "articles": articles_of(version, with_notes=True),
        "can_note": can_note,
        "note_form": forms.ArticleNoteForm() if can_note else None,
    }


def comparison(old, new):
    """What the include `desk/includes/version_compare.html` shows: `old` and `new`
    (two DocumentVersions of one document), the aligned rows and how many changed; the
    rows are empty when either version could not be split (无法分条显示)."""
    splittable = old.splits_into_articles and new.splits_into_articles
    rows = articles.compare(articles_of(old), articles_of(new)) if splittable else []
    return {
        "old": old,
        "new": new,
        "splittable": splittable,
        "rows": rows,
        "changed": articles.changed(rows),
    }


def _version(request, pk, number):
    document = get_object_or_404(
        visible_documents(request.user).select_related("organisation"), pk=pk
    )
    version = get_object_or_404(DocumentVersion, document=document, number=number)
    version.document = document
    return document, version


@login_required
def version_text(request, pk, number):
    document, version = _version(request, pk, number)
    numbers = list(document.versions.order_by("number").values_list("number", flat=True))
    context = {"document": document, "numbers": numbers, **reading(document, version, request.user)}
    return render(request, "desk/version_text.html", context)


@login_required
def compare(request, pk):
    document = get_object_or_404(visible_documents(request.user), pk=pk)
    versions = {v.number: v for v in document.versions.order_by("number")}
    try:
        a, b = int(request.GET.get("a", "")), int(request.GET.get("b", ""))
    except ValueError:
        numbers = sorted(versions)
        if len(numbers) < 2:
            raise Http404 from None
        a, b = numbers[-2], numbers[-1]
    if a not in versions or b not in versions:
        raise Http404
    context = {
        "document": document,
        "numbers": sorted(versions),
        "comparison": comparison(versions[a], versions[b]),
    }
    return render(request, "desk/compare.html", context)


@login_required
@require_POST
def add_note(request, pk, number, position):
    document, version = _version(request, pk, number)
    article = get_object_or_404(VersionArticle, version=version, position=position)
    if not has_role(request.user, document.organisation_id, *actions.NOTE_ROLES):
        raise PermissionDenied
    form = forms.ArticleNoteForm(request.POST)
    back = safe_next(request, reverse("desk:version_text", args=[pk, number]))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    try:
        with transaction.atomic():
            actions.add_article_note(article, by=request.user, text=form.cleaned_data["text"])
    except Refused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("批注已保存"))
    return redirect(f"{back}#article-{position}")
