"""Assisted review (issue 19): the flags beside the text on the legality review and
filing review task pages, and the reviewer's decision on one of them.

The flags are hints, never verdicts: each is accepted (it drafts the 初审意见 the
reviewer edits) or dismissed, with a reason (review.actions.decide_flag, audited).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from review import actions
from review.errors import NotPermitted, Refused
from review.flags import store
from review.models import FlagStage

from .. import forms
from .common import login_required, safe_next, visible_documents

# The task nodes that show flags, and the stage they decide at.
STAGE_OF_NODE = {"legal_review": FlagStage.LEGALITY, "review": FlagStage.FILING}
# The field of each stage's form the accepted flags draft.
DRAFTED_FIELD = {FlagStage.LEGALITY: "opinion", FlagStage.FILING: "findings"}


def review_flags(document, stage):
    """What the include `desk/includes/review_flags.html` shows: the flags with their
    decisions, how many are undecided, the draft 初审意见, and the decision form."""
    version = store.version_for(document, stage)
    if version is None:
        return None
    as_of = store.as_of_for(document)
    flags = store.decided(document, version, stage, as_of)
    return {
        "stage": stage,
        "version": version,
        "as_of": as_of,
        "flags": flags,
        "unresolved": len(store.unresolved(flags)),
        "draft": store.draft_opinion(flags),
        "field": DRAFTED_FIELD[stage],
        "form": forms.FlagDecisionForm(),
    }


def for_task(node_name, document):
    """The flags of a task's page, or None for a task that shows none."""
    stage = STAGE_OF_NODE.get(node_name)
    return review_flags(document, stage) if stage else None


@login_required
@require_POST
def decide(request, pk, stage):
    document = get_object_or_404(
        visible_documents(request.user).select_related("organisation"), pk=pk
    )
    if stage not in FlagStage.values:
        raise Http404
    back = safe_next(request, reverse("desk:document", args=[pk]))
    form = forms.FlagDecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(f"{back}#review-flags")
    data = form.cleaned_data
    try:
        with transaction.atomic():
            actions.decide_flag(
                document,
                by=request.user,
                stage=stage,
                ident=data["flag"],
                accepted=data["accepted"],
                reason=data["reason"],
            )
    except NotPermitted:
        raise PermissionDenied from None
    except Refused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request, _("已采纳该审查提示") if data["accepted"] else _("已不采纳该审查提示")
        )
    return redirect(f"{back}#review-flags")
