"""The administrator's view: master data is edited here; documents and their
records are shown read-only, because every change to them goes through
review.actions (guards, one audit event) and never through a form.

Only system administrators are staff (seed_demo makes only `admin` staff); everyone
else works in the application's pages, where a document of another organisation is
a 404. No ModelAdmin here grants a view to staff as such: Django's permissions decide."""

import datetime
import re

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from . import actions, models, rules
from .calendar import package_knows
from .errors import Refused


@admin.register(models.Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "code",
        "short_name",
        "kind",
        "issuing_code",
        "parent",
        "files_with",
        "may_issue",
        "number_source",
    ]
    list_filter = ["kind", "may_issue"]
    search_fields = ["name", "code", "short_name", "issuing_code"]
    autocomplete_fields = ["parent", "files_with"]


@admin.register(models.JurisdictionSettings)
class JurisdictionSettingsAdmin(admin.ModelAdmin):
    list_display = [
        "organisation",
        "registration_prefix",
        "publication_channel",
        "comment_min_working_days",
        "legality_review_max_working_days",
        "filing_deadline_days",
        "filing_review_days",
        "correction_days",
        "filing_demand_days",
        "suggestion_handling_days",
        "validity_years",
    ]
    autocomplete_fields = ["organisation"]


@admin.register(models.CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "is_working_day", "name"]
    list_filter = ["is_working_day"]
    date_hierarchy = "date"
    search_fields = ["name"]


# --- the year's holiday schedule (§9): one form per year, from the notice --------

_DATE_SEPARATORS = re.compile(r"[\s,，、;；]+")
_RANGE = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})(?:~|～|至)(\d{4}-\d{1,2}-\d{1,2})$")


def parse_dates(text):
    """Dates as the administrator types them from the notice: YYYY-MM-DD separated by
    spaces, commas, 、 or new lines, and ranges such as 2027-02-05~2027-02-11 (or 至)."""
    days = set()
    for part in _DATE_SEPARATORS.split((text or "").strip()):
        if not part:
            continue
        found = _RANGE.match(part)
        try:
            if found:
                first, last = (datetime.date.fromisoformat(_padded(d)) for d in found.groups())
                if last < first:
                    raise ValueError(part)
                days.update(first + datetime.timedelta(n) for n in range((last - first).days + 1))
            else:
                days.add(datetime.date.fromisoformat(_padded(part)))
        except ValueError:
            raise forms.ValidationError(
                _("无法识别的日期：%(part)s（格式：2027-02-05 或 2027-02-05~2027-02-11）")
                % {"part": part}
            ) from None
    return days


def _padded(text):
    year, month, day = text.split("-")
    return f"{year}-{int(month):02d}-{int(day):02d}"


class CalendarYearForm(forms.ModelForm):
    holidays = forms.CharField(
        label=_("放假日期"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "国务院办公厅通知中的全部放假日（含周末），如 2027-02-05~2027-02-11，以空格、逗号或换行分隔"
        ),
    )
    workdays = forms.CharField(
        label=_("调休上班日期"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("通知中需上班的周六、周日"),
    )

    class Meta:
        model = models.CalendarYear
        fields = ["year", "notice_number", "complete"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            entries = models.CalendarOverride.objects.filter(date__year=self.instance.year)
            for field, working in (("holidays", False), ("workdays", True)):
                self.initial[field] = "\n".join(
                    d.isoformat()
                    for d in entries.filter(is_working_day=working).values_list("date", flat=True)
                )

    def clean_holidays(self):
        return parse_dates(self.cleaned_data["holidays"])

    def clean_workdays(self):
        return parse_dates(self.cleaned_data["workdays"])

    def clean(self):
        data = super().clean()
        year = data.get("year")
        if year and "holidays" in data and "workdays" in data:
            try:
                rules.check_year_schedule(
                    year, data["holidays"], data["workdays"], package_knows=package_knows(year)
                )
            except Refused as refused:
                raise forms.ValidationError(str(refused)) from None
        if data.get("complete") and not (data.get("notice_number") or "").strip():
            self.add_error("notice_number", _("标记为完整录入须填写国务院办公厅通知文号"))
        return data


@admin.register(models.CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    """A year's whole schedule in one form; saving it goes through
    review.actions.enter_calendar_year (audited; marking it complete recomputes every
    provisional deadline and the flows' timers)."""

    form = CalendarYearForm
    list_display = ["year", "complete", "notice_number", "marked_by", "marked_at"]
    readonly_fields = ["marked_by", "marked_at"]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        moved = actions.enter_calendar_year(
            data["year"],
            by=request.user,
            holidays=data["holidays"],
            workdays=data["workdays"],
            notice_number=data["notice_number"],
            complete=data["complete"],
        )
        obj.pk = models.CalendarYear.objects.get(year=data["year"]).pk
        if moved:
            self.message_user(
                request, _("已重新计算 %(n)s 个暂定期限，并记入审计记录") % {"n": len(moved)}
            )


@admin.register(models.Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "unit"]
    list_filter = ["role", "organisation"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "organisation__name"]
    autocomplete_fields = ["user", "organisation", "unit"]


class ReadOnlyMixin:
    """Nobody adds, changes or deletes here, not even a superuser. Viewing is
    Django's own rule: a superuser, or a staff user granted the model's view
    permission; being staff alone shows nothing."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(ReadOnlyMixin, admin.TabularInline):
    extra = 0
    show_change_link = False


class VersionInline(ReadOnlyInline):
    model = models.DocumentVersion
    fields = ["number", "sha256", "note", "created_by", "created_at"]


class AttachmentInline(ReadOnlyInline):
    model = models.Attachment
    fields = ["kind", "name", "sha256", "uploaded_by", "uploaded_at"]


class LegalityReviewInline(ReadOnlyInline):
    model = models.LegalityReview
    fk_name = "document"
    fields = ["started_at", "due_on", "reviewer", "outcome", "version_sha256", "completed_at"]


class DeliberationInline(ReadOnlyInline):
    model = models.Deliberation
    fields = ["meeting_type", "meeting_date", "outcome", "dissent"]


class FilingInline(ReadOnlyInline):
    model = models.Filing
    fk_name = "document"
    fields = ["authority", "filed_on", "due_on", "materials"]


class CorrectionInline(ReadOnlyInline):
    model = models.Correction
    fields = ["issued_on", "deadline", "reported_on", "closed_on"]


class AuditInline(ReadOnlyInline):
    model = models.AuditEvent
    fields = ["seq", "at", "actor_name", "action", "from_state", "to_state", "note"]
    ordering = ["seq"]
    verbose_name_plural = _("完整履历（审计记录）")


@admin.register(models.NormativeDocument)
class NormativeDocumentAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = [
        "title",
        "organisation",
        "state",
        "registration_number",
        "effective_from",
        "valid_until",
        "ended_on",
    ]
    list_filter = [
        "state",
        "end_cause",
        "organisation",
        "category",
        "is_important",
        "is_market_related",
        "is_major_decision",
    ]
    search_fields = ["title", "registration__number", "registration__reg_number"]
    list_select_related = ["organisation", "registration"]
    inlines = [
        VersionInline,
        AttachmentInline,
        LegalityReviewInline,
        DeliberationInline,
        FilingInline,
        CorrectionInline,
        AuditInline,
    ]

    @admin.display(description=_("发文字号"))
    def registration_number(self, obj):
        registration = getattr(obj, "registration", None)
        return registration.number if registration else "—"


@admin.register(models.AuditEvent)
class AuditEventAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["seq", "at", "document", "actor_name", "action", "from_state", "to_state"]
    list_filter = ["action"]
    search_fields = ["document__title", "actor_name", "note"]
    list_select_related = ["document"]


for model in [
    models.Registration,
    models.Publication,
    models.Filing,
    models.FilingReview,
    models.Correction,
    models.NumberSequence,
    models.CommentPeriod,
    models.Comment,
]:
    admin.site.register(
        model, type(f"{model.__name__}Admin", (ReadOnlyMixin, admin.ModelAdmin), {})
    )


class MembershipInline(admin.TabularInline):
    model = models.Membership
    fk_name = "user"
    extra = 1
    autocomplete_fields = ["organisation", "unit"]
    verbose_name_plural = _("所属单位与角色")


class UserWithRolesAdmin(UserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "is_staff", "is_active", "roles"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("memberships__organisation")

    @admin.display(description=_("角色"))
    def roles(self, obj):
        return "；".join(
            f"{m.organisation.short_name}·{m.get_role_display()}" for m in obj.memberships.all()
        )


admin.site.unregister(User)
admin.site.register(User, UserWithRolesAdmin)


# Filing between deployments (issue 22): trust is set with `manage.py filing_peer`, which
# makes the peer's service user; here it is read, and the exchange log with it.
@admin.register(models.FilingPeer)
class FilingPeerAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["name", "key_id", "url", "added_at", "revoked_at"]


@admin.register(models.FilingExchange)
class FilingExchangeAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["at", "direction", "kind", "status", "peer", "document", "accepted_on"]
    list_filter = ["direction", "kind", "status", "peer"]
    list_select_related = ["peer", "document"]
