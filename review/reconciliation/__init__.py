"""Issuance against filing (issue 18, docs/reconciliation.md): what a body issued
(its 发文登记簿) and published, against what it registered and filed here.

    run, findings = reconcile(org, 2020, "登记簿.xlsx", "公布清单.csv", by=user)
    report(run, findings)  # the JSON-ready dict every output is made from

The rooms: `reading` (the two files; 密级 rows dropped unread), `matching` (文号
and title keys, similarity, the normative-looking rule), `findings` (the
comparison, read only); `review.actions.reconciliation` stores the run and the
findings and closes them; `review.reports.reconciliation` renders the report."""

from django.utils import timezone

from ..actions.reconciliation import record_run
from ..choices import FindingKind
from .findings import Finding, compare
from .matching import Verdict, normative_rule, number_key, similarity, title_key
from .reading import ReconcileInputInvalid, Source, read_source

__all__ = [
    "Finding",
    "ReconcileInputInvalid",
    "Source",
    "Verdict",
    "compare",
    "normative_rule",
    "number_key",
    "read_source",
    "reconcile",
    "report",
    "similarity",
    "title_key",
]


def reconcile(organisation, year, issued_path, published_path=None, *, by=None, today=None):
    """Read both files, compare, store the run and its findings: (run, findings).
    Raises ReconcileInputInvalid or RegisterUnreadable before anything is stored."""
    today = today or timezone.localdate()
    issued = read_source(issued_path, "issued", year)
    published = read_source(published_path, "published", year) if published_path else None
    found = compare(organisation, year, issued.rows, published.rows if published else [], today)
    return record_run(organisation, year, issued, published, found, by=by, today=today)


def _iso(day):
    return day.isoformat() if day else None


def report(run, findings):
    """{"organisation", "year", "skipped_classified", "findings": [...], "totals"}: the
    issue's JSON, in the findings' order; totals has every kind, 0 included."""
    totals = dict.fromkeys(FindingKind.values, 0)
    lines = []
    for finding in findings:
        totals[finding.kind] += 1
        lines.append(
            {
                "kind": finding.kind,
                "number": finding.number,
                "title": finding.title,
                "issued_on": _iso(finding.issued_on),
                "published_on": _iso(finding.published_on),
                "due": _iso(finding.due),
                "rule": finding.rule,
                "status": finding.status,
            }
        )
    return {
        "organisation": run.organisation.code,
        "year": run.year,
        "skipped_classified": run.skipped_classified,
        "findings": lines,
        "totals": totals,
    }
