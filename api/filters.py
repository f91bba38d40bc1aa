"""Server-side filters (django-filter), the same conditions as the desk's register."""

import django_filters
from django import forms
from django.db.models import Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from review.models import NormativeDocument, State


def year_filter(queryset, name, value):
    """发文年度 once registered, else the year the document was created (the register's rule)."""
    return queryset.filter(
        Q(registration__number_year=value) | Q(registration__isnull=True, created_at__year=value)
    )


@extend_schema_field(OpenApiTypes.INT)
class YearFilter(django_filters.Filter):
    field_class = forms.IntegerField

    def __init__(self, **kwargs):
        super().__init__(method=year_filter, min_value=1949, max_value=2200, **kwargs)


class DocumentFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=State.choices)
    year = YearFilter()
    organisation = django_filters.CharFilter(field_name="organisation__code")

    class Meta:
        model = NormativeDocument
        fields = ["state", "year", "organisation"]


class RegisterFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=State.choices)
    year = YearFilter()
    drafting_unit = django_filters.CharFilter(field_name="drafting_unit__code")
    q = django_filters.CharFilter(method="search", label="标题或发文字号")

    class Meta:
        model = NormativeDocument
        fields = ["state", "year", "drafting_unit", "q"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__contains=value) | Q(registration__number__contains=value))
