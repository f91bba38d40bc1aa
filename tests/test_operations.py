"""Seen from outside (issue 15, parts 3 and 5): /health/ for the load balancer, the
request id in every log line, settings from the environment (trusted proxies,
CSRF_TRUSTED_ORIGINS, HSTS), the CSP header."""

import concurrent.futures
import datetime
import json
import logging
from zoneinfo import ZoneInfo

import pytest
import time_machine

from config.requestlog import JsonFormatter, RequestIdFilter
from review.models import CalendarOverride, CalendarYear

from .test_settings import PRODUCTION, run_manage

TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _get(client, url, **extra):
    """The health view is async. Where Playwright's browser tests ran earlier in the
    session an event loop is running in this thread, and Django cannot call an async
    view from it: ask from a thread of its own, as a WSGI worker would."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(client.get, url, **extra).result()


def health(client):
    response = _get(client, "/health/", HTTP_ACCEPT="application/json")
    return response.status_code, response.json()


# transactional_db: the checks run in worker threads, on their own connections.
@pytest.mark.django_db(transaction=True)
def test_health_is_200_with_every_check_ok_when_next_years_calendar_is_known(client, media):
    with time_machine.travel(datetime.datetime(2025, 6, 1, 9, 0, tzinfo=TZ)):
        status, body = health(client)
    assert status == 200
    assert body == {
        "Database(alias='default')": "OK",
        "Cache(alias='default')": "OK",
        "Storage(alias='default')": "OK",
        "NextYearCalendar()": "OK",
        "OutboxBacklog()": "OK",
    }


@pytest.mark.django_db(transaction=True)
def test_a_missing_calendar_for_next_year_is_a_warning_not_a_failure(client, media):
    with time_machine.travel(datetime.datetime(2030, 11, 30, 9, 0, tzinfo=TZ)):
        status, body = health(client)
        assert status == 200
        assert body["NextYearCalendar()"].startswith("Warning: no holiday calendar for 2031")
        # One entry does not make a year known; the year marked complete does.
        CalendarOverride.objects.create(date=datetime.date(2031, 1, 1), is_working_day=False)
        assert health(client) == (200, body)
        CalendarYear.objects.create(year=2031, complete=True, notice_number="国办发明电〔2030〕7号")
        assert health(client) == (200, {**body, "NextYearCalendar()": "OK"})


@pytest.mark.django_db(transaction=True)
def test_a_broken_media_storage_fails_the_health_check(client, settings, tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    settings.MEDIA_ROOT = blocker
    with time_machine.travel(datetime.datetime(2025, 6, 1, 9, 0, tzinfo=TZ)):
        status, body = health(client)
    assert status == 500
    assert body["Storage(alias='default')"] != "OK"


@pytest.mark.django_db(transaction=True)
def test_health_needs_no_login_and_no_second_factor(client, settings, media, legal_reviewer):
    settings.GUIFAN_OTP_REQUIRED = True
    with time_machine.travel(datetime.datetime(2025, 6, 1, 9, 0, tzinfo=TZ)):
        assert _get(client, "/health/?format=text").status_code == 200
        client.force_login(legal_reviewer)  # a required role, not yet enrolled
        assert client.get("/tasks/").status_code == 302
        assert _get(client, "/health/?format=text").status_code == 200


@pytest.fixture
def caplog(caplog):
    """As the console handler is configured: the request id is stamped when a record is
    emitted, inside the request."""
    stamp = RequestIdFilter()
    caplog.handler.addFilter(stamp)
    yield caplog
    caplog.handler.removeFilter(stamp)


def _json_lines(caplog):
    formatter = JsonFormatter()
    return [json.loads(formatter.format(record)) for record in caplog.records]


def test_each_request_gets_an_id_logged_and_answered(client, caplog, db):
    with caplog.at_level(logging.INFO, logger="guifan.request"):
        first = client.get("/accounts/login/")
        second = client.get("/accounts/login/")
    ids = [first["X-Request-ID"], second["X-Request-ID"]]
    assert ids[0] != ids[1] and all(len(i) == 32 for i in ids)
    lines = [line for line in _json_lines(caplog) if line["logger"] == "guifan.request"]
    assert [(line["request_id"], line["path"], line["status"]) for line in lines] == [
        (ids[0], "/accounts/login/", 200),
        (ids[1], "/accounts/login/", 200),
    ]
    assert {"time", "level", "message", "method", "duration_ms", "user_id"} <= set(lines[0])


def test_an_error_logged_during_a_request_carries_its_id(client, caplog, db):
    with caplog.at_level(logging.WARNING):
        response = client.get("/no-such-page/")
    lines = _json_lines(caplog)
    not_found = [line for line in lines if line["logger"] == "django.request"]
    assert not_found and not_found[0]["request_id"] == response["X-Request-ID"]


def test_the_proxys_request_id_is_kept_only_from_a_trusted_proxy(client, settings, db):
    settings.GUIFAN_TRUSTED_PROXIES = ["10.0.0.5"]
    given = {"HTTP_X_REQUEST_ID": "lb-4711-abc"}
    assert (
        client.get("/accounts/login/", REMOTE_ADDR="10.0.0.5", **given)["X-Request-ID"]
        == "lb-4711-abc"
    )
    assert (
        client.get("/accounts/login/", REMOTE_ADDR="10.0.0.9", **given)["X-Request-ID"]
        != "lb-4711-abc"
    )
    bad = {"HTTP_X_REQUEST_ID": "a b\nforged"}
    assert client.get("/accounts/login/", REMOTE_ADDR="10.0.0.5", **bad)["X-Request-ID"] != (
        "a b\nforged"
    )


def test_pages_carry_the_csp_header(client, db):
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "'unsafe-inline'" not in policy
    assert "frame-ancestors 'none'" in policy
    assert "report-uri /csp-report/" in policy
    assert client.get("/public/")["Content-Security-Policy"] == policy


def test_csp_reports_are_accepted_and_logged(client, caplog, db):
    report = {"csp-report": {"violated-directive": "style-src", "blocked-uri": "inline"}}
    with caplog.at_level(logging.WARNING, logger="guifan.csp"):
        response = client.post(
            "/csp-report/", json.dumps(report), content_type="application/csp-report"
        )
    assert response.status_code == 204
    assert caplog.records[-1].csp_report == report


SHOW = (
    "from django.conf import settings as s;"
    "print(s.GUIFAN_TRUSTED_PROXIES, s.CSRF_TRUSTED_ORIGINS, s.SECURE_HSTS_SECONDS,"
    " s.SECURE_HSTS_PRELOAD, s.GUIFAN_OTP_REQUIRED, s.LOG_FORMAT)"
)


def test_trusted_proxies_and_csrf_origins_come_from_the_environment(tmp_path):
    result = run_manage(
        "shell",
        "-v",
        "0",
        "-c",
        SHOW,
        **PRODUCTION,
        GUIFAN_VAR_DIR=str(tmp_path),
        GUIFAN_TRUSTED_PROXIES="10.0.0.5, 10.0.0.6",
        CSRF_TRUSTED_ORIGINS="https://guifan.example.gov.cn,https://review.example.gov.cn",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "['10.0.0.5', '10.0.0.6'] "
        "['https://guifan.example.gov.cn', 'https://review.example.gov.cn'] "
        "31536000 False True json"
    )


def test_development_defaults_no_proxy_no_required_second_factor(tmp_path):
    result = run_manage("shell", "-v", "0", "-c", SHOW, GUIFAN_VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[] [] 0 False False text"


def test_hsts_preload_is_opt_in(tmp_path):
    result = run_manage(
        "shell",
        "-v",
        "0",
        "-c",
        SHOW,
        **PRODUCTION,
        GUIFAN_VAR_DIR=str(tmp_path),
        SECURE_HSTS_PRELOAD="1",
    )
    assert result.returncode == 0, result.stderr
    assert " True True json" in result.stdout
