"""Downloads of the official outputs (review.reports) from the pages.

A document's outputs are for whoever may see the document (its body, and the
authority it was filed with); another organisation's document is a 404. The
filing audit report is for auditors and filing reviewers, over their own scope.
"""

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from review import reports
from review.calendar import CalendarMissing
from review.models import Membership, NormativeDocument, Organisation, Publication, SecurityKind
from review.reports import audit_report, charts
from review.reports.audit_report.stamp import inputs_stamp
from review.states import Role

from .common import log_security, login_required

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "json": "application/json; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
}
DOCUMENT_OUTPUTS = list(reports.DOCUMENT_KINDS)
AUDIT_ROLES = [Role.AUDITOR, Role.FILING_REVIEWER, Role.ADMIN]
CHART_SECONDS = 24 * 3600  # a drawn chart is kept at most a day (the key changes with it)
CHARTS = {"rates": charts.rate_chart, "overdue": charts.overdue_chart}
YEAR_RATES = ["filing_rate", "timely_rate", "review_rate"]  # charted over the years


def attachment(data, fmt, filename):
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response.headers["Content-Disposition"] = content_disposition_header(True, f"{filename}.{fmt}")
    return response


@login_required
def document_output(request, pk, kind, fmt):
    document = get_object_or_404(NormativeDocument.objects.visible_to(request.user), pk=pk)
    if kind not in reports.DOCUMENT_KINDS or fmt not in reports.FORMATS[kind]:
        raise Http404
    try:
        data = reports.build(kind, document, fmt)
    except (reports.MissingRecord, CalendarMissing) as exc:
        messages.error(request, str(exc))
        return redirect(document)
    log_security(
        request, SecurityKind.OUTPUT_EXPORTED, document_id=document.pk, output=kind, fmt=fmt
    )
    return attachment(data, fmt, f"{document.title}-{reports.KINDS[kind]}")


def audit_scopes(user):
    """(label, parameters) of each scope the user may audit: an authority with the
    bodies that file with it, or one body."""
    scopes = []
    memberships = Membership.objects.filter(user=user, role__in=AUDIT_ROLES).select_related(
        "organisation"
    )
    for organisation in sorted({m.organisation for m in memberships}, key=lambda o: o.code):
        if organisation.filers.exists():
            scopes.append((organisation, {"authority": organisation.code}))
        else:
            scopes.append((organisation, {"organisation": organisation.code}))
    return scopes


def audit_request(request):
    """The scopes the user may audit, the scope and year asked for, and the parameters
    of `audit_report.compute` for them; 403 without a scope, 404 for another's scope.
    A year that is not one is last year, with a message."""
    scopes = audit_scopes(request.user)
    if not scopes:
        raise PermissionDenied(_("只有审计人员、备案审查人员和系统管理员可以查看备案审查工作报告"))
    codes = {org.code: params for org, params in scopes}
    code = request.GET.get("scope") or scopes[0][0].code
    if code not in codes:
        raise Http404
    try:
        year = int(request.GET.get("year") or default_year(codes[code]))
        if not 2000 <= year <= 2100:
            raise ValueError
    except ValueError:
        messages.error(request, _("请填写有效的年度"))
        year = default_year(codes[code])
    return scopes, code, year, {**codes[code], "year": year, "today": timezone.localdate()}


def default_year(scope):
    """The year a report opens on: last year, or, when the scope published nothing then,
    the latest earlier year in which it did (never an empty report when one has data)."""
    last = timezone.localdate().year - 1
    if "authority" in scope:
        publications = Publication.objects.filter(
            document__organisation__files_with__code=scope["authority"]
        )
    else:
        publications = Publication.objects.filter(
            document__organisation__code=scope["organisation"]
        )
    # Usually the scope published last year: the first such publication found answers,
    # where the MAX reads every publication of the scope (docs/performance.md, session 7).
    if publications.filter(published_on__year=last).exists():
        return last
    latest = publications.filter(published_on__year__lte=last).aggregate(latest=Max("published_on"))
    return latest["latest"].year if latest["latest"] else last


@login_required
def filing_audit(request):
    scopes, code, year, params = audit_request(request)
    fmt = request.GET.get("format", "")
    report = audit_report.compute(**params)
    organisation = Organisation.objects.get(code=code)
    if fmt:
        if fmt not in reports.FORMATS["filing_audit"]:
            raise Http404
        data = reports.build("filing_audit", report, fmt)
        log_security(
            request,
            SecurityKind.OUTPUT_EXPORTED,
            output="filing_audit",
            scope=code,
            year=year,
            fmt=fmt,
        )
        return attachment(data, fmt, f"{organisation.short_name}{year}年度备案审查工作报告")
    rows = [(org["name"], org, _rates(org)) for org in report["organisations"]]
    rows.append((_("合计"), report["totals"], _rates(report["totals"])))
    violations = [
        {**v, "label": audit_report.VIOLATION_KINDS[v["kind"]]} for v in report["violations"]
    ]
    return render(
        request,
        "desk/filing_audit.html",
        {
            "scopes": scopes,
            "scope": code,
            "year": year,
            "report": report,
            "rows": rows,
            "count_labels": list(audit_report.COUNT_LABELS.items()),
            "rate_labels": list(audit_report.RATE_LABELS.items()),
            "violations": violations,
            "formats": reports.FORMATS["filing_audit"],
            "charts": list(CHARTS),
            "year_rates": year_rates(),
        },
    )


@login_required
def filing_audit_chart(request, which):
    """A chart of the filing audit for the scope and year asked for, as a PNG: the
    figures of the annual report (`audit_report.compute`), drawn as in its DOCX."""
    if which not in CHARTS and which != "years":
        raise Http404
    _scopes, code, year, params = audit_request(request)
    rate = request.GET.get("rate", "filing_rate") if which == "years" else ""
    if which == "years" and rate not in audit_report.RATES:
        raise Http404
    # Drawing means computing the annual report (five of them for "years"): seconds
    # at provincial scale. The image is kept until anything the report reads changes.
    key = f"chart:{which}:{rate}:{code}:{year}:{inputs_stamp(params['today'])}"
    data = cache.get(key)
    if data is None:
        if which == "years":  # one rate per body over the last years
            data = charts.png(charts.over_years(params, rate))
        else:
            data = charts.png(CHARTS[which](audit_report.compute(**params)))
        cache.set(key, data, CHART_SECONDS)
    response = HttpResponse(data, content_type="image/png")
    response.headers["Cache-Control"] = "private, no-store"
    return response


def year_rates():
    """(rate, label) of the rates the pages chart over the years."""
    return [(key, audit_report.RATE_LABELS[key]) for key in YEAR_RATES]


def _rates(counts):
    return [
        "—" if counts["rates"][key] is None else f"{counts['rates'][key]:.1%}"
        for key in audit_report.RATE_LABELS
    ]
