"""Second factor (issue 15, part 2): TOTP required for system administrators, legal
reviewers, legal advisors and filing reviewers, optional for the others; enrolment by
QR code, recovery codes that work once, a security administrator's audited reset."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils import translation
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from review import actions
from review.models import AuditEvent, Role
from review.roles import needs_second_factor

from .conftest import make_user

NOW = datetime.datetime(2026, 11, 30, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
PASSWORD = "x-test-only"
ENROL = "/accounts/2fa/enrol/"
VERIFY = "/accounts/2fa/verify/"


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def required(settings):
    settings.GUIFAN_OTP_REQUIRED = True


@pytest.fixture
def root(db):
    return get_user_model().objects.create_superuser("root", "root@example.invalid", PASSWORD)


def code(device):
    return (
        f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"
    )


def logged_in_client(username):
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def enrol(user, clock):
    device = actions.pending_authenticator(user)
    device, codes = actions.confirm_authenticator(device, code(device))
    clock.shift(datetime.timedelta(seconds=60))  # a code is accepted once: next time step
    return device, codes


def test_the_required_roles_are_exactly_the_administrators_deciders_and_superusers(
    bureau, authority, root
):
    cases = {
        Role.ADMIN: True,
        Role.SECURITY_ADMIN: True,
        Role.SECURITY_AUDITOR: True,
        Role.USER_ADMIN: False,
        Role.LEGAL_REVIEWER: True,
        Role.LEGAL_ADVISOR: True,
        Role.FILING_REVIEWER: True,
        Role.DRAFTER: False,
        Role.DELIBERATION_SECRETARY: False,
        Role.REGISTRAR: False,
        Role.FILING_CLERK: False,
        Role.AUDITOR: False,
    }
    for role, expected in cases.items():
        assert needs_second_factor(make_user(f"u-{role}", bureau, role)) is expected, role
    assert needs_second_factor(root)


def test_a_required_role_without_a_device_is_sent_to_enrolment(required, legal_reviewer):
    client = logged_in_client("legal")
    response = client.get("/tasks/")
    assert response.status_code == 302
    assert response["Location"] == f"{ENROL}?next=%2Ftasks%2F"
    assert client.get("/documents/").status_code == 302
    # The public pages and the language switch stay open.
    assert client.get("/public/").status_code == 200


def test_an_optional_role_without_a_device_works_with_its_password(required, drafter):
    client = logged_in_client("drafter")
    assert client.get("/tasks/").status_code == 200
    assert client.get("/documents/").status_code == 200


def test_required_off_lets_every_role_in_with_the_password(settings, legal_reviewer):
    settings.GUIFAN_OTP_REQUIRED = False
    assert logged_in_client("legal").get("/tasks/").status_code == 200


def test_enrolment_by_qr_code_then_the_pages_open(required, legal_reviewer):
    client = logged_in_client("legal")
    page = client.get(f"{ENROL}?next=/documents/")
    assert page.status_code == 200
    html = page.content.decode()
    # The QR code is drawn on the server: an SVG, and no script of the page's own
    # (base.html's static script files are allowed, inline scripts are not).
    assert "<svg" in html and not re.search(r"<script(?![^>]*\bsrc=)", html)
    device = TOTPDevice.objects.get(user=legal_reviewer, confirmed=False)
    assert device.config_url.startswith("otpauth://totp/")
    wrong = client.post(ENROL, {"token": "000000", "next": "/documents/"})
    assert wrong.status_code == 200
    assert "验证码不正确" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=legal_reviewer, confirmed=True).exists()
    assert not AuditEvent.objects.filter(action="second_factor_enrolled").exists()
    done = client.post(ENROL, {"token": code(device), "next": "/documents/"})
    assert done.status_code == 200
    codes = StaticToken.objects.filter(device__user=legal_reviewer)
    assert codes.count() == 10
    for token in codes.values_list("token", flat=True):
        assert token in done.content.decode()
    assert client.get("/tasks/").status_code == 200
    event = AuditEvent.objects.get(action="second_factor_enrolled")
    assert event.actor == legal_reviewer and event.data["username"] == "legal"


def test_with_a_device_the_next_login_is_sent_to_verification(required, legal_reviewer, clock):
    device, _codes = enrol(legal_reviewer, clock)
    client = logged_in_client("legal")
    response = client.get("/documents/")
    assert response["Location"] == f"{VERIFY}?next=%2Fdocuments%2F"
    wrong = client.post(VERIFY, {"token": "123456", "next": "/documents/"})
    assert wrong.status_code == 200 and "验证码不正确" in wrong.content.decode()
    assert client.get("/documents/").status_code == 302
    clock.shift(datetime.timedelta(seconds=2))  # django-otp throttles after a failure
    right = client.post(VERIFY, {"token": code(device), "next": "/documents/"})
    assert right.status_code == 302 and right["Location"] == "/documents/"
    assert client.get("/documents/").status_code == 200


def test_an_optional_role_that_enrolled_must_verify_too(required, drafter, clock):
    enrol(drafter, clock)
    assert logged_in_client("drafter").get("/tasks/")["Location"].startswith(VERIFY)


def test_verification_refuses_an_outside_next(required, legal_reviewer, clock):
    device, _codes = enrol(legal_reviewer, clock)
    client = logged_in_client("legal")
    response = client.post(VERIFY, {"token": code(device), "next": "https://evil.example/"})
    assert response["Location"] == "/tasks/"


def test_a_recovery_code_works_once(required, legal_reviewer, clock):
    _device, codes = enrol(legal_reviewer, clock)
    first = logged_in_client("legal")
    assert first.post(VERIFY, {"token": codes[0], "next": "/tasks/"})["Location"] == "/tasks/"
    assert first.get("/tasks/").status_code == 200
    second = logged_in_client("legal")
    clock.shift(datetime.timedelta(seconds=5))
    again = second.post(VERIFY, {"token": codes[0], "next": "/tasks/"})
    assert again.status_code == 200 and "验证码不正确" in again.content.decode()
    assert second.get("/tasks/").status_code == 302
    assert StaticToken.objects.filter(device__user=legal_reviewer).count() == 9


def test_new_recovery_codes_replace_the_old(required, legal_reviewer, clock):
    device, old = enrol(legal_reviewer, clock)
    client = logged_in_client("legal")
    client.post(VERIFY, {"token": code(device)})
    page = client.post("/accounts/2fa/codes/")
    assert page.status_code == 200
    new = set(
        StaticToken.objects.filter(device__user=legal_reviewer).values_list("token", flat=True)
    )
    assert len(new) == 10 and not new & set(old)
    assert AuditEvent.objects.filter(action="recovery_codes_issued").count() == 1


def test_the_admin_is_refused_unverified(required, root):
    client = logged_in_client("root")
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(ENROL)


def test_a_superuser_resets_a_device_and_it_is_audited(required, root, legal_reviewer, clock):
    enrol(legal_reviewer, clock)
    admin_device, _codes = enrol(root, clock)
    admin = logged_in_client("root")
    admin.post(VERIFY, {"token": code(admin_device)})
    listing = admin.get("/accounts/2fa/users/")
    assert listing.status_code == 200 and "legal" in listing.content.decode()
    url = f"/accounts/2fa/users/{legal_reviewer.pk}/reset/"
    assert admin.post(url, {"note": "手机丢失"}).status_code == 302
    assert not TOTPDevice.objects.filter(user=legal_reviewer).exists()
    assert not StaticToken.objects.filter(device__user=legal_reviewer).exists()
    event = AuditEvent.objects.get(action="second_factor_reset")
    assert event.actor == root
    assert event.note == "手机丢失"
    assert event.data == {"user_id": legal_reviewer.pk, "username": "legal", "devices_removed": 2}
    # At the next login the legal reviewer enrols again.
    assert logged_in_client("legal").get("/tasks/")["Location"].startswith(ENROL)


def test_only_a_verified_security_administrator_may_reset(required, legal_reviewer, drafter, clock):
    enrol(legal_reviewer, clock)
    client = logged_in_client("drafter")
    assert client.get("/accounts/2fa/users/").status_code == 404
    assert client.post(f"/accounts/2fa/users/{legal_reviewer.pk}/reset/").status_code == 404
    assert TOTPDevice.objects.filter(user=legal_reviewer).exists()
    with pytest.raises(actions.NotPermitted):
        actions.reset_second_factor(legal_reviewer, by=drafter)
    assert not AuditEvent.objects.filter(action="second_factor_reset").exists()


def test_the_reset_command_is_audited(legal_reviewer, clock):
    enrol(legal_reviewer, clock)
    call_command("reset_second_factor", "legal", "--reason", "管理员手机丢失")
    assert not TOTPDevice.objects.filter(user=legal_reviewer).exists()
    event = AuditEvent.objects.get(action="second_factor_reset")
    assert event.actor is None and "管理员手机丢失" in event.note


def test_django_otps_own_device_admin_is_not_offered(required, root, clock):
    device, _codes = enrol(root, clock)
    client = logged_in_client("root")
    client.post(VERIFY, {"token": code(device)})
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404


def test_turning_the_requirement_on_reaches_open_sessions(settings, legal_reviewer):
    settings.GUIFAN_OTP_REQUIRED = False
    client = logged_in_client("legal")
    assert client.get("/tasks/").status_code == 200
    settings.GUIFAN_OTP_REQUIRED = True
    assert client.get("/tasks/")["Location"].startswith(ENROL)


def test_the_second_factor_pages_speak_english_when_switched(required, legal_reviewer):
    client = logged_in_client("legal")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    try:
        page = client.get(ENROL).content.decode()
    finally:
        translation.activate("zh-hans")  # the request left English active in this thread
    assert "Enable two-factor authentication" in page
    assert "Scan the QR code below" in page
