import datetime

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import translation

from review import actions
from review.driver import Actors, Walker
from review.models import Membership, Organisation, Role

START = datetime.date(2020, 3, 2)  # a Monday after the 2020 Spring Festival extension


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Production keeps PBKDF2; tests create hundreds of users and need not pay for it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def audit_anchor_dir(settings, tmp_path):
    """verify_audit appends signed anchors: each test gets its own, empty directory."""
    settings.GUIFAN_AUDIT_ANCHOR_DIR = tmp_path / "audit-anchors"
    return settings.GUIFAN_AUDIT_ANCHOR_DIR


@pytest.fixture(autouse=True)
def empty_cache():
    """Nothing kept in the cache (a drawn chart, a rate-limit count) outlives its test:
    the local-memory cache is the process's, and a flushed database repeats its keys."""
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the site's language (Chinese): a request in English, or a
    test that activates it, must not leave English active for the tests after it."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


def make_user(username, organisation, *roles, name=""):
    user = get_user_model().objects.create_user(
        username=username, password="x-test-only", first_name=name or username
    )
    for role in roles:
        Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def authority(db):
    return Organisation.objects.create(
        code="aksfj", name="安康市司法局", short_name="市司法局", kind=Organisation.Kind.JUSTICE
    )


@pytest.fixture
def bureau(authority):
    return Organisation.objects.create(
        code="akmz",
        name="安康市民政局",
        short_name="市民政局",
        issuing_code="安民发",
        files_with=authority,
        may_issue=True,
    )


@pytest.fixture
def division(bureau):
    return Organisation.objects.create(
        code="akmz-zc",
        name="安康市民政局政策法规科",
        short_name="政策法规科",
        kind=Organisation.Kind.DIVISION,
        parent=bureau,
    )


@pytest.fixture
def county_bureau(authority):
    return Organisation.objects.create(
        code="hbmz",
        name="汉滨区民政局",
        short_name="汉滨区民政局",
        issuing_code="汉民发",
        files_with=authority,
        may_issue=True,
    )


@pytest.fixture
def drafter(bureau):
    return make_user("drafter", bureau, Role.DRAFTER)


@pytest.fixture
def legal_reviewer(bureau):
    return make_user("legal", bureau, Role.LEGAL_REVIEWER)


@pytest.fixture
def advisor(bureau):
    return make_user("advisor", bureau, Role.LEGAL_ADVISOR)


@pytest.fixture
def secretary(bureau):
    return make_user("secretary", bureau, Role.DELIBERATION_SECRETARY)


@pytest.fixture
def registrar(bureau):
    return make_user("registrar", bureau, Role.REGISTRAR)


@pytest.fixture
def filing_clerk(bureau):
    return make_user("clerk", bureau, Role.FILING_CLERK)


@pytest.fixture
def filing_reviewer(authority):
    return make_user("reviewer", authority, Role.FILING_REVIEWER)


@pytest.fixture
def outsider(county_bureau):
    """Holds every role but in another organisation — of the three administrators
    (三员分立) only the system administrator's, since no account may hold two."""
    held = [r for r in Role.values if r not in (Role.SECURITY_ADMIN, Role.SECURITY_AUDITOR)]
    return make_user("outsider", county_bureau, *held)


@pytest.fixture
def actors(drafter, legal_reviewer, advisor, secretary, registrar, filing_clerk, filing_reviewer):
    return Actors(
        drafter, legal_reviewer, advisor, secretary, registrar, filing_clerk, filing_reviewer
    )


@pytest.fixture
def document(bureau, division, drafter):
    return actions.create_document(
        organisation=bureau,
        drafting_unit=division,
        title="安康市民政局政府信息公开制度",
        by=drafter,
        legal_basis="《中华人民共和国政府信息公开条例》",
    )


@pytest.fixture
def walk(document, actors):
    """A Walker over `document`, starting on START."""
    return Walker(document, actors, START)
