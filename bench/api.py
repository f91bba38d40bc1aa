"""API benchmark (issue 21): each list endpoint beside the staff page that shows the
same rows, in the same run, on the data of bench/pages.py (100,000 documents); the
queries of each API list at page sizes 10 and 200; and `manage.py export` of the
bureau's documents and events, its peak memory.

    .venv/bin/python bench/api.py [--docs 100000] [--events 200000] [--reps 40]

The data are built by bench/pages.py's builders (see its docstring: the real path for
a heavy document and the drafter's, the rest in bulk). The API is called with a token
of the drafter's bureau (the drafter's role, so the same documents are visible), with
django.test.Client as the pages are: the whole server side without the network.
Pairs, API first, page second:

  /api/documents/            ~ /documents/ (the register, page 1)
  /api/register/             ~ /documents/
  /api/documents/<heavy>/events/  ~ /documents/<heavy>/ (the document page with its events)
  /api/documents/<typical>/  ~ /documents/<typical>/
  /api/catalogue/            ~ /public/catalogue/ (the public catalogue, page 1)
  /api/comment-periods/      ~ /public/ (the public comment index)

Target: every API p95 ≤ its page's p95; queries equal at page sizes 10 and 200;
export peak < 200 MB. See docs/performance.md ("API").
"""

import argparse
import datetime
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402
from bench import pages as P  # noqa: E402

EXPORT_LIMIT_MIB = 200


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--docs", type=int, default=100_000)
    p.add_argument("--events", type=int, default=200_000)
    p.add_argument("--reps", type=int, default=40)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--seed", type=int, default=20200302)
    p.add_argument("--check", action="store_true", help="exit 1 when a target is not met")
    return p.parse_args(argv)


def progress(text):
    print(f"[api] {text}", file=sys.stderr, flush=True)


def token_client(clear):
    from django.test import Client

    return Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {clear}")


class Null(io.TextIOBase):
    def __init__(self):
        self.chars = 0

    def write(self, text):
        self.chars += len(text)
        return len(text)


def measure_export(organisation):
    from api import export

    sink = Null()
    started = time.perf_counter()
    with common.traced_memory() as memory:
        n = export.write_jsonl(sink, organisation, datetime.date(2000, 1, 1))
    return n, time.perf_counter() - started, memory["peak_mib"], sink.chars


def queries_at(client, url, size):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    join = "&" if "?" in url else "?"
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{url}{join}page_size={size}")
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


def main(argv=None):
    args = parse_args(argv)
    import random

    os.environ["GUIFAN_API_TOKEN_RATE"] = "100000000/hour"  # measured, not throttled
    rng = random.Random(args.seed)
    load_at_start = common.load_average()
    common.setup_django()
    common.fresh_database("api")
    from django.test import Client

    from api import tokens
    from review.models import AuditEvent, CommentPeriod, NormativeDocument, Role

    started = time.perf_counter()
    bench_args = P.parse_args(["--docs", str(args.docs), "--events", str(args.events)])
    c = P.populate()
    progress("through the actions and flows")
    heavy, _mine = P.build_real(c, bench_args)
    real_events = AuditEvent.objects.count()
    progress(f"bulk: {args.docs} documents, {args.events} events")
    P.build_bulk(c, bench_args, heavy, real_events, rng)
    build_s = time.perf_counter() - started
    _token, clear = tokens.create_token(
        organisation=c.bureau, by=c.admin, name="bench", roles=[Role.DRAFTER]
    )
    api = token_client(clear)
    drafter = P.make_client(c.actors.drafter)
    public = Client(HTTP_HOST="localhost")
    # a filed document of the bureau from the middle, not the heavy one (as bench/pages.py)
    filed = NormativeDocument.objects.filter(
        state="filed", organisation=c.bureau, imported=False
    ).exclude(pk=heavy.pk)
    typical = filed.order_by("pk").values_list("pk", flat=True)[filed.count() // 2]
    pairs = [
        ("documents", "/api/documents/", "register", "/documents/"),
        ("register", "/api/register/", "register", "/documents/"),
        (
            "events",
            f"/api/documents/{heavy.pk}/events/",
            "document page",
            f"/documents/{heavy.pk}/",
        ),
        ("detail", f"/api/documents/{typical}/", "document page", f"/documents/{typical}/"),
        ("catalogue", "/api/catalogue/", "public catalogue", "/public/catalogue/"),
        ("comment periods", "/api/comment-periods/", "public index", "/public/"),
    ]
    measured = []
    for key, api_url, page_key, page_url in pairs:
        is_public = page_url.startswith("/public/")
        a = P.Page(f"api {key}", f"API {api_url}", public if is_public else api, api_url)
        b = P.Page(f"page {key}", page_key, public if is_public else drafter, page_url, ours=False)
        measured.append((a, b))
    all_pages = [p for pair in measured for p in pair]
    progress(f"measuring {len(all_pages)} endpoints × {args.reps}")
    P.measure(all_pages, args.reps, args.warmup)
    lists = [
        ("/api/documents/", api),
        ("/api/register/", api),
        (f"/api/documents/{heavy.pk}/events/", api),
        ("/api/catalogue/", public),
        ("/api/comment-periods/", public),
    ]
    query_counts = [(url, queries_at(cl, url, 10), queries_at(cl, url, 200)) for url, cl in lists]
    progress("export of the bureau")
    n, export_s, peak, chars = measure_export(c.bureau)

    print(f"guifan API benchmark, {datetime.date.today()}")
    print(f"machine: {common.machine()}")
    print(f"load average: {load_at_start} at the start, {common.load_average()} at the end")
    print(
        f"data: {NormativeDocument.objects.count():,} documents, "
        f"{CommentPeriod.objects.count():,} comment periods; build {build_s:.0f} s"
    )
    print()
    print(f"server time over {args.reps} fetches each (ms); ratio = API p95 / page p95")
    print(f"  {'API endpoint':<44}{'p95':>8}{'page':<30}{'p95':>8}{'ratio':>7}  target")
    failed = []
    for a, b in measured:
        ratio = a.p95 / b.p95
        ok = a.p95 <= b.p95
        if not ok:
            failed.append(a.label)
        print(
            f"  {a.url:<44}{a.p95:>8.1f}  {b.url:<28}{b.p95:>8.1f}{ratio:>7.2f}  {'met' if ok else 'NOT met'}"
        )
    print()
    print("queries per request at page_size 10 and 200:")
    for url, small, large in query_counts:
        ok = small == large
        if not ok:
            failed.append(f"queries of {url}")
        print(f"  {url:<44}{small:>4}{large:>5}  {'constant' if ok else 'NOT constant'}")
    print()
    ok = peak < EXPORT_LIMIT_MIB
    if not ok:
        failed.append("export memory")
    print(
        f"export (JSONL) of {c.bureau.code}: {n:,} records, {chars / 2**20:.0f} MiB of text in "
        f"{export_s:.1f} s under tracemalloc; Python heap peak {peak:.1f} MiB "
        f"(target < {EXPORT_LIMIT_MIB}): {'met' if ok else 'NOT met'}"
    )
    print(f"peak RSS of the whole benchmark process: {common.peak_rss_mib():.0f} MiB")
    print("targets: " + ("all met" if not failed else "NOT met: " + "; ".join(failed)))
    return 1 if args.check and failed else 0


if __name__ == "__main__":
    sys.exit(main())
