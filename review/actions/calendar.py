"""The year's holiday schedule (domain-rules §9): an administrator enters it in one go
and marks the year complete, citing the 国务院办公厅 notice; every provisional (暂定)
deadline stored so far is then counted again, one audit event per date that moved.

review knows nothing of the flows: `year_completed` (review.calendar) tells whoever
listens (workflows moves its tasks' deadlines and timers) in the same transaction."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import audit, rules
from ..calendar import WorkingCalendar, package_knows, year_completed
from ..models import (
    CalendarOverride,
    CalendarYear,
    Correction,
    Filing,
    FilingReview,
    LegalityReview,
    ReviewSuggestion,
)
from ._base import _required_text


def enter_calendar_year(year, *, by, holidays, workdays, notice_number, complete=True):
    """Replace `year`'s entries with the notice's lists (holidays: days off, weekdays
    and weekends alike; workdays: the 调休 Saturdays and Sundays) and, when `complete`,
    mark the year known, citing `notice_number`. Returns the deadlines that moved, as
    (record, field, old date, new date)."""
    holidays, workdays = rules.check_year_schedule(
        year, holidays, workdays, package_knows=package_knows(year)
    )
    notice_number = (notice_number or "").strip()
    if complete:
        notice_number = _required_text(notice_number, _("国务院办公厅通知文号"))
    with transaction.atomic():
        entry, _created = CalendarYear.objects.select_for_update().get_or_create(year=year)
        before = (
            WorkingCalendar().read_now()
        )  # the calendar the provisional deadlines were counted with
        CalendarOverride.objects.filter(date__year=year).delete()
        CalendarOverride.objects.bulk_create(
            [CalendarOverride(date=d, is_working_day=False, name=_("放假")) for d in holidays]
            + [CalendarOverride(date=d, is_working_day=True, name=_("调休上班")) for d in workdays]
        )
        entry.complete = complete
        entry.notice_number = notice_number
        entry.marked_by = by
        entry.marked_at = timezone.now()
        entry.save()
        audit.record(
            action="enter_calendar_year",
            actor=by,
            note=notice_number,
            data={
                "year": year,
                "complete": complete,
                "holidays": sorted(d.isoformat() for d in holidays),
                "workdays": sorted(d.isoformat() for d in workdays),
            },
        )
        moved = recompute_provisional_deadlines(by=by, before=before, year=year)
        if complete:
            year_completed.send(sender=CalendarYear, year=year, by=by)
    return moved


def _recorded(record, document, field, old, new, by, year):
    audit.record(
        action="recompute_deadline",
        document=document,
        actor=by,
        from_state=document.state if document else "",
        to_state=document.state if document else "",
        note=str(record._meta.verbose_name),
        data={
            "record": record._meta.model_name,
            "pk": record.pk,
            "field": field,
            "from": old,
            "to": new,
            "provisional": rules.is_provisional_deadline(new),
            "year": year,
        },
    )


def _update(record, document, field, new, by, year, moved):
    """Store the recomputed date and its flag; audit it when the date moved."""
    old = getattr(record, field)
    setattr(record, field, new)
    setattr(record, f"{field}_provisional", rules.is_provisional_deadline(new))
    record.save(update_fields=[field, f"{field}_provisional"])
    if old != new:
        _recorded(record, document, field, old, new, by, year)
        moved.append((record, field, old, datetime.date(new.year, new.month, new.day)))


def recompute_provisional_deadlines(*, by, before, year=None):
    """Count every stored provisional deadline again with today's calendar; `before` is
    the calendar they were counted with (a legality review's working days are read
    back from it). Returns (record, field, old date, new date) of each that moved."""
    calendar = WorkingCalendar()
    moved = []
    related = ("document__organisation__settings",)
    for review in LegalityReview.objects.filter(due_on_provisional=True).select_related(*related):
        submitted = review.counted_from or timezone.localdate(review.started_at)
        days = review.working_days
        if days is None:  # stored before the count was kept: read back from the old calendar
            days = rules.legality_review_working_days(submitted, review.due_on, before)
        new = rules.legality_review_due(submitted, days, calendar)
        _update(review, review.document, "due_on", new, by, year, moved)
    for filing in Filing.objects.filter(due_on_provisional=True).select_related(
        *related, "document__publication"
    ):
        doc = filing.document
        new = rules.filing_due(doc.settings, doc.publication.published_on, calendar)
        _update(filing, doc, "due_on", new, by, year, moved)
    for review in FilingReview.objects.filter(due_on_provisional=True).select_related(
        "filing__document__organisation__settings"
    ):
        doc = review.filing.document
        new = rules.filing_review_due(doc.settings, review.received_on, calendar)
        if review.extended:
            new = rules.extended_filing_review_due(doc.settings, new, calendar)
        _update(review, doc, "due_on", new, by, year, moved)
    for correction in Correction.objects.filter(deadline_provisional=True).select_related(*related):
        doc = correction.document
        new = rules.correction_due(doc.settings, correction.issued_on, calendar)
        _update(correction, doc, "deadline", new, by, year, moved)
    for suggestion in ReviewSuggestion.objects.filter(due_on_provisional=True).select_related(
        "authority__settings", "document"
    ):
        settings = suggestion.authority.jurisdiction
        new = rules.suggestion_due(settings, suggestion.received_on, calendar)
        _update(suggestion, suggestion.document, "due_on", new, by, year, moved)
    return moved
