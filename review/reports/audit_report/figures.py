"""The filing audit's figures: `compute()` reads the cohort and returns the one
JSON-ready dict every rendering is made from (docs/filing-audit.md).

The cohort is the documents *published* in the period ("issued"). What happened
to them is judged as of `today` (default: the local date): an event dated after
`today` is treated as not having happened yet, so a report re-run with the same
`today` gives the same figures.

Reads are bounded: one query each for bodies, jurisdiction settings, documents,
filings (with their reviews), corrections and escalations, plus one per calendar year the
deadlines touch — never one per document. The steps run in that order, and
`data_hash` hashes their rows in that order.
"""

import datetime
import hashlib
import json

from django.utils import timezone

from ... import rules
from ...calendar import Deadline, WorkingCalendar
from ...models import (
    FILING_MATERIALS,
    Correction,
    Escalation,
    Filing,
    FilingReview,
    JurisdictionSettings,
    NormativeDocument,
    Organisation,
)
from .labels import COUNTS, KIND_ORDER, MATERIAL_LABELS, rates
from .suggestions import count_suggestions

REGISTERED = FilingReview.Outcome.REGISTERED
DEFERRED = FilingReview.Outcome.DEFERRED
REFUSED = FilingReview.Outcome.REFUSED

# The columns of Organisation read once: orgs[pk] is such a row.
ORG_COLUMNS = ("pk", "code", "name", "short_name", "parent_id", "files_with_id", "may_issue")
PK, CODE, NAME, _SHORT_NAME, PARENT, FILES_WITH, MAY_ISSUE = range(len(ORG_COLUMNS))


def _iso(day):
    return day.isoformat() if day else None


def _canonical(row):
    return json.dumps(row, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=_iso)


class _Hasher:
    """SHA-256 over the canonical JSON of every input row, one line each, in query order."""

    def __init__(self):
        self.sha = hashlib.sha256()

    def section(self, name):
        self.sha.update(f"#{name}\n".encode())

    def row(self, row):
        self.sha.update(_canonical(list(row)).encode())
        self.sha.update(b"\n")

    def hexdigest(self):
        return self.sha.hexdigest()


class _Doc:
    """One document of the cohort and what its filings and corrections showed."""

    __slots__ = (
        "id",
        "org",
        "title",
        "published",
        "number",
        "filed_on",
        "filed_due",
        "last_filed",
        "review_due",
        "missing",
        "reviewed",
        "corrections",
        "corrected",
        "corrected_on_time",
        "registered",
        "deferred",
        "refused",
        "escalated",
    )

    def __init__(self, pk, org, title, published, number):
        self.id, self.org, self.title, self.published, self.number = (
            pk,
            org,
            title,
            published,
            number or "",
        )
        self.filed_on = self.filed_due = self.last_filed = self.review_due = None
        self.missing = None
        self.reviewed = False
        self.corrections = 0
        self.corrected = True
        self.corrected_on_time = True
        self.registered = self.deferred = self.refused = self.escalated = False


def _period(year, date_from, date_to):
    if year is not None and not datetime.MINYEAR <= year <= datetime.MAXYEAR:
        raise ValueError(
            f"统计年度 {year} 超出范围（{datetime.MINYEAR} 至 {datetime.MAXYEAR}）(year out of range)."
        )
    start = date_from or (datetime.date(year, 1, 1) if year else None)
    end = date_to or (datetime.date(year, 12, 31) if year else None)
    if start is None or end is None:
        raise ValueError("须指定统计年度，或起止日期 (give a year, or both dates).")
    if start > end:
        raise ValueError(
            f"统计起始日期 {start} 晚于截止日期 {end} (the period starts after it ends)."
        )
    return start, end


def _whole_year(year, start, end):
    return bool(year) and (start, end) == (datetime.date(year, 1, 1), datetime.date(year, 12, 31))


def _code(value):
    return value.code if isinstance(value, Organisation) else value


def compute(
    *, organisation=None, authority=None, year=None, date_from=None, date_to=None, today=None
) -> dict:
    """The audit of one body (`organisation`), of an authority and the bodies filing
    with it (`authority`), or of every body (neither). Codes or Organisation objects."""
    if organisation and authority:
        raise ValueError(
            "单位与备案审查机关只能指定其一 (give organisation or authority, not both)."
        )
    start, end = _period(year, date_from, date_to)
    audit = _Audit(today or timezone.localdate())
    scope_ids = audit.read_bodies(organisation, authority)
    audit.read_settings()
    doc_ids = audit.read_documents(start, end, scope_ids)
    audit.read_filings(doc_ids)
    audit.read_corrections(doc_ids)
    audit.read_escalations(doc_ids)
    counts = audit.count(audit.listed_bodies(scope_ids, organisation))
    audit.hash_bodies(counts)
    report = _report(audit, counts, organisation, authority, year, start, end)
    report["suggestions"] = count_suggestions(start, end, scope_ids)
    return report


class _Audit:
    """One run of `compute()`: the bodies read once, the cohort, and what was found
    wrong with it, as of `today`. Each read_* step is one query."""

    def __init__(self, today):
        self.today = today
        self.hasher = _Hasher()
        self.calendar = WorkingCalendar()
        self.notes = set()
        self.violations = []  # (sort key, violation dict)
        self.docs = {}  # pk -> _Doc

    # --- bodies and their settings ---------------------------------------

    def read_bodies(self, organisation, authority):
        """Every body (self.orgs, self.by_code); the pks in scope, None for all bodies."""
        self.orgs = {
            row[PK]: row for row in Organisation.objects.order_by("pk").values_list(*ORG_COLUMNS)
        }
        self.by_code = {row[CODE]: row for row in self.orgs.values()}
        if not (organisation or authority):
            return None
        code = _code(organisation or authority)
        if code not in self.by_code:
            raise ValueError(f"未知的单位代码：{code} (unknown organisation code).")
        head = self.by_code[code][PK]
        scope_ids = {head}
        if authority:
            scope_ids |= {pk for pk, row in self.orgs.items() if row[FILES_WITH] == head}
        return scope_ids

    def read_settings(self):
        self.settings_rows = {
            row[0]: JurisdictionSettings(filing_deadline_days=row[1], filing_review_days=row[2])
            for row in JurisdictionSettings.objects.order_by("organisation_id").values_list(
                "organisation_id", "filing_deadline_days", "filing_review_days"
            )
        }
        self.defaults = JurisdictionSettings()

    def settings_for(self, org_id):
        """The body's jurisdiction settings, else its nearest parent's, else the defaults."""
        seen = set()
        while org_id is not None and org_id not in seen:
            seen.add(org_id)
            if org_id in self.settings_rows:
                return self.settings_rows[org_id]
            org_id = self.orgs[org_id][PARENT]
        return self.defaults

    def rule_deadline(self, rule, doc, start, what):
        """`rule` (review.rules) for the document's body. A deadline in a year whose
        holiday schedule is not yet known is provisional (暂定): judged on that date,
        marked `due_provisional`, and the notes say the report is to be generated again
        once the year's schedule is entered."""
        due = rule(self.settings_for(doc.org), start, self.calendar)
        self.note_provisional(due)
        return due

    def note_provisional(self, due):
        if not rules.is_provisional_deadline(due):
            return
        for year in self.calendar.unknown_years(due, due) or [due.year]:
            self.notes.add(
                f"{year}年放假安排尚未公布（未标记为完整录入），标“暂定”的期限按法定节假日推算，"
                f"公布后可能变化，请录入后重新生成 (the {year} holiday schedule is not yet "
                f"entered: deadlines marked provisional may move)."
            )

    def violation(self, kind, doc, due, done, *, detail="", late=True, key=0):
        days_late = None
        if late and due is not None:
            days_late = max(0, ((done or self.today) - due).days)
        code = self.orgs[doc.org][CODE]
        sort_key = (KIND_ORDER[kind], code, _iso(due) or "", doc.number, doc.title, doc.id, key)
        self.violations.append(
            (
                sort_key,
                {
                    "kind": kind,
                    "organisation": code,
                    "document": doc.id,
                    "title": doc.title,
                    "number": doc.number,
                    "due": _iso(due),
                    "due_provisional": rules.is_provisional_deadline(due),
                    "done": _iso(done),
                    "days_late": days_late,
                    "detail": detail,
                },
            )
        )

    # --- the cohort: documents published in the period --------------------

    def read_documents(self, start, end, scope_ids):
        """The cohort into self.docs; returns it as a subquery of pks for the next reads."""
        documents = NormativeDocument.objects.filter(
            publication__published_on__gte=start,
            publication__published_on__lte=min(end, self.today),
        )
        if scope_ids is not None:
            documents = documents.filter(organisation_id__in=sorted(scope_ids))
        self.hasher.section("documents")
        for row in (
            documents.order_by("pk")
            .values_list(
                "pk",
                "organisation_id",
                "title",
                "publication__published_on",
                "registration__number",
            )
            .iterator(chunk_size=2000)
        ):
            self.hasher.row(row)
            self.docs[row[0]] = _Doc(*row)
        return documents.values("pk")

    # --- filings and their reviews, in filing order per document ----------

    def read_filings(self, doc_ids):
        self.hasher.section("filings")
        filings = (
            Filing.objects.filter(document_id__in=doc_ids, filed_on__lte=self.today)
            .order_by("document_id", "filed_on", "pk")
            .values_list(
                "pk",
                "document_id",
                "filed_on",
                "due_on",
                "due_on_provisional",
                "materials",
                "review__due_on",
                "review__due_on_provisional",
                "review__decided_on",
                "review__outcome",
                "review__concluded_on",
                "review__conclusion",
            )
        )
        for row in filings.iterator(chunk_size=2000):
            self.hasher.row(row)
            self._filing(*row)

    def _decisions(self, doc, decided_on, outcome, concluded_on, conclusion):
        """备案条例 art. 7, 10: the registration decision and the review's conclusion, as
        of the report's date; returns the day the authority finished with the filing
        (the conclusion of a registered one; the decision of a deferred or refused
        one), or None."""
        if decided_on is not None and decided_on > self.today:
            decided_on, outcome = None, ""  # decided after the report's date
        if concluded_on is not None and concluded_on > self.today:
            concluded_on, conclusion = None, ""
        doc.registered = doc.registered or outcome == REGISTERED
        doc.deferred = doc.deferred or outcome == DEFERRED
        doc.refused = outcome == REFUSED  # the last filing's decision stands
        if outcome == REGISTERED:
            return concluded_on, bool(conclusion)
        return decided_on, decided_on is not None or bool(outcome)

    def _filing(self, pk, doc_id, filed_on, due_on, due_prov, materials, review_due, *rest):
        review_prov, *decisions = rest
        due_on = Deadline.of(due_on, due_prov)
        if review_due is not None:
            review_due = Deadline.of(review_due, review_prov)
            self.note_provisional(review_due)
        self.note_provisional(due_on)
        doc = self.docs[doc_id]
        if doc.filed_on is None:
            doc.filed_on, doc.filed_due = filed_on, due_on
        doc.last_filed = filed_on
        doc.missing = [key for key, _label in FILING_MATERIALS if not (materials or {}).get(key)]
        decided_on, decided = self._decisions(doc, *decisions)
        doc.reviewed = decided  # the last filing's review is the one that stands
        if review_due is None:
            review_due = self.rule_deadline(rules.filing_review_due, doc, filed_on, "备案审查期限")
        if decided_on is not None and decided_on > review_due:
            self.violation("review_overdue", doc, review_due, decided_on, key=pk)
        elif not decided and self.today > review_due:
            self.violation("review_overdue", doc, review_due, None, key=pk)
        doc.review_due = review_due

    # --- corrections -----------------------------------------------------

    def read_corrections(self, doc_ids):
        today = self.today
        self.hasher.section("corrections")
        corrections = (
            Correction.objects.filter(document_id__in=doc_ids, issued_on__lte=today)
            .order_by("document_id", "issued_on", "pk")
            .values_list(
                "pk",
                "document_id",
                "issued_on",
                "deadline",
                "reported_on",
                "closed_on",
                "deadline_provisional",
            )
        )
        for row in corrections.iterator(chunk_size=2000):
            self.hasher.row(row)
            pk, doc_id, _issued, deadline, reported_on, closed_on, provisional = row
            deadline = Deadline.of(deadline, provisional)
            self.note_provisional(deadline)
            doc = self.docs[doc_id]
            reported_on = reported_on if reported_on and reported_on <= today else None
            closed_on = closed_on if closed_on and closed_on <= today else None
            doc.corrections += 1
            if closed_on is None:
                doc.corrected = doc.corrected_on_time = False
                self.violation("correction_open", doc, deadline, None, key=pk)
            if reported_on is None or reported_on > deadline:
                doc.corrected_on_time = False
                if reported_on is not None or today > deadline:
                    self.violation("correction_overdue", doc, deadline, reported_on, key=pk)

    # --- escalations (备案条例 art. 20) ----------------------------------------

    def read_escalations(self, doc_ids):
        self.hasher.section("escalations")
        escalations = (
            Escalation.objects.filter(document_id__in=doc_ids, decided_on__lte=self.today)
            .order_by("document_id", "decided_on", "pk")
            .values_list("pk", "document_id", "kind", "decided_on")
        )
        for row in escalations.iterator(chunk_size=2000):
            self.hasher.row(row)
            self.docs[row[1]].escalated = True

    # --- per document: filing status, then counts per body ----------------

    def listed_bodies(self, scope_ids, organisation):
        """The bodies on the 制定主体清单 and any body with a document in the cohort;
        a body asked for by --org always."""
        issuing = {doc.org for doc in self.docs.values()}
        issuing |= {pk for pk, row in self.orgs.items() if row[MAY_ISSUE]}
        if scope_ids is None:
            return issuing
        if organisation:
            return scope_ids
        return scope_ids & issuing

    def count(self, listed):
        """{body pk: counts}, in the order of the bodies' codes."""
        counts = {
            org_id: dict.fromkeys(COUNTS, 0)
            for org_id in sorted(listed, key=lambda pk: self.orgs[pk][CODE])
        }
        for doc in self.docs.values():
            self._count(counts[doc.org], doc)
        return counts

    def _count(self, c, doc):
        c["issued"] += 1
        if doc.filed_on is None:
            due = self.rule_deadline(rules.filing_due, doc, doc.published, "报送备案期限")
            if due is not None and self.today > due:
                c["due_for_filing"] += 1
                self.violation("never_filed", doc, due, None)
            return
        c["due_for_filing"] += 1
        c["filed"] += 1
        if doc.filed_on <= doc.filed_due:
            c["filed_on_time"] += 1
        else:
            self.violation("filed_late", doc, doc.filed_due, doc.filed_on)
        if doc.missing:
            missing = "、".join(str(MATERIAL_LABELS[key]) for key in doc.missing)
            self.violation(
                "materials_incomplete",
                doc,
                doc.filed_due,
                doc.last_filed,
                detail=f"缺：{missing}",
                late=False,
            )
        else:
            c["filed_complete"] += 1
        c["registered"] += doc.registered
        c["deferred"] += doc.deferred
        c["refused_registration"] += doc.refused
        c["escalated"] += doc.escalated
        if doc.reviewed:
            c["reviewed"] += 1
        else:
            self.violation("not_reviewed", doc, doc.review_due, None)
        if doc.corrections:
            c["found_wrong"] += 1
            c["corrected"] += doc.corrected
            c["corrected_on_time"] += doc.corrected_on_time

    def hash_bodies(self, counts):
        """The listed bodies' rows in the hash (their names appear in the report)."""
        self.hasher.section("organisations")
        for org_id in counts:
            self.hasher.row(self.orgs[org_id][:4])
        self.hasher.section("settings")
        for org_id in counts:
            found = self.settings_for(org_id)
            self.hasher.row([org_id, found.filing_deadline_days, found.filing_review_days])


def _report(audit, counts, organisation, authority, year, start, end):
    """The one JSON-ready dict every rendering is made from."""
    orgs = audit.orgs
    totals = dict.fromkeys(COUNTS, 0)
    for c in counts.values():
        for key in COUNTS:
            totals[key] += c[key]
    totals["rates"] = rates(totals)
    audit.violations.sort(key=lambda item: item[0])
    scope = "organisation" if organisation else "authority" if authority else "all"
    head = organisation or authority
    return {
        "parameters": {
            "scope": scope,
            "organisation": _code(organisation) if organisation else None,
            "authority": _code(authority) if authority else None,
            "year": year if _whole_year(year, start, end) else None,
            "from": start.isoformat(),
            "to": end.isoformat(),
            "today": audit.today.isoformat(),
        },
        "title": _title(year, start, end),
        "scope_name": _scope_name(scope, audit.by_code, head, len(counts)),
        "data_hash": audit.hasher.hexdigest(),
        "totals": totals,
        "organisations": [
            {"code": orgs[org_id][CODE], "name": orgs[org_id][NAME], **c, "rates": rates(c)}
            for org_id, c in counts.items()
        ],
        "violations": [item for _key, item in audit.violations],
        "notes": sorted(audit.notes),
    }


def _title(year, start, end):
    if _whole_year(year, start, end):
        return f"{year}年度规范性文件备案审查工作报告"
    return "规范性文件备案审查工作报告"


def _scope_name(scope, by_code, head, n):
    if scope == "organisation":
        return by_code[_code(head)][NAME]
    if scope == "authority":
        return f"{by_code[_code(head)][NAME]}及向其报送备案的单位（共{n}个）"
    return f"全部单位（共{n}个）"
