"""Passwords and sessions (issue 16, part 5): Django's validators (10 characters, not
common, not all digits, not like the name, classes as a setting), an optional expiry
that sends the user to the password change page, and the idle timeout with its warning."""

import datetime
import runpy
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from review.models import PasswordRecord, SecurityEvent, SecurityKind

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "x-test-only"
CHANGE = "/accounts/2fa/password/"


def refused(password, user=None):
    try:
        validate_password(password, user)
    except ValidationError as error:
        return {e.code for e in error.error_list}
    return set()


@pytest.mark.parametrize(
    "password, code",
    [
        ("Sh0rt!pw", "password_too_short"),
        ("qwertyuiop", "password_too_common"),
        ("8302749165", "password_entirely_numeric"),
    ],
)
def test_short_common_and_numeric_passwords_are_refused(db, password, code):
    assert code in refused(password)


def test_a_password_like_the_username_is_refused(db):
    user = get_user_model()(username="zhangwei-legal", first_name="zhangwei")
    assert "password_too_similar" in refused("zhangwei-legal1", user)


def test_the_demo_password_passes_and_classes_are_off_by_default(db):
    assert refused("guifan-demo-2020") == set()
    assert refused("lowercaseonlylong") == set()


def test_character_classes_when_the_setting_asks(settings, db):
    settings.GUIFAN_PASSWORD_CLASSES = 3
    assert refused("lowercaseonly-long") == {"password_too_simple"}  # lower + symbol: 2
    assert refused("Lowercase-long") == set()
    settings.GUIFAN_PASSWORD_CLASSES = 4
    assert refused("Lowercase-long") == {"password_too_simple"}
    assert refused("Lowercase-long9") == set()


def test_a_password_change_is_recorded_and_logged(drafter):
    drafter.set_password("another-long-pass")
    drafter.save()
    assert PasswordRecord.objects.filter(user=drafter).exists()
    assert SecurityEvent.objects.filter(kind=SecurityKind.PASSWORD_CHANGED, user=drafter).exists()


def test_an_expired_password_sends_the_user_to_the_change_page(settings, drafter):
    client = Client()
    client.force_login(drafter)
    assert client.get("/tasks/").status_code == 200  # off by default
    settings.GUIFAN_PASSWORD_MAX_DAYS = 90
    assert client.get("/tasks/").status_code == 200  # changed today (set at creation)
    with time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=91)):
        client.force_login(drafter)
        response = client.get("/tasks/")
        assert response.status_code == 302 and response["Location"].startswith(CHANGE)
        assert client.get(CHANGE).status_code == 200
        done = client.post(
            CHANGE,
            {
                "old_password": PASSWORD,
                "new_password1": "a-new-long-password",
                "new_password2": "a-new-long-password",
            },
        )
        assert done.status_code == 302
        assert client.get("/tasks/").status_code == 200


def test_a_password_never_recorded_counts_from_the_accounts_creation(settings, drafter):
    PasswordRecord.objects.filter(user=drafter).delete()
    settings.GUIFAN_PASSWORD_MAX_DAYS = 90
    get_user_model().objects.filter(pk=drafter.pk).update(
        date_joined=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )
    client = Client()
    client.force_login(drafter)
    assert client.get("/tasks/").status_code == 302


def test_the_idle_timeout_setting_sets_the_session_age(monkeypatch):
    monkeypatch.setenv("GUIFAN_SESSION_IDLE_MINUTES", "45")
    loaded = runpy.run_path(str(ROOT / "config" / "settings.py"))
    assert loaded["SESSION_COOKIE_AGE"] == 45 * 60
    assert loaded["SESSION_SAVE_EVERY_REQUEST"] is True
    monkeypatch.delenv("GUIFAN_SESSION_IDLE_MINUTES")
    assert runpy.run_path(str(ROOT / "config" / "settings.py"))["SESSION_COOKIE_AGE"] == 30 * 60


def test_pages_carry_the_idle_time_for_the_warning_script(settings, drafter):
    settings.SESSION_COOKIE_AGE = 600
    client = Client()
    client.force_login(drafter)
    page = client.get("/tasks/").content.decode()
    assert 'data-session-idle="600"' in page and "desk/session.js" in page
    assert client.session.get_expiry_age() == 600
    assert "data-session-idle" not in Client().get("/accounts/login/").content.decode()
    assert (ROOT / "static" / "desk" / "session.js").exists()
