"""审查建议 on the desk (法规规章备案条例 art. 9): the filing reviewers of the authority
a suggestion is addressed to see it, with the submitter's name and contact (nobody
else does: another authority's suggestion is a 404), link it to the document,
reopen the document's review, tie the 审查意见 it led to, and answer in writing;
the answer letter is an output (PDF/DOCX)."""

from django import forms
from django.contrib import messages
from django.db.models import Exists, OuterRef
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from review import downloads, reports, rules, suggestions
from review.errors import NotPermitted, Refused
from review.models import Membership, ReviewSuggestion, SecurityKind
from review.states import Role
from review.text import CleanTextMixin
from workflows import suggestions as suggestion_flow
from workflows.driving import open_task
from workflows.flows import FilingReviewFlow

from .common import log_security, login_required
from .outputs import attachment
from .tasks import task_url


class AnswerForm(CleanTextMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=gettext_lazy("办理结果"),
        choices=ReviewSuggestion.Outcome.choices,
        widget=forms.RadioSelect,
    )
    reply = forms.CharField(
        label=gettext_lazy("答复内容（理由）"), widget=forms.Textarea(attrs={"rows": 6})
    )


def _authority_ids(user):
    return list(
        Membership.objects.filter(user=user, role=Role.FILING_REVIEWER).values_list(
            "organisation_id", flat=True
        )
    )


def _handled_by(user):
    """The suggestions this user's filing-reviewer roles handle."""
    return ReviewSuggestion.objects.filter(authority_id__in=_authority_ids(user))


def _suggestion_or_404(request, pk):
    return get_object_or_404(
        _handled_by(request.user).select_related("authority", "document", "correction"), pk=pk
    )


@login_required
def suggestion_list(request):
    ids = _authority_ids(request.user)
    if not ids:
        raise Http404
    tasks = suggestion_flow.open_tasks(ids).filter(process__artifact_object_id=OuterRef("pk"))
    rows = list(
        ReviewSuggestion.objects.filter(authority_id__in=ids)
        .select_related("authority", "document")
        .annotate(has_task=Exists(tasks))
        .order_by("status", "due_on", "pk")[:500]
    )
    today = timezone.localdate()
    for row in rows:
        row.overdue = row.replied_on is None and rules.suggestion_overdue(row.due_on, today)
    return render(request, "desk/suggestions.html", {"rows": rows, "today": today})


def _context(request, suggestion):
    query = (request.GET.get("q") or "").strip()[:100]
    task = suggestion_flow.open_task(suggestion)
    review_task = (
        open_task(suggestion.document, FilingReviewFlow.review) if suggestion.document else None
    )
    return {
        "suggestion": suggestion,
        "task": task,
        "may_claim": task is not None
        and task.owner_id is None
        and suggestion_flow.SuggestionFlow.handle.can_assign(request.user, task),
        "review_task_url": task_url(review_task) if review_task else None,
        "opinion": suggestions.correction_after_reopening(suggestion),
        "query": query,
        "results": suggestions.search_documents(query) if query else None,
        "answer_form": AnswerForm(),
        "overdue": suggestion.replied_on is None
        and rules.suggestion_overdue(suggestion.due_on, timezone.localdate()),
        "due_shown": rules.shown(rules.stored(suggestion.due_on, suggestion.due_on_provisional)),
    }


@login_required
def suggestion_detail(request, pk):
    suggestion = _suggestion_or_404(request, pk)
    return render(request, "desk/suggestion.html", _context(request, suggestion))


def _act(request, pk, call, success):
    suggestion = _suggestion_or_404(request, pk)
    try:
        call(suggestion)
    except NotPermitted as denied:
        messages.error(request, denied.message)
    except Refused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, success)
    return redirect("desk:suggestion", suggestion.pk)


def _document_id(request):
    value = request.POST.get("document", "")
    if not value.isdigit():
        raise Refused(_("请选择要关联的文件"))
    return int(value)


@login_required
@require_POST
def claim(request, pk):
    return _act(
        request, pk, lambda s: suggestion_flow.claim(s, request.user), _("已领取该审查建议")
    )


@login_required
@require_POST
def link(request, pk):
    def call(suggestion):
        suggestions.link_document(suggestion, by=request.user, document_id=_document_id(request))

    return _act(request, pk, call, _("已关联所涉文件"))


@login_required
@require_POST
def reopen(request, pk):
    def call(suggestion):
        suggestion_flow.reopen_review(suggestion, request.user, request.POST.get("reason", ""))

    return _act(request, pk, call, _("已重新审查该文件；请在“备案审查”任务中提出审查意见"))


@login_required
@require_POST
def opinion(request, pk):
    return _act(
        request,
        pk,
        lambda s: suggestions.record_opinion(s, by=request.user),
        _("审查意见已记入该审查建议"),
    )


@login_required
@require_POST
def answer(request, pk):
    form = AnswerForm(request.POST)
    if not form.is_valid():
        suggestion = _suggestion_or_404(request, pk)
        context = _context(request, suggestion)
        context["answer_form"] = form
        return render(request, "desk/suggestion.html", context, status=400)

    def call(suggestion):
        data = form.cleaned_data
        suggestion_flow.answer(suggestion, request.user, data["outcome"], data["reply"])

    return _act(request, pk, call, _("已答复，审查建议办结"))


@login_required
def reply_letter(request, pk, fmt):
    suggestion = _suggestion_or_404(request, pk)
    if fmt not in ("pdf", "docx"):
        raise Http404
    try:
        data = reports.build_suggestion_reply(suggestion, fmt)
    except reports.MissingRecord as missing:
        messages.error(request, str(missing))
        return redirect("desk:suggestion", suggestion.pk)
    log_security(
        request, SecurityKind.OUTPUT_EXPORTED, output="suggestion_reply", fmt=fmt, pk=suggestion.pk
    )
    return attachment(data, fmt, f"审查建议答复书-{suggestion.receipt}")


@login_required
def evidence(request, pk):
    suggestion = _suggestion_or_404(request, pk)
    if not suggestion.evidence:
        raise Http404
    ext = suggestion.evidence.name.rsplit(".", 1)[-1]
    log_security(request, SecurityKind.FILE_DOWNLOADED, output="suggestion_evidence", pk=pk)
    return FileResponse(
        suggestion.evidence.open("rb"),
        as_attachment=True,
        filename=f"{suggestion.receipt}-证明材料.{ext}",
        content_type=downloads.content_type(ext),
    )
