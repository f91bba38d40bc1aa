"""What every benchmark needs, kept free of any one benchmark's workload.

- `setup_django()`: a fresh temp dir as GUIFAN_VAR_DIR, DATABASE_URL unset (so the
  file-backed SQLite default in WAL mode is used), DEBUG off, `django.setup()`,
  `migrate`. Call it before importing any model.
- `fresh_database(name)`: a new copy of the migrated, empty database, so each run
  starts from zero rows without paying for `migrate` again.
- `Meter`: counts SQL statements (one `execute_wrapper`, the cheapest hook) and
  wall time, in total and per label; labels nest and time is charged exclusively.
- `peak_rss_mib()`, `traced_memory()`: peak memory of the process / of Python's heap.
- `plain_sqlite()`: a stdlib sqlite3 connection with exactly the PRAGMAs Django
  runs on ours, for floors measured like for like.
- `machine()`, `load_average()`: the machine, versions and how busy it is, for the
  printed report.
"""

import atexit
import gc
import os
import platform
import resource
import shutil
import sqlite3
import sys
import tempfile
import time
import tracemalloc
from collections import Counter, defaultdict
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

_template = None


def setup_django(keep=False):
    """Set Django up on a throw-away SQLite database and migrate it; return the temp dir.

    The environment is fixed *before* `django.setup()` because config.settings reads it
    at import: GUIFAN_VAR_DIR moves the database (and dev secret key, media) into the
    temp dir, and DEBUG=0 stops Django from keeping every query in memory."""
    global _template
    tmp = Path(tempfile.mkdtemp(prefix="guifan-bench-"))
    if not keep:
        atexit.register(shutil.rmtree, tmp, ignore_errors=True)
    os.environ["GUIFAN_VAR_DIR"] = str(tmp)
    for name in ("DATABASE_URL", "MEDIA_ROOT", "DJANGO_ENV", "SQLITE_TEST_NAME"):
        os.environ.pop(name, None)
    os.environ["DEBUG"] = "0"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "sqlite":
        raise RuntimeError(f"the benchmarks expect the SQLite default, got {connection.vendor}")
    call_command("migrate", verbosity=0, interactive=False)
    with connection.cursor() as cursor:
        # Fold the WAL into the main file so that the file alone is a complete copy.
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    _template = Path(connection.settings_dict["NAME"])
    return tmp


def fresh_database(name):
    """Point the default connection at a new copy of the migrated, empty database."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    if _template is None:
        raise RuntimeError("call setup_django() first")
    connection.close()
    target = _template.with_name(f"{name}.sqlite3")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(_template, target)
    connection.settings_dict["NAME"] = str(target)
    ContentType.objects.clear_cache()
    return target


def database_pragmas():
    """(journal_mode, synchronous) as the open default connection sees them."""
    from django.db import connection

    with connection.cursor() as cursor:
        journal = cursor.execute("PRAGMA journal_mode").fetchone()[0]
        synchronous = cursor.execute("PRAGMA synchronous").fetchone()[0]
    return journal, {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}.get(synchronous, synchronous)


class Meter:
    """Count statements and time, per label.

        meter = Meter()
        with meter:                      # installs the counting execute_wrapper
            with meter.label("publish"):
                ...
        meter.queries["publish"], meter.seconds["publish"], meter.total_queries

    Every statement that goes through a Django cursor is counted, including BEGIN,
    SAVEPOINT and RELEASE SAVEPOINT (as CaptureQueriesContext would); COMMIT is
    issued on the DB-API connection and is not. Nested labels charge their time and
    statements to the innermost label only, so the per-label figures add up."""

    def __init__(self, connection=None, kinds=True):
        self.connection = connection
        self.kinds = kinds
        self.total_queries = 0
        self.queries = Counter()
        self.seconds = defaultdict(float)
        self.by_kind = Counter()
        self._stack = [None]
        self._since = None
        self._exit = None

    # the execute_wrapper
    def __call__(self, execute, sql, params, many, context):
        self.total_queries += 1
        self.queries[self._stack[-1]] += 1
        if self.kinds:
            self.by_kind[(sql.lstrip()[:9].split(None, 1) or ["?"])[0].upper()] += 1
        return execute(sql, params, many, context)

    def __enter__(self):
        from django.db import connection

        self._exit = ExitStack()
        self._exit.enter_context((self.connection or connection).execute_wrapper(self))
        self._since = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self._charge()
        self._exit.close()

    def _charge(self):
        now = time.perf_counter()
        self.seconds[self._stack[-1]] += now - self._since
        self._since = now

    @contextmanager
    def label(self, name):
        self._charge()
        self._stack.append(name)
        try:
            yield
        finally:
            self._charge()
            self._stack.pop()


def peak_rss_mib():
    """The process's peak resident set size so far (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


@contextmanager
def traced_memory():
    """Python-heap peak and growth over the block, via tracemalloc. It slows Python
    several times over: never time code inside this block."""
    result = {}
    tracemalloc.start()
    start, _peak = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    try:
        yield result
    finally:
        gc.collect()  # count what is still reachable, not garbage awaiting a collection
        current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        result["peak_mib"] = (peak - start) / (1024 * 1024)
        result["retained_kib"] = (current - start) / 1024


def plain_sqlite(path):
    """A stdlib sqlite3 connection in autocommit mode, set up as Django sets up ours:
    the same `init_command` PRAGMAs and timeout. Returns (connection, begin statement)
    where the begin statement uses the configured transaction mode."""
    from django.db import connection as django_connection

    options = django_connection.settings_dict.get("OPTIONS", {})
    conn = sqlite3.connect(path, isolation_level=None, timeout=options.get("timeout", 5))
    conn.execute("PRAGMA foreign_keys = ON")
    for command in options.get("init_command", "").split(";"):
        if command.strip():
            conn.execute(command)
    mode = options.get("transaction_mode")
    return conn, f"BEGIN {mode}" if mode else "BEGIN"


def load_average():
    """The 1, 5 and 15 minute load averages, as text ("n/a" where the OS has none)."""
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def machine():
    import django

    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (
        f"{cores} cores{' (' + model + ')' if model else ''}, {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, Django {django.get_version()}"
    )


def populate(with_outsider=False):
    """Organisations, users and roles as tests/conftest.py makes them; returns
    (bureau, division, actors). Users get an unusable password: hashing one costs
    ~0.3 s and no benchmark logs in. `with_outsider` adds a county bureau and a user
    holding every role there, as the tests' `outsider`."""
    from django.contrib.auth import get_user_model

    from review.driver import Actors
    from review.models import Membership, Organisation, Role

    def make_user(username, organisation, *roles):
        user = get_user_model().objects.create_user(
            username=username, password=None, first_name=username
        )
        for role in roles:
            Membership.objects.create(user=user, organisation=organisation, role=role)
        return user

    authority = Organisation.objects.create(
        code="aksfj", name="安康市司法局", short_name="市司法局", kind=Organisation.Kind.JUSTICE
    )
    bureau = Organisation.objects.create(
        code="akmz",
        name="安康市民政局",
        short_name="市民政局",
        issuing_code="安民发",
        files_with=authority,
        may_issue=True,
    )
    division = Organisation.objects.create(
        code="akmz-zc",
        name="安康市民政局政策法规科",
        short_name="政策法规科",
        kind=Organisation.Kind.DIVISION,
        parent=bureau,
    )
    if with_outsider:
        county = Organisation.objects.create(
            code="hbmz",
            name="汉滨区民政局",
            short_name="汉滨区民政局",
            issuing_code="汉民发",
            files_with=authority,
            may_issue=True,
        )
        make_user("outsider", county, *Role.values)
    actors = Actors(
        drafter=make_user("drafter", bureau, Role.DRAFTER),
        legal_reviewer=make_user("legal", bureau, Role.LEGAL_REVIEWER),
        advisor=make_user("advisor", bureau, Role.LEGAL_ADVISOR),
        secretary=make_user("secretary", bureau, Role.DELIBERATION_SECRETARY),
        registrar=make_user("registrar", bureau, Role.REGISTRAR),
        filing_clerk=make_user("clerk", bureau, Role.FILING_CLERK),
        filing_reviewer=make_user("reviewer", authority, Role.FILING_REVIEWER),
    )
    return bureau, division, actors
