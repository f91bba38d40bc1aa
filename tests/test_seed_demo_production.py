"""seed_demo refuses production (issue 10, item 8): its accounts share a published password."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from review.models import Organisation
from tests.test_settings import PRODUCTION, run_manage


def test_seed_demo_refuses_to_run_in_production_with_a_chinese_message_first(tmp_path):
    result = run_manage("seed_demo", **PRODUCTION, GUIFAN_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    message = result.stderr.strip().splitlines()[-1]
    assert message.startswith("CommandError: 生产环境（DJANGO_ENV=production）不得写入演示数据")
    assert "seed_demo refuses to run in production" in message
    assert "guifan-demo-2020" not in result.stdout + result.stderr
    # Refused before the database is opened: no SQLite file was even created.
    assert not list(tmp_path.glob("*.sqlite3"))


def test_seed_demo_writes_nothing_when_the_settings_say_production(db, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="不得写入演示数据"):
        call_command("seed_demo", stdout=StringIO())
    assert not get_user_model().objects.exists()
    assert not Organisation.objects.exists()
