"""The security log (issue 16, part 4): each kind of event is written with its user,
the client's address and the request's id; it is kept at least the setting's days; only
the audit administrator (审计管理员) and superusers read and export it."""

import csv
import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.http import HttpResponse
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from config.requestlog import RequestIdMiddleware
from review import security_log
from review.models import JurisdictionSettings, Membership, Role, SecurityEvent, SecurityKind

from .conftest import make_user
from .test_downloads import docx_bytes, media, uploaded  # noqa: F401  (fixtures)
from .test_second_factor import code

NOW = datetime.datetime(2026, 11, 30, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
PASSWORD = "x-test-only"
ADDRESS = "203.0.113.7"
LOG = "/accounts/2fa/security-log/"


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def root(db):
    return get_user_model().objects.create_superuser("root", "root@example.invalid", PASSWORD)


@pytest.fixture
def security_auditor(bureau):
    return make_user("sec-auditor", bureau, Role.SECURITY_AUDITOR)


def web():
    return Client(REMOTE_ADDR=ADDRESS)


def only(kind):
    return SecurityEvent.objects.get(kind=kind)


def assert_from_request(entry, response, username):
    assert entry.username == username
    assert entry.address == ADDRESS
    assert entry.request_id == response["X-Request-ID"] and len(entry.request_id) == 32
    assert entry.at == NOW


def test_login_failure_and_logout_are_logged_with_address_and_request_id(drafter):
    client = web()
    failed = client.post("/accounts/login/", {"username": "drafter", "password": "wrong"})
    assert_from_request(only(SecurityKind.LOGIN_FAILED), failed, "drafter")
    assert only(SecurityKind.LOGIN_FAILED).user is None
    ok = client.post("/accounts/login/", {"username": "drafter", "password": PASSWORD})
    assert_from_request(only(SecurityKind.LOGIN), ok, "drafter")
    assert only(SecurityKind.LOGIN).user == drafter
    out = client.post("/accounts/logout/")
    assert_from_request(only(SecurityKind.LOGOUT), out, "drafter")


def test_a_lockout_is_logged(drafter):
    client = web()
    for _i in range(5):
        last = client.post("/accounts/login/", {"username": "drafter", "password": "wrong"})
    assert last.status_code == 429
    assert SecurityEvent.objects.filter(kind=SecurityKind.LOGIN_FAILED).count() == 5
    client.post("/accounts/login/", {"username": "drafter", "password": PASSWORD})
    assert SecurityEvent.objects.filter(kind=SecurityKind.LOCKED_OUT).count() >= 1
    assert SecurityEvent.objects.filter(kind=SecurityKind.LOCKED_OUT).last().address == ADDRESS


def test_the_address_behind_a_trusted_proxy_is_the_forwarded_one(settings, drafter):
    settings.GUIFAN_TRUSTED_PROXIES = ["10.0.0.1"]
    client = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.9, 10.0.0.1")
    client.post("/accounts/login/", {"username": "drafter", "password": PASSWORD})
    assert only(SecurityKind.LOGIN).address == "198.51.100.9"
    spoofed = Client(REMOTE_ADDR=ADDRESS, HTTP_X_FORWARDED_FOR="198.51.100.9")
    spoofed.post("/accounts/login/", {"username": "drafter", "password": "wrong"})
    assert only(SecurityKind.LOGIN_FAILED).address == ADDRESS


def test_second_factor_enrolment_and_reset_are_logged_beside_their_audit_event(
    settings, legal_reviewer, clock
):
    settings.GUIFAN_OTP_REQUIRED = True
    client = web()
    client.post("/accounts/login/", {"username": "legal", "password": PASSWORD})
    client.get("/accounts/2fa/enrol/")
    device = TOTPDevice.objects.get(user=legal_reviewer, confirmed=False)
    done = client.post("/accounts/2fa/enrol/", {"token": code(device)})
    assert_from_request(only(SecurityKind.SECOND_FACTOR_ENROLLED), done, "legal")
    call_command("reset_second_factor", "legal", "--reason", "丢失手机", stdout=io.StringIO())
    reset = only(SecurityKind.SECOND_FACTOR_RESET)  # from the command line: no address
    assert reset.user is None and reset.address == "" and reset.detail["subject"] == "legal"


def in_a_request(user, change):
    """Run `change` as the view of a request from ADDRESS by `user`; its response."""
    request = Client().request().wsgi_request
    request.META["REMOTE_ADDR"] = ADDRESS
    request.user = user

    def view(request):
        change()
        return HttpResponse()

    return RequestIdMiddleware(view)(request)


def test_user_role_and_settings_changes_are_logged_with_who_did_them(root, bureau):
    def change():
        person = get_user_model().objects.create_user("newcomer", password=PASSWORD)
        person.first_name = "新"
        person.save()
        membership = Membership.objects.create(
            user=person, organisation=bureau, role=Role.REGISTRAR
        )
        membership.delete()
        JurisdictionSettings.objects.create(organisation=bureau)

    response = in_a_request(root, change)
    ours = SecurityEvent.objects.filter(request_id=response["X-Request-ID"])

    def only(kind):
        return ours.get(kind=kind)

    for kind in [
        SecurityKind.USER_CREATED,
        SecurityKind.USER_CHANGED,
        SecurityKind.ROLE_GRANTED,
        SecurityKind.ROLE_REVOKED,
        SecurityKind.SETTINGS_CHANGED,
    ]:
        assert_from_request(only(kind), response, "root")
    assert only(SecurityKind.ROLE_GRANTED).detail["role"] == Role.REGISTRAR
    assert only(SecurityKind.USER_CHANGED).detail["subject"] == "newcomer"
    assert only(SecurityKind.SETTINGS_CHANGED).detail["organisation_id"] == bureau.pk


def test_a_login_is_not_logged_as_a_change_of_the_user(drafter):
    web().post("/accounts/login/", {"username": "drafter", "password": PASSWORD})
    assert not SecurityEvent.objects.filter(kind=SecurityKind.USER_CHANGED).exists()


def test_downloads_and_exports_are_logged(document, drafter, uploaded, authority):  # noqa: F811
    client = web()
    client.force_login(drafter)
    response = client.get(f"/documents/{document.pk}/versions/1/download/")
    entry = only(SecurityKind.FILE_DOWNLOADED)
    assert_from_request(entry, response, "drafter")
    assert entry.detail["document_id"] == document.pk
    response = client.get(f"/documents/{document.pk}/attachments/{uploaded[1].pk}/download/")
    assert SecurityEvent.objects.filter(kind=SecurityKind.FILE_DOWNLOADED).count() == 2
    auditor = make_user("sfj-auditor", authority, Role.AUDITOR)
    client.force_login(auditor)
    response = client.get("/reports/filing-audit/", {"year": 2020, "format": "json"})
    assert response.status_code == 200
    export = only(SecurityKind.OUTPUT_EXPORTED)
    assert_from_request(export, response, "sfj-auditor")
    assert export.detail["output"] == "filing_audit"


def aged(days, kind=SecurityKind.LOGIN):
    entry = security_log.record(kind, username=f"aged-{days}")
    SecurityEvent.objects.filter(pk=entry.pk).update(at=NOW - datetime.timedelta(days=days))
    return entry


def test_pruning_keeps_the_setting_and_never_fewer_than_180_days(settings, db):
    for days in [10, 179, 181, 200, 400]:
        aged(days)
    settings.GUIFAN_SECURITY_LOG_DAYS = 200
    out = io.StringIO()
    call_command("prune_security_log", stdout=out)
    left = set(SecurityEvent.objects.values_list("username", flat=True))
    assert left == {"aged-10", "aged-179", "aged-181", "aged-200"}
    # A shorter --days, or a setting under 180, is raised: nothing younger goes.
    settings.GUIFAN_SECURITY_LOG_DAYS = 30
    call_command("prune_security_log", "--days", "5", stdout=out)
    left = set(SecurityEvent.objects.values_list("username", flat=True))
    assert left == {"aged-10", "aged-179"}
    assert "180" in out.getvalue()


def test_only_the_audit_administrator_and_superusers_read_the_log(
    security_auditor, root, drafter, bureau
):
    for person, status in [(security_auditor, 200), (root, 200), (drafter, 403)]:
        client = Client()
        client.force_login(person)
        assert client.get(LOG).status_code == status
        assert client.get(LOG, {"format": "csv"}).status_code == status
    admin = make_user("sysadmin", bureau, Role.ADMIN)
    client = Client()
    client.force_login(admin)
    assert client.get(LOG).status_code == 403
    assert Client().get(LOG).status_code == 302  # to the login


def test_the_page_filters_and_pages(security_auditor):
    for i in range(60):
        security_log.record(SecurityKind.LOGIN_FAILED, username=f"guess{i}", address=ADDRESS)
    security_log.record(SecurityKind.LOGOUT, username="someone")
    aged(30, SecurityKind.LOGOUT)
    client = Client()
    client.force_login(security_auditor)
    first = client.get(LOG).content.decode()
    assert f"共 {SecurityEvent.objects.count()} 条" in first and "第 1 页，共 2 页" in first
    page = client.get(LOG, {"kind": "logout"}).content.decode()
    assert "共 2 条" in page and "guess1" not in page
    page = client.get(LOG, {"user": "guess7"}).content.decode()
    assert "共 1 条" in page
    since = (NOW - datetime.timedelta(days=1)).date().isoformat()
    page = client.get(LOG, {"kind": "logout", "since": since}).content.decode()
    assert "共 1 条" in page and "someone" in page and "aged-30" not in page


def test_the_csv_export_escapes_formulas_and_is_logged(security_auditor):
    web().post("/accounts/login/", {"username": '=HYPERLINK("http://x")', "password": "x"})
    client = Client()
    client.force_login(security_auditor)
    response = client.get(LOG, {"kind": "login_failed", "format": "csv"})
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["时间", "事件", "用户", "地址", "请求编号", "详情"]
    assert rows[1][1:4] == ["登录失败", '\'=HYPERLINK("http://x")', ADDRESS]
    assert only(SecurityKind.LOG_EXPORTED).username == "sec-auditor"


def test_the_menu_links_the_log_only_for_those_who_may_read_it(security_auditor, root, drafter):
    for person, shown in [(security_auditor, True), (root, True), (drafter, False)]:
        client = Client()
        client.force_login(person)
        assert (LOG in client.get("/accounts/2fa/").content.decode()) is shown
