"""Public comment under load: gunicorn (2 sync workers) on PostgreSQL, 10,000 comments
to one open document from many simulated addresses, against a floor.

    .venv/bin/python bench/comments.py [--count 10000] [--clients 8] [--keep-db]

- A scratch database `guifan_bench_comments_<pid>` is created at 127.0.0.1:5432 (user
  postgres, trust; PGHOST/PGPORT/PGUSER override) and dropped afterwards.
- The server runs with a settings module written to a temp dir: the rate limit is off
  (GUIFAN_COMMENT_RATELIMIT = False) and 127.0.0.1 is made an explicit trusted proxy
  (GUIFAN_TRUSTED_PROXIES), so the X-Forwarded-For address each simulated sender
  puts on its request is the one hashed and stored.
- The floor is a minimal Django view in the same server that inserts one Comment row
  with the ORM (same table, same middleware, CSRF included), loaded the same way.
- The two sides run in alternating rounds (`--rounds`, the order swapped each round),
  so that a change in the machine's load during the run weighs on both alike.
- Each request is a real form POST with the CSRF cookie and token; accepted means the
  302 to the receipt page (the comment is committed before it is sent). Afterwards
  every accepted receipt is looked up in the database, and the stored comments
  are counted.
Target: comments ≥ 0.5× the floor's rate, zero lost, zero 5xx.
"""

import argparse
import http.client
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.parse
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import load_average, machine  # noqa: E402

PG = {
    "host": os.environ.get("PGHOST", "127.0.0.1"),
    "port": os.environ.get("PGPORT", "5432"),
    "user": os.environ.get("PGUSER", "postgres"),
}
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))

SETTINGS = """
from config.settings import *  # noqa

DEBUG = False
ROOT_URLCONF = "bench_urls"
GUIFAN_COMMENT_RATELIMIT = False
GUIFAN_TRUSTED_PROXIES = ["127.0.0.1"]
LOGGING = {"version": 1, "disable_existing_loggers": False,
           "root": {"handlers": [], "level": "ERROR"}}
"""

URLS = """
import secrets

from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_POST

from review.models import Comment

PERIOD = {"id": None}


@require_POST
def floor(request):
    if PERIOD["id"] is None:
        PERIOD["id"] = Comment._meta.get_field("period").related_model.objects.values_list("pk", flat=True).get()
    comment = Comment.objects.create(
        period_id=PERIOD["id"], receipt="FLOOR-" + secrets.token_hex(8), text=request.POST.get("text", "")
    )
    return HttpResponse(comment.receipt)


urlpatterns = [path("floor/", floor), path("", include("config.urls"))]
"""

SEED = """
import datetime
from django.contrib.auth import get_user_model
from django.utils import timezone
from review import actions
from review.models import Membership, NormativeDocument, Organisation, Role

bureau = Organisation.objects.create(code="akmz", name="安康市民政局", short_name="市民政局",
                                     issuing_code="安民发", may_issue=True)
drafter = get_user_model().objects.create_user("bench-drafter", password="x")
Membership.objects.create(user=drafter, organisation=bureau, role=Role.DRAFTER)
doc = actions.create_document(organisation=bureau, title="安康市社区养老服务管理办法", by=drafter,
                              legal_basis="《老年人权益保障法》", is_important=True)
actions.add_version(doc, by=drafter, text="\\n".join(f"第{n}条 条文内容{n}。" for n in "一二三四五六七八九十"))
today = timezone.localdate()
closes = min(today + datetime.timedelta(days=14), datetime.date(today.year, 12, 31))
if closes <= today:
    closes = today + datetime.timedelta(days=1)
actions.open_comment_period(doc, by=drafter, opens_on=today, closes_on=closes, urgent_reason="基准测试")
print(doc.pk)
"""


def psql(*args, db="postgres"):
    return subprocess.run(
        ["psql", "-h", PG["host"], "-p", PG["port"], "-U", PG["user"], "-d", db, "-tAc", *args],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(port, method, path, body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        return response.status, dict(response.getheaders()), data
    finally:
        conn.close()


def csrf(port, path):
    status, headers, _body = request(port, "GET", path)
    assert status == 200, status
    cookie = headers.get("Set-Cookie", "")
    token = re.search(r"csrftoken=([^;]+)", cookie).group(1)
    return token


def _client(args):
    """One load process: `n` POSTs in a row, each on a fresh connection (gunicorn's sync
    workers close after every response). Returns [(status, seconds, receipt)]."""
    port, path, token, start, n = args
    results = []
    for i in range(start, start + n):
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token,
                "article": str(i % 10 + 1),
                "author_kind": "anonymous",
                "author_name": "",
                "contact": "",
                "text": f"关于第{i % 10 + 1}条的意见（第 {i} 条来信）：建议明确服务标准和监督方式。",
                "website": "",
            }
        )
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={token}",
            "X-Forwarded-For": f"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}",
        }
        t0 = time.perf_counter()
        try:
            status, resp_headers, data = request(port, "POST", path, body, headers)
        except OSError:
            results.append((0, time.perf_counter() - t0, ""))
            continue
        elapsed = time.perf_counter() - t0
        receipt = ""
        if status == 302:
            match = re.search(r"/public/receipts/([^/]+)/", resp_headers.get("Location", ""))
            receipt = match.group(1) if match else ""
        elif status == 200 and path == "/floor/":
            receipt = data.decode()
        results.append((status, elapsed, receipt))
    return results


def load(port, path, token, count, clients, offset=0):
    share = [count // clients + (1 if k < count % clients else 0) for k in range(clients)]
    starts = [offset + sum(share[:k]) for k in range(clients)]
    t0 = time.perf_counter()
    with ProcessPoolExecutor(clients) as pool:
        parts = list(
            pool.map(_client, [(port, path, token, starts[k], share[k]) for k in range(clients)])
        )
    wall = time.perf_counter() - t0
    results = [r for part in parts for r in part]
    accepted = [r for r in results if r[2]]
    latencies = sorted(r[1] for r in results)
    return {
        "wall": wall,
        "sent": len(results),
        "accepted": len(accepted),
        "receipts": [r[2] for r in accepted],
        "rate": len(accepted) / wall,
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[int(0.95 * (len(latencies) - 1))] * 1000,
        "latencies": latencies,
        "5xx": sum(1 for r in results if r[0] >= 500),
        "errors": sum(1 for r in results if r[0] == 0),
        "other": sorted({r[0] for r in results if not r[2] and r[0] < 500 and r[0]}),
    }


def merge(parts):
    """One run's figures from its rounds: rate over the summed wall time, p95 over all."""
    latencies = sorted(x for part in parts for x in part["latencies"])
    wall = sum(part["wall"] for part in parts)
    accepted = sum(part["accepted"] for part in parts)
    return {
        "wall": wall,
        "sent": sum(part["sent"] for part in parts),
        "accepted": accepted,
        "receipts": [r for part in parts for r in part["receipts"]],
        "rate": accepted / wall,
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[int(0.95 * (len(latencies) - 1))] * 1000,
        "5xx": sum(part["5xx"] for part in parts),
        "errors": sum(part["errors"] for part in parts),
        "other": sorted({o for part in parts for o in part["other"]}),
    }


def interleaved(port, comment_path, token, options):
    """Floor and comments in alternating rounds (the order swapped each round), so that a
    machine whose load changes during the run weighs on both sides alike."""
    floors, comments, ratios = [], [], []
    per_round = options.count // options.rounds
    for k in range(options.rounds):
        n = per_round if k < options.rounds - 1 else options.count - per_round * k
        sides = [("/floor/", floors), (comment_path, comments)]
        for path, into in sides if k % 2 == 0 else sides[::-1]:
            into.append(load(port, path, token, n, options.clients, offset=per_round * k))
        ratios.append(comments[-1]["rate"] / floors[-1]["rate"])
    return merge(floors), merge(comments), ratios


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=4, help="alternating floor/comment rounds")
    parser.add_argument("--keep-db", action="store_true")
    options = parser.parse_args()

    db = f"guifan_bench_comments_{os.getpid()}"
    tmp = Path(tempfile.mkdtemp(prefix="guifan-bench-comments-"))
    (tmp / "bench_settings.py").write_text(SETTINGS)
    (tmp / "bench_urls.py").write_text(textwrap.dedent(URLS))
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{db}",
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "PYTHONPATH": f"{tmp}{os.pathsep}{ROOT}",
        "GUIFAN_VAR_DIR": str(tmp),
        "DEBUG": "0",
        "CONN_MAX_AGE": "60",
    }
    env.pop("DJANGO_ENV", None)
    psql(f'CREATE DATABASE "{db}"')
    server = None
    try:
        subprocess.run(
            [PYTHON, "manage.py", "migrate", "-v", "0", "--no-input"], cwd=ROOT, env=env, check=True
        )
        seed = subprocess.run(
            [PYTHON, "manage.py", "shell", "-c", SEED],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        document_id = int(seed.stdout.strip().splitlines()[-1])
        port = free_port()
        server = subprocess.Popen(
            [
                GUNICORN,
                "config.wsgi:application",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
                "--chdir",
                str(ROOT),
            ],
            env=env,
            start_new_session=True,
        )
        for _ in range(100):
            try:
                request(port, "GET", "/public/")
                break
            except OSError:
                time.sleep(0.1)
        token = csrf(port, f"/public/documents/{document_id}/")
        comment_path = f"/public/documents/{document_id}/comments/"
        # warm both workers and both paths
        load(port, "/floor/", token, 200, options.clients)
        load(port, comment_path, token, 200, options.clients)
        floor, comments, ratios = interleaved(port, comment_path, token, options)

        stored = set(
            psql(
                "SELECT receipt FROM review_comment WHERE receipt NOT LIKE 'FLOOR-%'", db=db
            ).split()
        )
        lost = [r for r in comments["receipts"] if r not in stored]
        events = int(
            psql("SELECT count(*) FROM review_comment WHERE receipt NOT LIKE 'FLOOR-%'", db=db)
        )
        ip_hashes = int(
            psql(
                "SELECT count(DISTINCT ip_hash) FROM review_comment WHERE receipt NOT LIKE 'FLOOR-%'",
                db=db,
            )
        )
        floor_lost = len(
            set(floor["receipts"])
            - set(
                psql(
                    "SELECT receipt FROM review_comment WHERE receipt LIKE 'FLOOR-%'", db=db
                ).split()
            )
        )
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        if not options.keep_db:
            psql(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        shutil.rmtree(tmp, ignore_errors=True)

    ratio = comments["rate"] / floor["rate"]
    print(f"machine: {machine()}; load {load_average()}")
    print(
        f"PostgreSQL {psql('SHOW server_version')}, gunicorn 2 sync workers, {options.clients} client processes, "
        f"{options.count} POSTs each run, rate limit off, X-Forwarded-For from trusted 127.0.0.1"
    )
    for name, r in (("floor (one ORM insert)", floor), ("public comment", comments)):
        print(
            f"{name:24} {r['accepted']:6}/{r['sent']} accepted in {r['wall']:6.2f} s = {r['rate']:7.1f}/s  "
            f"p50 {r['p50']:6.1f} ms  p95 {r['p95']:6.1f} ms  5xx {r['5xx']}  conn errors {r['errors']}  other {r['other']}"
        )
    print(
        f"ratio comment/floor: {ratio:.2f} (target ≥ 0.50: {'met' if ratio >= 0.5 else 'NOT met'}); "
        f"per round: {', '.join(f'{r:.2f}' for r in ratios)}"
    )
    print(
        f"accepted receipts missing from the database: {len(lost)} (floor: {floor_lost}); "
        f"comments stored: {events} (accepted incl. warm-up: {comments['accepted'] + 200}); "
        f"distinct sender hashes: {ip_hashes}"
    )
    ok = (
        not lost
        and not floor_lost
        and comments["5xx"] == 0
        and floor["5xx"] == 0
        and comments["accepted"] == options.count
    )
    if not ok:
        print("FAILED: lost comments, 5xx or refused submissions")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
