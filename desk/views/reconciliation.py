"""The filing authority's reconciliation page (issue 18, docs/reconciliation.md):
upload a body's 发文登记簿 and published list, see the findings, close each one.

Who: the 备案审查人员 of an authority, for the bodies that file with it. Another
body's findings are a 404; a user who reviews for no authority gets a 403. The
uploaded files are read from a temporary file and deleted: only their names and
SHA-256 are kept, and nothing of a 密级 row."""

import tempfile
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from review import actions, reconciliation
from review.errors import Refused
from review.models import (
    Membership,
    Organisation,
    ReconciliationFinding,
    ReconciliationRun,
    SecurityKind,
)
from review.reports import reconciliation as output
from review.reports import render as render_output
from review.states import Role, State
from workflows import reconciliation as flow

from .common import log_security, login_required
from .outputs import attachment

RECONCILE_ROLES = (Role.FILING_REVIEWER,)
FORMATS = ("json", "csv", "pdf")
SUFFIXES = (".csv", ".xlsx")


def reconcilable(user):
    """The bodies filing with an authority where the user is a 备案审查人员."""
    return Organisation.objects.filter(
        files_with__memberships__user=user,
        files_with__memberships__role=Role.FILING_REVIEWER,
    ).distinct()


def _file_field(label, required):
    return forms.FileField(
        label=label,
        required=required,
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(SUFFIXES)}),
        help_text=gettext_lazy(".csv（UTF-8）或 .xlsx；标有密级的行不予读取、不予保存"),
    )


class ReconcileForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("制定机关"), queryset=Organisation.objects.none()
    )
    year = forms.IntegerField(label=gettext_lazy("年度"), min_value=2000, max_value=2100)
    issued = _file_field(gettext_lazy("发文登记簿（文号、标题、成文日期）"), True)
    published = _file_field(gettext_lazy("公布清单（标题、公布日期、URL）"), False)

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = bodies.order_by("code")

    def clean(self):
        data = super().clean()
        for name in ("issued", "published"):
            upload = data.get(name)
            if upload is None:
                continue
            if Path(upload.name).suffix.lower() not in SUFFIXES:
                self.add_error(name, _("只能上传 .csv 或 .xlsx 文件"))
            elif upload.size > settings.GUIFAN_UPLOAD_MAX_BYTES:
                self.add_error(name, _("文件过大"))
        return data


def _bodies_or_403(user):
    if not Membership.objects.filter(user=user, role__in=RECONCILE_ROLES).exists():
        raise PermissionDenied(_("只有备案审查人员可以核对发文"))
    return reconcilable(user)


def _run_uploads(form, user):
    """Each upload to a temporary file of its own suffix (the reader goes by it),
    reconciled, then deleted."""
    data = form.cleaned_data
    with tempfile.TemporaryDirectory(prefix="guifan-reconcile-") as folder:
        paths = {}
        for name in ("issued", "published"):
            upload = data.get(name)
            if upload is None:
                continue
            path = Path(folder) / Path(upload.name).name
            with path.open("wb") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
            paths[name] = path
        return reconciliation.reconcile(
            data["organisation"], data["year"], paths["issued"], paths.get("published"), by=user
        )


def _page_url(organisation, year):
    return f"{reverse('desk:reconciliation')}?org={organisation.code}&year={year}"


@login_required
def reconciliation_page(request):
    bodies = _bodies_or_403(request.user)
    if request.method == "POST":
        form = ReconcileForm(request.POST, request.FILES, bodies=bodies)
        if form.is_valid():
            try:
                run, findings = _run_uploads(form, request.user)
            except Refused as refused:
                messages.error(request, refused.message)
            else:
                messages.success(
                    request,
                    _("核对完成：发现问题 %(n)d 项，跳过涉密行 %(s)d 行")
                    % {"n": len(findings), "s": run.skipped_classified},
                )
                return redirect(_page_url(run.organisation, run.year))
    else:
        form = ReconcileForm(bodies=bodies, initial={"year": timezone.localdate().year - 1})
    return render(request, "desk/reconciliation.html", _context(request, bodies, form))


def _selected_run(request, bodies):
    code, year = request.GET.get("org"), request.GET.get("year")
    runs = ReconciliationRun.objects.filter(organisation__in=bodies).select_related(
        "organisation", "run_by"
    )
    if code:
        if not bodies.filter(code=code).exists():
            raise Http404  # not a body filing with the user's authority
        runs = runs.filter(organisation__code=code)
    if year and year.isdigit():
        runs = runs.filter(year=int(year))
    return runs.order_by("-run_on", "-pk").first()


def _findings(run):
    if run is None:
        return []
    return list(
        ReconciliationFinding.objects.filter(last_run=run)
        .select_related("document", "demand", "closed_by")
        .order_by("kind", "number", "title", "pk")
    )


def _offers(finding):
    """The closings this finding may take now: 不属于规范性文件 and 补登记 while open;
    限期报送 for a published document not filed (待报送备案) without a demand; 通报
    once the demand's deadline has passed unanswered."""
    offers = []
    if finding.is_open:
        offers.append("dismiss")
        if finding.kind == ReconciliationFinding.Kind.UNREGISTERED:
            offers.append("backfill")
    document, demand = finding.document, finding.demand
    if document is not None and document.state == State.FILING and demand is None:
        if finding.is_open or finding.closing == ReconciliationFinding.Closing.BACKFILLED:
            offers.append("demand")
    if demand is not None and demand.is_open and timezone.localdate() > demand.deadline:
        offers.append("notify")
    return offers


def _context(request, bodies, form):
    run = _selected_run(request, bodies)
    findings = _findings(run)
    for finding in findings:
        finding.report_status = output.STATUS_LABELS[finding.status]
        finding.offers = _offers(finding)
    recent = (
        ReconciliationRun.objects.filter(organisation__in=bodies)
        .select_related("organisation")
        .order_by("-run_on", "-pk")[:10]
    )
    return {
        "form": form,
        "run": run,
        "findings": findings,
        "totals": reconciliation.report(run, findings)["totals"] if run else {},
        "kind_labels": output.KIND_LABELS,
        "recent": recent,
        "formats": FORMATS,
    }


@login_required
def reconciliation_report(request, pk, fmt):
    """The run's report (JSON, CSV or PDF), as `manage.py reconcile` writes it."""
    bodies = _bodies_or_403(request.user)
    run = get_object_or_404(
        ReconciliationRun.objects.filter(organisation__in=bodies).select_related("organisation"),
        pk=pk,
    )
    if fmt not in FORMATS:
        raise Http404
    report = reconciliation.report(run, _findings(run))
    if fmt == "json":
        data = output.to_json(report)
    elif fmt == "csv":
        data = output.to_csv(report)
    else:
        data = render_output(output.compose(report, run.organisation.name), "pdf")
    log_security(
        request, SecurityKind.OUTPUT_EXPORTED, output="reconciliation", run=run.pk, fmt=fmt
    )
    return attachment(data, fmt, f"{run.organisation.short_name}{run.year}年度发文核对")


CLOSINGS = {
    "dismiss": lambda finding, user, text: actions.dismiss_finding(finding, by=user, reason=text),
    "backfill": lambda finding, user, text: actions.backfill_finding(finding, by=user, note=text),
    "demand": lambda finding, user, text: flow.demand(finding, user, text),
    "notify": lambda finding, user, text: flow.notify(finding, user, text),
}
CLOSED = {
    "dismiss": gettext_lazy("已认定不属于规范性文件"),
    "backfill": gettext_lazy("已补登记"),
    "demand": gettext_lazy("限期报送通知已发出"),
    "notify": gettext_lazy("已通报"),
}


@login_required
@require_POST
def close_finding(request, pk):
    bodies = _bodies_or_403(request.user)
    finding = get_object_or_404(
        ReconciliationFinding.objects.filter(organisation__in=bodies).select_related(
            "organisation", "document", "demand", "first_run"
        ),
        pk=pk,
    )
    how = request.POST.get("how", "")
    if how not in CLOSINGS:
        messages.error(request, _("请选择处理方式"))
    else:
        try:
            with transaction.atomic():
                CLOSINGS[how](finding, request.user, request.POST.get("text", "").strip())
        except Refused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, CLOSED[how])
    return redirect(_page_url(finding.organisation, finding.year))
