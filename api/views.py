"""The API's endpoints (issue 21). Each loads with the same querysets as the pages —
`NormativeDocument.objects.visible_to(user)` for a token's user, the portal's queries
for the public — and another organisation's document is a 404, as on the desk.

Every GET carries an ETag (a digest of the body) and answers 304 to If-None-Match.
"""

import datetime
import json

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers, set_response_etag
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from review.models import (
    AuditEvent,
    Comment,
    CommentPeriod,
    Filing,
    NormativeDocument,
    Organisation,
    Role,
)
from review.reports import build, catalogue
from review.roles import has_role

from . import filters, pagination
from . import serializers as s
from .permissions import Public, TokenRequired

AUDIT_ROLES = (Role.AUDITOR, Role.FILING_REVIEWER)


class ETagMixin:
    """A strong validator of the representation: the digest of the rendered body, per
    token (Vary: Authorization). A matching If-None-Match gets 304 and no body."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ["Authorization"])
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            response.render()
            set_response_etag(response)
            return get_conditional_response(request, etag=response["ETag"], response=response)
        return response


class TokenView(ETagMixin, generics.GenericAPIView):
    permission_classes = [TokenRequired]

    def documents(self):
        return NormativeDocument.objects.visible_to(self.request.user)


class PublicView(ETagMixin, generics.GenericAPIView):
    permission_classes = [Public]
    authentication_classes = []  # a token is neither needed nor looked at


# --- documents --------------------------------------------------------------------


class DocumentList(TokenView, generics.ListAPIView):
    """The documents the token's organisation may see, newest first."""

    serializer_class = s.DocumentSerializer
    pagination_class = pagination.ById
    filter_backends = [DjangoFilterBackend]
    filterset_class = filters.DocumentFilter

    def get_queryset(self):
        return self.documents().select_related("organisation", "registration", "publication")


class DocumentDetail(TokenView, generics.RetrieveAPIView):
    """One document with its versions, registration, publication, filings (and the
    authority's registration decision), legality reviews and validity."""

    serializer_class = s.DocumentDetailSerializer

    def get_queryset(self):
        filings = Filing.objects.select_related("authority", "review").order_by("filed_on", "pk")
        return (
            self.documents()
            .select_related("organisation", "registration", "publication")
            .prefetch_related(
                "versions",
                Prefetch("filings", queryset=filings),
                "legality_reviews",
            )
        )


class DocumentEvents(TokenView, generics.ListAPIView):
    """The document's audit events, in the order of the chain."""

    serializer_class = s.AuditEventSerializer
    pagination_class = pagination.BySeq

    def get_queryset(self):
        document = generics.get_object_or_404(self.documents(), pk=self.kwargs["pk"])
        return AuditEvent.objects.filter(document=document)


class Register(TokenView, generics.ListAPIView):
    """The register (台账): in progress first, then by 成文日期, as on the desk."""

    serializer_class = s.DocumentSerializer
    pagination_class = pagination.RegisterOrder
    filter_backends = [DjangoFilterBackend]
    filterset_class = filters.RegisterFilter

    def get_queryset(self):
        return self.documents().select_related("organisation", "registration", "publication")


# --- the filing audit -------------------------------------------------------------


class AuditQuery(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)


@extend_schema(
    parameters=[AuditQuery],
    responses={200: OpenApiTypes.OBJECT},
)
class FilingAudit(TokenView):
    """The annual filing audit of the token's organisation (with the bodies that file
    with it, for a filing authority): the JSON of `manage.py filing_audit`. Needs the
    auditor's or the filing reviewer's role."""

    def get(self, request):
        organisation = request.auth.organisation
        if not has_role(request.user, organisation, *AUDIT_ROLES):
            raise PermissionDenied(_("只有审计人员和备案审查人员可以查看备案审查工作报告"))
        query = AuditQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        today = timezone.localdate()
        year = query.validated_data.get("year", today.year - 1)
        key = "authority" if organisation.filers.exists() else "organisation"
        params = {key: organisation.code, "year": year, "today": today}
        return Response(json.loads(build("filing_audit", params, "json")))


# --- public -----------------------------------------------------------------------


class CatalogueQuery(serializers.Serializer):
    on = serializers.DateField(required=False, help_text="目录日期，缺省为今天")
    organisation = serializers.CharField(required=False, help_text="制定机关代码")
    with_filers = serializers.BooleanField(required=False, default=False)


@extend_schema(parameters=[CatalogueQuery])
class Catalogue(PublicView, generics.ListAPIView):
    """The 有效规范性文件目录 as of a day (review.reports.catalogue): published
    documents in force on that day, with only the columns the catalogue publishes."""

    serializer_class = s.CatalogueLineSerializer
    pagination_class = pagination.ByIdAscending

    def get_queryset(self):
        query = CatalogueQuery(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        organisation = None
        if data.get("organisation"):
            organisation = Organisation.objects.filter(code=data["organisation"]).first()
            if organisation is None:
                raise ValidationError({"organisation": _("没有这个单位")})
        on = data.get("on") or timezone.localdate()
        if not datetime.date(1949, 1, 1) <= on <= datetime.date(2200, 12, 31):
            raise ValidationError({"on": _("日期超出范围")})
        documents, _scope = catalogue.valid_documents(on, organisation, data["with_filers"])
        return documents.values("id", *catalogue.COLUMNS)


def public_periods():
    """The latest comment period of each document (what the portal shows), with the
    counts of published and answered comments."""
    latest = CommentPeriod.objects.filter(document=OuterRef("document")).order_by(
        "-opens_on", "-pk"
    )
    published = Q(comments__status=Comment.Status.PUBLISHED)
    return (
        CommentPeriod.objects.filter(pk=Subquery(latest.values("pk")[:1]))
        .select_related("document", "document__organisation")
        .annotate(
            n_published=Count("comments", filter=published),
            n_answered=Count("comments", filter=published & ~Q(comments__response="")),
        )
    )


class CommentPeriods(PublicView, generics.ListAPIView):
    """Comment periods, newest first (public)."""

    serializer_class = s.CommentPeriodSerializer
    pagination_class = pagination.ById

    def get_queryset(self):
        return public_periods()


class PublishedComments(PublicView, generics.ListAPIView):
    """The published comments of a period and their answers, once the period is over
    (while it is open the portal shows none either). No contact, no private name."""

    serializer_class = s.PublicCommentSerializer
    pagination_class = pagination.ByIdAscending

    def get_queryset(self):
        period = public_periods().filter(pk=self.kwargs["pk"]).first()
        if period is None:
            raise Http404
        if not period.is_over_on(timezone.localdate()):
            return Comment.objects.none()
        return period.comments.filter(status=Comment.Status.PUBLISHED).select_related("cluster")


class Root(PublicView, APIView):
    @extend_schema(exclude=True)
    def get(self, request):
        return Response({"schema": "/api/schema/", "docs": "/api/docs/"})
