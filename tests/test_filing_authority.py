"""The authority a document was filed with, stored on the document (migration 0015):
set by the filing, filled in for documents filed before, and what an authority's
register reads."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from desk.views.register import register_documents
from review.models import NormativeDocument, Organisation
from review.states import Role, State

from .conftest import make_user

BEFORE = [("review", "0014_seclog_security_log")]
AFTER = [("review", "0015_document_filing_authority")]


def test_filing_stores_the_authority_on_the_document(walk, document, authority):
    walk.to(State.FILING)
    document.refresh_from_db()
    assert document.filing_authority is None

    walk.to(State.FILING_REVIEW)

    document.refresh_from_db()
    assert document.filing_authority == authority == document.latest_filing.authority


def test_a_document_filed_with_an_authority_stays_in_its_register_after_the_body_moves(
    walk, document, bureau, county_bureau, filing_reviewer
):
    walk.to(State.FILED)
    other = Organisation.objects.create(code="sxsfj", name="陕西省司法厅", short_name="省司法厅")
    bureau.files_with = other
    bureau.save(update_fields=["files_with"])

    assert document in register_documents(filing_reviewer)
    assert document in NormativeDocument.objects.visible_to(filing_reviewer)
    # and the authority it now files with sees it too (a published document of its body)
    newcomer = make_user("newcomer", other, Role.FILING_REVIEWER)
    assert document in register_documents(newcomer)


def test_a_published_document_not_yet_filed_is_in_the_authority_register(
    walk, document, filing_reviewer
):
    """备案条例 art. 20: the authority must see an overdue filing to demand it."""
    walk.to(State.FILING)

    assert list(register_documents(filing_reviewer)) == [document]


def test_the_authority_register_does_not_read_every_filing(filing_reviewer, bureau):
    sql = str(register_documents(filing_reviewer).values("pk").query)
    assert "review_filing" not in sql
    assert "filing_authority_id" in sql


@pytest.fixture
def back_to_the_latest():
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_filed_documents_the_authority_of_their_first_filing(
    back_to_the_latest,
):
    apps = migrate(BEFORE)
    Organisation = apps.get_model("review", "Organisation")
    Document = apps.get_model("review", "NormativeDocument")
    Filing = apps.get_model("review", "Filing")
    first = Organisation.objects.create(code="aksfj", name="安康市司法局", short_name="司法局")
    second = Organisation.objects.create(code="sxsfj", name="陕西省司法厅", short_name="司法厅")
    body = Organisation.objects.create(
        code="akmz", name="安康市民政局", short_name="民政局", files_with=second
    )

    def filing(document, authority, day):
        Filing.objects.create(
            document=document,
            authority=authority,
            filed_on=datetime.date(2020, 3, day),
            due_on=datetime.date(2020, 4, 7),
        )

    refiled = Document.objects.create(organisation=body, title="两次报送", state="filed")
    filing(refiled, first, 10)
    filing(refiled, second, 20)
    once = Document.objects.create(organisation=body, title="一次报送", state="filed")
    filing(once, first, 10)
    unfiled = Document.objects.create(organisation=body, title="未报送", state="filing")

    apps = migrate(AFTER)
    Document = apps.get_model("review", "NormativeDocument")
    stored = dict(Document.objects.values_list("pk", "filing_authority_id"))
    assert stored == {refiled.pk: first.pk, once.pk: first.pk, unfiled.pk: None}
