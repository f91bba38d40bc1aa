"""Writing a checked register in one transaction: the number sequences it uses are
locked first (so the numbers already taken are checked against what is committed),
then per row a document and the records its history needs, and one "import" audit
event. Any error and nothing is written."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from .. import audit, numbering, rules
from ..models import (
    Classification,
    Correction,
    DocumentVersion,
    Filing,
    FilingReview,
    NormativeDocument,
    NumberSequence,
    Publication,
    Registration,
    sha256_bytes,
)
from ..states import State
from .checking import Plan, check, check_database
from .columns import IN_FORCE, STATUS_LABELS
from .rows import RegisterInvalid, Row

DOC = NumberSequence.Kind.DOCUMENT_NUMBER
REG = NumberSequence.Kind.REGISTRATION_NUMBER

VERSION_TEXT = "（历史台账导入，无正文）"
UNRECORDED = "（历史台账未载明）"


@dataclass
class Imported:
    row: Row
    document: NormativeDocument

    def line(self):
        row = self.row
        parts = [
            f"第{row.row}行 {row.number}（{row.reg_number}）《{row.title}》→ {State(row.state).label}"
        ]
        if row.reg_allocated:
            parts.append("登记号为导入时补编")
        if row.days_late:
            parts.append(f"逾期报送 {row.days_late} 日（期限 {row.filing_due_on}）")
        if row.filed_on and not row.materials_complete:
            parts.append("备案材料不齐全")
        parts.extend(f"提示：{warning}" for warning in row.warnings)
        return "；".join(parts)


@dataclass
class Result:
    plan: Plan
    imported: list
    sequences: list
    dry_run: bool


def import_register(path, *, by=None, today=None, dry_run=False):
    """Check the register and, if it has no error, write it in one transaction.
    Raises RegisterUnreadable or RegisterInvalid (with every error) and writes nothing.
    A dry run writes everything and rolls back, so it reports the very numbers a real
    run would allocate."""
    plan = check(path, today=today)
    highest = _sequence_keys(plan)
    with transaction.atomic():
        locked = _lock_sequences(highest)
        errors = plan.errors + check_database(plan)
        if errors:
            raise RegisterInvalid(errors)
        _advance(locked, highest)
        settings = {}
        imported = []
        for row in plan.rows:
            org = row.organisation
            if org.pk not in settings:
                settings[org.pk] = org.jurisdiction
            imported.append(Imported(row, _write_row(row, plan, by, settings[org.pk])))
        touched = set(highest) | {
            (REG, *item.row.reg_parts[:2]) for item in imported if item.row.reg_allocated
        }
        sequences = sorted(
            (
                s
                for s in NumberSequence.objects.filter(prefix__in={key[1] for key in touched})
                if (s.kind, s.prefix, s.year) in touched
            ),
            key=lambda s: (s.kind, s.prefix, s.year),
        )
        if dry_run:
            transaction.set_rollback(True)
    return Result(plan=plan, imported=imported, sequences=sequences, dry_run=dry_run)


# --- the number sequences ----------------------------------------------------


def _sequence_keys(plan):
    """{(kind, prefix, year): the highest serial the register uses}."""
    highest = {}
    for row in plan.rows:
        for kind, parts in ((DOC, row.number_parts), (REG, row.reg_parts)):
            if parts:
                prefix, year, serial = parts
                highest[(kind, prefix, year)] = max(highest.get((kind, prefix, year), 0), serial)
    return highest


def _lock_sequences(keys):
    """Lock (creating them when missing) the sequences the register touches, in a fixed order."""
    locked = {}
    for kind, prefix, year in sorted(keys):
        NumberSequence.objects.bulk_create(
            [NumberSequence(kind=kind, prefix=prefix, year=year, last=0)], ignore_conflicts=True
        )
        locked[(kind, prefix, year)] = NumberSequence.objects.select_for_update().get(
            kind=kind, prefix=prefix, year=year
        )
    return locked


def _advance(locked, highest):
    """New numbers continue after the highest imported one: last = max(last, imported)."""
    for key, sequence in locked.items():
        if sequence.last < highest[key]:
            NumberSequence.objects.filter(pk=sequence.pk).update(last=highest[key])


# --- one row's records ----------------------------------------------------------


def _aware(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def _write_row(row, plan, by, settings):
    """The document, its text, registration, publication and filing records as the
    register has them, and its one "import" audit event."""
    document = NormativeDocument(
        title=row.title,
        organisation=row.organisation,
        classification=Classification.NORMATIVE,
        classification_note="历史台账导入",
        state=row.state,  # a protected FSM field: set once, at construction
        effective_from=row.effective_from,
        valid_until=row.valid_until,
        provisional=rules.is_provisional(row.title),
        ended_on=row.ended_on,
        end_cause=row.end_cause,
        end_note=f"历史台账记载：{STATUS_LABELS[row.status]}" if row.status != IN_FORCE else "",
        imported=True,
        register_sort_date=row.signed_on,
        # as file_with_authority stores it: the authority of the (one) filing below
        filing_authority=row.organisation.files_with if row.filed_on else None,
    )
    document.save()
    text = f"《{row.title}》\n{VERSION_TEXT}"
    version = DocumentVersion.objects.create(
        document=document,
        number=1,
        text=text,
        sha256=sha256_bytes(text.encode("utf-8")),
        note="历史台账导入",
        created_by=by,
    )
    _write_registration(row, document, version, settings)
    if row.published_on:
        Publication.objects.create(
            document=document, published_on=row.published_on, channel=row.channel or UNRECORDED
        )
    if row.filed_on:
        _write_filing(row, document)
    audit.record(
        action="import",
        document=document,
        actor=by,
        from_state="",
        to_state=document.state,
        note=f"历史台账导入：{plan.path.name} 第{row.row}行",
        data={"source": plan.path.name, "source_sha256": plan.sha256, **row.summary()},
    )
    return document


def _write_registration(row, document, version, settings):
    prefix, year, serial = row.number_parts
    if row.reg_parts is None:
        # No 登记号 in the register: one is allocated after every number already used.
        reg_prefix = settings.registration_prefix
        reg_serial = numbering.next_serial(REG, reg_prefix, year)
        row.reg_parts = (reg_prefix, year, reg_serial)
        row.reg_number = numbering.format_registration_number(reg_prefix, year, reg_serial)
        row.reg_allocated = True
    reg_prefix, reg_year, reg_serial = row.reg_parts
    Registration.objects.create(
        document=document,
        version=version,
        number_prefix=prefix,
        number_year=year,
        number_serial=serial,
        number=row.number,
        reg_prefix=reg_prefix,
        reg_year=reg_year,
        reg_serial=reg_serial,
        reg_number=row.reg_number,
        signed_on=row.signed_on,
        registered_at=_aware(row.signed_on),
        registered_by=None,
    )


def _write_filing(row, document):
    """The filing, its review as far as the register records it, and the correction."""
    filing = Filing.objects.create(
        document=document,
        authority=row.organisation.files_with,
        filed_on=row.filed_on,
        due_on=row.filing_due_on,
        due_on_provisional=rules.is_provisional_deadline(row.filing_due_on),
        materials=row.materials(),
        report="（历史台账导入，备案报告未载明）",
    )
    deferred = row.outcome == FilingReview.Outcome.DEFERRED
    review = FilingReview.objects.create(
        filing=filing,
        received_on=row.filed_on,
        due_on=row.review_due_on,
        due_on_provisional=rules.is_provisional_deadline(row.review_due_on),
        formal_ok=None if not row.outcome else (not deferred and row.materials_complete),
        outcome=row.outcome,
        decided_on=row.reviewed_on,
        # The register gives one date: the registration and the conclusion share it.
        conclusion=row.conclusion,
        concluded_on=row.reviewed_on if row.conclusion else None,
        findings=row.notes if row.outcome == FilingReview.Outcome.REGISTERED else "",
        missing=filing.missing_materials if deferred else [],
        to_supply=(row.notes or UNRECORDED) if deferred else "",
        refusal_reason=(row.notes or UNRECORDED)
        if row.outcome == FilingReview.Outcome.REFUSED
        else "",
    )
    if row.correction_required:
        Correction.objects.create(
            document=document,
            filing_review=review,
            suggestion=row.notes or UNRECORDED,
            issued_on=row.reviewed_on,
            deadline=row.correction_deadline,
            deadline_provisional=rules.is_provisional_deadline(row.correction_deadline),
            handling_report="（历史台账导入）" if row.correction_closed_on else "",
            # The register gives one date for the correction's end: taken as both the
            # report of the handling and the closing.
            reported_on=row.correction_closed_on,
            closed_on=row.correction_closed_on,
        )
