"""Evaluation before expiry and 清理 campaigns as pages (domain-rules §8; issue 20).

- 评估任务: the evaluations the user holds (assigned to them) or may take (the legal
  division's queue of their body), each concluded with its outcome and report.
- 清理: the campaigns of the user's bodies; the legal division opens one (the
  background job `build_cleanup` makes its items); its page shows progress per unit,
  the items (proposal and decision forms) and the result lists as DOCX/PDF.
Another body's evaluation or campaign: 404; a wrong role: 403.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from review import actions, reports
from review.choices import CleanupOutcome, EvaluationOutcome
from review.errors import NotPermitted, Refused
from review.models import CleanupCampaign, CleanupItem, Evaluation, Membership, has_role
from review.reports import cleanup as cleanup_report
from review.states import Role
from workflows import evaluation as evaluation_flow

from .common import PAGE_SIZE, login_required
from .outputs import attachment

WORK_ROLES = (Role.DRAFTER, Role.LEGAL_REVIEWER, Role.REGISTRAR)


class CountedPaginator(Paginator):
    """A paginator told its count (the campaign's kept counters): no COUNT over the
    100,000 items of a large 清理 on every page."""

    def __init__(self, object_list, per_page, count):
        super().__init__(object_list, per_page)
        self._known = count

    @property
    def count(self):
        return self._known


class ConcludeForm(forms.Form):
    outcome = forms.ChoiceField(label=gettext_lazy("评估结论"), choices=EvaluationOutcome.choices)
    report = forms.FileField(label=gettext_lazy("评估报告（.docx 或 .pdf）"))
    note = forms.CharField(label=gettext_lazy("说明"), required=False, widget=forms.Textarea)


class CampaignForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("清理名称"), max_length=200)
    in_force_on = forms.DateField(
        label=gettext_lazy("范围：截至该日有效的文件"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    include_subordinates = forms.BooleanField(
        label=gettext_lazy("含所属单位的文件"), required=False, initial=True
    )


class ProposeForm(forms.Form):
    outcome = forms.ChoiceField(label=gettext_lazy("清理意见"), choices=CleanupOutcome.choices)
    note = forms.CharField(label=gettext_lazy("理由"), required=False)


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(label=gettext_lazy("清理决定"), choices=CleanupOutcome.choices)
    decision_number = forms.CharField(label=gettext_lazy("决定文号"), required=False)
    reason = forms.CharField(label=gettext_lazy("理由"), required=False)
    ended_on = forms.DateField(
        label=gettext_lazy("失效日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


def _org_ids(user, *roles):
    members = Membership.objects.filter(user=user)
    if roles:
        members = members.filter(role__in=roles)
    return set(members.values_list("organisation_id", flat=True))


def visible_evaluations(user):
    return Evaluation.objects.filter(
        Q(assignee=user) | Q(organisation_id__in=_org_ids(user, Role.LEGAL_REVIEWER))
    )


def visible_campaigns(user):
    """The campaigns of a body the user belongs to, or covering a unit they belong to."""
    orgs = _org_ids(user)
    return CleanupCampaign.objects.filter(
        Q(organisation_id__in=orgs) | Q(organisation__children__in=orgs, include_subordinates=True)
    ).distinct()


def _messages(request, form):
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@login_required
def evaluations(request):
    listed = (
        visible_evaluations(request.user)
        .filter(status=Evaluation.Status.OPEN)
        .select_related("document", "document__registration", "assignee")
        .order_by("valid_until", "pk")
    )
    done = (
        visible_evaluations(request.user)
        .filter(status=Evaluation.Status.CONCLUDED)
        .select_related("document", "successor")
        .order_by("-concluded_on", "-pk")[:20]
    )
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "desk/evaluations.html",
        {"page": page, "done": done, "form": ConcludeForm()},
    )


@login_required
@require_POST
def conclude(request, pk):
    evaluation = get_object_or_404(visible_evaluations(request.user), pk=pk)
    if not actions.may_conclude(evaluation, request.user):
        raise PermissionDenied
    form = ConcludeForm(request.POST, request.FILES)
    if not form.is_valid():
        _messages(request, form)
        return redirect("desk:evaluations")
    try:
        done = evaluation_flow.conclude(
            evaluation,
            by=request.user,
            outcome=form.cleaned_data["outcome"],
            report=form.cleaned_data["report"],
            note=form.cleaned_data["note"],
        )
    except Refused as refused:
        messages.error(request, refused.message)
        return redirect("desk:evaluations")
    if done.successor is not None:
        messages.success(request, _("评估已办结；已新建文件并进入起草，请在待办中继续"))
        return redirect(done.successor)
    messages.success(request, _("评估已办结"))
    return redirect("desk:evaluations")


@login_required
def campaigns(request):
    may_open = sorted(
        Membership.objects.filter(user=request.user, role=Role.LEGAL_REVIEWER).select_related(
            "organisation"
        ),
        key=lambda m: m.organisation.code,
    )
    if request.method == "POST":
        form = CampaignForm(request.POST)
        if not may_open:
            raise PermissionDenied
        if form.is_valid():
            campaign = actions.open_campaign(
                may_open[0].organisation, by=request.user, **form.cleaned_data
            )
            messages.success(request, _("清理已发起，后台任务将逐件生成清理条目"))
            return redirect("desk:cleanup", pk=campaign.pk)
        _messages(request, form)
    listed = visible_campaigns(request.user).select_related("organisation")
    initial = {"in_force_on": timezone.localdate()}
    return render(
        request,
        "desk/cleanup_list.html",
        {
            "campaigns": listed,
            "form": CampaignForm(initial=initial) if may_open else None,
        },
    )


@login_required
def campaign(request, pk):
    found = get_object_or_404(visible_campaigns(request.user).select_related("organisation"), pk=pk)
    fmt = request.GET.get("format")
    if fmt in ("docx", "pdf"):
        data = reports.render(cleanup_report.compose(cleanup_report.result_lists(found)), fmt)
        return attachment(data, fmt, f"{found.title}-清理结果")
    items = (
        CleanupItem.objects.filter(campaign=found)
        .select_related("document", "document__registration", "unit")
        .order_by("unit_id", "pk")
    )
    progress = actions.progress(found)
    unit = request.GET.get("unit")
    total = found.item_count
    if unit and unit.isdigit():
        items = items.filter(unit_id=int(unit))
        total = next((row["total"] for row in progress if row["unit_id"] == int(unit)), 0)
    page = CountedPaginator(items, PAGE_SIZE, total).get_page(request.GET.get("page"))
    return render(
        request,
        "desk/cleanup.html",
        {
            "campaign": found,
            "progress": progress,
            "page": page,
            "query": f"unit={unit}" if unit and unit.isdigit() else "",
            "propose_form": ProposeForm(),
            "decide_form": DecideForm(),
            "may_decide": has_role(request.user, found.organisation_id, Role.LEGAL_REVIEWER),
        },
    )


def _item_post(request, pk, item_pk, form_class, call, success):
    found = get_object_or_404(visible_campaigns(request.user), pk=pk)
    item = get_object_or_404(CleanupItem.objects.filter(campaign=found), pk=item_pk)
    form = form_class(request.POST)
    if not form.is_valid():
        _messages(request, form)
    else:
        try:
            call(item, form.cleaned_data)
        except NotPermitted as exc:
            raise PermissionDenied from exc
        except Refused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, success)
    return redirect("desk:cleanup", pk=found.pk)


@login_required
@require_POST
def propose(request, pk, item_pk):
    def call(item, data):
        actions.propose(item, by=request.user, outcome=data["outcome"], note=data["note"])

    return _item_post(request, pk, item_pk, ProposeForm, call, _("清理意见已提出"))


@login_required
@require_POST
def decide(request, pk, item_pk):
    def call(item, data):
        actions.decide(item, by=request.user, **data)

    return _item_post(request, pk, item_pk, DecideForm, call, _("清理决定已录入"))
