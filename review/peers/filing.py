"""The filing, received by the authority as a read-only copy filed on the day of
acceptance, the legal 报送 date (the body's side builds it in `outgoing`)."""

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from .. import audit
from ..actions import filing as filing_actions
from ..actions.drafting import store_articles
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
from .common import Direction, Kind, Status
from .package import PackageRefused

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
