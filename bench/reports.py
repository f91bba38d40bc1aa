"""Benchmark the filing audit report on a year of 10,000 documents in 20 bodies.

    .venv/bin/python bench/reports.py [--documents 10000] [--bodies 20] [--keep]

Builds the year in a temporary SQLite database (bulk_create), then measures, each
in a fresh interpreter (`--child`) so that peaks do not mix:

* compute   — audit_report.compute(): the queries and the counting;
* render    — the report dict to json, csv, pdf and docx (what `build` adds);
* floor     — the same organisations and violations tables written with the
              library alone: json.dumps, csv.writer, a plain reportlab Table
              (same embedded font and size) and python-docx's add_table/cell.text.

Time is wall-clock (best of --repeat runs), memory is the process's peak RSS
(VmHWM, which also sees lxml's and reportlab's C allocations; `baseline` is an
interpreter that only loads Django and the report) and the peak of Python
allocations (tracemalloc, measured in a separate run since it slows code down).
Targets: each format under 2x its floor and under 300 MB peak.
"""

import argparse
import datetime
import os
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TODAY = datetime.date(2021, 1, 31)
YEAR = 2020
BODIES = [
    ("akmz", "安康市民政局", "安民发"),
    ("hbmz", "汉滨区民政局", "汉民发"),
    ("hymz", "汉阴县民政局", "汉阴民发"),
    ("sqmz", "石泉县民政局", "石民发"),
    ("nsmz", "宁陕县民政局", "宁民发"),
    ("zymz", "紫阳县民政局", "紫民发"),
    ("lgmz", "岚皋县民政局", "岚民发"),
    ("plmz", "平利县民政局", "平民发"),
    ("zpmz", "镇坪县民政局", "镇民发"),
    ("xymz", "旬阳县民政局", "旬民发"),
    ("bhmz", "白河县民政局", "白民发"),
    ("akrs", "安康市人力资源和社会保障局", "安人社发"),
    ("akjy", "安康市教育局", "安教发"),
    ("akwj", "安康市卫生健康委员会", "安卫发"),
    ("akzj", "安康市住房和城乡建设局", "安建发"),
    ("akjt", "安康市交通运输局", "安交发"),
    ("aknn", "安康市农业农村局", "安农发"),
    ("akzr", "安康市自然资源局", "安自然资发"),
    ("akhb", "安康市生态环境局", "安环发"),
    ("akjg", "安康市市场监督管理局", "安市监发"),
]
SUBJECTS = [
    "最低生活保障",
    "特困人员救助供养",
    "临时救助",
    "养老服务补贴",
    "殡葬管理",
    "婚姻登记",
    "社会组织登记",
    "地名管理",
    "社区治理",
    "政务公开",
    "残疾人两项补贴",
    "儿童福利",
    "慈善组织认定",
    "流浪乞讨人员救助",
]
KINDS = ["办法", "实施细则", "通知", "规定", "意见"]


def setup_django(workdir, migrate=True):
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["GUIFAN_VAR_DIR"] = str(workdir)
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)


def build_year(n_documents, n_bodies, seed=2020):
    """A year of documents with every kind of violation at a realistic rate."""
    from django.db import transaction

    from review.models import (
        FILING_MATERIALS,
        Classification,
        Correction,
        DocumentVersion,
        Filing,
        FilingReview,
        NormativeDocument,
        Organisation,
        Publication,
        Registration,
        State,
    )

    rng = random.Random(seed)
    day = datetime.timedelta(days=1)
    complete = {key: True for key, _label in FILING_MATERIALS}
    with transaction.atomic():
        authority = Organisation.objects.create(
            code="aksfj", name="安康市司法局", short_name="市司法局", kind=Organisation.Kind.JUSTICE
        )
        bodies = [
            Organisation.objects.create(
                code=code,
                name=name,
                short_name=name[:6],
                issuing_code=prefix,
                files_with=authority,
                may_issue=True,
            )
            for code, name, prefix in BODIES[:n_bodies]
        ]
        docs = []
        plans = []
        for i in range(n_documents):
            body = bodies[i % len(bodies)]
            published = datetime.date(YEAR, 1, 2) + day * rng.randrange(0, 330)
            title = f"{body.name}关于{rng.choice(SUBJECTS)}工作的{rng.choice(KINDS)}（{i + 1}）"
            docs.append(
                NormativeDocument(
                    organisation=body,
                    title=title,
                    state=State.FILED,
                    classification=Classification.NORMATIVE,
                    effective_from=published + day * 30,
                    valid_until=published + day * (5 * 365),
                )
            )
            plans.append((body, published))
        NormativeDocument.objects.bulk_create(docs, batch_size=1000)
        versions = DocumentVersion.objects.bulk_create(
            [
                DocumentVersion(document=d, number=1, text=d.title, sha256=f"{d.pk:064x}")
                for d in docs
            ],
            batch_size=1000,
        )
        serials = {}
        registrations, publications = [], []
        for d, version, (body, published) in zip(docs, versions, plans, strict=True):
            serial = serials[body.pk] = serials.get(body.pk, 0) + 1
            registrations.append(
                Registration(
                    document=d,
                    version=version,
                    number_prefix=body.issuing_code,
                    number_year=YEAR,
                    number_serial=serial,
                    number=f"{body.issuing_code}〔{YEAR}〕{serial}号",
                    reg_prefix=f"{body.code}规",
                    reg_year=YEAR,
                    reg_serial=serial,
                    reg_number=f"{body.code}规〔{YEAR}〕{serial:03d}",
                    signed_on=published,
                )
            )
            publications.append(Publication(document=d, published_on=published))
        Registration.objects.bulk_create(registrations, batch_size=1000)
        Publication.objects.bulk_create(publications, batch_size=1000)
        # bulk_create passes no save(): the interval in force as save() would store it
        NormativeDocument.objects.filter(pk__in=[d.pk for d in docs]).refresh_in_force()

        filings, outcomes = [], []
        for d, (_body, published) in zip(docs, plans, strict=True):
            due = published + day * 30
            roll = rng.random()
            if roll < 0.04:  # never filed
                continue
            filed = (
                due + day * rng.randrange(1, 20)
                if roll < 0.12
                else published + day * rng.randrange(3, 30)
            )
            materials = dict(complete)
            if rng.random() < 0.06:
                materials[rng.choice(list(complete))] = False
            filings.append(
                Filing(
                    document=d, authority=authority, filed_on=filed, due_on=due, materials=materials
                )
            )
            outcomes.append(rng.random())
        Filing.objects.bulk_create(filings, batch_size=1000)
        reviews = []
        for filing, roll in zip(filings, outcomes, strict=True):
            review_due = filing.filed_on + day * 30
            if roll < 0.05 and review_due < TODAY:  # undecided
                decided = None
            elif roll < 0.10:  # decided late
                decided = review_due + day * rng.randrange(1, 15)
            else:
                decided = filing.filed_on + day * rng.randrange(5, 30)
            outcome = "" if decided is None else "registered"
            conclusion = "" if decided is None else ("opinion" if roll > 0.95 else "no_problem")
            reviews.append(
                FilingReview(
                    filing=filing,
                    received_on=filing.filed_on,
                    due_on=review_due,
                    decided_on=decided,
                    outcome=outcome,
                    conclusion=conclusion,
                    concluded_on=decided,
                )
            )
        FilingReview.objects.bulk_create(reviews, batch_size=1000)
        corrections = []
        for review in reviews:
            if review.conclusion != "opinion":
                continue
            deadline = review.decided_on + day * 30
            roll = rng.random()
            reported = (
                None
                if roll < 0.2
                else deadline + day * (rng.randrange(1, 10) if roll < 0.5 else -5)
            )
            closed = reported + day * 7 if reported and roll > 0.3 else None
            corrections.append(
                Correction(
                    document_id=review.filing.document_id,
                    filing_review=review,
                    suggestion="应予纠正",
                    issued_on=review.decided_on,
                    deadline=deadline,
                    reported_on=reported,
                    closed_on=closed,
                )
            )
        Correction.objects.bulk_create(corrections, batch_size=1000)
    return {"documents": len(docs), "filings": len(filings), "corrections": len(corrections)}


# --------------------------------------------------------------------------
# What is measured


def params():
    return {"authority": "aksfj", "year": YEAR, "today": TODAY}


def task_compute(report):
    from review.reports import audit_report

    return audit_report.compute(**params())


def task_render(fmt):
    def run(report):
        from review.reports import build

        return build("filing_audit", report, fmt)

    return run


def table_rows(report):
    from review.reports import audit_report

    orgs = [[o["name"]] + [str(o[k]) for k in audit_report.COUNTS] for o in report["organisations"]]
    violations = [
        [
            str(i),
            v["kind"],
            v["organisation"],
            v["title"],
            v["number"],
            v["due"] or "",
            v["done"] or "",
            "" if v["days_late"] is None else str(v["days_late"]),
        ]
        for i, v in enumerate(report["violations"], 1)
    ]
    return orgs, violations


def floor_json(report):
    import json

    return json.dumps(report, ensure_ascii=False).encode()


def floor_csv(report):
    import csv
    import io

    orgs, violations = table_rows(report)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows(orgs)
    writer.writerows(violations)
    return out.getvalue().encode()


def floor_pdf(report):
    """A plain reportlab document: the two tables, the embedded CJK font, nothing else."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

    from review.reports import fonts

    font = fonts.pdf_font()
    orgs, violations = table_rows(report)
    style = TableStyle(
        [("FONT", (0, 0), (-1, -1), font, 8), ("GRID", (0, 0), (-1, -1), 0.5, "black")]
    )
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, invariant=1).build(
        [Table(orgs, repeatRows=1, style=style), Table(violations, repeatRows=1, style=style)]
    )
    return buffer.getvalue()


def floor_docx(report):
    """python-docx as documented: add_table, then add_row().cells[i].text."""
    import io

    import docx

    orgs, violations = table_rows(report)
    document = docx.Document()
    for rows in (orgs, violations):
        table = document.add_table(rows=0, cols=len(rows[0]))
        for row in rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, row, strict=True):
                cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


TASKS = {
    "baseline": lambda report: b"",
    "compute": task_compute,
    **{f"render:{fmt}": task_render(fmt) for fmt in ("json", "csv", "pdf", "docx")},
    "floor:json": floor_json,
    "floor:csv": floor_csv,
    "floor:pdf": floor_pdf,
    "floor:docx": floor_docx,
}


def peak_rss():
    """This process image's peak RSS in bytes. VmHWM, not ru_maxrss: Linux carries
    ru_maxrss across exec, so a child would report its parent's peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def child(task, workdir, trace):
    """One measurement in a fresh interpreter: its peak RSS is this task's alone
    (plus the interpreter, Django and the report dict, which `baseline` shows)."""
    import json

    setup_django(workdir, migrate=False)
    report = json.loads((workdir / "report.json").read_text())
    # Imports are not what is measured: load every module either side uses.
    import docx  # noqa: F401
    import reportlab.platypus  # noqa: F401

    import review.reports.docx  # noqa: F401
    import review.reports.pdf  # noqa: F401

    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    result = TASKS[task](report)
    elapsed = time.perf_counter() - start
    if not trace:  # a task of milliseconds: the best of as many runs as fit in half a second
        spent = elapsed
        while spent < 0.5 and task != "baseline":
            start = time.perf_counter()
            TASKS[task](report)
            lap = time.perf_counter() - start
            elapsed, spent = min(elapsed, lap), spent + lap
    python_peak = tracemalloc.get_traced_memory()[1] if trace else None
    rss_peak = peak_rss()
    size = len(result) if isinstance(result, bytes) else None
    print(json.dumps({"seconds": elapsed, "python": python_peak, "rss": rss_peak, "bytes": size}))


def measure(task, workdir, repeat):
    """Best time and highest peak RSS of `repeat` runs; tracemalloc's peak from one more
    (tracing slows the code, so that run is not timed)."""
    import json
    import subprocess

    times, rss, python_peak, size = [], [], None, None
    for trace in [False] * repeat + [True]:
        command = [sys.executable, __file__, "--child", task, "--workdir", str(workdir)] + (
            ["--trace"] if trace else []
        )
        out = subprocess.run(
            command, check=True, capture_output=True, text=True, env=os.environ.copy()
        ).stdout
        result = json.loads(out.strip().splitlines()[-1])
        if trace:
            python_peak = result["python"]
        else:
            times.append(result["seconds"])
            rss.append(result["rss"])
            size = result["bytes"]
    return {"seconds": min(times), "rss": max(rss), "python": python_peak, "bytes": size}


def mb(n):
    return f"{n / 1024 / 1024:7.1f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--bodies", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary database and the outputs"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, Path(args.workdir), args.trace)
        return 0

    import json

    workdir = Path(tempfile.mkdtemp(prefix="guifan-bench-"))
    setup_django(workdir)
    start = time.perf_counter()
    made = build_year(args.documents, args.bodies)
    print(f"built {made} in {time.perf_counter() - start:.1f} s  ({workdir})")

    from django.db import connections

    from review.reports import audit_report

    report = audit_report.compute(**params())
    (workdir / "report.json").write_text(json.dumps(report, ensure_ascii=False))
    connections.close_all()
    print(f"report: {len(report['organisations'])} bodies, {len(report['violations'])} violations")

    baseline = measure("baseline", workdir, 1)
    compute = measure("compute", workdir, args.repeat)
    print(
        f"baseline process (Python, Django, report dict loaded): peak RSS {mb(baseline['rss']).strip()} MB"
    )
    print(
        f"compute (queries + counting): {compute['seconds']:.3f} s, peak RSS {mb(compute['rss']).strip()} MB, "
        f"Python peak {mb(compute['python']).strip()} MB"
    )
    print(
        f"\n{'format':6} {'render s':>9} {'floor s':>8} {'ratio':>6} {'+compute':>9} "
        f"{'RSS MB':>7} {'floor':>7} {'+MB':>6} {'floor':>6} {'py MB':>7} {'floor':>7} {'bytes':>10}"
    )
    failures = []
    for fmt in ("json", "csv", "pdf", "docx"):
        render = measure(f"render:{fmt}", workdir, args.repeat)
        floor = measure(f"floor:{fmt}", workdir, args.repeat)
        ratio = render["seconds"] / floor["seconds"]
        grown = (render["rss"] - baseline["rss"]) / 2**20
        floor_grown = (floor["rss"] - baseline["rss"]) / 2**20
        total = render["seconds"] + compute["seconds"]
        print(
            f"{fmt:6} {render['seconds']:9.3f} {floor['seconds']:8.3f} {ratio:6.2f} {total:9.3f} "
            f"{mb(render['rss'])} {mb(floor['rss'])} {grown:6.1f} {floor_grown:6.1f} {mb(render['python'])} "
            f"{mb(floor['python'])} {render['bytes']:>10}"
        )
        if ratio >= 2:
            failures.append(f"{fmt}: render {ratio:.2f}x its floor")
        if max(render["rss"], compute["rss"]) >= 300 * 1024 * 1024:
            failures.append(f"{fmt}: peak RSS {mb(render['rss']).strip()} MB")
    print(
        "\nratio: render time / floor time; +compute: compute() then render, end to end;"
        " +MB: peak RSS above the baseline process; py MB: tracemalloc peak"
    )
    if args.keep:
        from review.reports import build

        for fmt in ("json", "csv", "pdf", "docx"):
            (workdir / f"audit.{fmt}").write_bytes(build("filing_audit", report, fmt))
        print(f"outputs kept in {workdir}")
    else:
        import shutil

        shutil.rmtree(workdir, ignore_errors=True)
    print(
        "\n"
        + (
            "targets met: each format under 2x its floor and under 300 MB peak"
            if not failures
            else "TARGETS MISSED: " + "; ".join(failures)
        )
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
