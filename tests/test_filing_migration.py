"""Migration 0013_filing_migrate_decisions (docs/upgrade.md): today's reviews to the
registration decision and the review conclusion kept apart."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("review", "0011_holes_settings_number_source")]
AFTER = [("review", "0013_filing_migrate_decisions")]
D = datetime.date


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture(autouse=True)
def back_to_the_latest():
    """Leave the database at the latest migrations, not at AFTER: later migrations
    (their tables) are there for the tests that run next."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_existing_reviews_become_a_registration_and_a_conclusion():
    apps = migrate(BEFORE)
    Organisation = apps.get_model("review", "Organisation")
    Document = apps.get_model("review", "NormativeDocument")
    Filing = apps.get_model("review", "Filing")
    FilingReview = apps.get_model("review", "FilingReview")
    authority = Organisation.objects.create(code="aksfj", name="安康市司法局", short_name="司法局")
    body = Organisation.objects.create(
        code="akmz", name="安康市民政局", short_name="民政局", files_with=authority
    )

    def filed(title, state, outcome, decided_on, materials=None):
        document = Document.objects.create(organisation=body, title=title, state=state)
        filing = Filing.objects.create(
            document=document,
            authority=authority,
            filed_on=D(2020, 3, 10),
            due_on=D(2020, 4, 7),
            materials=materials or {},
        )
        FilingReview.objects.create(
            filing=filing,
            received_on=D(2020, 3, 10),
            due_on=D(2020, 4, 9),
            outcome=outcome,
            decided_on=decided_on,
        )
        return document.pk

    clean = filed("无问题", "filed", "registered", D(2020, 3, 20))
    wrong = filed("违法", "correction", "refused", D(2020, 3, 21))
    deferred = filed(
        "缺材料", "filing", "deferred", D(2020, 3, 22), {"report": True, "official_text": True}
    )
    waiting = filed("未决", "filing_review", "", None)

    apps = migrate(AFTER)
    FilingReview = apps.get_model("review", "FilingReview")
    Document = apps.get_model("review", "NormativeDocument")

    def decisions(pk):
        r = FilingReview.objects.get(filing__document_id=pk)
        return r.outcome, r.conclusion, r.concluded_on

    assert decisions(clean) == ("registered", "no_problem", D(2020, 3, 20))
    assert decisions(wrong) == ("registered", "opinion", D(2020, 3, 21))
    assert decisions(deferred) == ("deferred", "", None)
    assert decisions(waiting) == ("", "", None)
    review = FilingReview.objects.get(filing__document_id=deferred)
    assert review.missing == ["drafting_note", "legal_basis", "legality_opinion"]
    states = dict(Document.objects.values_list("pk", "state"))
    assert (states[clean], states[wrong], states[deferred], states[waiting]) == (
        "filed",
        "correction",
        "supplement",
        "filing_review",
    )
