"""Login throttling (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords a username
is locked for LOGIN_LOCKOUT_MINUTES, on the site's login and the admin's; the page
says which account and until when; an administrator can unlock it."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

NOW = datetime.datetime(2026, 11, 30, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"
PASSWORD = "x-test-only"  # tests/conftest.make_user's
LOCKED = "账号“{}”因连续 5 次密码错误已被锁定，将于 2026-11-30 09:30 自动解锁。"


@pytest.fixture(autouse=True)
def now():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def root(db):
    return get_user_model().objects.create_superuser("root", "root@example.invalid", PASSWORD)


def log_in(client, username, password, url=LOGIN):
    return client.post(url, {"username": username, "password": password, "next": "/tasks/"})


def logged_in(client):
    return "_auth_user_id" in client.session


def fail(client, username, times, url=LOGIN):
    return [log_in(client, username, "wrong", url).status_code for _ in range(times)]


def test_fifty_wrong_passwords_then_the_right_one_is_refused_with_the_unlock_time(client, drafter):
    statuses = fail(client, "drafter", 50)
    assert statuses[:4] == [200] * 4  # the form again, "enter a correct username and password"
    assert set(statuses[4:]) == {429}  # the fifth failure locks
    response = log_in(client, "drafter", PASSWORD)
    assert response.status_code == 429
    assert not logged_in(client)
    assert LOCKED.format("drafter") in response.content.decode()
    assert "请联系安全管理员" in response.content.decode()
    # Attempts during the lock are not counted: the unlock time shown holds.
    assert AccessAttempt.objects.get(username="drafter").failures_since_start == 5


def test_the_admin_login_is_locked_alike(client, root):
    assert set(fail(client, "root", 50, ADMIN_LOGIN)[4:]) == {429}
    response = log_in(client, "root", PASSWORD, ADMIN_LOGIN)
    assert response.status_code == 429
    assert not logged_in(client)
    assert LOCKED.format("root") in response.content.decode()
    assert client.get("/admin/").status_code == 302  # still sent to the login


def test_failures_on_both_login_pages_add_up(client, drafter):
    fail(client, "drafter", 3)
    fail(client, "drafter", 2, ADMIN_LOGIN)
    assert log_in(client, "drafter", PASSWORD).status_code == 429


def test_the_lockout_page_speaks_english_when_english_is_chosen(client, drafter):
    client.cookies["django_language"] = "en"
    fail(client, "drafter", 5)
    page = log_in(client, "drafter", PASSWORD).content.decode()
    assert "The account “drafter” is locked after 5 wrong passwords" in page
    assert "2026-11-30 09:30" in page
    assert "已被锁定" not in page


def test_the_lock_ends_by_itself_after_the_cool_off(client, drafter, now):
    fail(client, "drafter", 5)
    now.shift(datetime.timedelta(minutes=29))
    assert log_in(client, "drafter", PASSWORD).status_code == 429
    now.shift(datetime.timedelta(minutes=1, seconds=1))
    assert log_in(client, "drafter", PASSWORD).status_code == 302
    assert logged_in(client)


def test_axes_reset_username_unlocks_the_account(client, drafter):
    fail(client, "drafter", 5)
    call_command("axes_reset_username", "drafter", stdout=None)
    response = log_in(client, "drafter", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/tasks/"
    assert logged_in(client)


def test_an_administrator_unlocks_an_account_in_the_admin(client, drafter, root):
    fail(client, "drafter", 5)
    desk = Client()
    desk.force_login(root)
    listing = desk.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200 and "drafter" in listing.content.decode()
    assert "登录失败记录" in listing.content.decode() and "已锁定" in listing.content.decode()
    attempt = AccessAttempt.objects.get(username="drafter")
    response = desk.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert log_in(client, "drafter", PASSWORD).status_code == 302
    assert logged_in(client)


def test_a_correct_login_under_the_limit_clears_only_that_users_failures(
    client, drafter, legal_reviewer
):
    fail(client, "drafter", 4)
    fail(client, "legal", 4)
    assert log_in(client, "drafter", PASSWORD).status_code == 302
    assert logged_in(client)
    assert not AccessAttempt.objects.filter(username="drafter").exists()
    assert AccessAttempt.objects.get(username="legal").failures_since_start == 4
    client.logout()
    assert fail(client, "drafter", 4) == [200] * 4  # counted afresh, not locked
    assert log_in(client, "drafter", PASSWORD).status_code == 302


def test_locking_one_username_leaves_the_others_alone(client, drafter, legal_reviewer):
    fail(client, "drafter", 5)
    assert log_in(client, "legal", PASSWORD).status_code == 302


def test_a_locked_account_keeps_its_open_sessions(client, drafter):
    """Only the login is guarded: a session opened before the lock (like an API token
    later) is not authenticated through the login form and is not affected."""
    working = Client()
    working.force_login(drafter)
    fail(client, "drafter", 5)
    assert working.get("/tasks/").status_code == 200


def test_an_unknown_username_is_locked_alike_and_shown_escaped(client, db):
    """The page does not tell which usernames exist, and prints the typed name as text."""
    fail(client, "<b>nobody</b>", 5)
    page = log_in(client, "<b>nobody</b>", "wrong").content.decode()
    assert LOCKED.format("&lt;b&gt;nobody&lt;/b&gt;") in page
    assert "<b>nobody</b>" not in page


def test_the_unlock_time_shown_is_rounded_up_to_the_minute(client, drafter, now):
    now.shift(datetime.timedelta(seconds=20))
    fail(client, "drafter", 5)
    page = log_in(client, "drafter", PASSWORD).content.decode()
    assert LOCKED.format("drafter").replace("09:30", "09:31") in page


def test_the_limit_and_the_cool_off_come_from_the_settings(client, drafter, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=10)
    assert fail(client, "drafter", 2) == [200, 429]
    page = log_in(client, "drafter", PASSWORD).content.decode()
    assert "因连续 2 次密码错误已被锁定，将于 2026-11-30 09:10 自动解锁" in page
