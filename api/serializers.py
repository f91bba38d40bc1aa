"""What the API shows of each record. Plain field lists: a field is added here on
purpose, never by `fields = "__all__"` (a new model field must not leak)."""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from review import rules
from review.models import (
    AuditEvent,
    Comment,
    CommentPeriod,
    DocumentVersion,
    Filing,
    FilingReview,
    LegalityReview,
    NormativeDocument,
    Publication,
    Registration,
)
from review.states import IN_FORCE_STATES


def _related(obj, name):
    """A reverse one-to-one read by select_related: None where there is none."""
    try:
        return getattr(obj, name)
    except (Registration.DoesNotExist, Publication.DoesNotExist, FilingReview.DoesNotExist):
        return None


class RegistrationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Registration
        fields = ["number", "reg_number", "signed_on", "registered_at"]


class PublicationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Publication
        fields = ["published_on", "channel", "url"]


class DocumentSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.code", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    number = serializers.SerializerMethodField()
    published_on = serializers.SerializerMethodField()

    class Meta:
        model = NormativeDocument
        fields = [
            "id",
            "title",
            "organisation",
            "organisation_name",
            "state",
            "category",
            "number",
            "published_on",
            "effective_from",
            "valid_until",
            "ended_on",
            "end_cause",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_number(self, obj):
        registration = _related(obj, "registration")
        return registration.number if registration else None

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_published_on(self, obj):
        publication = _related(obj, "publication")
        return publication.published_on if publication else None


class VersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = DocumentVersion
        fields = ["number", "sha256", "note", "created_at"]


class LegalityReviewSerializer(serializers.ModelSerializer):
    class Meta:
        model = LegalityReview
        fields = ["version_sha256", "started_at", "due_on", "outcome", "opinion", "completed_at"]


class FilingReviewSerializer(serializers.ModelSerializer):
    """The filing authority's review: its 登记结论 (予以/暂缓/不予备案登记) and conclusion."""

    class Meta:
        model = FilingReview
        fields = [
            "received_on",
            "due_on",
            "extended",
            "outcome",
            "decided_on",
            "refusal_reason",
            "conclusion",
            "concluded_on",
            "findings",
        ]


class FilingSerializer(serializers.ModelSerializer):
    authority = serializers.CharField(source="authority.code", read_only=True)
    review = serializers.SerializerMethodField()

    class Meta:
        model = Filing
        fields = ["authority", "filed_on", "due_on", "review"]

    @extend_schema_field(FilingReviewSerializer(allow_null=True))
    def get_review(self, obj):
        review = _related(obj, "review")
        return FilingReviewSerializer(review).data if review else None


class ValiditySerializer(serializers.Serializer):
    effective_from = serializers.DateField(allow_null=True)
    valid_until = serializers.DateField(allow_null=True)
    ended_on = serializers.DateField(allow_null=True)
    end_cause = serializers.CharField()
    in_force_today = serializers.BooleanField()


class DocumentDetailSerializer(DocumentSerializer):
    versions = VersionSerializer(many=True, read_only=True)
    registration = serializers.SerializerMethodField()
    publication = serializers.SerializerMethodField()
    filings = FilingSerializer(many=True, read_only=True)
    registration_decision = serializers.SerializerMethodField()
    legality_reviews = LegalityReviewSerializer(many=True, read_only=True)
    validity = serializers.SerializerMethodField()

    class Meta(DocumentSerializer.Meta):
        fields = [
            *DocumentSerializer.Meta.fields,
            "legal_basis",
            "classification",
            "is_important",
            "versions",
            "registration",
            "publication",
            "filings",
            "registration_decision",
            "legality_reviews",
            "validity",
        ]

    @extend_schema_field(RegistrationSerializer(allow_null=True))
    def get_registration(self, obj):
        registration = _related(obj, "registration")
        return RegistrationSerializer(registration).data if registration else None

    @extend_schema_field(PublicationSerializer(allow_null=True))
    def get_publication(self, obj):
        publication = _related(obj, "publication")
        return PublicationSerializer(publication).data if publication else None

    @extend_schema_field(FilingReviewSerializer(allow_null=True))
    def get_registration_decision(self, obj):
        """The latest filing's review: the authority's decision on registering it."""
        filings = list(obj.filings.all())
        review = _related(filings[-1], "review") if filings else None
        return FilingReviewSerializer(review).data if review else None

    @extend_schema_field(ValiditySerializer)
    def get_validity(self, obj):
        publication = _related(obj, "publication")
        today = timezone.localdate()
        return {
            "effective_from": obj.effective_from,
            "valid_until": obj.valid_until,
            "ended_on": obj.ended_on,
            "end_cause": obj.end_cause,
            "in_force_today": rules.in_force_on(
                today,
                published_on=publication.published_on if publication else None,
                effective_from=obj.effective_from,
                valid_until=obj.valid_until,
                ended_on=obj.ended_on,
                ended=obj.state not in IN_FORCE_STATES,
            ),
        }


class AuditEventSerializer(serializers.ModelSerializer):
    data = serializers.JSONField()

    class Meta:
        model = AuditEvent
        fields = [
            "seq",
            "at",
            "action",
            "actor_name",
            "from_state",
            "to_state",
            "note",
            "data",
            "prev_hash",
            "hash",
        ]


class CatalogueLineSerializer(serializers.Serializer):
    """The columns of the 有效规范性文件目录 (review.reports.catalogue.FIELDS)."""

    id = serializers.IntegerField()
    organisation = serializers.CharField(source="organisation__name")
    number = serializers.CharField(source="registration__number", allow_null=True)
    registration_number = serializers.CharField(source="registration__reg_number", allow_null=True)
    title = serializers.CharField()
    published_on = serializers.DateField(source="publication__published_on", allow_null=True)
    effective_from = serializers.DateField(allow_null=True)
    valid_until = serializers.DateField(allow_null=True)
    ended_on = serializers.DateField(allow_null=True)
    end_cause = serializers.CharField()


class CommentPeriodSerializer(serializers.ModelSerializer):
    """A comment period as the public portal lists it."""

    document = serializers.IntegerField(source="document_id")
    document_title = serializers.CharField(source="document.title")
    organisation_name = serializers.CharField(source="document.organisation.name")
    published_comments = serializers.IntegerField(source="n_published")
    answered_comments = serializers.IntegerField(source="n_answered")

    class Meta:
        model = CommentPeriod
        fields = [
            "id",
            "document",
            "document_title",
            "organisation_name",
            "opens_on",
            "closes_on",
            "closed_at",
            "summary",
            "published_comments",
            "answered_comments",
        ]


class PublicCommentSerializer(serializers.ModelSerializer):
    """A published comment and its answer: never the commenter's contact, nor a private
    person's name (Comment.public_author), nor the receipt or address digest."""

    author = serializers.CharField(source="public_author")
    response = serializers.SerializerMethodField()
    response_reason = serializers.SerializerMethodField()
    submitted_on = serializers.SerializerMethodField()

    class Meta:
        model = Comment
        fields = [
            "id",
            "article",
            "author",
            "text",
            "submitted_on",
            "cluster",
            "response",
            "response_reason",
        ]

    @extend_schema_field(OpenApiTypes.STR)
    def get_response(self, obj):
        return obj.cluster.response if obj.cluster_id else obj.response

    @extend_schema_field(OpenApiTypes.STR)
    def get_response_reason(self, obj):
        return obj.cluster.response_reason if obj.cluster_id else obj.response_reason

    @extend_schema_field(OpenApiTypes.DATE)
    def get_submitted_on(self, obj):
        return timezone.localdate(obj.submitted_at)
