"""Workflow benchmark: N documents through both processes via the activation API,
beside a bare viewflow Flow with the same number of plain human tasks.

    .venv/bin/python bench/workflow.py [--n 300] [--small N/3] [--profile 50]

Ours: each document is created (actions.create_document), its IssuingFlow started,
its draft made ready as the drafter does on the document page (a version and two
attachments), then every human task is found (workflows.driving.open_task, as the
inbox link resolves it) and worked with workflows.driving.perform as the right user
calling the review action its page calls: 起草与送审 → 法律顾问签署意见 ‖ 合法性审核
→ 集体审议 → 统一登记编号 → 公布 → 报送备案 → (FilingReviewFlow) 备案审查 — 8 human
tasks, plus what the flows do by themselves (gateways, the Function that sends the
document to deliberation, the start of the filing review, the deadline timers).

Bare: a viewflow Flow defined here, on viewflow's own Process and Task models, with
a StartHandle, the same number of plain View tasks in a row and an End; no domain
logic, no timers, no permissions. Each task is found and worked exactly as ours
(claim if free, can_assign / can_execute, start, execute, in one transaction) by the
same users. It uses the same lock implementation as our flows (select_for_update).

Each task is a separate request in real use, so the users' role caches (review.models
.has_role, workflows.roles.keys_of) are cleared before each of our tasks. Both sides
run time-travelled to 2 March 2020, so that every deadline falls in a year the
working-day calendar knows. "Per task" counts the time of finding and working the 8
tasks (actions included); "documents/s" counts everything, creation included.

See docs/performance.md ("workflow") for the figures and what they mean.
"""

import argparse
import datetime
import importlib
import sys
import time
import types
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

START = datetime.date(2020, 3, 2)  # as tests/conftest.py: a Monday after the 2020 Spring Festival
# Issue 11: judged against BareTimedFlow, the bare flow with the same .OnTimeout
# escalations ours carries; queries per task constant in N.
TARGET_RATIO = 2.5
HUMAN_TASKS = 8  # of our path, counted below and checked


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--n",
        type=int,
        default=300,
        help="documents in the main run (default 300, at least 300 for the record)",
    )
    p.add_argument(
        "--small", type=int, default=0, help="documents in the constant-in-N run (default N/3)"
    )
    p.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="N",
        help="also run N of our documents under cProfile",
    )
    p.add_argument("--keep", action="store_true", help="keep the temp dir with the databases")
    p.add_argument("--check", action="store_true", help="exit 1 when a target is not met")
    return p.parse_args(argv)


def progress(text):
    print(f"[workflow] {text}", file=sys.stderr, flush=True)


# --- the bare flow ------------------------------------------------------------

BARE_FLOWS = {}  # defined by bare_flow() once Django is set up
# The human tasks of our path that carry two non-interrupting .OnTimeout escalations
# (due soon, overdue): 法律顾问签署意见, 合法性审核, 报送备案, 备案审查.
TIMED_TASKS = (2, 3, 7, 8)


def bare_view(request, **kwargs):  # a View node needs a view; the benchmark never calls it
    raise NotImplementedError


def bare_noop(activation):
    pass


def bare_flow(n_tasks, timed=()):
    """A Flow with `n_tasks` plain human tasks in a row; the tasks numbered in `timed`
    carry two non-interrupting .OnTimeout boundaries each, as our escalating tasks do
    (their targets, a Function and an End, never run here). viewflow stores a flow as
    "app_label/module.Class", so this module must belong to an installed app: main()
    adds the `bench` package to INSTALLED_APPS (no models, no migrations) and runs
    this function in the module imported as `bench.workflow`."""
    name = "BareTimedFlow" if timed else "BareFlow"
    if name in BARE_FLOWS:
        return BARE_FLOWS[name]
    from viewflow import this
    from viewflow.workflow import flow, lock

    names = [f"task{i}" for i in range(1, n_tasks + 1)]
    body = {
        "__module__": __name__,
        "__qualname__": name,
        "__doc__": "Bare flow",
        "lock_impl": lock.select_for_update_lock,
        "start": flow.StartHandle().Next(getattr(this, names[0])),
        "end": flow.End(),
    }
    if timed:
        body["escalate"] = flow.Function(bare_noop).Next(this.escalated)
        body["escalated"] = flow.End()
    for number, (task, following) in enumerate(zip(names, [*names[1:], "end"], strict=False), 1):
        node = flow.View(bare_view)
        if number in timed:
            node = node.OnTimeout(datetime.timedelta(days=25), this.escalate, interrupting=False)
            node = node.OnTimeout(datetime.timedelta(days=30), this.escalate, interrupting=False)
        body[task] = node.Next(getattr(this, following))
    flow_class = types.new_class(name, (flow.Flow,), {}, lambda ns: ns.update(body))
    flow_class.task_names = names
    BARE_FLOWS[name] = flow_class
    globals()[name] = flow_class  # where viewflow's "bench/workflow.<name>" reference finds it
    return flow_class


def install_bench_app():
    from django.test.utils import modify_settings

    modify_settings(INSTALLED_APPS={"append": "bench"}).enable()
    if __name__ == "__main__":  # run as a script: the flow must live in bench.workflow
        return importlib.import_module("bench.workflow")
    return sys.modules[__name__]


# --- the cast -------------------------------------------------------------------


def fresh(user):
    """Forget the role caches on the user object, as a new request's user has none."""
    for attr in ("_guifan_roles", "_guifan_role_keys"):
        user.__dict__.pop(attr, None)
    return user


# --- our side -------------------------------------------------------------------


def our_steps(actors):
    """(node, user, call) of each human task, in the order the pages are worked."""
    from review import actions
    from review.driver import ALL_OK, FILING_ALL_OK
    from review.models import Deliberation, ReviewOutcome
    from workflows.flows import FilingReviewFlow, IssuingFlow

    a = actors

    def review(d):
        actions.classify(d, by=a.legal_reviewer, normative=True, note="属于行政规范性文件")
        actions.record_legality_review(
            d,
            by=a.legal_reviewer,
            outcome=ReviewOutcome.LAWFUL,
            checklist=ALL_OK,
            opinion="经审核，该文件合法。",
        )

    return [
        (IssuingFlow.draft, a.drafter, lambda d: actions.submit_for_review(d, by=a.drafter)),
        (
            IssuingFlow.advisor_signoff,
            a.advisor,
            lambda d: actions.sign_advisor_opinion(d, by=a.advisor, opinion="同意合法性审核意见。"),
        ),
        (IssuingFlow.legal_review, a.legal_reviewer, review),
        (
            IssuingFlow.deliberate,
            a.secretary,
            lambda d: actions.record_deliberation(
                d,
                by=a.secretary,
                meeting_type=Deliberation.MeetingType.BUREAU,
                meeting_name="局务会",
                meeting_date=START,
                attendance="局长、副局长、各科室负责人",
                outcome=Deliberation.Outcome.PASSED,
                minutes="会议审议并原则通过。",
            ),
        ),
        (
            IssuingFlow.register,
            a.registrar,
            lambda d: actions.register_and_number(d, by=a.registrar),
        ),
        (
            IssuingFlow.publish,
            a.registrar,
            lambda d: actions.publish(
                d, by=a.registrar, published_on=START, url="https://mzj.ankang.gov.cn/"
            ),
        ),
        (
            IssuingFlow.file,
            a.filing_clerk,
            lambda d: actions.file_with_authority(d, by=a.filing_clerk),
        ),
        (
            FilingReviewFlow.register,
            a.filing_reviewer,
            lambda d: actions.register_filing(d, by=a.filing_reviewer),
        ),
        (
            FilingReviewFlow.review,
            a.filing_reviewer,
            lambda d: actions.accept_filing(d, by=a.filing_reviewer, substantive=FILING_ALL_OK),
        ),
    ]


class Run:
    def __init__(self, side, n, seconds, meter, per_document, tasks):
        self.side, self.n, self.seconds, self.meter, self.per_document, self.tasks = (
            side,
            n,
            seconds,
            meter,
            per_document,
            tasks,
        )
        self.rows = {}

    @property
    def docs_per_s(self):
        return self.n / self.seconds

    @property
    def task_seconds(self):
        return sum(
            s for label, s in self.meter.seconds.items() if label and label.startswith("task")
        )

    @property
    def task_queries(self):
        return sum(
            q for label, q in self.meter.queries.items() if label and label.startswith("task")
        )

    @property
    def ms_per_task(self):
        return 1000 * self.task_seconds / self.tasks

    @property
    def queries_per_task(self):
        return self.task_queries / self.tasks


def drive_ours(n, cast=None):
    """Create and work `n` documents through both processes on the current database."""
    import time_machine
    from django.db import connection

    from review import actions
    from review.driver import Walker
    from review.states import State
    from workflows.driving import open_task, perform
    from workflows.flows import IssuingFlow

    bureau, division, actors = cast or common.populate()
    steps = our_steps(actors)
    if len(steps) != HUMAN_TASKS:
        raise SystemExit(f"our path has {len(steps)} human tasks, the bare flow {HUMAN_TASKS}")
    meter = common.Meter()
    per_document = []
    per_document_s = []
    documents = []
    with time_machine.travel(datetime.datetime.combine(START, datetime.time(9)), tick=True), meter:
        started = time.perf_counter()
        for i in range(n):
            before, since = meter.total_queries, time.perf_counter()
            with meter.label("create, start, prepare (not a task)"):
                document = actions.create_document(
                    organisation=bureau,
                    drafting_unit=division,
                    by=fresh(actors.drafter),
                    title=f"安康市民政局第{i + 1}号管理办法",
                    legal_basis="《社会救助暂行办法》",
                )
                IssuingFlow.start.run(document=document)
                Walker(document, actors, START).prepare()
            for node, user, call in steps:
                label = f"task {node.flow_class.__name__[:-4]}.{node.name}"
                with meter.label(label):
                    task = open_task(document, node)
                    if task is None:
                        raise SystemExit(f"document {document.pk}: no open task {label}")

                    def metered(d, call=call, label=label):
                        with meter.label(f"{label}: action"):
                            return call(d)

                    perform(task, fresh(user), metered)
            per_document.append(meter.total_queries - before)
            per_document_s.append(time.perf_counter() - since)
            documents.append(document.pk)
        seconds = time.perf_counter() - started
    connection.close()
    from review.models import NormativeDocument

    filed = NormativeDocument.objects.filter(pk__in=documents, state=State.FILED).count()
    if filed != n:
        raise SystemExit(f"only {filed} of {n} documents reached {State.FILED.label}")
    run = Run("ours", n, seconds, meter, per_document, n * HUMAN_TASKS)
    run.per_document_s = per_document_s
    run.rows = task_rows()
    return run


@contextmanager
def without_timers():
    """Our flows with their .OnTimeout escalations unarmed, to attribute their cost. Only
    for this measurement: the flows are restored afterwards."""
    from workflows.flows import FLOWS

    saved = {}
    for flow_class in FLOWS:
        for node in flow_class._nodes_by_name.values():
            if node._boundary_events:
                saved[node] = node._boundary_events
                node._boundary_events = []
    try:
        yield
    finally:
        for node, events in saved.items():
            node._boundary_events = events


# --- the bare side ----------------------------------------------------------------


def bare_perform(task, user):
    """workflows.driving.perform without the document and the action."""
    from django.db import transaction
    from viewflow.workflow.status import STATUS

    node = task.flow_task
    with transaction.atomic():
        with task.activation() as activation:
            if task.status == STATUS.NEW:
                if not node.can_assign(user, task):
                    raise RuntimeError("cannot assign")
                activation.assign(user)
            if task.status != STATUS.ASSIGNED or not node.can_execute(user, task):
                raise RuntimeError("cannot execute")
            activation.start(request=None)
            activation.execute()


def drive_bare(flow_class, n, actors):
    import time_machine
    from django.db import connection
    from viewflow.workflow.models import Process
    from viewflow.workflow.status import PROCESS

    from workflows.driving import OPEN

    users = [
        actors.drafter,
        actors.advisor,
        actors.legal_reviewer,
        actors.secretary,
        actors.registrar,
        actors.registrar,
        actors.filing_clerk,
        actors.filing_reviewer,
    ]
    nodes = [getattr(flow_class, name) for name in flow_class.task_names]
    meter = common.Meter()
    per_document = []
    per_document_s = []
    processes = []
    with time_machine.travel(datetime.datetime.combine(START, datetime.time(9)), tick=True), meter:
        started = time.perf_counter()
        for _i in range(n):
            before, since = meter.total_queries, time.perf_counter()
            with meter.label("start (not a task)"):
                process = flow_class.start.run()
            for node, user in zip(nodes, users, strict=False):
                with meter.label(f"task {node.name}"):
                    task = (
                        flow_class.task_class.objects.filter(
                            process=process, flow_task=node, status__in=OPEN
                        )
                        .order_by("-pk")
                        .first()
                    )
                    bare_perform(task, user)
            per_document.append(meter.total_queries - before)
            per_document_s.append(time.perf_counter() - since)
            processes.append(process.pk)
        seconds = time.perf_counter() - started
    connection.close()
    done = Process.objects.filter(pk__in=processes, status=PROCESS.DONE).count()
    if done != n:
        raise SystemExit(f"only {done} of {n} bare processes finished")
    run = Run("bare", n, seconds, meter, per_document, n * len(nodes))
    run.per_document_s = per_document_s
    run.rows = task_rows()
    return run


def task_rows():
    """Task rows on the database by type, and processes (all made by the run just done)."""
    from django.db.models import Count
    from viewflow.workflow.models import Process, Task

    rows = dict(Task.objects.values_list("flow_task_type").annotate(n=Count("id")).order_by("-n"))
    rows["processes"] = Process.objects.count()
    return rows


# --- report -------------------------------------------------------------------------


def profile_pass(n):
    import cProfile
    import pstats

    common.fresh_database("profile")
    profiler = cProfile.Profile()
    profiler.enable()
    drive_ours(n)
    profiler.disable()
    stats = pstats.Stats(profiler)
    print(
        f"\ncProfile of {n} of our documents (times inflated by the profiler), by cumulative time:"
    )
    stats.sort_stats("cumulative").print_stats(40)
    print("by own time:")
    stats.sort_stats("tottime").print_stats(25)


def mean(values):
    return sum(values) / len(values) if values else 0.0


def main(argv=None):
    args = parse_args(argv)
    small_n = args.small or max(1, args.n // 3)
    load_at_start = common.load_average()
    common.setup_django(keep=args.keep)
    module = install_bench_app()
    flow_class = module.bare_flow(HUMAN_TASKS)
    timed_class = module.bare_flow(HUMAN_TASKS, timed=TIMED_TASKS)

    from django.conf import settings

    # The bare flow first, then ours at N/3 and N, then the bare flow again: the machine
    # is shared, and the better bare figure counts (a slowed denominator would flatter us).
    common.fresh_database("bare-before")
    journal, synchronous = common.database_pragmas()
    _b, _d, actors = common.populate()
    progress(f"bare flow: {args.n} processes × {HUMAN_TASKS} human tasks")
    bare_before = drive_bare(flow_class, args.n, actors)

    common.fresh_database("ours-small")
    progress(f"ours: {small_n} documents")
    small = drive_ours(small_n)

    common.fresh_database("ours")
    progress(f"ours: {args.n} documents")
    ours = drive_ours(args.n)
    rss = common.peak_rss_mib()

    common.fresh_database("ours-no-timers")
    progress(f"ours without the escalation timers (attribution only): {small_n} documents")
    with without_timers():
        untimed = drive_ours(small_n)

    common.fresh_database("bare-timed")
    _b, _d, actors = common.populate()
    progress(
        f"bare flow with our {2 * len(TIMED_TASKS)} escalation timers (reference): {args.n} processes"
    )
    bare_timed = drive_bare(timed_class, args.n, actors)

    common.fresh_database("bare-after")
    _b, _d, actors = common.populate()
    progress("bare flow again")
    bare_after = drive_bare(flow_class, args.n, actors)
    bare = min(bare_before, bare_after, key=lambda r: r.ms_per_task)
    progress("done\n")

    ratio = ours.ms_per_task / bare_timed.ms_per_task
    plain_ratio = ours.ms_per_task / bare.ms_per_task
    drift = abs(ours.queries_per_task - small.queries_per_task)
    constant = drift <= 0.01 * ours.queries_per_task
    edge = min(50, args.n // 2) or 1
    print(f"guifan workflow benchmark, {datetime.date.today()}")
    print(f"machine: {common.machine()}")
    print(
        f"load average: {load_at_start} at the start, {common.load_average()} at the end (other work on the machine skews the figures)"
    )
    print(
        f"database: file-backed SQLite, journal_mode={journal}, synchronous={synchronous}, DEBUG={settings.DEBUG}"
    )
    print(
        f"path: 起草与送审 → 法律顾问签署意见 ‖ 合法性审核 → 集体审议 → 统一登记编号 → 公布 → 报送备案 → 备案审查: {HUMAN_TASKS} human tasks per document"
    )
    print()
    print(f"  {'':<34}{'docs/s':>8}{'ms/task':>9}{'queries/task':>14}{'queries/doc':>13}")
    for label, run in [
        (f"ours, N={ours.n}", ours),
        (f"ours, N={small.n}", small),
        (f"ours without timers, N={untimed.n}", untimed),
        (f"bare viewflow, N={bare_before.n} (before)", bare_before),
        (f"bare viewflow, N={bare_after.n} (after)", bare_after),
        (f"bare + the same timers, N={bare_timed.n}", bare_timed),
    ]:
        print(
            f"  {label:<34}{run.docs_per_s:>8.1f}{run.ms_per_task:>9.2f}{run.queries_per_task:>14.1f}{run.meter.total_queries / run.n:>13.1f}"
        )
    print()
    print(
        f"time per task: ours {ours.ms_per_task:.2f} ms, BareTimedFlow (the bare flow with the same "
        f"{2 * len(TIMED_TASKS)} .OnTimeout escalations) {bare_timed.ms_per_task:.2f} ms: ratio {ratio:.2f}"
    )
    print(f"target ratio ≤ {TARGET_RATIO}: {'met' if ratio <= TARGET_RATIO else 'NOT met'}")
    print(
        f"for reference: against the plain bare flow, {bare.ms_per_task:.2f} ms/task (the better "
        f"bare run): ratio {plain_ratio:.2f}"
    )
    print(
        f"queries per task: {ours.queries_per_task:.2f} at N={ours.n}, {small.queries_per_task:.2f} at N={small.n}; "
        f"per document, first {edge} {mean(ours.per_document[:edge]):.1f}, last {edge} {mean(ours.per_document[-edge:]):.1f}; "
        f"constant in N: {'yes' if constant else 'NO'}"
    )
    print(
        f"time per document in the main run: first {edge} {1000 * mean(ours.per_document_s[:edge]):.0f} ms, "
        f"last {edge} {1000 * mean(ours.per_document_s[-edge:]):.0f} ms (bare: {1000 * mean(bare.per_document_s[:edge]):.0f}, "
        f"{1000 * mean(bare.per_document_s[-edge:]):.0f} ms)"
    )
    print()
    m = ours.meter
    print(
        f"ours per human task, N={ours.n} (engine = finding the task, claiming, executing, what the flow then does; action = the review action):"
    )
    print(f"  {'task':<32}{'engine ms':>10}{'action ms':>10}{'engine q':>10}{'action q':>10}")
    for label in [
        k for k in m.seconds if k and k.startswith("task") and not k.endswith(": action")
    ]:
        action = f"{label}: action"
        print(
            f"  {label[5:]:<32}{1000 * m.seconds[label] / ours.n:>10.2f}{1000 * m.seconds.get(action, 0) / ours.n:>10.2f}"
            f"{m.queries[label] / ours.n:>10.1f}{m.queries.get(action, 0) / ours.n:>10.1f}"
        )
    engine = sum(
        s for k, s in m.seconds.items() if k and k.startswith("task") and not k.endswith(": action")
    )
    action = sum(s for k, s in m.seconds.items() if k and k.endswith(": action"))
    outside = m.seconds["create, start, prepare (not a task)"]
    print(
        f"  per task on average: engine {1000 * engine / ours.tasks:.2f} ms, action {1000 * action / ours.tasks:.2f} ms; "
        f"bare engine {bare.ms_per_task:.2f} ms"
    )
    plain = "task Issuing.register"  # a RoleView leading to a RoleView: no gateway, no timer, no Function
    print(
        f"  the 8 escalation timers: {small.ms_per_task - untimed.ms_per_task:.2f} ms and "
        f"{small.queries_per_task - untimed.queries_per_task:.1f} queries per task (ours with and without them, N={small.n})"
    )
    print(
        f"  like for like, a plain step (统一登记编号 → 公布): engine {1000 * m.seconds[plain] / ours.n:.2f} ms and "
        f"{m.queries[plain] / ours.n:.0f} queries, i.e. {m.seconds[plain] / ours.n * 1000 / bare.ms_per_task:.2f}× the bare engine's per task"
    )
    print(
        f"  outside the tasks, per document: create + start + version + 2 attachments {1000 * outside / ours.n:.1f} ms, "
        f"{m.queries['create, start, prepare (not a task)'] / ours.n:.1f} queries"
    )
    engine_q = sum(
        q for k, q in m.queries.items() if k and k.startswith("task") and not k.endswith(": action")
    )
    action_q = sum(q for k, q in m.queries.items() if k and k.endswith(": action"))
    print(
        f"  queries per task on average: engine {engine_q / ours.tasks:.1f}, action {action_q / ours.tasks:.1f}; bare engine {bare.queries_per_task:.1f}"
    )
    print(
        "  task rows per document: ours "
        + ", ".join(f"{k} {v / ours.n:.0f}" for k, v in ours.rows.items() if k != "processes")
        + f" in {ours.rows.get('processes', 0) / ours.n:.0f} processes; bare "
        + ", ".join(f"{k} {v / bare.n:.0f}" for k, v in bare.rows.items() if k != "processes")
        + f" in {bare.rows.get('processes', 0) / bare.n:.0f}"
    )
    kinds = ", ".join(f"{kind} {count / ours.n:.1f}" for kind, count in m.by_kind.most_common())
    print(f"  statements per document by kind: {kinds}  (COMMIT not counted)")
    bm = bare.meter
    bkinds = ", ".join(f"{kind} {count / bare.n:.1f}" for kind, count in bm.by_kind.most_common())
    print(f"  bare, per process: {bkinds}")
    print()
    print(f"peak memory: maxrss {rss:.0f} MiB after our runs")
    print(
        "for scale (issue 3): viewflow's bare engine ~36 documents/s through 4 human tasks; Wagtail ~7 documents/s through 4 approvals"
    )
    if args.profile:
        profile_pass(args.profile)
    return 1 if args.check and (ratio > TARGET_RATIO or not constant) else 0


if __name__ == "__main__":
    sys.exit(main())
