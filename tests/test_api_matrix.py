# ruff: noqa: F811  (pytest fixtures imported from tests.api_world are redefined as arguments)
"""Every API endpoint × every kind of caller (issue 21): no token, a wrong one, a
revoked one, read and read-write tokens of the city bureau and of the county bureau,
and a city token without an auditor's role. Same object rules as the pages: another
organisation's document is a 404. And queries per request do not grow with the page."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern

from api import tokens
from api import urls as api_urls
from api.models import ApiToken
from review.states import Role

from .api_world import bearer, world  # noqa: F401  (a fixture)
from .test_comments_actions import important, period  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

PAGES = {"tokens", "revoke"}  # the administrator's pages: tests/test_api.py
OK, BAD, UNAUTH, FORBIDDEN, MISSING, NO_METHOD = 200, 400, 401, 403, 404, 405


@pytest.fixture
def callers(world):
    revoked = world.tokens["city", "read_write"]
    # a separate read-write token to revoke, so that the world's stays usable
    token, revoked = tokens.create_token(
        organisation=world.bureau,
        by=world.admin,
        name="revoked",
        roles=[Role.AUDITOR],
        scope="read_write",
    )
    tokens.revoke_token(token, by=world.admin)
    _t, registrar_only = tokens.create_token(
        organisation=world.bureau, by=world.admin, name="registrar", roles=[Role.REGISTRAR]
    )
    return {
        "none": None,
        "wrong": "gf_00000000_wrong",
        "revoked": revoked,
        "city read": world.tokens["city", "read"],
        "city read_write": world.tokens["city", "read_write"],
        "county read": world.tokens["county", "read"],
        "county read_write": world.tokens["county", "read_write"],
        "city registrar": registrar_only,
    }


def urls(world):
    """name: URL of each endpoint, with the city draft where an id is needed."""
    return {
        "root": "/api/",
        "schema": "/api/schema/",
        "docs": "/api/docs/",
        "documents": "/api/documents/",
        "document": f"/api/documents/{world.city_draft.pk}/",
        "events": f"/api/documents/{world.city_draft.pk}/events/",
        "register": "/api/register/",
        "audit": "/api/audit/?year=2020",
        "catalogue": "/api/catalogue/",
        "comment_periods": "/api/comment-periods/",
        "comments": f"/api/comment-periods/{world.period.pk}/comments/",
        "peer_packages": "/api/peers/packages/",
    }


PUBLIC = {"root", "schema", "docs", "catalogue", "comment_periods", "comments"}
# Another deployment pushes packages here (issue 22): no token is read, only POST is
# taken, and a body that is not a signed package is refused (400).
PEER = {"peer_packages"}
CITY_OBJECT = {"document", "events"}


def expected_get(endpoint, caller):
    if endpoint in PEER:
        return NO_METHOD
    if endpoint in PUBLIC:
        return OK
    if caller in ("none", "wrong", "revoked"):
        return UNAUTH
    if endpoint in CITY_OBJECT and caller.startswith("county"):
        return MISSING
    if endpoint == "audit" and caller == "city registrar":
        return FORBIDDEN
    return OK


def expected_post(endpoint, caller):
    if endpoint in PEER:
        return BAD
    if endpoint in PUBLIC:
        return NO_METHOD
    if caller in ("none", "wrong", "revoked"):
        return UNAUTH
    if not caller.endswith("read_write"):
        return FORBIDDEN  # a read-only token may not write, whatever the endpoint
    return NO_METHOD  # the API is read-only: no endpoint takes a write (nor reads a row)


def test_the_matrix_covers_every_endpoint(world):
    names = {p.name for p in api_urls.urlpatterns if isinstance(p, URLPattern)}
    assert names - PAGES == set(urls(world))


def test_every_endpoint_answers_every_caller_as_the_rules_say(client, world, callers):
    found, wanted = {}, {}
    for endpoint, url in urls(world).items():
        for caller, clear in callers.items():
            cache.clear()  # no throttle carries over
            headers = bearer(clear) if clear else {}
            found[endpoint, caller, "GET"] = client.get(url, **headers).status_code
            wanted[endpoint, caller, "GET"] = expected_get(endpoint, caller)
            response = client.post(url, {}, content_type="application/json", **headers)
            found[endpoint, caller, "POST"] = response.status_code
            wanted[endpoint, caller, "POST"] = expected_post(endpoint, caller)
    assert found == wanted


def test_a_county_token_gets_404_for_the_city_draft_and_the_county_token_for_its_own(client, world):
    county = bearer(world.tokens["county", "read"])
    assert client.get(f"/api/documents/{world.county_draft.pk}/", **county).status_code == OK
    assert client.get(f"/api/documents/{world.city_draft.pk}/", **county).status_code == MISSING
    assert client.get("/api/documents/999999/", **county).status_code == MISSING


@pytest.mark.parametrize(
    "path",
    [
        "/api/documents/",
        "/api/register/",
        "events",
        "/api/catalogue/?on=2030-01-01",
        "/api/comment-periods/",
        "comments",
    ],
)
def test_queries_per_request_do_not_grow_with_the_page_size(
    client, world, path, django_assert_max_num_queries
):
    if path == "events":
        path = f"/api/documents/{world.filed.pk}/events/"
    if path == "comments":
        path = f"/api/comment-periods/{world.period.pk}/comments/"
    headers = bearer(world.tokens["city", "read"])
    join = "&" if "?" in path else "?"
    cache.clear()
    client.get(f"{path}{join}page_size=1", **headers)  # warm: content types, roles
    counts = []
    for size in (1, 200):
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{path}{join}page_size={size}", **headers)
        assert response.status_code == OK
        counts.append(len(queries))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(12):
        client.get(f"{path}{join}page_size=200", **headers)


def test_the_detail_reads_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    headers = bearer(world.tokens["city", "read"])
    with django_assert_max_num_queries(14):
        assert client.get(f"/api/documents/{world.filed.pk}/", **headers).status_code == OK
    assert ApiToken.objects.count() >= 4
