# ruff: noqa: F811  (pytest fixtures imported from tests.api_world are redefined as arguments)
"""The API (issue 21): what each token sees, the public endpoints' privacy, ETags,
usage counting, throttling, the lockout, and the token page and command."""

import json

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from api import tokens, usage
from api.models import ApiToken, ApiTokenUsage
from review.models import AuditEvent
from review.reports import build

from .api_world import CONTACT, PERSON, bearer, world  # noqa: F401  (fixtures)
from .test_comments_actions import important, period  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def get(client, url, clear=None, **extra):
    headers = bearer(clear) if clear else {}
    return client.get(url, **headers, **extra)


def test_a_county_token_sees_no_city_document_and_a_city_token_sees_its_own(client, world):
    county = world.tokens["county", "read"]
    city = world.tokens["city", "read"]
    assert get(client, f"/api/documents/{world.city_draft.pk}/", county).status_code == 404
    assert get(client, f"/api/documents/{world.city_draft.pk}/events/", county).status_code == 404
    listed = get(client, "/api/documents/", county).json()["results"]
    assert {d["id"] for d in listed} == {world.county_draft.pk}
    listed = get(client, "/api/documents/", city).json()["results"]
    assert world.city_draft.pk in {d["id"] for d in listed}
    assert world.county_draft.pk not in {d["id"] for d in listed}


def test_the_document_detail_has_every_stage_of_a_filed_document(client, world):
    body = get(client, f"/api/documents/{world.filed.pk}/", world.tokens["city", "read"]).json()
    assert body["state"] == "filed"
    assert body["versions"] and body["versions"][0]["sha256"]
    assert body["registration"]["number"].startswith("安民发")
    assert body["publication"]["published_on"]
    assert body["filings"][0]["authority"] == "aksfj"
    assert body["legality_reviews"][0]["outcome"]
    assert set(body["validity"]) >= {"effective_from", "valid_until", "in_force_today"}
    assert body["number"] == body["registration"]["number"]


def test_documents_filter_by_state_year_and_organisation_on_the_server(client, world):
    city = world.tokens["city", "read"]
    filed = get(client, "/api/documents/?state=filed", city).json()["results"]
    assert [d["id"] for d in filed] == [world.filed.pk]
    year = world.filed.registration.number_year
    by_year = get(client, f"/api/documents/?year={year}&state=filed", city).json()["results"]
    assert [d["id"] for d in by_year] == [world.filed.pk]
    assert get(client, "/api/documents/?organisation=hbmz", city).json()["results"] == []
    assert get(client, "/api/documents/?year=abc", city).status_code == 400
    assert get(client, "/api/documents/?state=nonsense", city).status_code == 400


def test_pages_follow_the_cursor_without_repeating_a_document(client, world):
    city = world.tokens["city", "read"]
    seen, url = [], "/api/documents/?page_size=1"
    while url:
        body = get(client, url, city).json()
        seen += [d["id"] for d in body["results"]]
        url = body["next"]
    assert len(seen) == len(set(seen)) == 3


def test_the_register_lists_documents_in_progress_first(client, world):
    rows = get(client, "/api/register/", world.tokens["city", "read"]).json()["results"]
    assert rows[-1]["id"] == world.filed.pk
    assert {r["id"] for r in rows} == {world.filed.pk, world.city_draft.pk, world.commented.pk}


def test_the_events_are_the_documents_audit_chain_in_order(client, world):
    rows = get(
        client, f"/api/documents/{world.filed.pk}/events/", world.tokens["city", "read"]
    ).json()["results"]
    expected = list(AuditEvent.objects.filter(document=world.filed).values_list("seq", flat=True))
    assert [r["seq"] for r in rows] == expected[:50]


def test_the_audit_figures_are_the_json_of_the_filing_audit_command(client, world):
    body = get(client, "/api/audit/?year=2020", world.tokens["city", "read"])
    assert body.status_code == 200
    params = {"organisation": "akmz", "year": 2020, "today": timezone.localdate()}
    expected = json.loads(build("filing_audit", params, "json"))
    assert body.json() == expected


def test_public_comments_never_show_a_persons_name_or_contact(client, world):
    periods = client.get("/api/comment-periods/").json()["results"]
    assert [p["document"] for p in periods] == [world.commented.pk]
    assert periods[0]["published_comments"] == 1 and periods[0]["answered_comments"] == 1
    response = client.get(f"/api/comment-periods/{world.period.pk}/comments/")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert len(rows) == 1 and rows[0]["response"] == "adopted"
    text = response.content.decode()
    assert CONTACT not in text and PERSON not in text and "receipt" not in text
    assert "不予公开的意见" not in text


def test_the_catalogue_is_public_and_lists_only_published_documents_in_force(client, world):
    day = world.filed.effective_from.isoformat()
    rows = client.get(f"/api/catalogue/?on={day}").json()["results"]
    assert [r["title"] for r in rows] == [world.filed.title]
    assert client.get("/api/catalogue/?on=1900-01-01").status_code == 400
    assert client.get("/api/catalogue/?organisation=nobody").status_code == 400


def test_a_second_get_with_the_etag_is_a_304_without_a_body(client, world):
    city = world.tokens["city", "read"]
    first = get(client, f"/api/documents/{world.filed.pk}/", city)
    etag = first["ETag"]
    again = get(client, f"/api/documents/{world.filed.pk}/", city, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    other = get(client, f"/api/documents/{world.filed.pk}/", city, HTTP_IF_NONE_MATCH='"x"')
    assert other.status_code == 200
    assert "Authorization" in first["Vary"]
    public = client.get("/api/comment-periods/")
    assert client.get("/api/comment-periods/", HTTP_IF_NONE_MATCH=public["ETag"]).status_code == 304


def test_use_is_counted_per_day_with_one_write_a_minute_not_one_per_request(client, world):
    city = world.tokens["city", "read"]
    token = ApiToken.objects.get(prefix=city.split("_")[1])
    with CaptureQueriesContext(connection) as queries:
        for _ in range(20):
            assert get(client, "/api/documents/", city).status_code == 200
    writes = [q["sql"] for q in queries if "api_apitokenusage" in q["sql"]]
    assert len(writes) <= 2  # the first request's flush: an UPDATE, then the day's INSERT
    assert usage.flush_all() == 19
    assert ApiTokenUsage.objects.get(token=token).requests == 20


def test_a_token_is_throttled_on_its_own(client, world, settings):
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] | {"token": "3/minute"}
    settings.REST_FRAMEWORK = settings.REST_FRAMEWORK | {"DEFAULT_THROTTLE_RATES": rates}
    SimpleRateThrottle.THROTTLE_RATES = rates
    try:
        city, county = world.tokens["city", "read"], world.tokens["county", "read"]
        codes = [get(client, "/api/documents/", city).status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        assert get(client, "/api/documents/", county).status_code == 200
    finally:
        SimpleRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES


def test_wrong_tokens_lock_nobody_out_and_count_no_login_failure(client, world):
    for n in range(12):
        assert get(client, "/api/documents/", f"gf_bad_{n}").status_code == 401
    assert AccessAttempt.objects.count() == 0
    assert get(client, "/api/documents/", world.tokens["city", "read"]).status_code == 200


def test_a_revoked_or_expired_token_is_refused(client, world):
    city = world.tokens["city", "read"]
    token = ApiToken.objects.get(prefix=city.split("_")[1])
    tokens.revoke_token(token, by=world.admin)
    assert get(client, "/api/documents/", city).status_code == 401
    county = world.tokens["county", "read"]
    ApiToken.objects.filter(prefix=county.split("_")[1]).update(expires_at="2000-01-01T00:00Z")
    assert get(client, "/api/documents/", county).status_code == 401


def test_the_token_is_stored_only_as_its_digest_and_its_events_name_it(world):
    clear = world.tokens["city", "read"]
    token = ApiToken.objects.get(prefix=clear.split("_")[1])
    assert clear not in json.dumps(list(ApiToken.objects.values()), default=str)
    event = AuditEvent.objects.filter(action="api_token_created").last()
    assert event.data["token"] in {t.prefix for t in ApiToken.objects.all()}
    assert clear not in json.dumps(event.data)
    assert set(token.user.memberships.values_list("role", flat=True)) == {"registrar", "auditor"}
    assert not token.user.has_usable_password()


def test_the_administrator_makes_a_token_on_the_page_and_sees_it_once(client, world):
    client.force_login(world.admin)
    page = client.post(
        "/api/tokens/",
        {
            "organisation": world.bureau.pk,
            "name": "省备案审查信息平台",
            "roles": ["auditor"],
            "scope": "read",
            "days": 30,
        },
    )
    assert page.status_code == 200
    clear = page.context["created"][1]
    assert clear in page.content.decode()
    assert clear not in client.get("/api/tokens/").content.decode()
    assert get(client, "/api/documents/", clear).status_code == 200
    # another organisation's token cannot be revoked here: 404
    other = ApiToken.objects.filter(organisation=world.county_bureau).first()
    assert client.post(f"/api/tokens/{other.pk}/revoke/").status_code == 404


def test_only_an_administrator_opens_the_token_page(client, world, drafter):
    client.force_login(drafter)
    assert client.get("/api/tokens/").status_code == 403


def test_the_command_makes_and_revokes_a_token(world, capsys):
    call_command(
        "api_token",
        "create",
        "--org",
        "akmz",
        "--by",
        "bureau-admin",
        "--name",
        "档案馆",
        "--roles",
        "auditor",
        "--days",
        "10",
    )
    clear = capsys.readouterr().out.strip().splitlines()[-1]
    token = ApiToken.objects.get(prefix=clear.split("_")[1])
    assert token.scope == "read" and token.name == "档案馆"
    call_command("api_token", "revoke", token.prefix, "--by", "bureau-admin")
    token.refresh_from_db()
    assert token.revoked_at is not None
