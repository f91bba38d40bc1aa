"""A second guifan for the tests of filing between deployments (issue 22): the
authority's deployment, run through `manage.py` as a subprocess on its own SQLite
database, var directory and signing key — migrated once per test session into a
template, copied fresh for each test — and, for the push, served over HTTP by gunicorn.

The test database is the bureau's deployment; its signing key (`bureau_key`) is one for
the session, and the authority's template trusts it for 安康市民政局 (akmz)."""

import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from contextlib import closing
from pathlib import Path

import pytest
from django.test import override_settings

from review.peers import keys

ROOT = Path(__file__).resolve().parent.parent

# The authority's register, its reviewer, its key (written to authority.pem) and its
# trust in the bureau's key (bureau.pem) for 安康市民政局 — what `filing_peer key` and
# `filing_peer add` do, in one process rather than three.
AUTHORITY_SETUP = """
from pathlib import Path
from django.contrib.auth import get_user_model
from review.models import Organisation, Membership
from review.peers import keys, trust
sfj = Organisation.objects.create(code="aksfj", name="安康市司法局", short_name="市司法局", kind="justice")
Organisation.objects.create(code="akmz", name="安康市民政局", short_name="市民政局",
                            issuing_code="安民发", files_with=sfj, may_issue=True)
user = get_user_model().objects.create_user("sfj_reviewer", password="x-unused-pw")
Membership.objects.create(user=user, organisation=sfj, role="filing_reviewer")
root = Path("%(root)s")
(root / "authority.pem").write_text(keys.public_pem(keys.own_private_key(create=True).public_key()))
trust.add_peer(name="安康市民政局服务器", public_key_pem=(root / "bureau.pem").read_text(),
               organisation_codes=["akmz"])
"""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Deployment:
    """Another guifan: its own database, var directory and key, run through manage.py."""

    def __init__(self, root):
        self.root = Path(root)
        self.env = {
            **{k: v for k, v in os.environ.items() if k != "REDIS_URL"},  # its own cache
            "GUIFAN_VAR_DIR": str(self.root),
            "MEDIA_ROOT": str(self.root / "media"),
            "DATABASE_URL": f"sqlite:///{self.root / 'db.sqlite3'}",
            "GUIFAN_PEER_KEY_FILE": str(self.root / "peer-key.pem"),
            "DEBUG": "1",
        }
        self.port = None
        self.process = None

    def manage(self, *args, check=True):
        done = subprocess.run(
            [sys.executable, "manage.py", *map(str, args)],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=180,
        )
        if check and done.returncode:
            raise AssertionError(f"manage.py {args[0]} failed:\n{done.stdout}\n{done.stderr}")
        return done

    def python(self, code):
        return self.manage("shell", "-v", "0", "-c", code).stdout

    def query(self, sql, *params):
        """Rows read straight from its SQLite file: a check costs no Django start-up.
        Raw SQL because this process's ORM speaks to the bureau's database only."""
        with closing(sqlite3.connect(f"file:{self.root / 'db.sqlite3'}?mode=ro", uri=True)) as db:
            return db.execute(sql, params).fetchall()

    @property
    def url(self):
        """Its address, the same across a restart (a port is picked on first use)."""
        self.port = self.port or free_port()
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        """Serve this deployment over HTTP (gunicorn, one worker) until `stop`; the
        same port each time, so a peer's address stays right across a restart."""
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi", "-w", "1", "-b", self.url[7:]],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.url}/api/", timeout=2).close()
                return self
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.1)
        self.stop()
        raise AssertionError("the second deployment did not start serving")

    def stop(self):
        if self.process is not None:
            self.process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
            self.process.wait(timeout=30)
            self.process = None


@pytest.fixture(scope="session")
def bureau_key(tmp_path_factory):
    """The bureau deployment's signing key, one for the session (the authority trusts it)."""
    return tmp_path_factory.mktemp("bureau") / "peer-key.pem"


@pytest.fixture(scope="session")
def authority_template(tmp_path_factory, bureau_key):
    root = tmp_path_factory.mktemp("authority")
    with override_settings(GUIFAN_PEER_KEY_FILE=bureau_key):
        (root / "bureau.pem").write_text(
            keys.public_pem(keys.own_private_key(create=True).public_key())
        )
    other = Deployment(root)
    other.manage("migrate", "--no-input", "-v", "0")
    other.python(AUTHORITY_SETUP % {"root": root})
    return root


@pytest.fixture
def server(authority_template, tmp_path):
    """The authority's deployment, fresh for this test (not yet serving)."""
    root = tmp_path / "authority"
    shutil.copytree(authority_template, root)
    other = Deployment(root)
    yield other
    other.stop()
