"""Staff pages and public comments together: gunicorn (sync workers) + PostgreSQL +
Redis on this machine, loopback only, bounded in time.

    .venv/bin/python bench/load.py [--seconds 60] [--sessions 50] [--workers 4] [--keep-db]
    .venv/bin/python bench/load.py --workers 3 --public-workers 2   # /public/ on its own pool

- With --public-workers N, /public/ is served by a second gunicorn of N workers at
  --public-nice (5), as docs/deploy/guifan-public.service deploys it; otherwise one
  pool serves everything.

- A scratch database `guifan_bench_load_<pid>` (127.0.0.1:5432, user postgres; PGHOST,
  PGPORT, PGUSER override) gets `migrate` and `seed_demo`, and one more document open
  for public comment today; it is dropped afterwards. Redis: REDIS_URL, default
  redis://127.0.0.1:6379/0, with a key prefix of its own (the keys expire).
- The server runs with a settings module written to a temp dir: the shared Redis
  cache (so the rate limits count across all workers), 127.0.0.1 as the trusted
  proxy (each simulated citizen's X-Forwarded-For is its address), the rate limits
  ON at their defaults, and a fast password hasher for the 50 logins.
- The run alternates: --cycles windows under load (--seconds in all), and between two
  windows, with the load stopped and nothing of ours in flight, one client requests
  each staff page (inbox, a document, the register) in turn: the "alone" baseline.
  Both thus see the same machine, whose other load drifts (it is shared).
- "Under load", --seconds long: --sessions staff sessions (the demo's drafters,
  secretary, registrar, clerk and auditors; logged in each on its own session; each
  starts somewhere within a reading time, not all at once) work
  the same pages with --think seconds (5–15) of reading between clicks, while the public posts
  comments in bursts (40 at once from 40 addresses every 8 s). In the second window
  one address sends 25 comments to one document at once (the limit is 10 per 10 min):
  exactly 10 must be accepted, whichever workers take them. In the third, one worker
  is killed with SIGKILL (gunicorn starts another).
- Afterwards every acknowledged comment (a 302 to its receipt) is looked up in the
  database.
Targets, in the same run: each staff page's p95 under load ≤ 3× its p95 alone; 0 5xx;
0 lost comments; the rate limit exact; the kill loses nothing acknowledged.
"""

import argparse
import http.client
import multiprocessing
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.comments import GUNICORN, PG, PYTHON, csrf, free_port, psql, request  # noqa: E402
from bench.common import load_average, machine  # noqa: E402

SETTINGS = """
from config.settings import *  # noqa

DEBUG = False
GUIFAN_TRUSTED_PROXIES = ["127.0.0.1"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                      "LOCATION": REDIS_URL_FOR_BENCH, "KEY_PREFIX": KEY_PREFIX_FOR_BENCH}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING = {"version": 1, "disable_existing_loggers": False,
           "root": {"handlers": [], "level": "ERROR"}}
"""

SEED = """
import datetime
from django.utils import timezone
from review import actions
from review.models import Membership, Role
from django.contrib.auth import get_user_model

drafter = get_user_model().objects.get(username="drafter")
bureau = Membership.objects.filter(user=drafter, role=Role.DRAFTER).first().organisation
doc = actions.create_document(organisation=bureau, title="安康市社区养老服务管理办法（负载测试）",
                              by=drafter, legal_basis="《老年人权益保障法》", is_important=True)
actions.add_version(doc, by=drafter, text="\\n".join(f"第{n}条 条文内容{n}。" for n in "一二三四五六七八九十"))
today = timezone.localdate()
closes = today + datetime.timedelta(days=14)
actions.open_comment_period(doc, by=drafter, opens_on=today, closes_on=closes, urgent_reason="基准测试")
print(doc.pk)
"""

STAFF = ["drafter", "secretary", "registrar", "clerk", "auditor", "sfj_auditor", "hb_drafter"]
PASSWORD = "guifan-demo-2020"
PAGES = ("inbox", "document", "register")


class Session:
    """One logged-in staff member: a cookie jar of two cookies."""

    def __init__(self, port, username):
        self.port = port
        self.cookies = {}
        self.documents = []
        status, headers, body = self.get("/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
        form = {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD}
        status, headers, _ = self.request("POST", "/accounts/login/", urllib.parse.urlencode(form))
        if status != 302:
            raise RuntimeError(f"login of {username} failed: {status}")

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            headers = dict(headers or {})
            if self.cookies:
                headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            if body is not None:
                headers["Content-Type"] = "application/x-www-form-urlencoded"
                headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key] = rest.split(";", 1)[0]
            return response.status, dict(response.getheaders()), data
        finally:
            conn.close()

    def get(self, path):
        return self.request("GET", path)

    def path(self, page):
        if page == "inbox":
            return "/tasks/"
        if page == "register":
            return "/documents/"
        return f"/documents/{random.choice(self.documents)}/"


class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.staff = {page: [] for page in PAGES}
        self.statuses = []
        self.receipts = []
        self.comment_statuses = []

    def add_staff(self, page, status, seconds):
        with self.lock:
            self.staff[page].append(seconds)
            self.statuses.append(status)

    def add_comment(self, status, receipt):
        with self.lock:
            self.comment_statuses.append(status)
            if receipt:
                self.receipts.append(receipt)


def p95(values):
    values = sorted(values)
    return values[int(0.95 * (len(values) - 1))] * 1000 if values else float("nan")


def timed_get(session, page, results):
    t0 = time.perf_counter()
    try:
        status, _, _ = session.get(session.path(page))
    except OSError:
        status = 0
    results.add_staff(page, status, time.perf_counter() - t0)


class Gate:
    """Opens and closes the load: workers pass only while it is open, and closing it
    waits for the requests in flight, so that "alone" rounds run with nothing of ours."""

    def __init__(self):
        self.open = threading.Event()
        self.done = threading.Event()
        self.busy = 0
        self.idle = threading.Condition()

    def enter(self, spread=None):
        """Wait while closed. A staff member kept waiting does not click the moment the
        gate opens (fifty would click at once): `spread` draws a fresh reading time."""
        waited = False
        while not self.open.wait(0.2):
            waited = True
            if self.done.is_set():
                return False
        if waited and spread is not None:
            time.sleep(spread())
            return self.enter(spread)
        with self.idle:
            self.busy += 1
        return not self.done.is_set()

    def leave(self):
        with self.idle:
            self.busy -= 1
            self.idle.notify_all()

    def close(self, public):
        self.open.clear()
        public[0].clear()
        with public[2]:  # the burst in progress, if any, has ended
            pass
        with self.idle:
            self.idle.wait_for(lambda: self.busy == 0)


def staff_worker(session, gate, results, rng, think):
    # Fifty people do not click at the same instant: each starts somewhere in a reading.
    time.sleep(rng.uniform(0, think[1]))
    while gate.enter(lambda: rng.uniform(0, think[1])):
        try:
            timed_get(session, rng.choice(PAGES), results)
        finally:
            gate.leave()
        time.sleep(rng.uniform(*think))


def post_comment(port, document_id, token, address, i, results):
    body = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token,
            "article": str(i % 10 + 1),
            "author_kind": "anonymous",
            "author_name": "",
            "contact": "",
            "text": f"关于第{i % 10 + 1}条的意见（负载测试第 {i} 条）：建议明确服务标准。",
            "website": "",
        }
    )
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={token}",
        "X-Forwarded-For": address,
    }
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("POST", f"/public/documents/{document_id}/comments/", body, headers)
        response = conn.getresponse()
        response.read()
        status, location = response.status, response.getheader("Location", "")
    except OSError:
        status, location = 0, ""
    finally:
        conn.close()
    match = re.search(r"/public/receipts/([^/]+)/", location) if status == 302 else None
    results.add_comment(status, match.group(1) if match else "")
    return status


def burst(port, document_id, token, addresses, start, results):
    threads = [
        threading.Thread(
            target=post_comment, args=(port, document_id, token, a, start + k, results)
        )
        for k, a in enumerate(addresses)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def public_process(port, document_id, token, control, out):
    """The public, in a process of its own (its 40 threads per burst would otherwise
    share the staff clients' interpreter lock and slow their timings). `control` is
    (open, done, lock): a burst runs holding the lock, and only while open."""
    is_open, done, lock = control
    results, n = Results(), 0
    while not done.is_set():
        if not is_open.wait(0.2):
            continue
        with lock:
            if is_open.is_set() and not done.is_set():
                addresses = [
                    f"10.{(n + k) >> 16 & 255}.{(n + k) >> 8 & 255}.{(n + k) & 255}"
                    for k in range(int(os.environ.get("GUIFAN_BENCH_BURST", "40")))
                ]
                burst(port, document_id, token, addresses, n, results)
                n += 40
        done.wait(8)
    out.put((results.comment_statuses, results.receipts))


def rate_limit_probe(port, document_id, token, out):
    """25 comments at once from one address, to one document (limit 10 per 10 min)."""
    probe = Results()
    burst(port, document_id, token, ["192.0.2.77"] * 25, 10**6, probe)
    out["statuses"] = probe.comment_statuses
    out["receipts"] = probe.receipts


def worker_pids(master):
    done = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True)
    return [int(p) for p in done.stdout.split()]


def start_server(env, port, workers, nice=0, access_log=None):
    """gunicorn; with `access_log`, each request's path, status and server-side time (µs)."""
    logging = ["--access-logfile", str(access_log), "--access-logformat", "%(U)s %(s)s %(D)s"]
    server = subprocess.Popen(
        [
            *(["nice", "-n", str(nice)] if nice else []),
            GUNICORN,
            "config.wsgi:application",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "error",
            "--chdir",
            str(ROOT),
            *(logging if access_log else []),
        ],
        env=env,
        start_new_session=True,
    )
    for _ in range(300):
        try:
            request(port, "GET", "/public/")
            return server
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not start")


def prepare(env, db):
    psql(f'CREATE DATABASE "{db}"')
    for args in (["migrate", "-v", "0", "--no-input"], ["seed_demo"]):
        subprocess.run(
            [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
        )
    seed = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", SEED],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return int(seed.stdout.strip().splitlines()[-1])


def log_in(port, count):
    """`count` sessions over the staff accounts; each keeps the documents it may open."""
    sessions = [Session(port, STAFF[k % len(STAFF)]) for k in range(count)]
    visible = {}
    for session, k in zip(sessions, range(count), strict=True):
        user = STAFF[k % len(STAFF)]
        if user not in visible:
            _, _, body = session.get("/documents/")
            ids = sorted({int(m) for m in re.findall(rb'href="/documents/(\d+)/"', body)})
            visible[user] = ids[:12] or [0]
        session.documents = visible[user]
    return sessions


def alone(sessions, rounds):
    results = Results()
    for k in range(rounds):
        for page in PAGES:
            timed_get(sessions[k % len(sessions)], page, results)
    return results


def under_load(port, master, sessions, document_id, token, options):
    """Staff sessions (on their own server) and the public (on `port`, whose gunicorn
    master is `master`), in --cycles windows of --seconds/--cycles each; between two
    windows the load stops, the requests in flight finish, and the staff pages are
    timed alone. Alone and under load thus see the same machine, whose other load
    drifts. In the second window one address sends 25 comments at once; in the third
    one worker is killed with SIGKILL."""
    results, base, probe, killed = Results(), Results(), {}, []
    gate = Gate()
    threads = [
        threading.Thread(
            target=staff_worker, args=(s, gate, results, random.Random(k), options.think)
        )
        for k, s in enumerate(sessions)
    ]
    control = (multiprocessing.Event(), multiprocessing.Event(), multiprocessing.Lock())
    out = multiprocessing.Queue()
    public = multiprocessing.Process(
        target=public_process, args=(port, document_id, token, control, out)
    )
    public.start()
    for t in threads:
        t.start()
    window = options.seconds / options.cycles
    rounds = max(1, options.rounds // options.cycles)
    for cycle in range(options.cycles):
        gate.open.set()
        control[0].set()
        time.sleep(window / 2)
        if cycle == min(1, options.cycles - 1):
            rate_limit_probe(port, document_id, token, probe)
        if cycle == min(2, options.cycles - 1):
            victims = worker_pids(master)
            if victims:
                os.kill(victims[0], signal.SIGKILL)
                killed.append(victims[0])
        time.sleep(window / 2)
        gate.close(control)
        time.sleep(1)  # let the killed worker's replacement and the database settle
        for k in range(rounds):
            for page in PAGES:
                timed_get(sessions[(cycle * rounds + k) % len(sessions)], page, base)
    gate.done.set()
    gate.open.set()
    control[1].set()
    results.comment_statuses, results.receipts = out.get(timeout=120)
    public.join()
    for t in threads:
        t.join()
    return results, base, probe, killed


def report(options, base, load, probe, killed, stored):
    print(f"machine: {machine()}; load {load_average()} (shared: other people's jobs run too)")
    pools = ""
    if options.public_workers:
        pools = f" + {options.public_workers} for /public/ at nice {options.public_nice}"
    print(
        f"PostgreSQL {psql('SHOW server_version')}, Redis cache, gunicorn {options.workers} sync "
        f"workers{pools}, {options.sessions} staff sessions reading {options.think[0]:g}–"
        f"{options.think[1]:g} s per page, {options.seconds} s under load"
    )
    served = sum(len(v) for v in load.staff.values())
    print(
        f"  staff pages served under load: {served} = {served / options.seconds:.1f}/s; "
        f"public comments posted: {len(load.comment_statuses)} in bursts of 40 every 8 s"
    )
    ok = True
    for page in PAGES:
        ratio = p95(load.staff[page]) / p95(base.staff[page])
        ok &= ratio <= 3
        print(
            f"  {page:9} alone p95 {p95(base.staff[page]):7.1f} ms (n={len(base.staff[page])})  "
            f"under load p95 {p95(load.staff[page]):7.1f} ms, p50 "
            f"{statistics.median(load.staff[page]) * 1000:6.1f} ms (n={len(load.staff[page])})"
            f"  ratio {ratio:4.2f} (≤ 3: {'met' if ratio <= 3 else 'NOT met'})"
        )
    every = load.statuses + load.comment_statuses + probe["statuses"]
    fivexx = sum(1 for s in every if s >= 500)
    dropped = sum(1 for s in every if s == 0)
    lost = [r for r in load.receipts + probe["receipts"] if r not in stored]
    accepted = probe["statuses"].count(302)
    print(
        f"  comments acknowledged {len(load.receipts)} of {len(load.comment_statuses)} posted; "
        f"lost {len(lost)}; 5xx {fivexx}; connections cut (the killed worker's) {dropped}; "
        f"other statuses {sorted(set(every) - {200, 302, 0})}"
    )
    print(
        f"  rate limit, 25 at once from one address: {accepted} accepted, "
        f"{probe['statuses'].count(429)} refused (429) — exact: {accepted == 10}"
    )
    print(f"  worker killed with SIGKILL mid-load: {killed or 'none found'}")
    ok &= not lost and fivexx == 0 and accepted == 10 and bool(killed)
    print("all targets met" if ok else "FAILED: a target was not met")
    return 0 if ok else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--public-workers",
        type=int,
        default=0,
        help="serve /public/ from a second gunicorn with this many workers (0: one pool)",
    )
    parser.add_argument(
        "--public-nice",
        type=int,
        default=5,
        help="the /public/ pool's niceness: staff pages first, bursts absorb the wait",
    )
    parser.add_argument("--rounds", type=int, default=60, help="requests per page alone")
    parser.add_argument("--cycles", type=int, default=6, help="load windows, alone between")
    parser.add_argument(
        "--think",
        type=float,
        nargs=2,
        default=(5.0, 15.0),
        metavar=("MIN", "MAX"),
        help="seconds a staff member reads a page before the next click",
    )
    parser.add_argument("--keep-db", action="store_true")
    options = parser.parse_args()
    db = f"guifan_bench_load_{os.getpid()}"
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    tmp = Path(tempfile.mkdtemp(prefix="guifan-bench-load-"))
    (tmp / "bench_load_settings.py").write_text(
        SETTINGS.replace("REDIS_URL_FOR_BENCH", repr(redis_url)).replace(
            "KEY_PREFIX_FOR_BENCH", repr(f"guifan-bench-load-{os.getpid()}")
        )
    )
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DJANGO_ENV", "REDIS_URL"}},
        "DATABASE_URL": f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{db}",
        "DJANGO_SETTINGS_MODULE": "bench_load_settings",
        "PYTHONPATH": f"{tmp}{os.pathsep}{ROOT}",
        "GUIFAN_VAR_DIR": str(tmp),
        "DEBUG": "0",
        "CONN_MAX_AGE": "60",
    }
    servers = []
    try:
        document_id = prepare(env, db)
        port = free_port()
        servers.append(start_server(env, port, options.workers, access_log=tmp / "staff.log"))
        public_port = port
        if options.public_workers:
            public_port = free_port()
            servers.append(
                start_server(env, public_port, options.public_workers, options.public_nice)
            )
        token = csrf(public_port, f"/public/documents/{document_id}/")
        sessions = log_in(port, options.sessions)
        alone(sessions, 3)  # warm every worker
        load, base, probe, killed = under_load(
            public_port, servers[-1].pid, sessions, document_id, token, options
        )
        stored = set(psql("SELECT receipt FROM review_comment", db=db).split())
        server_side = server_times(tmp / "staff.log")
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        if not options.keep_db:
            psql(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        shutil.rmtree(tmp, ignore_errors=True)
    status = report(options, base, load, probe, killed, stored)
    print(
        "  server-side p95 of the staff pool (gunicorn's own time, every request of the run: "
        + ", ".join(
            f"{page} {p95(times):.1f} ms (n={len(times)})" for page, times in server_side.items()
        )
        + ")"
    )
    return status


def server_times(path):
    """{page: [seconds]} from the staff server's access log."""
    times = {page: [] for page in PAGES}
    for line in path.read_text().splitlines() if path.exists() else []:
        url, _status, micros = line.split()
        page = "inbox" if url == "/tasks/" else "register" if url == "/documents/" else None
        if page is None and re.fullmatch(r"/documents/\d+/", url):
            page = "document"
        if page:
            times[page].append(int(micros) / 1e6)
    return times


if __name__ == "__main__":
    sys.exit(main())
