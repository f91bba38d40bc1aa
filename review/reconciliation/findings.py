"""The comparison itself (docs/reconciliation.md): the 登记簿 and the published list
against the register of one body for one year, giving the findings. Reads only;
`review.actions.reconciliation` stores them.

Reads are bounded: one query for the body's documents (with their registration,
publication and first filing), whatever the number of rows."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Min, Q

from .. import rules
from ..calendar import CalendarMissing, WorkingCalendar
from ..choices import FindingKind
from ..models import NormativeDocument
from ..states import State
from .matching import normative_rule, number_key, similar, similarity, title_key

KIND_ORDER = {kind: n for n, kind in enumerate(FindingKind.values)}
# A registered document that may still be published: not ended before publication.
AWAITING_PUBLICATION = {State.PUBLICATION}


@dataclass
class Finding:
    kind: str
    key: str
    number: str
    title: str
    rule: str
    issued_on: datetime.date | None = None
    published_on: datetime.date | None = None
    url: str = ""
    due: datetime.date | None = None
    document_id: int | None = None

    def sort_key(self):
        return (KIND_ORDER[self.kind], self.number, self.title, self.key)


@dataclass
class _Doc:
    pk: int
    title: str
    number: str
    signed_on: datetime.date | None
    published_on: datetime.date | None
    state: str
    first_filed: datetime.date | None
    tkey: str = ""
    nkey: str = ""
    external: object = None  # the published-list row that matched it
    rows: list = field(default_factory=list)


def _documents(organisation, year, number_keys):
    """The body's documents registered or published in `year`, or whose 文号 a row uses."""
    docs = (
        NormativeDocument.objects.filter(organisation=organisation)
        .filter(
            Q(registration__signed_on__year=year)
            | Q(publication__published_on__year=year)
            | Q(registration__number__in=sorted(k for k in number_keys if k))
        )
        .annotate(first_filed=Min("filings__filed_on"))
        .order_by("pk")
        .values_list(
            "pk",
            "title",
            "registration__number",
            "registration__signed_on",
            "publication__published_on",
            "state",
            "first_filed",
        )
    )
    out = []
    for row in docs:
        doc = _Doc(*row)
        doc.number = doc.number or ""
        doc.tkey, doc.nkey = title_key(doc.title), number_key(doc.number)
        out.append(doc)
    return out


class _Comparison:
    def __init__(self, organisation, year, today):
        self.settings = organisation.jurisdiction
        self.year = year
        self.today = today
        self.calendar = WorkingCalendar()
        self.findings = {}

    def add(self, finding):
        self.findings.setdefault((finding.kind, finding.key), finding)

    def best_title(self, tkey, candidates):
        """The candidate with the most similar title at or above the threshold, or None."""
        best, score = None, 0.0
        for candidate in candidates:
            value = similarity(tkey, candidate.tkey)
            if value > score:
                best, score = candidate, value
        if best is not None and score * 100 >= self.settings.title_similarity_percent:
            return best
        return None

    def due(self, published_on):
        try:
            return rules.filing_due(self.settings, published_on, self.calendar)
        except CalendarMissing:
            return None


def _match_issued(cmp, issued, docs):
    """Each 登记簿 row to a document: by 文号 (a different title there is a
    number_conflict), else by title. Unmatched rows stay in the returned list."""
    by_number = {doc.nkey: doc for doc in docs if doc.nkey}
    unmatched = []
    for row in issued:
        row.nkey, row.tkey = number_key(row.number), title_key(row.title)
        doc = by_number.get(row.nkey) if row.nkey else None
        if doc is not None and not similar(row.tkey, doc.tkey, cmp.settings):
            percent = round(similarity(row.tkey, doc.tkey) * 100)
            cmp.add(
                Finding(
                    FindingKind.NUMBER_CONFLICT,
                    row.nkey,
                    row.nkey,
                    row.title,
                    f"文号相同、标题不同：台账中为《{doc.title}》"
                    f"（标题相似度{percent}%，低于{cmp.settings.title_similarity_percent}%）",
                    issued_on=row.issued_on,
                    document_id=doc.pk,
                )
            )
            continue  # one finding per row: the conflict says it
        doc = doc or cmp.best_title(row.tkey, docs)
        if doc is None:
            unmatched.append(row)
        else:
            doc.rows.append(row)
    return unmatched


def _match_published(cmp, published, docs, unmatched):
    """Each published row to a document, else to an unregistered 登记簿 row; the rows
    matching neither are returned."""
    by_number = {doc.nkey: doc for doc in docs if doc.nkey}
    rows_by_number = {row.nkey: row for row in unmatched if row.nkey}
    alone = []
    for pub in published:
        pub.nkey, pub.tkey = number_key(pub.number), title_key(pub.title)
        target = (by_number.get(pub.nkey) if pub.nkey else None) or cmp.best_title(pub.tkey, docs)
        if target is not None:
            if target.external is None:
                target.external = pub
            pub.matched_number = target.nkey
            continue
        row = (rows_by_number.get(pub.nkey) if pub.nkey else None) or cmp.best_title(
            pub.tkey, unmatched
        )
        if row is not None:
            row.published = getattr(row, "published", None) or pub
            pub.matched_number = row.nkey
            continue
        pub.matched_number = pub.nkey
        alone.append(pub)
    return alone


def _unregistered(cmp, unmatched, alone):
    for row in unmatched:
        verdict = normative_rule(cmp.settings, row.title, row.category, row.text)
        if not verdict.normative:
            continue
        pub = getattr(row, "published", None)
        cmp.add(
            Finding(
                FindingKind.UNREGISTERED,
                row.nkey or f"title:{row.tkey}",
                row.nkey or row.number,
                row.title,
                f"{verdict.rule}；台账中无此文号或相近标题",
                issued_on=row.issued_on,
                published_on=pub.published_on if pub else None,
                url=pub.url if pub else "",
                due=cmp.due(pub.published_on) if pub else None,
            )
        )
    for pub in alone:
        verdict = normative_rule(cmp.settings, pub.title)
        if not verdict.normative:
            continue
        cmp.add(
            Finding(
                FindingKind.UNREGISTERED,
                pub.nkey or f"title:{pub.tkey}",
                pub.nkey or pub.number,
                pub.title,
                f"{verdict.rule}；公布清单所列，登记簿和台账中均无",
                published_on=pub.published_on,
                url=pub.url,
                due=cmp.due(pub.published_on),
            )
        )


def _register_findings(cmp, docs):
    """Registered but never published; published but not filed by its due date."""
    days = cmp.settings.filing_deadline_days
    for doc in docs:
        published_on = doc.published_on or (doc.external.published_on if doc.external else None)
        if published_on is None:
            if (
                doc.state in AWAITING_PUBLICATION
                and doc.signed_on
                and doc.signed_on.year == cmp.year
            ):
                cmp.add(
                    Finding(
                        FindingKind.UNPUBLISHED,
                        f"doc:{doc.pk}",
                        doc.number,
                        doc.title,
                        "已登记编号，台账和公布清单均无公布记录"
                        "（未经公布不得作为行政管理依据，优化营商环境条例第六十四条）",
                        issued_on=doc.signed_on,
                        document_id=doc.pk,
                    )
                )
            continue
        if published_on.year != cmp.year:
            continue
        due = cmp.due(published_on)
        if due is None:
            continue
        if doc.first_filed is None and cmp.today <= due:
            continue
        if doc.first_filed is not None and doc.first_filed <= due:
            continue
        done = f"于{doc.first_filed}报送" if doc.first_filed else f"截至{cmp.today}未报送"
        source = "" if doc.published_on else "（公布日期据公布清单，台账未登记公布）"
        cmp.add(
            Finding(
                FindingKind.NOT_FILED,
                f"doc:{doc.pk}",
                doc.number,
                doc.title,
                f"报送备案期限：公布之日起{days}日（法规规章备案条例第三条），期限{due}，{done}{source}",
                issued_on=doc.signed_on,
                published_on=published_on,
                url=doc.external.url if doc.external else "",
                due=due,
                document_id=doc.pk,
            )
        )


def _published_twice(cmp, docs, published):
    """The same title published under two different 文号: the register's published
    documents and the published list, grouped by title similarity."""
    items = [(doc.tkey, doc.nkey, doc.title, doc.published_on) for doc in docs if doc.published_on]
    items += [
        (pub.tkey, pub.nkey or pub.matched_number, pub.title, pub.published_on) for pub in published
    ]
    groups = []
    for tkey, nkey, title, day in items:
        for group in groups:
            if similar(tkey, group[0][0], cmp.settings):
                group.append((tkey, nkey, title, day))
                break
        else:
            groups.append([(tkey, nkey, title, day)])
    for group in groups:
        numbers = sorted(
            {nkey for _t, nkey, _title, _d in group if nkey}, key=lambda n: (len(n), n)
        )
        if len(numbers) < 2:
            continue
        cmp.add(
            Finding(
                FindingKind.PUBLISHED_TWICE,
                f"title:{group[0][0]}",
                "、".join(numbers),
                group[0][2],
                f"标题相似度不低于{cmp.settings.title_similarity_percent}%的文件以"
                f"{len(numbers)}个不同文号公布",
                published_on=max(day for _t, _n, _title, day in group),
            )
        )


def compare(organisation, year, issued, published, today):
    """The findings (sorted) of comparing `issued` and `published` rows (reading.py)
    with the register of `organisation` for `year`, as of `today`."""
    cmp = _Comparison(organisation, year, today)
    docs = _documents(organisation, year, {number_key(row.number) for row in issued})
    unmatched = _match_issued(cmp, issued, docs)
    alone = _match_published(cmp, published, docs, unmatched)
    _unregistered(cmp, unmatched, alone)
    _register_findings(cmp, docs)
    _published_twice(cmp, docs, published)
    return sorted(cmp.findings.values(), key=Finding.sort_key)
