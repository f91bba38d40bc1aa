"""How rows reach the disk: the SQLite backend's remembered rewrite, the indexes
migration 0005 dropped and kept, the one-statement serial and the remembered reads
of a filing's review."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from review import numbering
from review.models import FilingReview, NumberSequence
from review.prepared import update
from review.states import State

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="config.sqlite is the SQLite backend; PostgreSQL takes %s placeholders as they are",
)


@pytest.fixture
def rewrites(monkeypatch):
    from config.sqlite import base

    monkeypatch.setattr(base, "_converted", {})
    return base


@sqlite_only
@pytest.mark.django_db
def test_the_sqlite_backend_rewrites_a_statement_once_and_keeps_a_literal_percent(rewrites):
    sql = "SELECT %s || '%%'"
    with connection.cursor() as cursor:
        for value in ("50", "60"):
            cursor.execute(sql, [value])
            assert cursor.fetchone()[0] == f"{value}%"

    assert rewrites._converted == {sql: "SELECT ? || '%'"}


@sqlite_only
@pytest.mark.django_db
def test_the_remembered_rewrites_never_pass_their_bound(rewrites, monkeypatch):
    monkeypatch.setattr(rewrites, "_LIMIT", 3)
    with connection.cursor() as cursor:
        for n in range(7):
            cursor.execute(f"SELECT %s + {n}", [1])
            assert cursor.fetchone()[0] == 1 + n
            assert len(rewrites._converted) <= 3


@sqlite_only
@pytest.mark.django_db
def test_the_sqlite_backend_is_djangos_own_apart_from_the_rewrite():
    from django.db import connections
    from django.db.backends.sqlite3.base import DatabaseWrapper

    from config.sqlite.base import CursorWrapper

    wrapper = connections["default"]
    assert isinstance(wrapper, DatabaseWrapper)
    assert wrapper.settings_dict["ENGINE"] == "config.sqlite"
    with wrapper.cursor() as cursor:
        assert isinstance(cursor.cursor, CursorWrapper)


def single_column_indexes(table):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return [
        info["columns"]
        for info in constraints.values()
        if info["index"] and not info["unique"] and not info["primary_key"]
    ]


@pytest.mark.django_db
def test_an_audit_event_is_found_by_its_document_through_the_composite_index_only():
    indexes = single_column_indexes("review_auditevent")

    assert ["document_id", "seq"] in indexes
    assert ["document_id"] not in indexes
    assert ["actor_id"] not in indexes


@pytest.mark.django_db
def test_the_dropped_indexes_leave_those_the_queries_use():
    document = single_column_indexes("review_normativedocument")
    assert ["organisation_id", "state"] in document  # also serves organisation alone
    assert ["state"] in document
    assert ["drafting_unit_id"] in document  # the register's filter
    for dropped in (["organisation_id"], ["drafter_id"], ["amended_by_id"], ["repealed_by_id"]):
        assert dropped not in document
    assert ["authority_id"] in single_column_indexes("review_filing")  # reviewers' register
    assert ["filed_by_id"] not in single_column_indexes("review_filing")


@pytest.mark.django_db
def test_a_serial_is_one_statement_and_a_new_sequence_starts_at_one():
    kind = NumberSequence.Kind.DOCUMENT_NUMBER
    with transaction.atomic():
        with CaptureQueriesContext(connection) as captured:
            first = numbering.next_serial(kind, "测试发", 2031)
        second = numbering.next_serial(kind, "测试发", 2031)

    assert (first, second) == (1, 2)
    assert len(captured.captured_queries) == 1
    assert NumberSequence.objects.get(kind=kind, prefix="测试发", year=2031).last == 2


def test_a_filings_review_is_read_once_until_the_next_compiled_write(walk, document):
    walk.to(State.FILING_REVIEW)
    filing = document.latest_filing

    with CaptureQueriesContext(connection) as captured:
        first = filing.review_or_none
        again = filing.review_or_none
    assert again is first
    assert len(captured.captured_queries) == 1

    stored = FilingReview.objects.get(pk=first.pk)
    stored.findings = "已另行写入"
    update(stored, "findings")

    assert filing.review_or_none is not first
    assert filing.review_or_none.findings == "已另行写入"
