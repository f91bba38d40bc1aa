"""What this side sends (issue 22): the body's filing, the authority's decision on a
received filing, the body's correction report. Each builder says what to sign and for
whom (an `Outgoing`); `export` makes the offline package and logs it as exported,
`review.peers.outbox` keeps it for the push. Building reads only this side's records:
no action is taken here."""

import hashlib
from dataclasses import dataclass

from django.utils.translation import gettext as _

from ..errors import Refused
from ..models import FilingExchange, FilingPeer, NormativeDocument
from . import package
from .common import Direction, Kind, Status, day, key_for, peer_of


@dataclass
class Outgoing:
    kind: str
    document: NormativeDocument
    peer: FilingPeer | None
    remote_id: str
    idempotency_key: str
    payload: dict
    files: list  # (name, bytes)

    def build(self):
        return package.build(self.kind, self.payload, self.files, self.idempotency_key)

    def log(self, content, status, **fields):
        return FilingExchange.objects.create(
            direction=Direction.SENT,
            kind=self.kind,
            status=status,
            peer=self.peer,
            document=self.document,
            remote_id=self.remote_id,
            idempotency_key=self.idempotency_key,
            package_sha256=hashlib.sha256(content).hexdigest(),
            **fields,
        )


def export(outgoing):
    """The offline package's bytes, logged as exported."""
    content = outgoing.build()
    outgoing.log(content, Status.EXPORTED)
    return content


def last_sent_filing(document):
    return (
        document.exchanges.filter(direction=Direction.SENT, kind=Kind.FILING)
        .order_by("-at", "-pk")
        .first()
    )


def received_filing(document):
    """On an authority's side: the accepted filing a received copy came with."""
    return (
        document.exchanges.filter(
            direction=Direction.RECEIVED, kind=Kind.FILING, status=Status.ACCEPTED
        )
        .select_related("peer")
        .order_by("-at", "-pk")
        .first()
    )


# --- the body's filing --------------------------------------------------------------


def version_file(version):
    if version.file:
        with version.file.open("rb") as handle:
            return f"v{version.number}-{version.file.name.rsplit('/', 1)[-1]}", handle.read()
    return f"v{version.number}.txt", version.text.encode("utf-8")


def _attachment_files(document):
    for attachment in document.attachments.order_by("pk"):
        if attachment.file:
            with attachment.file.open("rb") as handle:
                data = handle.read()
            name = attachment.file.name.rsplit("/", 1)[-1]
        else:
            data, name = attachment.text.encode("utf-8"), f"{attachment.kind}.txt"
        yield attachment, f"a{attachment.pk}-{name}", data


def filing_payload(document):
    filing = document.latest_filing
    registration = document.registration_or_none
    publication = document.publication_or_none
    version = registration.version
    return {
        "organisation": {
            "code": document.organisation.code,
            "name": document.organisation.name,
        },
        "authority": {"code": filing.authority.code, "name": filing.authority.name},
        "document": {
            "remote_id": str(document.pk),
            "title": document.title,
            "number": registration.number,
            "number_parts": [
                registration.number_prefix,
                registration.number_year,
                registration.number_serial,
            ],
            "reg_number": registration.reg_number,
            "reg_parts": [registration.reg_prefix, registration.reg_year, registration.reg_serial],
            "signed_on": day(registration.signed_on),
            "published_on": day(publication.published_on),
            "channel": publication.channel,
            "effective_from": day(document.effective_from),
            "valid_until": day(document.valid_until),
            "provisional": document.provisional,
            "legal_basis": document.legal_basis,
            "text_sha256": version.sha256,
        },
        "filing": {
            "remote_id": str(filing.pk),
            "filed_on": day(filing.filed_on),
            "due_on": day(filing.due_on),
            "report": filing.report,
            "materials": filing.materials,
        },
    }


def filing(document):
    """The document's latest filing (any filed document: its authority may run here
    too, as in the demo): the formal text, the materials and their SHA-256."""
    latest = document.latest_filing
    if latest is None:
        raise Refused(_("该文件尚未报送备案，没有可导出的报送"))
    name, data = version_file(document.registration_or_none.version)
    payload = filing_payload(document)
    payload["document"]["text_file"] = name
    files = [(name, data)]
    payload["attachments"] = []
    for attachment, file_name, content in _attachment_files(document):
        files.append((file_name, content))
        payload["attachments"].append(
            {"kind": attachment.kind, "name": attachment.name, "file": file_name}
        )
    return Outgoing(
        kind=Kind.FILING,
        document=document,
        peer=peer_of(latest.authority),
        remote_id=str(document.pk),
        idempotency_key=key_for("filing", latest.pk),
        payload=payload,
        files=files,
    )


# --- the authority's decision ---------------------------------------------------------


def _extension_reason(document):
    """The reason given when the review was extended: the note of its audit event."""
    event = document.audit_events.filter(action="extend_filing_review").order_by("-pk").first()
    return event.note if event else ""


def decision_payload(document):
    latest = document.latest_filing
    review = latest.review_or_none if latest else None
    if review is None or not review.outcome:
        raise Refused(_("该报送尚未作出备案登记决定，没有可导出的决定"))
    received = received_filing(document)
    correction = review.corrections.order_by("-pk").first() if review.conclusion else None
    return {
        "remote_id": received.remote_id if received else str(document.pk),
        "filing_key": received.idempotency_key if received else "",
        "accepted_on": day(latest.filed_on),
        "registration": {
            "outcome": review.outcome,
            "decided_on": day(review.decided_on),
            "missing": review.missing,
            "to_supply": review.to_supply,
            "refusal_reason": review.refusal_reason,
        },
        "review": {
            "conclusion": review.conclusion,
            "concluded_on": day(review.concluded_on),
            "findings": review.findings,
            "substantive": review.substantive,
            # 延长审查期限 (once): the body sees the authority's new due date.
            "extended": review.extended,
            "extension_reason": _extension_reason(document) if review.extended else "",
            "due_on": day(review.due_on),
            "due_on_provisional": review.due_on_provisional,
        },
        "correction": {
            "suggestion": correction.suggestion,
            "issued_on": day(correction.issued_on),
            "deadline": day(correction.deadline),
            "closed_on": day(correction.closed_on),
        }
        if correction
        else None,
    }


def decision(document):
    """The authority's decision on the latest filing: the registration decision and,
    once taken, the review's conclusion. Each step gets its own key, so a decision
    sent twice is applied once."""
    payload = decision_payload(document)
    latest = document.latest_filing
    review = latest.review_or_none
    correction = payload["correction"] or {}
    return Outgoing(
        kind=Kind.DECISION,
        document=document,
        peer=peer_of(document.organisation),
        remote_id=payload["remote_id"],
        idempotency_key=key_for(
            "decision",
            latest.pk,
            review.outcome,
            review.extended,
            review.conclusion,
            correction.get("closed_on"),
        ),
        payload=payload,
        files=[],
    )


# --- the body's correction report -----------------------------------------------------


def correction(document):
    """The report of the open correction, once reported here (备案条例 art. 17)."""
    open_correction = document.open_correction
    if open_correction is None or not open_correction.reported_on:
        raise Refused(_("该文件没有已报告、待复核的纠正情况"))
    sent = last_sent_filing(document)
    if sent is None:
        raise Refused(_("该文件的报送未以互联包导出，纠正情况请线下报送"))
    files, text_file = [], ""
    if open_correction.revised_version is not None:
        text_file, data = version_file(open_correction.revised_version)
        files.append((text_file, data))
    payload = {
        "remote_id": str(document.pk),
        "filing_key": sent.idempotency_key,
        "handling_report": open_correction.handling_report,
        "reported_on": day(open_correction.reported_on),
        "repeal_number": open_correction.repeal_number,
        "repealed_on": day(open_correction.repealed_on),
        "text_file": text_file,
    }
    return Outgoing(
        kind=Kind.CORRECTION,
        document=document,
        peer=peer_of(document.organisation.files_with),
        remote_id=str(document.pk),
        idempotency_key=key_for("correction", open_correction.pk),
        payload=payload,
        files=files,
    )
