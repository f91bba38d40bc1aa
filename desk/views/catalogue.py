"""The 有效规范性文件目录 (as of a day) and the 年度目录 (of a year) as a page with
downloads (issue 14 §7), drawn by the same builder as `manage.py catalogue`.

Who sees which body: every member sees the catalogues of the bodies they belong to
(any role); a filing authority's reviewer, auditor or administrator also sees those
of the bodies that file with it, and the authority's with theirs together. A body
not offered is a 404.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.sorting import Sorting
from review import reports
from review.choices import EndCause
from review.models import Membership, Organisation
from review.reports import catalogue
from review.states import Role

from .common import PAGE_SIZE, login_required
from .outputs import AUDIT_ROLES, attachment

# Every role: each member may read the catalogue of their own body.
CATALOGUE_ROLES = tuple(Role)
WITH_FILERS = "+filers"
# The catalogue's sortable columns (?sort=, desk.sorting); by default the 文号 order of
# the printed catalogue (review.reports.catalogue.ORDER).
SORT_COLUMNS = {
    "number": catalogue.ORDER,
    "title": ("title", "pk"),
    "published": ("publication__published_on", "pk"),
    "effective": ("effective_from", "pk"),
    "until": ("valid_until", "pk"),
}


def catalogue_scopes(user):
    """[(key, label, organisation, with_filers)] the user may open, in code order."""
    if user.is_superuser:
        own = list(Organisation.objects.all())
        authorities = [org for org in own if org.filers.exists()]
    else:
        memberships = Membership.objects.filter(user=user).select_related("organisation")
        own = [m.organisation for m in memberships]
        authorities = [m.organisation for m in memberships if m.role in AUDIT_ROLES]
    filers = Organisation.objects.filter(files_with__in=authorities)
    bodies = sorted({org.pk: org for org in [*own, *filers]}.values(), key=lambda o: o.code)
    scopes = []
    for org in bodies:
        scopes.append((org.code, org.name, org, False))
        if org in authorities and any(f.files_with_id == org.pk for f in filers):
            label = _("%(name)s及向其报送备案的单位") % {"name": org.name}
            scopes.append((org.code + WITH_FILERS, label, org, True))
    return scopes


class CatalogueForm(forms.Form):
    VALID, ANNUAL = "valid", "annual"

    scope = forms.ChoiceField(label=gettext_lazy("单位"))
    kind = forms.ChoiceField(
        label=gettext_lazy("目录"),
        choices=[(VALID, gettext_lazy("有效文件目录")), (ANNUAL, gettext_lazy("年度目录"))],
        initial=VALID,
        widget=forms.RadioSelect,
    )
    on = forms.DateField(
        label=gettext_lazy("截至日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("有效文件目录所截至的日期，缺省为今天"),
    )
    year = forms.IntegerField(
        label=gettext_lazy("年度"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=gettext_lazy("年度目录：该年度公布的文件"),
    )

    def __init__(self, data, scopes):
        super().__init__(data)
        self.fields["scope"].choices = [(key, label) for key, label, _o, _f in scopes]

    def clean(self):
        data = super().clean()
        if data.get("kind") == self.ANNUAL:
            if data.get("year") is None:
                self.add_error("year", _("年度目录须填写年度"))
            if (data.get("scope") or "").endswith(WITH_FILERS):
                self.add_error("scope", _("年度目录按单位编制，请选择一个单位"))
        return data


def _query(today, scopes, data):
    """(kind, builder parameters, documents, title) of the catalogue asked for."""
    organisation, with_filers = next((o, f) for k, _l, o, f in scopes if k == data["scope"])
    if data["kind"] == CatalogueForm.ANNUAL:
        year = data["year"]
        title = _("%(name)s%(year)s年度规范性文件目录") % {"name": organisation.name, "year": year}
        params = {"year": year, "organisation": organisation}
        return "annual_catalogue", params, catalogue.annual_documents(year, organisation), title
    on = data.get("on") or today
    documents, scope = catalogue.valid_documents(on, organisation, with_filers)
    title = _("%(scope)s有效规范性文件目录（截至%(on)s）") % {"scope": scope, "on": on.isoformat()}
    params = {"date": on, "organisation": organisation, "with_filers": with_filers}
    return "valid_catalogue", params, documents, title


@login_required
def catalogue_page(request):
    scopes = catalogue_scopes(request.user)
    if not scopes:
        raise PermissionDenied(_("只有本单位工作人员、审计人员和备案审查人员可以查看文件目录"))
    today = timezone.localdate()
    data = request.GET.dict()
    data.setdefault("scope", scopes[0][0])
    data.setdefault("kind", CatalogueForm.VALID)
    if data["scope"] not in {key for key, *_rest in scopes}:
        raise Http404
    form = CatalogueForm(data, scopes)
    context = {"form": form, "formats": reports.FORMATS["valid_catalogue"]}
    if not form.is_valid():
        return render(request, "desk/catalogue.html", context)
    kind, params, documents, title = _query(today, scopes, form.cleaned_data)
    fmt = request.GET.get("format", "")
    if fmt:
        if fmt not in reports.FORMATS[kind]:
            raise Http404
        return attachment(reports.build(kind, params, fmt), fmt, title)
    sorting = Sorting(request, SORT_COLUMNS, "number")
    page = catalogue.paged(documents, sorting.order_by(), request.GET.get("page"), PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    context |= {
        "title": title,
        "page": page,
        "lines": [_shown(line) for line in catalogue.lines_of(page.object_list)],
        "several": params.get("with_filers", False),
        "query": query.urlencode(),
        "sorting": sorting,
        "as_of": params.get("date"),
    }
    return render(request, "desk/catalogue.html", context)


def _shown(line):
    line.cause_label = EndCause(line.end_cause).label if line.end_cause else ""
    return line
