"""review.prepared: a query compiled once replays exactly what its queryset returns."""

import datetime

import pytest
from django.db import transaction
from django.db.transaction import TransactionManagementError

from review.models import DocumentVersion, LegalityReview, NormativeDocument
from review.prepared import Prepared
from review.states import State

VERSIONS = Prepared(
    lambda document_id: DocumentVersion.objects.filter(document_id=document_id).order_by("-number")
)
BY_PK = Prepared(lambda pk: NormativeDocument.objects.filter(pk=pk))


def fields_of(instance):
    return {
        field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields
    }


def test_a_replay_returns_the_instances_the_queryset_returns(walk, document):
    walk.to(State.DELIBERATION)
    review = LegalityReview.objects.get(document=document)
    latest = Prepared(
        lambda document_id: LegalityReview.objects.filter(document_id=document_id).order_by("-pk")
    )

    for _run in range(2):  # compiled on the first run, replayed on the second
        replayed = latest.first(document.pk)
        assert type(replayed) is LegalityReview
        assert fields_of(replayed) == fields_of(review)
    assert (
        isinstance(replayed.started_at, datetime.datetime)
        and replayed.started_at.tzinfo is not None
    )
    assert isinstance(replayed.due_on, datetime.date)
    assert isinstance(replayed.checklist, dict) and replayed.checklist == review.checklist
    assert not replayed._state.adding and replayed._state.db == "default"


def test_each_replay_takes_its_own_arguments(document, bureau, division, drafter):
    from review import actions

    other = actions.create_document(
        organisation=bureau, drafting_unit=division, title="另一件", by=drafter
    )

    assert BY_PK.get(document.pk).title == document.title
    assert BY_PK.get(other.pk).title == "另一件"
    assert [v.number for v in VERSIONS.all(document.pk)] == list(
        DocumentVersion.objects.filter(document=document)
        .order_by("-number")
        .values_list("number", flat=True)
    )


def test_nothing_found_is_none_for_first_false_for_exists_and_an_error_for_get(db):
    assert VERSIONS.first(987654) is None
    assert VERSIONS.all(987654) == []
    assert VERSIONS.exists(987654) is False
    with pytest.raises(NormativeDocument.DoesNotExist):
        BY_PK.get(987654)


def test_exists_answers_like_the_queryset(walk, document):
    assert (
        VERSIONS.exists(document.pk) is DocumentVersion.objects.filter(document=document).exists()
    )
    walk.to(State.LEGALITY_REVIEW)
    assert VERSIONS.exists(document.pk) is True


def test_a_replay_runs_one_statement(document, django_assert_num_queries):
    BY_PK.get(document.pk)
    with django_assert_num_queries(1):
        BY_PK.get(document.pk)


@pytest.mark.parametrize(
    "build",
    [
        lambda pk: NormativeDocument.objects.select_related().filter(pk=pk),
        lambda pk: NormativeDocument.objects.filter(pk=pk).values("title"),
        lambda pk: NormativeDocument.objects.filter(pk=pk).only("title"),
    ],
    ids=["select_related everything", "values", "only"],
)
def test_querysets_that_cannot_be_replayed_exactly_are_refused(db, build):
    with pytest.raises(ValueError, match="plain queryset"):
        Prepared(build).first(1)


def test_an_argument_must_appear_once_among_the_parameters(db):
    twice = Prepared(
        lambda pk: (
            NormativeDocument.objects.filter(pk=pk)
            | NormativeDocument.objects.filter(repealed_by=pk)
        )
    )
    with pytest.raises(ValueError, match="exactly once"):
        twice.first(1)


def test_the_wrong_number_of_arguments_is_a_type_error(db):
    with pytest.raises(TypeError):
        BY_PK.first(1, 2)


@pytest.mark.django_db(transaction=True)
def test_a_locking_read_outside_a_transaction_is_refused_in_autocommit(bureau, division, drafter):
    from review import actions

    document = actions.create_document(
        organisation=bureau, drafting_unit=division, title="加锁读取", by=drafter
    )
    locked = Prepared(lambda pk: NormativeDocument.objects.select_for_update().filter(pk=pk))
    with transaction.atomic():
        assert locked.get(document.pk).pk == document.pk

    with pytest.raises(TransactionManagementError):
        locked.get(document.pk)


def test_a_documents_latest_records_know_their_document_without_a_query(
    walk, document, django_assert_num_queries
):
    walk.to(State.DELIBERATION)
    review = document.latest_review
    with django_assert_num_queries(0):
        assert review.document is document


# --- NormativeDocument.write: the compiled UPDATE of a locked document ------------


def test_write_stores_the_named_fields_in_one_statement_and_stamps_updated_at(
    document, django_assert_num_queries
):
    stamped = document.updated_at
    document.end_note = "说明"
    document.legal_basis = "不应写入"

    with django_assert_num_queries(1):
        document.write("end_note", "updated_at")

    stored = NormativeDocument.objects.get(pk=document.pk)
    assert stored.end_note == "说明"
    assert stored.legal_basis != "不应写入"
    assert stored.updated_at > stamped


def test_write_refuses_when_the_state_changed_since_the_document_was_read(document):
    from django_fsm import ConcurrentTransition

    NormativeDocument.objects.filter(pk=document.pk).update(state=State.WITHDRAWN)
    document.end_note = "不应写入"

    with pytest.raises(ConcurrentTransition):
        document.write("end_note")

    assert NormativeDocument.objects.get(pk=document.pk).end_note == ""


def test_consecutive_writes_each_expect_the_state_the_last_one_left(walk, document):
    walk.to(State.LEGALITY_REVIEW)
    document.refresh_from_db()
    document.end_note = "一"
    document.write("end_note")
    document.end_note = "二"
    document.write("end_note")

    assert NormativeDocument.objects.get(pk=document.pk).end_note == "二"


# --- insert() and update(): compiled writes of one row --------------------------


def test_insert_stores_the_row_as_save_would_and_gives_it_its_key(
    document, drafter, django_assert_num_queries
):
    from review.prepared import insert

    version = DocumentVersion(
        document=document, number=7, text="第一条", sha256="a" * 64, created_by=drafter
    )
    with django_assert_num_queries(1):
        insert(version)

    assert version.pk is not None and not version._state.adding
    stored = DocumentVersion.objects.get(pk=version.pk)
    assert fields_of(stored) == fields_of(version)
    assert stored.created_at is not None


def test_insert_refuses_an_instance_that_already_has_a_key(document):
    from review.prepared import insert

    with pytest.raises(ValueError):
        insert(NormativeDocument.objects.get(pk=document.pk))


def test_update_writes_the_named_fields_only(walk, document, django_assert_num_queries):
    from review.prepared import update

    walk.to(State.LEGALITY_REVIEW)
    review = LegalityReview.objects.get(document=document)
    review.opinion = "写入"
    review.urgent_reason = "不写入"
    with django_assert_num_queries(1):
        update(review, "opinion")

    stored = LegalityReview.objects.get(pk=review.pk)
    assert (stored.opinion, stored.urgent_reason) == ("写入", "")


def test_update_of_a_row_that_is_gone_or_changed_is_not_written(walk, document):
    from review.prepared import NotWritten, update

    walk.to(State.LEGALITY_REVIEW)
    review = LegalityReview.objects.get(document=document)
    review.opinion = "不写入"
    with pytest.raises(NotWritten):
        update(review, "opinion", expect={"outcome": "lawful"})
    LegalityReview.objects.filter(pk=review.pk).delete()
    with pytest.raises(NotWritten):
        update(review, "opinion")


def test_no_receiver_listens_for_the_save_signals_the_compiled_writes_do_not_send():
    from django.apps import apps as registry
    from django.db.models import signals

    for model in registry.get_app_config("review").get_models():
        assert not signals.pre_save.has_listeners(model), model
        assert not signals.post_save.has_listeners(model), model


def test_a_locked_copy_reads_each_record_once_until_the_next_compiled_write(
    walk, document, django_assert_num_queries
):
    from review.prepared import update

    walk.to(State.LEGALITY_REVIEW)
    copy = NormativeDocument.objects.get(pk=document.pk)
    copy.remember_reads()
    review = copy.latest_review
    with django_assert_num_queries(0):
        assert copy.latest_review is review

    review.opinion = "改过"
    update(review, "opinion")

    with django_assert_num_queries(1):
        assert copy.latest_review.opinion == "改过"
    plain = NormativeDocument.objects.get(pk=document.pk)
    with django_assert_num_queries(2):  # without remember_reads(), every read goes to the database
        assert plain.latest_review.pk == plain.latest_review.pk == review.pk


def test_a_named_select_related_is_replayed_with_the_related_instance_cached(
    document, django_assert_num_queries
):
    with_organisation = Prepared(
        lambda pk: NormativeDocument.objects.select_related("organisation").filter(pk=pk)
    )
    with_organisation.get(document.pk)

    with django_assert_num_queries(1):
        replayed = with_organisation.get(document.pk)
        assert replayed.organisation.name == document.organisation.name
        assert fields_of(replayed.organisation) == fields_of(document.organisation)
    assert fields_of(replayed) == fields_of(NormativeDocument.objects.get(pk=document.pk))


# --- values_list rows and text arguments ----------------------------------------


def test_rows_replays_a_values_list_with_its_converters(db):
    from review.models import CalendarOverride

    CalendarOverride.objects.create(
        date=datetime.date(2020, 10, 10), is_working_day=True, name="国庆节调休"
    )
    overrides = Prepared(
        lambda: CalendarOverride.objects.order_by("date").values_list("date", "is_working_day")
    )

    for _run in range(2):
        assert overrides.rows() == [(datetime.date(2020, 10, 10), True)]


def test_text_arguments_are_replayed_like_ids(walk, document):
    from review.models import Registration

    walk.to(State.PUBLICATION)
    registration = Registration.objects.get(document=document)
    by_number = Prepared(lambda number: Registration.objects.filter(number=number), args=(str,))

    assert by_number.first(registration.number).pk == registration.pk
    assert by_number.first("安民发〔1999〕1号") is None


@pytest.mark.parametrize(
    ("build", "shape"),
    [
        (lambda pk: NormativeDocument.objects.filter(pk=pk), "rows"),
        (lambda pk: NormativeDocument.objects.filter(pk=pk).values_list("title"), "first"),
        (
            lambda pk: NormativeDocument.objects.filter(pk=pk).values_list("title", flat=True),
            "rows",
        ),
    ],
    ids=["rows of instances", "an instance of a values_list", "flat values_list"],
)
def test_the_shape_asked_must_be_the_querysets(db, build, shape):
    with pytest.raises(ValueError, match="plain queryset"):
        getattr(Prepared(build), shape)(1)


def test_argument_types_are_int_or_str_one_each():
    with pytest.raises(ValueError):
        Prepared(lambda a, b: None, args=(int,))
    with pytest.raises(ValueError):
        Prepared(lambda day: None, args=(datetime.date,))
