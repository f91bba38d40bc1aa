"""Reconciliation (issue 18, docs/reconciliation.md): store a run and its findings,
and close a finding — 不属于规范性文件 (with the reason), 补登记 (the document
entered at its real state, flagged 程序缺失), or 限期报送 (the demand is taken by
`demand_filing`; `workflows.reconciliation` links it). One audit event each."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import audit, numbering, rules
from ..choices import FindingClosing, FindingKind
from ..errors import NotPermitted, Refused
from ..models import (
    Classification,
    DocumentVersion,
    NormativeDocument,
    NumberSequence,
    Publication,
    ReconciliationFinding,
    ReconciliationRun,
    Registration,
    has_role,
    sha256_bytes,
)
from ..number_text import parse_document_number
from ..states import Role, State
from ._base import _required_text

DOC = NumberSequence.Kind.DOCUMENT_NUMBER
REG = NumberSequence.Kind.REGISTRATION_NUMBER
BACKFILL_TEXT = "（备案审查机关补登记，无正文）"
UNSTATED = "（公布清单未载明）"
FINDING_FIELDS = ("number", "title", "issued_on", "published_on", "url", "due", "rule")


def may_close(user, organisation):
    """The reviewers of the authority the body files with (备案条例 art. 20)."""
    return organisation.files_with_id is not None and has_role(
        user, organisation.files_with_id, Role.FILING_REVIEWER
    )


def _require_closer(user, organisation):
    if not may_close(user, organisation):
        raise NotPermitted(_("只有该单位的备案审查机关的备案审查人员可以处理核对发现的问题"))


def record_run(organisation, year, issued, published, findings, *, by=None, today=None):
    """Store a run (the files' names and SHA-256, the number of classified rows
    skipped — never their content) and its findings: one found again keeps its
    closing, a new one opens. Returns (run, [ReconciliationFinding] in `findings`' order)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        run = ReconciliationRun.objects.create(
            organisation=organisation,
            year=year,
            run_on=today,
            run_by=by,
            issued_name=issued.name,
            issued_sha256=issued.sha256,
            published_name=published.name if published else "",
            published_sha256=published.sha256 if published else "",
            rows_read=issued.rows_read + (published.rows_read if published else 0),
            skipped_classified=issued.skipped_classified
            + (published.skipped_classified if published else 0),
        )
        known = {
            (f.kind, f.key): f
            for f in ReconciliationFinding.objects.select_for_update(of=("self",))
            .filter(organisation=organisation, year=year)
            .select_related("demand")
        }
        stored = [_store(run, known, found) for found in findings]
        totals = {}
        for found in findings:
            totals[found.kind] = totals.get(found.kind, 0) + 1
        audit.record(
            action="reconcile",
            actor=by,
            note=f"{organisation.name} {year}年度发文核对：{run.issued_name}",
            data={
                "organisation": organisation.code,
                "year": year,
                "run": run.pk,
                "issued_sha256": run.issued_sha256,
                "published_sha256": run.published_sha256,
                "skipped_classified": run.skipped_classified,
                "totals": totals,
            },
        )
    return run, stored


def _store(run, known, found):
    finding = known.get((found.kind, found.key))
    values = {name: getattr(found, name) for name in FINDING_FIELDS}
    values["due_provisional"] = rules.is_provisional_deadline(found.due)
    if finding is None:
        finding = ReconciliationFinding.objects.create(
            organisation=run.organisation,
            year=run.year,
            kind=found.kind,
            key=found.key,
            document_id=found.document_id,
            first_run=run,
            last_run=run,
            **values,
        )
        return finding
    for name, value in values.items():
        setattr(finding, name, value)
    finding.last_run = run
    if finding.document_id is None:
        finding.document_id = found.document_id
    finding.save(update_fields=[*values, "last_run", "document"])
    return finding


def _locked_finding(finding, by):
    fresh = (
        ReconciliationFinding.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=finding.pk)
    )
    _require_closer(by, fresh.organisation)
    if fresh.closing:
        raise Refused(_("该问题已处理（%(closing)s）") % {"closing": fresh.get_closing_display()})
    return fresh


def _close(finding, by, closing, reason, on, document=None):
    finding.closing = closing
    finding.reason = reason
    finding.closed_on = on
    finding.closed_by = by
    if document is not None:
        finding.document = document
    finding.save(update_fields=["closing", "reason", "closed_on", "closed_by", "document"])
    audit.record(
        action="close_finding",
        document=finding.document,
        actor=by,
        from_state="",
        to_state=finding.document.state if finding.document else "",
        note=reason,
        data={
            "finding": finding.pk,
            "kind": finding.kind,
            "closing": closing,
            "organisation": finding.organisation.code,
            "year": finding.year,
            "number": finding.number,
        },
    )


def dismiss_finding(finding, *, by, reason, on=None):
    """不属于规范性文件: closed with the reason the person gives (also the answer to a
    published_twice or number_conflict that proves to be no problem)."""
    reason = _required_text(reason, _("理由"))
    with transaction.atomic():
        fresh = _locked_finding(finding, by)
        _close(fresh, by, FindingClosing.NOT_NORMATIVE, reason, on or timezone.localdate())
    return fresh


def backfill_finding(finding, *, by, note="", on=None):
    """补登记: the document issued but never registered is entered at its real state —
    registered with its 文号 and 成文日期 and a 登记号 allocated now, published when the
    published list has it (then 待报送备案) — with the 程序缺失 flag the page shows and
    the audit counts (late and irregular)."""
    on = on or timezone.localdate()
    with transaction.atomic():
        fresh = _locked_finding(finding, by)
        if fresh.kind != FindingKind.UNREGISTERED:
            raise Refused(_("只有“已印发但未登记”的问题可以补登记"))
        prefix, year, serial = _backfill_number(fresh)
        signed_on = fresh.issued_on or fresh.published_on
        document = _backfilled_document(fresh, signed_on, by, note)
        _backfilled_registration(fresh, document, (prefix, year, serial), signed_on)
        if fresh.published_on:
            Publication.objects.create(
                document=document,
                published_on=fresh.published_on,
                channel=(fresh.url or UNSTATED)[:100],
                url=fresh.url if fresh.url.startswith(("http://", "https://")) else "",
            )
        audit.record(
            action="backfill",
            document=document,
            actor=by,
            from_state="",
            to_state=document.state,
            note=document.classification_note,
            data={"finding": fresh.pk, "number": fresh.number, "published_on": fresh.published_on},
        )
        _close(
            fresh, by, FindingClosing.BACKFILLED, (note or "").strip() or _("补登记"), on, document
        )
    return fresh


def _backfill_number(finding):
    try:
        parts = parse_document_number(finding.number)
    except ValueError as exc:
        raise Refused(_("文号不规范，不能补登记：%(error)s") % {"error": exc}) from None
    if Registration.objects.filter(number=finding.number).exists():
        raise Refused(_("文号“%(number)s”已在台账中登记") % {"number": finding.number})
    return parts


def _backfilled_document(finding, signed_on, by, note):
    state = State.FILING if finding.published_on else State.PUBLICATION
    text = _("备案审查机关补登记（%(on)s 发文核对发现已印发未登记）") % {
        "on": finding.first_run.run_on
    }
    document = NormativeDocument(
        title=finding.title,
        organisation=finding.organisation,
        classification=Classification.NORMATIVE,
        classification_note=f"{text}{'：' + note.strip() if (note or '').strip() else ''}",
        state=state,  # a protected FSM field: set once, at construction (as the importer does)
        provisional=rules.is_provisional(finding.title),
        procedure_missing=True,
        register_sort_date=signed_on,
    )
    document.save()
    body = f"《{finding.title}》\n{BACKFILL_TEXT}"
    DocumentVersion.objects.create(
        document=document,
        number=1,
        text=body,
        sha256=sha256_bytes(body.encode("utf-8")),
        note=_("补登记"),
        created_by=by,
    )
    return document


def _backfilled_registration(finding, document, parts, signed_on):
    prefix, year, serial = parts
    # The 公文 system allocated the 文号: new numbers continue after it.
    NumberSequence.objects.bulk_create(
        [NumberSequence(kind=DOC, prefix=prefix, year=year, last=0)], ignore_conflicts=True
    )
    sequence = NumberSequence.objects.select_for_update().get(kind=DOC, prefix=prefix, year=year)
    if sequence.last < serial:
        NumberSequence.objects.filter(pk=sequence.pk).update(last=serial)
    reg_prefix = finding.organisation.jurisdiction.registration_prefix
    reg_serial = numbering.next_serial(REG, reg_prefix, year)
    Registration.objects.create(
        document=document,
        version=document.versions.get(),
        number_prefix=prefix,
        number_year=year,
        number_serial=serial,
        number=finding.number,
        reg_prefix=reg_prefix,
        reg_year=year,
        reg_serial=reg_serial,
        reg_number=numbering.format_registration_number(reg_prefix, year, reg_serial),
        signed_on=signed_on,
        registered_at=timezone.make_aware(datetime.datetime.combine(signed_on, datetime.time())),
        registered_by=None,
    )


def record_finding_demand(finding, demand, *, by, on=None):
    """限期报送 taken on the finding's document (`demand_filing`): the finding follows
    the demand (its deadline, then filed or 通报)."""
    with transaction.atomic():
        fresh = ReconciliationFinding.objects.select_for_update(of=("self",)).get(pk=finding.pk)
        _require_closer(by, fresh.organisation)
        if fresh.demand_id:
            raise Refused(_("该问题已限期报送"))
        fresh.demand = demand
        fresh.save(update_fields=["demand"])
        if not fresh.closing:
            _close(
                fresh,
                by,
                FindingClosing.DEMANDED,
                demand.note or _("限期报送"),
                on or demand.issued_on,
            )
    return fresh
