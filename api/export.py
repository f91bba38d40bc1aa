"""Bulk export of an organisation's documents and audit events (issue 21, part 3),
for the provincial platform and the archive: `manage.py export`.

Streams: each query is read with `.iterator(chunk_size=CHUNK)` (a server-side cursor
on PostgreSQL, chunked fetches on SQLite) and each record is written as it is read,
so memory does not grow with the number of documents.

- JSONL: one object per line, `{"type": "document", ...}` then `{"type": "event", ...}`.
- CSV: one header, a `type` column first and the columns of both kinds (a document's
  row leaves the event columns empty and the other way round); every cell through
  review.reports.spreadsheet.safe_cell (no formula injection).
"""

import datetime
import json

from django.utils import timezone

from review.models import AuditEvent, NormativeDocument
from review.reports.spreadsheet import writer

CHUNK = 2000
DOCUMENT_FIELDS = {
    "id": "id",
    "organisation": "organisation__code",
    "title": "title",
    "state": "state",
    "category": "category",
    "number": "registration__number",
    "registration_number": "registration__reg_number",
    "signed_on": "registration__signed_on",
    "published_on": "publication__published_on",
    "effective_from": "effective_from",
    "valid_until": "valid_until",
    "ended_on": "ended_on",
    "end_cause": "end_cause",
    "created_at": "created_at",
    "updated_at": "updated_at",
}
EVENT_FIELDS = (
    "seq",
    "document",
    "at",
    "action",
    "actor_name",
    "from_state",
    "to_state",
    "note",
    "data",
    "prev_hash",
    "hash",
)
CSV_COLUMNS = ("type", *DOCUMENT_FIELDS, *(f"event_{f}" for f in EVENT_FIELDS))


def _start(since):
    return timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))


def documents(organisation, since):
    """The organisation's documents changed on or after `since`, by id, as dicts."""
    rows = (
        NormativeDocument.objects.filter(organisation=organisation, updated_at__gte=_start(since))
        .order_by("pk")
        .values_list(*DOCUMENT_FIELDS.values())
    )
    for row in rows.iterator(chunk_size=CHUNK):
        yield dict(zip(DOCUMENT_FIELDS, row, strict=True))


def events(organisation, since):
    """The audit events of the organisation's documents on or after `since`, by seq."""
    rows = (
        AuditEvent.objects.filter(document__organisation=organisation, at__gte=_start(since))
        .order_by("seq")
        .values("seq", "document_id", *EVENT_FIELDS[2:])
    )
    for row in rows.iterator(chunk_size=CHUNK):
        row["document"] = row.pop("document_id")
        yield row


def records(organisation, since):
    for row in documents(organisation, since):
        yield {"type": "document", **row}
    for row in events(organisation, since):
        yield {"type": "event", **row}


def _text(value):
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return value


def write_jsonl(out, organisation, since):
    n = 0
    for record in records(organisation, since):
        out.write(json.dumps(record, ensure_ascii=False, default=_text) + "\n")
        n += 1
    return n


def write_csv(out, organisation, since):
    rows = writer(out)
    rows.writerow(CSV_COLUMNS)
    n = 0
    for record in records(organisation, since):
        if record["type"] == "document":
            cells = [record[f] for f in DOCUMENT_FIELDS] + [""] * len(EVENT_FIELDS)
        else:
            data = json.dumps(record["data"], ensure_ascii=False, sort_keys=True)
            event = [data if f == "data" else record[f] for f in EVENT_FIELDS]
            cells = [""] * len(DOCUMENT_FIELDS) + event
        rows.writerow(
            ["document" if record["type"] == "document" else "event"]
            + ["" if c is None else _text(c) for c in cells]
        )
        n += 1
    return n


WRITERS = {"jsonl": write_jsonl, "csv": write_csv}
