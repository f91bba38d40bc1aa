"""In force on a day has one definition, rules.in_force_on (domain-rules §8); the
catalogues' query (`NormativeDocument.objects.in_force_on`) reads the interval the
document stores (in_force_from, in_force_until), which every write keeps: save(),
Publication.save() and, for rows written in bulk, refresh_in_force(). On a grid of
documents and days, the query lists exactly the documents the rule says are in force."""

from datetime import date, timedelta

import pytest

from review import rules
from review.models import NormativeDocument, Publication
from review.states import IN_FORCE_STATES, State

pytestmark = pytest.mark.django_db

D = date
# (name, state, published_on, effective_from, valid_until, ended_on)
GRID = [
    ("usual", State.FILED, D(2020, 3, 8), D(2020, 4, 7), D(2025, 4, 6), None),
    (
        "repealed on a date",
        State.REPEALED,
        D(2020, 3, 8),
        D(2020, 4, 7),
        D(2025, 4, 6),
        D(2022, 7, 1),
    ),
    ("expired", State.EXPIRED, D(2020, 3, 8), D(2020, 4, 7), D(2021, 4, 6), D(2021, 4, 7)),
    ("ended without a date", State.REPEALED, D(2020, 3, 8), D(2020, 4, 7), D(2025, 4, 6), None),
    ("no valid_until", State.FILED, D(2020, 3, 8), D(2020, 4, 7), None, None),
    ("no valid_until, ended", State.AMENDED, D(2020, 3, 8), D(2020, 4, 7), None, D(2023, 1, 1)),
    ("published after 施行日期", State.FILED, D(2020, 5, 1), D(2020, 4, 7), D(2025, 4, 6), None),
    (
        "in effect on publication",
        State.UNDER_REVIEW,
        D(2020, 4, 7),
        D(2020, 4, 7),
        D(2022, 4, 6),
        None,
    ),
    (
        "ended before it took effect",
        State.REVOKED,
        D(2020, 3, 8),
        D(2020, 4, 7),
        None,
        D(2020, 4, 1),
    ),
    (
        "out of filing scope",
        State.NOT_REGISTERED,
        D(2021, 1, 4),
        D(2021, 2, 4),
        D(2026, 2, 3),
        None,
    ),
    ("no 施行日期", State.FILED, D(2020, 3, 8), None, None, None),
    ("state published, no publication", State.FILING, None, D(2020, 4, 7), D(2025, 4, 6), None),
    ("not yet published", State.PUBLICATION, None, D(2020, 4, 7), D(2025, 4, 6), None),
    ("withdrawn", State.WITHDRAWN, None, None, None, None),
]


def rule_says(day, document, published_on):
    return rules.in_force_on(
        day,
        published_on=published_on,
        effective_from=document.effective_from,
        valid_until=document.valid_until,
        ended_on=document.ended_on,
        ended=document.state not in IN_FORCE_STATES,
    )


def days_around(rows):
    """Every date a row states, the day before and the day after: the boundaries."""
    days = set()
    for _name, _state, *dates in rows:
        for day in dates:
            if day is not None:
                days |= {day - timedelta(days=1), day, day + timedelta(days=1)}
    return sorted(days | {D(2019, 1, 1), D(2030, 1, 1)})


@pytest.fixture
def body(bureau):
    return bureau


def written_one_by_one(body):
    published = {}
    for name, state, published_on, effective_from, valid_until, ended_on in GRID:
        document = NormativeDocument.objects.create(
            organisation=body,
            title=name,
            state=state,
            effective_from=effective_from,
            valid_until=valid_until,
            ended_on=ended_on,
        )
        if published_on is not None:
            Publication.objects.create(
                document=document, published_on=published_on, channel="政府网站"
            )
        published[document.pk] = published_on
    return published


def written_in_bulk(body):
    documents = NormativeDocument.objects.bulk_create(
        NormativeDocument(
            organisation=body,
            title=name,
            state=state,
            effective_from=effective_from,
            valid_until=valid_until,
            ended_on=ended_on,
        )
        for name, state, _p, effective_from, valid_until, ended_on in GRID
    )
    if documents[0].pk is None:  # backends without RETURNING: read them back
        documents = list(NormativeDocument.objects.order_by("pk"))
    Publication.objects.bulk_create(
        Publication(document=document, published_on=row[2], channel="政府网站")
        for document, row in zip(documents, GRID, strict=True)
        if row[2] is not None
    )
    NormativeDocument.objects.all().refresh_in_force()
    return {document.pk: row[2] for document, row in zip(documents, GRID, strict=True)}


def assert_query_follows_the_rule(published):
    documents = list(NormativeDocument.objects.all())
    for day in days_around(GRID):
        expected = {d.title for d in documents if rule_says(day, d, published[d.pk])}
        listed = set(NormativeDocument.objects.in_force_on(day).values_list("title", flat=True))
        assert listed == expected, day


def test_the_query_lists_what_the_rule_says_on_every_day_of_the_grid(body):
    assert_query_follows_the_rule(written_one_by_one(body))


def test_documents_written_in_bulk_follow_the_rule_once_refreshed(body):
    assert_query_follows_the_rule(written_in_bulk(body))


def test_the_grid_covers_each_kind_of_boundary(body):
    written_one_by_one(body)
    in_force = NormativeDocument.objects.in_force_on
    # published after its 施行日期: in force from its publication
    assert not in_force(D(2020, 4, 30)).filter(title="published after 施行日期").exists()
    assert in_force(D(2020, 5, 1)).filter(title="published after 施行日期").exists()
    # the last day before 自2022年7月1日起废止, and that day
    assert in_force(D(2022, 6, 30)).filter(title="repealed on a date").exists()
    assert not in_force(D(2022, 7, 1)).filter(title="repealed on a date").exists()
    # 有效期至 is the last day in force
    assert in_force(D(2025, 4, 6)).filter(title="usual").exists()
    assert not in_force(D(2025, 4, 7)).filter(title="usual").exists()
    # without 有效期至, in force with no end; ended without a date, never listed
    assert in_force(D(2030, 1, 1)).filter(title="no valid_until").exists()
    assert not NormativeDocument.objects.filter(
        title="ended without a date", in_force_from__isnull=False
    ).exists()


def test_a_later_end_moves_the_stored_interval(body):
    document = NormativeDocument.objects.create(
        organisation=body,
        title="安康市临时救助实施办法",
        state=State.FILED,
        effective_from=D(2020, 4, 7),
        valid_until=D(2025, 4, 6),
    )
    assert document.in_force_from is None  # not published yet
    Publication.objects.create(document=document, published_on=D(2020, 3, 8), channel="政府网站")
    document.refresh_from_db()
    assert (document.in_force_from, document.in_force_until) == (D(2020, 4, 7), D(2025, 4, 6))
    document.ended_on = D(2022, 7, 1)
    document.save(update_fields=["ended_on"])
    document.refresh_from_db()
    assert document.in_force_until == D(2022, 6, 30)
