"""A citizen's 审查建议 (法规规章备案条例 art. 9): the checks on what is entered, the
receipt and the submission. The public form and any other caller go through
`submit_suggestion`, so they refuse with the same words and a refusal writes nothing."""

import hashlib
import secrets

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import audit, rules
from ..calendar import WorkingCalendar
from ..comments.submission import RECEIPT_ALPHABET, clean_contact, ip_hash
from ..errors import Refused
from ..models import PUBLISHED_STATES, NormativeDocument, Organisation, ReviewSuggestion
from ..text import clean_text
from ..uploads import UploadRejected, read_upload

MAX_CHARS = 5000
# Evidence: the document types other uploads accept, and a photograph or scan.
EVIDENCE_TYPES = ("pdf", "docx", "doc", "wps", "jpg", "jpeg", "png")
IMAGE_MAGIC = {"jpg": b"\xff\xd8\xff", "jpeg": b"\xff\xd8\xff", "png": b"\x89PNG\r\n\x1a\n"}


def authorities():
    """The filing authorities a suggestion may be addressed to: every body another
    body files with (the public form's list)."""
    filers = Organisation.objects.filter(files_with=OuterRef("pk"))
    return Organisation.objects.filter(Exists(filers)).order_by("code")


def published_documents():
    return NormativeDocument.objects.filter(state__in=PUBLISHED_STATES)


def search_documents(query, limit=20):
    """Published documents whose title or 文号 contains `query` (the public search)."""
    query = (query or "").strip()
    if not query:
        return []
    found = published_documents().filter(
        Q(title__icontains=query) | Q(registration__number__icontains=query)
    )
    return list(found.select_related("organisation", "registration").order_by("-pk")[:limit])


def authority_of(document):
    """The body that reviews `document`: where it was filed, else where its body files."""
    filing = document.filings.select_related("authority").order_by("-filed_on", "-pk").first()
    return filing.authority if filing else document.organisation.files_with


def new_receipt(day):
    token = "".join(secrets.choice(RECEIPT_ALPHABET) for _i in range(10))
    return f"JY{day:%Y%m%d}-{token}"


def _text(value, what, required=True):
    value = clean_text((value or "").replace("\r\n", "\n")).strip()
    if required and not value:
        raise Refused(_("请填写%(what)s") % {"what": what})
    if len(value) > MAX_CHARS:
        raise Refused(
            _("%(what)s过长（%(n)s 字），最多 %(max)s 字")
            % {"what": what, "n": len(value), "max": MAX_CHARS}
        )
    return value


def clean_evidence(upload):
    """(bytes, extension) of the evidence, checked as every upload is (size, type,
    zip bombs, macros); a picture must be what its name says. None without one."""
    if upload is None:
        return None
    data, ext = read_upload(upload, allowed=EVIDENCE_TYPES)
    magic = IMAGE_MAGIC.get(ext)
    if magic and not data.startswith(magic):
        raise UploadRejected(_("文件内容与扩展名不符（.%(ext)s）") % {"ext": ext})
    return data, ext


def _target(document_id, authority_code, described):
    """(document or None, authority): a published document found by the citizen, or
    their description and the authority they chose."""
    if document_id:
        document = (
            published_documents()
            .select_related("organisation__files_with")
            .filter(pk=document_id)
            .first()
        )
        if document is None:
            raise Refused(_("所选文件不存在或尚未公布"))
        authority = authority_of(document)
        if authority is None:
            raise Refused(_("所选文件没有备案审查机关，请描述文件并选择备案审查机关"))
        return document, authority
    if not described:
        raise Refused(_("请选择所涉文件，或者填写文件名称、文号并选择备案审查机关"))
    authority = authorities().filter(code=(authority_code or "").strip()).first()
    if authority is None:
        raise Refused(_("请从列表中选择备案审查机关"))
    return None, authority


def submit_suggestion(
    *,
    provisions,
    reasons,
    submitter_name,
    contact,
    document_id=None,
    described_document="",
    authority_code="",
    evidence=None,
    address="",
    now=None,
):
    """Accept one 审查建议; it is committed when this returns (the receipt may then be
    shown). Refused, with nothing written, when anything is missing or wrong."""
    provisions = _text(provisions, _("所涉条款"))
    reasons = _text(reasons, _("建议理由"))
    described = _text(described_document, _("文件名称及文号"), required=False)
    submitter_name = _text(submitter_name, _("姓名或单位名称"))
    if len(submitter_name) > 100:
        raise Refused(_("姓名或单位名称过长（最多 100 个字符）"))
    if not (contact or "").strip():
        raise Refused(_("请填写联系方式：审查建议将以书面形式答复"))
    contact = clean_contact(contact)
    document, authority = _target(document_id, authority_code, described)
    checked = clean_evidence(evidence)
    now = now or timezone.now()
    day = timezone.localdate(now)
    settings = authority.jurisdiction
    due_on = rules.suggestion_due(settings, day, WorkingCalendar())
    with transaction.atomic():
        suggestion = ReviewSuggestion(
            receipt=new_receipt(day),
            authority=authority,
            document=document,
            described_document=described if document is None else "",
            provisions=provisions,
            reasons=reasons,
            submitter_name=submitter_name,
            contact=contact,
            ip_hash=ip_hash(address),
            submitted_at=now,
            received_on=day,
            due_on=due_on,
            due_on_provisional=rules.is_provisional_deadline(due_on),
        )
        if checked is not None:
            data, ext = checked
            suggestion.evidence_name = getattr(evidence, "name", "")[:200]
            suggestion.evidence_sha256 = hashlib.sha256(data).hexdigest()
            suggestion.evidence.save(f"evidence.{ext}", ContentFile(data), save=False)
        suggestion.save()
        # No name or contact in the audit chain: it is kept for ever, they are not.
        audit.record(
            action="suggestion_received",
            document=document,
            from_state=document.state if document else "",
            to_state=document.state if document else "",
            note=str(_("收到审查建议")),
            data={
                "receipt": suggestion.receipt,
                "authority": authority.code,
                "due_on": due_on,
                "evidence_sha256": suggestion.evidence_sha256,
            },
        )
    return suggestion
