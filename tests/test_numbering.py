from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models.signals import pre_save

from review import actions, audit, numbering
from review.driver import Actors, Walker
from review.errors import NotPermitted, Refused
from review.models import AuditEvent, NormativeDocument, NumberSequence, Registration, Role
from review.states import State
from tests.conftest import START, make_user
from tests.pg import failures, postgres_only, run_at_once, successes

DOC = NumberSequence.Kind.DOCUMENT_NUMBER
REG = NumberSequence.Kind.REGISTRATION_NUMBER
IN_2020 = date(2020, 4, 1)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # conftest's users get passwords; the default PBKDF2 costs a quarter second each.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def ready_for_registration(organisation, actors, title):
    """A document walked along the lawful path up to 待登记编号."""
    document = actions.create_document(
        organisation=organisation,
        title=title,
        by=actors.drafter,
        legal_basis="《中华人民共和国民法典》",
    )
    Walker(document, actors, START).to(State.REGISTRATION)
    assert document.state == State.REGISTRATION
    return document


@pytest.fixture
def ready(bureau, actors):
    """Makes documents of the city bureau ready for registration."""
    count = iter(range(1, 1000))
    return lambda: ready_for_registration(
        bureau, actors, f"安康市民政局管理办法（第{next(count)}件）"
    )


@pytest.fixture
def county_actors(county_bureau, filing_reviewer):
    roles = [
        Role.DRAFTER,
        Role.LEGAL_REVIEWER,
        Role.LEGAL_ADVISOR,
        Role.DELIBERATION_SECRETARY,
        Role.REGISTRAR,
        Role.FILING_CLERK,
    ]
    people = [make_user(f"hb-{role}", county_bureau, role) for role in roles]
    return Actors(*people, filing_reviewer)


def sequence_last(kind, prefix, year):
    return (
        NumberSequence.objects.filter(kind=kind, prefix=prefix, year=year)
        .values_list("last", flat=True)
        .first()
    )


def serials(registration):
    return registration.number_serial, registration.reg_serial


# --- formats (GB/T 9704-2012; Shaanxi 三统一) -------------------------------


def test_a_document_number_has_the_issuing_code_the_year_in_hexagonal_brackets_and_no_leading_zeros():
    assert numbering.format_document_number("安民发", 2020, 5) == "安民发〔2020〕5号"
    assert numbering.format_document_number("安民发", 2020, 12) == "安民发〔2020〕12号"


def test_a_registration_number_has_three_digits_and_no_hao():
    assert numbering.format_registration_number("安规", 2020, 1) == "安规〔2020〕001"
    assert numbering.format_registration_number("安规", 2020, 25) == "安规〔2020〕025"


# --- sequences ------------------------------------------------------------


def test_three_registrations_get_serials_one_two_three(ready, registrar):
    documents = [ready(), ready(), ready()]

    registrations = [actions.register_and_number(d, by=registrar, on=IN_2020) for d in documents]

    assert [serials(r) for r in registrations] == [(1, 1), (2, 2), (3, 3)]
    assert [r.number for r in registrations] == [
        "安民发〔2020〕1号",
        "安民发〔2020〕2号",
        "安民发〔2020〕3号",
    ]
    assert [r.reg_number for r in registrations] == [
        "安规〔2020〕001",
        "安规〔2020〕002",
        "安规〔2020〕003",
    ]
    assert sequence_last(DOC, "安民发", 2020) == 3
    assert sequence_last(REG, "安规", 2020) == 3


def test_a_new_year_restarts_at_one(ready, registrar):
    first, second = ready(), ready()
    actions.register_and_number(first, by=registrar, on=date(2020, 12, 31))

    registration = actions.register_and_number(second, by=registrar, on=date(2021, 1, 4))

    assert registration.number == "安民发〔2021〕1号"
    assert registration.reg_number == "安规〔2021〕001"
    assert sequence_last(DOC, "安民发", 2020) == 1


def test_a_county_bureau_has_its_own_document_numbers_but_shares_the_regional_register(
    ready, registrar, county_bureau, county_actors
):
    city = actions.register_and_number(ready(), by=registrar, on=IN_2020)
    county_document = ready_for_registration(county_bureau, county_actors, "汉滨区民政局管理办法")

    county = actions.register_and_number(county_document, by=county_actors.registrar, on=IN_2020)

    assert city.number == "安民发〔2020〕1号"
    assert county.number == "汉民发〔2020〕1号"
    # 三统一: the 登记号 is the region's (安规), one register for the city and its counties.
    assert (city.reg_number, county.reg_number) == ("安规〔2020〕001", "安规〔2020〕002")


# --- nothing is burnt -----------------------------------------------------


def test_a_registration_that_fails_after_taking_its_numbers_burns_nothing(ready, registrar):
    taken = actions.register_and_number(ready(), by=registrar, on=IN_2020)
    document = ready()

    def disk_full(sender, instance, **kwargs):
        assert instance.number_serial == 2  # the numbers had been taken
        raise OSError("磁盘已满")

    pre_save.connect(disk_full, sender=Registration)
    try:
        with pytest.raises(OSError):
            actions.register_and_number(document, by=registrar, on=IN_2020)
    finally:
        pre_save.disconnect(disk_full, sender=Registration)

    assert sequence_last(DOC, "安民发", 2020) == 1
    assert sequence_last(REG, "安规", 2020) == 1
    document.refresh_from_db()
    assert document.state == State.REGISTRATION
    assert not document.audit_events.filter(action="register").exists()
    registration = actions.register_and_number(document, by=registrar, on=IN_2020)
    assert serials(taken) == (1, 1)
    assert serials(registration) == (2, 2)


def test_the_first_registration_of_a_year_that_fails_leaves_the_next_one_at_serial_one(
    ready, registrar
):
    document = ready()

    def fails(sender, **kwargs):
        return 1 / 0

    pre_save.connect(fails, sender=Registration)
    try:
        with pytest.raises(ZeroDivisionError):
            actions.register_and_number(document, by=registrar, on=IN_2020)
    finally:
        pre_save.disconnect(fails, sender=Registration)

    assert not NumberSequence.objects.exists()
    registration = actions.register_and_number(document, by=registrar, on=IN_2020)
    assert registration.number == "安民发〔2020〕1号"
    assert registration.reg_number == "安规〔2020〕001"


def test_a_registration_by_the_wrong_role_burns_no_number(ready, drafter, registrar):
    document = ready()

    with pytest.raises(NotPermitted):
        actions.register_and_number(document, by=drafter, on=IN_2020)

    assert not NumberSequence.objects.exists()
    assert not Registration.objects.exists()
    assert (
        actions.register_and_number(document, by=registrar, on=IN_2020).number
        == "安民发〔2020〕1号"
    )


def test_a_registration_in_the_wrong_state_burns_no_number(document, registrar):
    with pytest.raises(Refused):
        actions.register_and_number(document, by=registrar, on=IN_2020)

    assert not NumberSequence.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_serial_is_taken_only_inside_a_transaction():
    with pytest.raises(RuntimeError):
        numbering.next_serial(DOC, "安民发", 2020)
    assert not NumberSequence.objects.exists()

    with transaction.atomic():
        taken = [
            numbering.next_serial(DOC, "安民发", 2020),
            numbering.next_serial(DOC, "安民发", 2020),
        ]

    assert taken == [1, 2]
    assert sequence_last(DOC, "安民发", 2020) == 2


# --- concurrency (PostgreSQL) ---------------------------------------------


def walked_to_registration_in_parallel(organisation, actors, threads, each):
    """threads × each documents walked to 待登记编号, side by side: one after another,
    50 walks take ten seconds."""

    def walk(i):
        with connection.cursor() as cursor:
            cursor.execute(
                "SET synchronous_commit TO off"
            )  # test data: no need to wait for the WAL flush
        own = Actors(
            *[get_user_model().objects.get(pk=person.pk) for person in vars(actors).values()]
        )
        return [
            ready_for_registration(organisation, own, f"安康市民政局管理办法（{i}-{j}）").pk
            for j in range(each)
        ]

    outcomes = run_at_once(threads, walk)
    assert failures(outcomes) == []
    return [pk for walked in successes(outcomes) for pk in walked]


def registering(pks, registrar_pk):
    """work(i) for a thread: register document pks[i] with objects of its own connection."""

    def work(i):
        document = NormativeDocument.objects.get(pk=pks[i])
        registrar = get_user_model().objects.get(pk=registrar_pk)
        return actions.register_and_number(document, by=registrar, on=IN_2020).pk

    return work


@postgres_only
def test_fifty_registrations_at_the_same_moment_get_serials_one_to_fifty(bureau, actors, registrar):
    pks = walked_to_registration_in_parallel(bureau, actors, threads=10, each=5)
    outcomes = run_at_once(50, registering(pks, registrar.pk))

    assert failures(outcomes) == []
    assert len(successes(outcomes)) == 50
    assert Registration.objects.count() == 50
    assert sorted(Registration.objects.values_list("number_serial", flat=True)) == list(
        range(1, 51)
    )
    assert sorted(Registration.objects.values_list("reg_serial", flat=True)) == list(range(1, 51))
    assert sequence_last(DOC, "安民发", 2020) == 50
    assert sequence_last(REG, "安规", 2020) == 50
    assert set(NormativeDocument.objects.filter(pk__in=pks).values_list("state", flat=True)) == {
        State.PUBLICATION
    }
    assert audit.verify() == AuditEvent.objects.count()  # appended from 60 threads: still one chain


@postgres_only
def test_two_registrations_of_the_same_document_at_once_give_one_number(ready, registrar):
    document = ready()

    outcomes = run_at_once(2, registering([document.pk, document.pk], registrar.pk))

    assert len(successes(outcomes)) == 1
    [refusal] = failures(outcomes)
    assert isinstance(refusal, Refused)
    assert "待公布" in refusal.message  # the winner moved it on
    assert Registration.objects.filter(document=document).count() == 1
    assert AuditEvent.objects.filter(document=document, action="register").count() == 1
    assert sequence_last(DOC, "安民发", 2020) == 1
