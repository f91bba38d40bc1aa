"""The public catalogue of documents in force (issue 14 §7): anyone, without logging
in, searches the documents in force today by title, 文号, issuing body and date of
publication, as the provincial filing platforms offer.

Only published documents (rules.in_force_on, the same query as the staff catalogue)
and only what their publication made public: 文号, 标题, 制定机关 and the dates.
Paged on the server: the list may hold many thousands of rows.
"""

from django import forms
from django.db.models import Exists, OuterRef
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from review.models import PUBLISHED_STATES, NormativeDocument, Organisation
from review.reports import catalogue

PAGE_SIZE = 30
PUBLIC_FIELDS = (
    "title",
    "registration__number",
    "organisation__name",
    "publication__published_on",
    "effective_from",
    "valid_until",
)
DATE = forms.DateInput(attrs={"type": "date"})


def issuing_bodies():
    """The bodies with a published document (the body filter's choices)."""
    published = NormativeDocument.objects.filter(
        organisation=OuterRef("pk"), state__in=PUBLISHED_STATES
    )
    return Organisation.objects.filter(Exists(published)).order_by("code")


class SearchForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("标题"), required=False, max_length=100)
    number = forms.CharField(
        label=gettext_lazy("文号"),
        required=False,
        max_length=50,
        help_text=gettext_lazy("发文字号的全部或一部分，如 〔2024〕3号"),
    )
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("制定机关"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=gettext_lazy("全部"),
        to_field_name="code",
    )
    published_from = forms.DateField(label=gettext_lazy("公布日期自"), required=False, widget=DATE)
    published_to = forms.DateField(label=gettext_lazy("公布日期至"), required=False, widget=DATE)

    def __init__(self, data):
        super().__init__(data)
        self.fields["organisation"].queryset = issuing_bodies()

    def clean(self):
        data = super().clean()
        start, end = data.get("published_from"), data.get("published_to")
        if start and end and start > end:
            self.add_error("published_to", _("公布日期的终止日不得早于起始日"))
        return data


def search(today, data):
    """The documents in force on `today` that match `data` (a page shows PUBLIC_FIELDS)."""
    documents = NormativeDocument.objects.in_force_on(today)
    if data.get("organisation"):
        documents = documents.filter(organisation=data["organisation"])
    if data.get("title"):
        documents = documents.filter(title__icontains=data["title"].strip())
    if data.get("number"):
        documents = documents.filter(registration__number__icontains=data["number"].strip())
    if data.get("published_from"):
        documents = documents.filter(publication__published_on__gte=data["published_from"])
    if data.get("published_to"):
        documents = documents.filter(publication__published_on__lte=data["published_to"])
    return documents


@require_GET
def catalogue_page(request):
    today = timezone.localdate()
    form = SearchForm(request.GET)
    documents = search(today, form.cleaned_data) if form.is_valid() else None
    query = request.GET.copy()
    query.pop("page", None)
    page = None
    if documents is not None:
        number = request.GET.get("page")
        page = catalogue.paged(documents, catalogue.ORDER, number, PAGE_SIZE, PUBLIC_FIELDS)
        page.object_list = [dict(zip(PUBLIC_FIELDS, row, strict=True)) for row in page.object_list]
    return render(
        request,
        "public/catalogue.html",
        {"form": form, "page": page, "today": today, "query": query.urlencode()},
    )
