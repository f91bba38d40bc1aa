# ruff: noqa: F811  (pytest fixtures imported from tests.api_world are redefined as arguments)
"""The OpenAPI schema (issue 21): valid, and every operation fuzzed by schemathesis
against a live test server — a fixed seed, derandomised, a bounded number of examples
per operation — with no 5xx and every response matching the schema. The docs page is
served from our own static files and passes the site's Content-Security-Policy."""

import re

import schemathesis
from django.core.cache import cache
from django.core.management import call_command
from hypothesis import HealthCheck, given, seed, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from .api_world import world  # noqa: F401  (a fixture)
from .test_comments_actions import important, period  # noqa: F401  (fixtures)

EXAMPLES = 15  # per operation: bounded, so the run takes seconds, not minutes


def test_the_schema_is_valid_openapi_3_without_warnings(db, tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text(encoding="utf-8")
    assert text.startswith("openapi: 3")
    for path in ("/api/documents/", "/api/register/", "/api/catalogue/", "/api/audit/"):
        assert f"  {path}:" in text


def test_every_operation_answers_fuzzed_requests_without_5xx_and_as_the_schema_says(
    transactional_db,
    live_server,
    world,  # noqa: F811
):
    """One hypothesis run per operation (schemathesis's pytest loader does not run on
    pytest 9, so the operations are walked here): each with the same seed, derandomised,
    EXAMPLES examples, a token of the city bureau (public operations ignore it)."""
    cache.clear()
    api = schemathesis.openapi.from_url(f"{live_server.url}/api/schema/")
    headers = {"Authorization": f"Bearer {world.tokens['city', 'read']}"}
    checks = [not_a_server_error, response_schema_conformance, content_type_conformance]
    operations = [result.ok() for result in api.get_all_operations()]
    statuses = []
    assert len(operations) >= 8
    for operation in operations:

        @seed(20200302)
        @settings(
            max_examples=EXAMPLES,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def fuzz(case):
            response = case.call_and_validate(headers=headers, checks=checks)
            statuses.append(response.status_code)

        fuzz()
    assert len(statuses) >= 2 * len(operations)
    assert 200 in statuses and 400 in statuses  # valid and invalid input both reached


def test_the_docs_page_loads_its_scripts_and_styles_from_this_site(client, db):
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/") for s in sources)
    assert "<script>" not in html and "<style>" not in html  # nothing inline
    policy = page["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    for source in sources:
        if source.startswith("/static/"):
            assert client.get(source).status_code == 200, source
    script = next(s for s in sources if "script" in s and "static" not in s)
    assert client.get(script).status_code == 200
