"""The register (台账): every document the user may see, filtered and paged."""

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone
from viewflow.workflow.models import Task

from config.sorting import Sorting
from review.models import Membership, NormativeDocument, Organisation
from workflows.driving import OPEN

from .. import forms
from .common import PAGE_SIZE, login_required, visible_documents
from .outputs import CHARTS, audit_scopes, default_year, year_rates
from .tasks import due_on


def _overdue_document_ids():
    """The documents with an open human task past its deadline, as a subquery.

    Not correlated to the document row: SQLite runs it once and probes the result,
    where an EXISTS per row scanned every open task for each document listed (the
    process index is (content type, object id), and the planner drove the subquery
    from the task status index instead)."""
    today = timezone.localdate().isoformat()
    return (
        Task.objects.filter(
            flow_task_type="HUMAN",
            status__in=OPEN,
            process__artifact_content_type=ContentType.objects.get_for_model(NormativeDocument),
        )
        .annotate(due=due_on())
        .filter(due__lt=today)
        .values("process__artifact_object_id")
    )


class _IdPaginator(Paginator):
    """Pages of document ids: the page's rows are fetched afterwards by id, and a page
    past the middle is read from the other end so that its OFFSET stays small and the
    last page costs what the first does (an index walk either way, or, with a filter
    the index cannot serve, a sort of ids rather than of whole rows)."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        if bottom > self.count // 2:
            ids = list(self.object_list.reverse()[self.count - top : self.count - bottom])[::-1]
        else:
            ids = list(self.object_list[bottom:top])
        return self._get_page(ids, number, self)


# The register's sortable columns (?sort=, desk.sorting). By default documents in
# progress come first, then by 成文日期: imported and seeded history is dated by its
# signing, not by the day it entered the system. The index document_register_order
# serves that order.
SORT_COLUMNS = {
    "date": ("register_sort_date", "created_at", "pk"),
    "title": ("title", "pk"),
    "number": ("registration__number", "pk"),
    "organisation": ("organisation__code", "pk"),
    "state": ("state", "pk"),
}
DEFAULT_SORT = "-date"


def register_documents(user, filters=None, order=None):
    """The register's rows for `user`, filtered by the form's cleaned data, in
    `order` (fields to order by; the default: newest first)."""
    documents = (
        visible_documents(user)
        .select_related("organisation", "drafting_unit", "registration")
        .annotate(overdue=Q(pk__in=_overdue_document_ids()))
        .order_by(*(order or ("-register_sort_date", "-created_at", "-pk")))
    )
    data = filters or {}
    if data.get("state"):
        documents = documents.filter(state=data["state"])
    if data.get("year"):
        documents = documents.filter(
            Q(registration__number_year=data["year"])
            | Q(registration__isnull=True, created_at__year=data["year"])
        )
    if data.get("drafting_unit"):
        documents = documents.filter(drafting_unit=data["drafting_unit"])
    if data.get("overdue"):
        documents = documents.filter(overdue=True)
    if data.get("q"):
        documents = documents.filter(
            Q(title__contains=data["q"]) | Q(registration__number__contains=data["q"])
        )
    return documents


@login_required
def register(request):
    user = request.user
    org_ids = list(Membership.objects.filter(user=user).values_list("organisation_id", flat=True))
    units = Organisation.objects.filter(Q(pk__in=org_ids) | Q(parent__in=org_ids))
    form = forms.RegisterFilterForm(request.GET or None, units=units)
    sorting = Sorting(request, SORT_COLUMNS, DEFAULT_SORT)
    documents = register_documents(
        user, form.cleaned_data if form.is_valid() else None, sorting.order_by()
    )
    page = _IdPaginator(documents.values_list("pk", flat=True), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    found = documents.order_by().in_bulk(page.object_list)
    page.object_list = [found[pk] for pk in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    scopes = audit_scopes(user)
    year = (form.cleaned_data.get("year") if form.is_valid() else None) or (
        default_year(scopes[0][1]) if scopes else timezone.localdate().year - 1
    )
    return render(
        request,
        "desk/register.html",
        {
            "form": form,
            "page": page,
            "sorting": sorting,
            "query": query.urlencode(),
            # the filing audit's charts of the user's first scope, for auditors and
            # filing reviewers: the figures of the annual report (outputs.filing_audit_chart)
            "charts": list(CHARTS) if scopes else [],
            "year_rates": year_rates(),
            "scope": scopes[0][0].code if scopes else "",
            "year": year,
        },
    )
