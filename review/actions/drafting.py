"""Drafting (§2) and public comment (§4): create a document, add drafts and
attachments, open and close the comment period, withdraw."""

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import articles, lifecycle, rules
from ..comments import comments_digest
from ..errors import Refused
from ..models import (
    Attachment,
    AttachmentKind,
    CommentPeriod,
    DocumentVersion,
    NormativeDocument,
    VersionArticle,
    has_role,
    sha256_bytes,
)
from ..states import BEFORE_TERMINAL, Role, State
from ..uploads import docx_text, read_upload
from ._base import (
    _check_transition,
    _date,
    _fire,
    _locked,
    _record,
    _require_role,
    _require_state,
    _required_text,
)

# --- drafting -------------------------------------------------------------


def create_document(*, organisation, title, by, drafting_unit=None, **fields):
    _require_role(by, organisation, Role.DRAFTER)
    title = _required_text(title, _("标题"))
    if (
        drafting_unit is not None
        and drafting_unit.parent_id != organisation.pk
        and drafting_unit != organisation
    ):
        raise Refused(_("起草单位须为制定机关或其内设科室"))
    with transaction.atomic():
        document = NormativeDocument.objects.create(
            organisation=organisation,
            title=title,
            drafting_unit=drafting_unit,
            drafter=by,
            **fields,
        )
        _record(document, by, "create", note=title)
    return document


EDITABLE_STATES = [State.DRAFTING, State.REVISION]


def _stored(upload, data):
    """What a FileField is given on create: the uploaded bytes under the upload's name
    (stored at save, under document_upload_path), or no file."""
    return ContentFile(data, name=upload.name) if data is not None else ""


def _new_version(doc, *, by, upload, data, body, digest, note):
    """The document's next version (of the locked `doc`), its text split once into its
    articles (review.articles); a .doc, .wps or .pdf has no text and no articles."""
    current = doc.current_version
    version = DocumentVersion.objects.create(
        document=doc,
        number=(current.number if current else 0) + 1,
        file=_stored(upload, data),
        text=body,
        sha256=digest,
        note=note,
        created_by=by,
    )
    store_articles(version, body)
    return version


def store_articles(version, body):
    """The version's text split once into its stored articles (none for a file without
    text); a version received from another deployment (review.peers) is split alike."""
    VersionArticle.objects.bulk_create(
        VersionArticle(
            version=version,
            position=p.position,
            chapter=p.chapter,
            number=p.number,
            label=p.label,
            text=p.text,
        )
        for p in (articles.split(body) if body else [])
    )


VERSION_TYPES = ("docx", "doc", "wps", "pdf")


def _version_body(upload, text):
    """(bytes stored or None, text, SHA-256) of a new draft. A .docx gives its text; a
    .doc, .wps or .pdf is kept for download only (its text is not read: 无法分条显示)."""
    if upload is None:
        body = _required_text(text, _("正文"))
        return None, body, sha256_bytes(body.encode("utf-8"))
    data, ext = read_upload(upload, allowed=VERSION_TYPES)
    body = docx_text(data) if ext == "docx" else ""
    if ext == "docx" and not body:
        raise Refused(_("文档中没有正文文字"))
    return data, body, sha256_bytes(data)


def add_version(document, *, by, upload=None, text=None, note=""):
    """A new draft, from an uploaded file or from text; a .docx or a text is split once
    into its articles (review.articles)."""
    data, body, digest = _version_body(upload, text)
    with _locked(document) as doc:
        _require_state(doc, EDITABLE_STATES, _("提交新版本"))
        _require_role(by, doc.organisation, Role.DRAFTER)
        version = _new_version(
            doc, by=by, upload=upload, data=data, body=body, digest=digest, note=note
        )
        number = version.number
        _record(doc, by, "add_version", note=note, data={"number": number, "sha256": digest})
    return version


ATTACHMENT_ROLES = [
    Role.DRAFTER,
    Role.LEGAL_REVIEWER,
    Role.DELIBERATION_SECRETARY,
    Role.REGISTRAR,
    Role.FILING_CLERK,
]


def add_attachment(document, *, by, kind, upload=None, text=None, name=""):
    if kind not in AttachmentKind.values:
        raise Refused(_("未知的附件类型"))
    if upload is not None:
        data, _ext = read_upload(upload, allowed=("docx", "pdf", "txt"))
        name = name or upload.name
        content = ""
    else:
        content = _required_text(text, _("附件内容"))
        data = content.encode("utf-8")
        name = name or AttachmentKind(kind).label
    with _locked(document) as doc:
        _require_state(doc, BEFORE_TERMINAL, _("添加附件"))
        _require_role(by, doc.organisation, *ATTACHMENT_ROLES)
        attachment = Attachment.objects.create(
            document=doc,
            kind=kind,
            name=name,
            file=_stored(upload, data if upload is not None else None),
            text=content,
            sha256=sha256_bytes(data),
            uploaded_by=by,
        )
        _record(
            doc, by, "add_attachment", note=name, data={"kind": kind, "sha256": attachment.sha256}
        )
    return attachment


# --- public comment (§4) --------------------------------------------------


def comment_minimum(document):
    """(working days, calendar days) the period must at least last: rules.comment_minimum."""
    return rules.comment_minimum(
        document.settings,
        market_related=document.is_market_related,
        major_decision=document.is_major_decision,
    )


def publication_channel(document):
    """Where the body publishes (and takes comments): the jurisdiction's setting, else
    the body's own portal."""
    return document.settings.publication_channel or f"{document.organisation.name}门户网站"


def open_comment_period(
    document, *, by, opens_on, closes_on, channel="", urgent_reason="", on=None
):
    """The window counts both its first and last day ("自5月1日至5月30日" is 30 days)."""
    _date(opens_on, _("开始日期"))
    _date(closes_on, _("截止日期"))
    with _locked(document, on) as doc:
        _check_transition(doc, "open_comment", by)
        working, days = lifecycle.check_input(
            doc, "open_comment", opens_on=opens_on, closes_on=closes_on, urgent_reason=urgent_reason
        )
        period = CommentPeriod.objects.create(
            document=doc,
            version=doc.current_version,
            opens_on=opens_on,
            closes_on=closes_on,
            channel=channel or publication_channel(doc),
            urgent_reason=(urgent_reason or "").strip(),
        )
        before = _fire(doc, "open_comment", by)
        _record(
            doc,
            by,
            "open_comment",
            before,
            note=period.urgent_reason,
            data={
                "opens_on": opens_on,
                "closes_on": closes_on,
                "working_days": working,
                "days": days,
            },
        )
    return period


def close_comment_period(document, *, by, summary="", on=None, system=False):
    with _locked(document, on) as doc:
        _check_transition(doc, "close_comment", by, system)
        period = doc.comment_periods.order_by("-opens_on").first()
        before = _fire(doc, "close_comment", by, system)
        period.closed_at = timezone.now()
        period.summary = summary or period.summary
        period.save(update_fields=["closed_at", "summary"])
        received, digest = comments_digest(period)
        _record(
            doc,
            by,
            "close_comment",
            before,
            data={"period": period.pk, "received": received, "digest": digest},
        )
    return period


# 集体审议 has decided to pass: the document is the body's decision, not the drafter's.
DECIDED_STATES = [State.REGISTRATION, State.PUBLICATION]


def withdraw(document, *, by, reason, decision=""):
    """Before publication only. Once the collective deliberation has decided to pass
    the document (37号: 集体审议决定), the drafter cannot undo that decision: only a new
    decision of the body can, recorded by its deliberation secretary (`decision`: the
    meeting and its decision to withdraw)."""
    reason = _required_text(reason, _("撤回理由"))
    with _locked(document) as doc:
        note = reason
        if doc.state in DECIDED_STATES:
            if not has_role(by, doc.organisation, Role.DELIBERATION_SECRETARY):
                raise Refused(
                    _(
                        "集体审议已决定通过本文件，起草人不得撤回；"
                        "撤回须经集体审议重新作出决定，由集体审议秘书登记"
                    )
                )
            decision = _required_text(decision, _("重新作出撤回决定的会议"))
            note = f"{decision}：{reason}"
        before = _fire(doc, "withdraw", by)
        doc.end_note = note
        doc.save(update_fields=["end_note"])
        _record(doc, by, "withdraw", before, note=note)
    return document
