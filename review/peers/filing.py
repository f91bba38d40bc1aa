"""The filing: exported by the body (its latest filing, the formal text, the materials
and their SHA-256), received by the authority as a read-only copy filed on the day of
acceptance, the legal 报送 date."""

import hashlib

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from .. import audit
from ..actions import filing as filing_actions
from ..actions.drafting import store_articles
from ..errors import Refused
from ..models import (
    Attachment,
    Classification,
    DocumentVersion,
    FilingExchange,
    NormativeDocument,
    Publication,
    Registration,
    sha256_bytes,
)
from ..states import State
from ..uploads import docx_text
from . import package
from .common import Direction, Kind, Status, day, key_for, peer_of
from .package import PackageRefused

# --- the body's side: the filing goes out ------------------------------------------------


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


def filing_package(document):
    """The signed package of the document's latest filing (any filed document: its
    authority may run here too, as in the demo). Logged as exported."""
    filing = document.latest_filing
    if filing is None:
        raise Refused(_("该文件尚未报送备案，没有可导出的报送"))
    version = document.registration_or_none.version
    name, data = version_file(version)
    payload = filing_payload(document)
    payload["document"]["text_file"] = name
    files = [(name, data)]
    payload["attachments"] = []
    for attachment, file_name, content in _attachment_files(document):
        files.append((file_name, content))
        payload["attachments"].append(
            {"kind": attachment.kind, "name": attachment.name, "file": file_name}
        )
    idempotency_key = key_for("filing", filing.pk)
    content = package.build(Kind.FILING, payload, files, idempotency_key)
    FilingExchange.objects.create(
        direction=Direction.SENT,
        kind=Kind.FILING,
        status=Status.EXPORTED,
        peer=peer_of(filing.authority),
        document=document,
        remote_id=str(document.pk),
        idempotency_key=idempotency_key,
        package_sha256=hashlib.sha256(content).hexdigest(),
    )
    return content


# --- the authority's side: a filing comes in ----------------------------------------------


def _organisation_for(peer, payload):
    code = payload["organisation"]["code"]
    organisation = peer.organisations.filter(code=code).select_related("files_with").first()
    if organisation is None:
        raise PackageRefused(
            _("“%(peer)s”未获信任代表单位 %(code)s 报送") % {"peer": peer.name, "code": code}
        )
    authority = organisation.files_with
    if authority is None or authority.code != payload["authority"]["code"]:
        raise PackageRefused(
            _("%(org)s 不向本机关（%(code)s）报送备案")
            % {"org": organisation, "code": payload["authority"]["code"]}
        )
    return organisation


def received_copy(peer, remote_id):
    earlier = (
        FilingExchange.objects.filter(
            direction=Direction.RECEIVED,
            peer=peer,
            kind=Kind.FILING,
            status=Status.ACCEPTED,
            remote_id=remote_id,
        )
        .select_related("document")
        .first()
    )
    return earlier.document if earlier else None


def _store_version(document, pkg, by):
    doc = pkg.payload["document"]
    data = pkg.files.get(doc.get("text_file", ""))
    if data is None:
        raise PackageRefused(_("包中缺少文件正文"))
    text_file = doc["text_file"]
    is_text = text_file.endswith(".txt")
    digest = sha256_bytes(data)
    if digest != doc["text_sha256"]:
        raise PackageRefused(_("正文的 SHA-256 与报送所载不符"))
    body = data.decode("utf-8") if is_text else ""
    if text_file.endswith(".docx"):
        body = docx_text(data)
    current = document.current_version
    version = DocumentVersion.objects.create(
        document=document,
        number=(current.number if current else 0) + 1,
        file=None if is_text else ContentFile(data, name=text_file.split("-", 1)[-1]),
        text=body,
        sha256=digest,
        note=_("收到的报送正文"),
        created_by=by,
    )
    store_articles(version, body)
    return version


def _store_attachments(document, pkg, by):
    for item in pkg.payload.get("attachments", []):
        data = pkg.files.get(item.get("file", ""))
        if data is None:
            raise PackageRefused(_("包中缺少附件：%(n)s") % {"n": item.get("name", "")})
        is_text = item["file"].endswith(".txt")
        Attachment.objects.create(
            document=document,
            kind=item["kind"],
            name=item["name"],
            file=None if is_text else ContentFile(data, name=item["file"].split("-", 1)[-1]),
            text=data.decode("utf-8") if is_text else "",
            sha256=sha256_bytes(data),
            uploaded_by=by,
        )


def _create_received(organisation, pkg, by):
    doc = pkg.payload["document"]
    document = NormativeDocument(
        title=doc["title"],
        organisation=organisation,
        classification=Classification.NORMATIVE,
        classification_note=_("其他部署报送备案"),
        state=State.FILING,  # a protected FSM field: set once, at construction
        effective_from=parse_date(doc["effective_from"] or ""),
        valid_until=parse_date(doc["valid_until"] or ""),
        provisional=bool(doc.get("provisional")),
        legal_basis=doc.get("legal_basis", ""),
        register_sort_date=parse_date(doc["signed_on"]),
    )
    document.save()
    version = _store_version(document, pkg, by)
    _store_attachments(document, pkg, by)
    (prefix, year, serial), (reg_prefix, reg_year, reg_serial) = (
        doc["number_parts"],
        doc["reg_parts"],
    )
    signed_on = parse_date(doc["signed_on"])
    Registration.objects.create(
        document=document,
        version=version,
        number_prefix=prefix,
        number_year=year,
        number_serial=serial,
        number=doc["number"],
        reg_prefix=reg_prefix,
        reg_year=reg_year,
        reg_serial=reg_serial,
        reg_number=doc["reg_number"],
        signed_on=signed_on,
        registered_at=timezone.now(),
        registered_by=None,
    )
    Publication.objects.create(
        document=document, published_on=parse_date(doc["published_on"]), channel=doc["channel"]
    )
    audit.record(
        action="receive_remote",
        document=document,
        actor=by,
        from_state="",
        to_state=document.state,
        note=_("收到其他部署的报送：%(peer)s") % {"peer": by.filing_peer.name},
        data={"remote_id": doc["remote_id"], "sha256": pkg.sha256},
    )
    return document


def receive(pkg, peer, today):
    organisation = _organisation_for(peer, pkg.payload)
    remote_id = pkg.payload["document"]["remote_id"]
    by = peer.service_user
    document = received_copy(peer, remote_id)
    if document is None:
        document = _create_received(organisation, pkg, by)
    elif document.state == State.SUPPLEMENT:  # 补充报送: the new text and materials
        _store_version(document, pkg, by)
        _store_attachments(document, pkg, by)
    filing_actions.file_with_authority(
        document,
        by=by,
        on=today,
        report=pkg.payload["filing"]["report"],
        materials=pkg.payload["filing"]["materials"],
    )
    return document, remote_id
