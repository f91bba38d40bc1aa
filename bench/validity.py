"""Validity benchmark (issue 20): a 清理 campaign built over N documents, its progress
page beside the Django admin changelist of the same documents, and the daily timer
(`expire_documents`) over N documents of which k change.

    .venv/bin/python bench/validity.py [--sizes 10000,30000,100000] [--reps 30]
                                       [--changes 0,100,500] [--timer-sizes 10000,100000]

Documents are written in bulk (bulk_create: the campaign and the timer read dates and
states only); everything measured goes through the real code: `build_campaign` (what
`manage.py build_cleanup` calls), the pages through django.test.Client (force_login),
and `call_command("expire_documents")`, whose expiries and evaluations are real
actions (row lock, audit event, notifications). Pages are fetched round-robin after a
warm-up with an untimed gc.collect() before each fetch, as bench/pages.py does.
See docs/performance.md ("validity").
"""

import argparse
import datetime
import gc
import io
import math
import sys
import time

from common import fresh_database, load_average, machine, populate, setup_django

D = datetime.date
TODAY = D(2025, 6, 1)
FAR = D(2029, 12, 31)  # outside the evaluation window of TODAY


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,30000,100000")
    parser.add_argument("--reps", type=int, default=30)
    parser.add_argument("--changes", default="0,100,500")
    parser.add_argument("--timer-sizes", default="10000,100000")
    parser.add_argument("--parts", default="campaign,pages,timer")
    return parser.parse_args(argv)


def bulk_documents(organisation, n, *, valid_until=FAR, start=0, expiring=()):
    from review.models import NormativeDocument, Publication
    from review.states import State

    chunk = 5000
    for first in range(0, n, chunk):
        docs = NormativeDocument.objects.bulk_create(
            NormativeDocument(
                organisation=organisation,
                title=f"规范性文件{start + i:06d}",
                effective_from=D(2022, 3, 1),
                valid_until=expiring[i] if i < len(expiring) else valid_until,
                state=State.FILED,
            )
            for i in range(first, min(first + chunk, n))
        )
        Publication.objects.bulk_create(
            Publication(document=d, published_on=D(2022, 1, 10), channel="政府网站") for d in docs
        )
        # bulk_create passes no save(): the interval in force as save() would store it
        NormativeDocument.objects.filter(pk__in=[d.pk for d in docs]).refresh_in_force()


def world(name, n, expiring=()):
    fresh_database(name)
    from django.contrib.auth import get_user_model

    from review.models import Membership, Role

    bureau, division, actors = populate()
    half = n // 2
    bulk_documents(bureau, half, expiring=expiring)
    bulk_documents(division, n - half, start=half)
    admin = get_user_model().objects.create_superuser("admin", password=None)
    Membership.objects.create(user=admin, organisation=bureau, role=Role.LEGAL_REVIEWER)
    return bureau, actors, admin


def bench_campaign(sizes):
    from review import actions

    rows = []
    for n in sizes:
        bureau, actors, admin = world(f"campaign{n}", n)
        campaign = actions.open_campaign(
            bureau, by=actors.legal_reviewer, title="全面清理", in_force_on=TODAY
        )
        gc.collect()
        started = time.perf_counter()
        count = actions.build_campaign(campaign)
        seconds = time.perf_counter() - started
        assert count == n, (count, n)
        rows.append((n, seconds, seconds / n * 1e6))
        print(f"campaign  n={n:>7}  {seconds:7.2f} s  {seconds / n * 1e6:6.1f} µs/doc", flush=True)
    return rows


def p95(values):
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def bench_pages(n, reps):
    from django.test import Client
    from django.urls import reverse

    from review import actions

    bureau, actors, admin = world(f"pages{n}", n)
    campaign = actions.open_campaign(bureau, by=admin, title="全面清理", in_force_on=TODAY)
    actions.build_campaign(campaign)
    client = Client(HTTP_HOST="localhost")  # ALLOWED_HOSTS has no "testserver"
    client.force_login(admin)
    pages = {
        "progress": reverse("desk:cleanup", args=[campaign.pk]),
        "progress p.1000": reverse("desk:cleanup", args=[campaign.pk]) + "?page=1000",
        "admin changelist": "/admin/review/normativedocument/",
    }
    for url in pages.values():
        for _ in range(3):
            assert client.get(url).status_code == 200
    times = {key: [] for key in pages}
    for _ in range(reps):
        for key, url in pages.items():
            gc.collect()
            started = time.perf_counter()
            response = client.get(url)
            times[key].append(time.perf_counter() - started)
            assert response.status_code == 200
    out = {key: (sorted(v)[len(v) // 2] * 1000, p95(v) * 1000) for key, v in times.items()}
    for key, (median, high) in out.items():
        print(f"page n={n} {key:<18} median {median:7.1f} ms  p95 {high:7.1f} ms", flush=True)
    return out


def bench_timer(sizes, changes):
    from django.core.management import call_command

    rows = []
    for n in sizes:
        for k in changes:
            # k documents expire today (有效期至 yesterday) and k open their evaluation
            expiring = [TODAY - datetime.timedelta(days=1)] * k + [D(2025, 11, 30)] * k
            world(f"timer{n}-{k}", n, expiring=expiring)
            gc.collect()
            out = io.StringIO()
            started = time.perf_counter()
            call_command("expire_documents", today=TODAY.isoformat(), stdout=out)
            seconds = time.perf_counter() - started
            assert f"共有 {k} 件" in out.getvalue() and f"新开启评估 {k} 件" in out.getvalue()
            rows.append((n, k, seconds))
            per = f"{seconds / (2 * k) * 1000:6.2f} ms/change" if k else ""
            print(f"timer n={n:>7} changes={2 * k:>5}  {seconds:7.3f} s  {per}", flush=True)
    return rows


def main(argv=None):
    args = parse_args(argv)
    setup_django()
    print(machine(), f"load {load_average()}", flush=True)
    sizes = [int(x) for x in args.sizes.split(",")]
    parts = args.parts.split(",")
    if "campaign" in parts:
        bench_campaign(sizes)
    if "pages" in parts:
        bench_pages(max(sizes), args.reps)
    if "timer" in parts:
        bench_timer(
            [int(x) for x in args.timer_sizes.split(",")],
            [int(x) for x in args.changes.split(",")],
        )
    print(f"load {load_average()}")


if __name__ == "__main__":
    sys.exit(main())
