"""The API's docs page (/api/docs/, Swagger UI from drf-spectacular-sidecar) works under
the site's Content-Security-Policy: it draws the operations of the schema with no
violation reported by Chromium (issue 21)."""

import pytest
from django.core.cache import cache

from .test_browser_csp import Watched, browser_type_launch_args  # noqa: F401  (a fixture)


@pytest.mark.browser
def test_the_api_docs_page_draws_the_schema_with_no_csp_violation(
    transactional_db, live_server, browser
):
    cache.clear()
    watched = Watched(browser, live_server.url)
    watched.visit("/api/docs/", expect=".opblock-tag")
    assert watched.page.locator(".opblock-tag").count() >= 1
    assert "/api/documents/" in watched.page.content()
    assert watched.violations() == {}
    watched.context.close()
