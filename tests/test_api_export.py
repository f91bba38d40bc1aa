# ruff: noqa: F811  (pytest fixtures imported from tests.api_world are redefined as arguments)
"""`manage.py export` (issue 21, part 3): an organisation's documents and events since a
day, as JSONL or CSV, read in chunks and written as read."""

import csv
import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command

from api import export
from review.models import AuditEvent

from .api_world import world  # noqa: F401  (a fixture)
from .test_comments_actions import important, period  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command("export", *args, stdout=out)
    return out.getvalue()


def test_jsonl_has_the_organisations_documents_then_their_events(world):
    lines = [
        json.loads(line) for line in run("--org", "akmz", "--since", "2000-01-01").splitlines()
    ]
    docs = [r for r in lines if r["type"] == "document"]
    events = [r for r in lines if r["type"] == "event"]
    assert {d["id"] for d in docs} == {world.filed.pk, world.city_draft.pk, world.commented.pk}
    assert world.county_draft.pk not in {e["document"] for e in events}
    expected = AuditEvent.objects.filter(document__organisation=world.bureau).count()
    assert len(events) == expected
    assert [e["seq"] for e in events] == sorted(e["seq"] for e in events)
    filed = next(d for d in docs if d["id"] == world.filed.pk)
    assert filed["number"].startswith("安民发") and filed["organisation"] == "akmz"


def test_csv_has_one_header_and_a_row_per_record(world, tmp_path):
    target = tmp_path / "out.csv"
    call_command(
        "export",
        "--org",
        "akmz",
        "--since",
        "2000-01-01",
        "--format",
        "csv",
        "--output",
        str(target),
    )
    rows = list(csv.reader(target.open(encoding="utf-8")))
    assert tuple(rows[0]) == export.CSV_COLUMNS
    jsonl = run("--org", "akmz", "--since", "2000-01-01").splitlines()
    assert len(rows) - 1 == len(jsonl)


def test_since_leaves_out_what_changed_before(world):
    assert run("--org", "akmz", "--since", "2100-01-01") == ""


def test_a_bad_organisation_or_date_is_refused_with_a_message(world):
    with pytest.raises(CommandError, match="没有单位"):
        run("--org", "nobody", "--since", "2020-01-01")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("--org", "akmz", "--since", "yesterday")


def test_the_export_reads_in_chunks_and_writes_each_record_as_it_is_read(world, monkeypatch):
    """Streaming: the records come from a generator over `.iterator(chunk_size)`; the
    writer has written the first line before the last record is read."""
    monkeypatch.setattr(export, "CHUNK", 2)
    seen = []

    class Out:
        def write(self, text):
            seen.append(("write", text))

    records = export.records

    def watched(*args):
        for record in records(*args):
            seen.append(("read", record["type"]))
            yield record

    monkeypatch.setattr(export, "records", watched)
    n = export.write_jsonl(Out(), world.bureau, datetime.date(2000, 1, 1))
    kinds = [k for k, _ in seen]
    assert n > 4 and kinds[:4] == ["read", "write", "read", "write"]
