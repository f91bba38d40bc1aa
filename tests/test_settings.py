import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


# What production needs to start (README, "Settings"); the key is for tests only.
PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "x" * 64 + "-not-a-real-key-9f8e7d6c5b4a",
    "ALLOWED_HOSTS": "guifan.example.gov.cn",
    "GUIFAN_AUDIT_KEY": "y" * 64 + "-not-a-real-audit-key",
    "GUIFAN_AUDIT_KEY_ID": "test-2026",
    "REDIS_URL": "redis://127.0.0.1:6379/15",
}


def run_python(*args, timeout=120, **env):
    """`python *args` in the project's directory, with this test run's settings
    taken out of the environment and `env` put in."""
    full_env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DEBUG",
            "SECRET_KEY",
            "DJANGO_ENV",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
            "DATABASE_URL",
            "REDIS_URL",
        }
    }
    full_env.update(env)
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def run_manage(*args, **env):
    return run_python("manage.py", *args, **env)


def test_production_settings_pass_check_deploy_without_warnings(tmp_path):
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION, GUIFAN_VAR_DIR=str(tmp_path)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_without_a_shared_cache_is_warned_that_rate_limits_count_per_process(
    tmp_path,
):
    settings = {k: v for k, v in PRODUCTION.items() if k != "REDIS_URL"}
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", **settings, GUIFAN_VAR_DIR=str(tmp_path)
    )
    assert result.returncode != 0
    assert "review.W001" in result.stderr + result.stdout and "REDIS_URL" in result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_manage("check", DJANGO_ENV="production", GUIFAN_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_development_key_is_generated_outside_the_repository(tmp_path):
    result = run_manage("check", GUIFAN_VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "dev-secret-key").read_text().strip()


def test_several_processes_share_the_rate_limit_through_redis(tmp_path):
    """REDIS_URL selects Django's Redis cache, which every app process shares."""
    code = (
        "from django.core.cache import cache; from django.conf import settings;"
        "import uuid; key = 'probe-' + uuid.uuid4().hex;"
        "cache.set(key, 7, 30); print(settings.CACHES['default']['BACKEND'], cache.get(key))"
    )
    result = run_manage(
        "shell",
        "-v",
        "0",
        "-c",
        code,
        REDIS_URL="redis://127.0.0.1:6379/15",
        GUIFAN_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.core.cache.backends.redis.RedisCache", "7"]


PRAGMAS = (
    "from django.db import connection; c = connection.cursor();"
    "print(c.execute('PRAGMA journal_mode').fetchone()[0], c.execute('PRAGMA synchronous').fetchone()[0])"
)


def test_sqlite_commits_reach_the_disk_before_they_are_acknowledged(tmp_path):
    """synchronous=FULL (2) by default: a 文号 once shown survives a power cut."""
    result = run_manage("shell", "-v", "0", "-c", PRAGMAS, GUIFAN_VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["wal", "2"]


def test_sqlite_synchronous_can_be_lowered_to_normal_by_the_environment(tmp_path):
    result = run_manage(
        "shell", "-v", "0", "-c", PRAGMAS, GUIFAN_VAR_DIR=str(tmp_path), SQLITE_SYNCHRONOUS="normal"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["wal", "1"]


def test_an_unknown_sqlite_synchronous_value_is_refused(tmp_path):
    result = run_manage("check", GUIFAN_VAR_DIR=str(tmp_path), SQLITE_SYNCHRONOUS="OFF")
    assert result.returncode != 0
    assert "SQLITE_SYNCHRONOUS 只能是" in result.stderr and "must be FULL" in result.stderr


LOCKOUT = "from django.conf import settings; print(settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME)"


def test_login_lockout_defaults_to_five_failures_and_thirty_minutes(tmp_path):
    result = run_manage("shell", "-v", "0", "-c", LOCKOUT, GUIFAN_VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["5", "0:30:00"]


def test_login_lockout_limit_and_minutes_come_from_the_environment(tmp_path):
    result = run_manage(
        "shell",
        "-v",
        "0",
        "-c",
        LOCKOUT,
        GUIFAN_VAR_DIR=str(tmp_path),
        LOGIN_FAILURE_LIMIT="8",
        LOGIN_LOCKOUT_MINUTES="120",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["8", "2:00:00"]


def test_a_login_failure_limit_that_is_not_a_positive_number_is_refused(tmp_path):
    result = run_manage("check", GUIFAN_VAR_DIR=str(tmp_path), LOGIN_FAILURE_LIMIT="0")
    assert result.returncode != 0
    assert "LOGIN_FAILURE_LIMIT 必须是正整数" in result.stderr


IMMEDIATE = """
import sqlite3
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
with CaptureQueriesContext(connection) as captured, transaction.atomic():
    connection.ensure_connection()
    other = sqlite3.connect(connection.settings_dict["NAME"], timeout=0)
    try:
        other.execute("BEGIN IMMEDIATE")
        blocked = "no"
    except sqlite3.OperationalError as error:
        blocked = str(error).replace(" ", "-")
print(connection.settings_dict["ENGINE"], captured.captured_queries[0]["sql"].replace(" ", "-"), blocked)
"""


def test_sqlite_is_djangos_own_backend_and_a_transaction_takes_the_write_lock_when_it_begins(
    tmp_path,
):
    """transaction_mode=IMMEDIATE: two requests never both read a state and then both
    write it; a second writer waits from the first one's BEGIN, not from its first write.
    (No table is needed: the database file is created by the connection.)"""
    result = run_manage("shell", "-v", "0", "-c", IMMEDIATE, GUIFAN_VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "BEGIN-IMMEDIATE",
        "database-is-locked",
    ]
