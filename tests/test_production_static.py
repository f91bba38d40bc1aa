"""Production serves every page and its static files after `collectstatic --noinput`
(issue 10, item 1): the manifest storage's post-processing succeeds on every package's
files, and each page, its stylesheets, scripts, favicon and the fonts the stylesheets
name are served by WhiteNoise from STATIC_ROOT."""

import json
import re

import pytest

from tests.test_settings import PRODUCTION, run_manage, run_python

PROBE_ENV = {**PRODUCTION, "ALLOWED_HOSTS": "testserver"}


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    var = tmp_path_factory.mktemp("production-var")
    collected = run_manage("collectstatic", "--noinput", **PROBE_ENV, GUIFAN_VAR_DIR=str(var))
    probe = None
    if collected.returncode == 0:
        probe = run_python(
            "-m", "tests.production_probe", timeout=300, **PROBE_ENV, GUIFAN_VAR_DIR=str(var)
        )
    return var, collected, probe


def test_collectstatic_succeeds_with_the_production_storage(production):
    var, collected, _probe = production
    assert collected.returncode == 0, collected.stderr[-3000:]
    manifest = json.loads((var / "static" / "staticfiles.json").read_text())["paths"]
    assert "viewflow/img/favicon.png" in manifest
    assert "guifan.css" in manifest
    assert not [name for name in manifest if "node_modules" in name]


@pytest.fixture(scope="module")
def served(production):
    _var, collected, probe = production
    assert collected.returncode == 0, collected.stderr[-3000:]
    assert probe.returncode == 0, probe.stderr[-3000:]
    return json.loads(probe.stdout)


def test_the_probe_ran_with_production_settings(served):
    assert served["debug"] is False
    assert served["storage"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_every_page_is_served_in_production(served):
    statuses = {url: page["status"] for url, page in served["pages"].items()}
    assert statuses == {
        "/accounts/login/": 200,
        "/public/": 200,
        "/admin/login/": 200,
        "/no-such-page/": 404,  # a page, not a 500
        "/tasks/": 200,
        "/documents/": 200,
        "/admin/": 200,
        "/admin/review/normativedocument/": 200,
    }


def test_pages_link_their_stylesheet_by_its_hashed_name(served):
    for url in ["/accounts/login/", "/public/", "/tasks/"]:
        linked = served["pages"][url]["linked"]
        assert any(re.fullmatch(r"/static/guifan\.[0-9a-f]{12}\.css", u) for u in linked), url


def test_every_linked_static_file_and_every_font_the_stylesheets_name_is_served(served):
    assets = served["assets"]
    assert assets and {status for status in assets.values()} == {200}, {
        url: status for url, status in assets.items() if status != 200
    }
    names = " ".join(assets)
    for expected in [
        # The 404 page is ours now (templates/404.html, in the site's layout), no longer
        # viewflow's with its favicon and Roboto stylesheet.
        "desk/choices.",  # the static script of every staff page
        "admin/css/base.",
        "admin/js/",
    ]:
        assert expected in names, expected
