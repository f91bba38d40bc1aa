"""The register's order: documents in progress first, then by 成文日期, from one index."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.db import connection

from desk.views.register import register_documents
from review import actions
from review.driver import Walker
from review.models import REGISTER_IN_PROGRESS, NormativeDocument, Registration
from review.states import State

from .conftest import START


def new_document(bureau, division, drafter, title):
    return actions.create_document(
        organisation=bureau,
        drafting_unit=division,
        title=title,
        by=drafter,
        legal_basis="《社会救助暂行办法》",
    )


def test_registration_stores_its_signing_date_on_the_document(walk, document):
    assert document.register_sort_date == REGISTER_IN_PROGRESS

    walk.to(State.PUBLICATION)

    document.refresh_from_db()
    assert document.register_sort_date == Registration.objects.get(document=document).signed_on


def test_a_refused_registration_leaves_the_sort_date_alone(walk, document, drafter):
    walk.to(State.REGISTRATION)

    with pytest.raises(actions.NotPermitted):
        actions.register_and_number(document, by=drafter)

    document.refresh_from_db()
    assert document.register_sort_date == REGISTER_IN_PROGRESS
    assert not Registration.objects.filter(document=document).exists()


def test_the_register_lists_documents_in_progress_first_then_by_signing_date(
    client, bureau, division, actors, registrar
):
    signed_early = new_document(bureau, division, actors.drafter, "安康市民政局早成文的办法")
    Walker(signed_early, actors, START).to(State.PUBLICATION)
    signed_late = new_document(bureau, division, actors.drafter, "安康市民政局晚成文的办法")
    Walker(signed_late, actors, START + datetime.timedelta(days=21)).to(State.PUBLICATION)
    in_progress = new_document(bureau, division, actors.drafter, "安康市民政局起草中的办法")
    assert signed_early.registration.signed_on < signed_late.registration.signed_on

    client.force_login(registrar)
    page = client.get("/documents/").content.decode()

    positions = [page.index(doc.title) for doc in (in_progress, signed_late, signed_early)]
    assert positions == sorted(positions)
    assert list(register_documents(registrar).values_list("pk", flat=True)) == [
        in_progress.pk,
        signed_late.pk,
        signed_early.pk,
    ]


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="PostgreSQL chooses its plan from table statistics"
)
def test_the_registers_first_page_is_read_from_its_index_without_a_sort(document, registrar):
    ids = register_documents(registrar).values_list("pk", flat=True)[:50]
    sql, params = ids.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " | ".join(row[-1] for row in cursor.fetchall())

    assert "document_register_order" in plan
    assert "TEMP B-TREE FOR ORDER BY" not in plan


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="PostgreSQL chooses its plan from table statistics"
)
def test_a_filing_authoritys_first_page_and_count_read_one_covering_index(
    document, filing_reviewer
):
    """Its visibility is three branches (its own, filed with it, published by a body that
    files with it): tested row by row along document_visible_order, not gathered by three
    indexes and sorted (docs/performance.md, session 7)."""
    documents = register_documents(filing_reviewer)

    def plan(sql, params):
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            return " | ".join(row[-1] for row in cursor.fetchall())

    page = plan(*documents.values_list("pk", flat=True)[:50].query.sql_with_params())
    assert "document_visible_order" in page and "MULTI-INDEX OR" not in page
    assert "TEMP B-TREE FOR ORDER BY" not in page
    sql, params = documents.order_by().values("pk").query.sql_with_params()
    counted = plan(f"SELECT COUNT(*) FROM ({sql})", params)
    assert "COVERING INDEX document_visible_order" in counted, counted


def test_the_migration_gives_registered_documents_their_signing_date(
    walk, document, bureau, division, drafter
):
    walk.to(State.PUBLICATION)
    unregistered = new_document(bureau, division, drafter, "安康市民政局未登记的办法")
    NormativeDocument.objects.update(register_sort_date=REGISTER_IN_PROGRESS)
    migration = importlib.import_module("review.migrations.0004_register_sort_date")

    migration.from_registrations(apps, None)

    document.refresh_from_db()
    unregistered.refresh_from_db()
    assert document.register_sort_date == Registration.objects.get(document=document).signed_on
    assert unregistered.register_sort_date == REGISTER_IN_PROGRESS
