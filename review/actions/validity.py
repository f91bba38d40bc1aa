"""Validity and the end of a document's life (§8): expire, repeal, mark amended."""

from django.utils.translation import gettext as _

from ..errors import Refused
from ._base import (
    _fire,
    _locked,
    _record,
    _required_text,
)

# --- validity and the end of a document's life (§8) -----------------------


def expire(document, *, by=None, on=None, system=False):
    with _locked(document, on) as doc:
        before = _fire(doc, "expire", by, system)
        _record(doc, by, "expire", before, data={"valid_until": doc.valid_until})
    return document


def repeal(document, *, by, reason, repealed_by=None, on=None):
    reason = _required_text(reason, _("废止理由"))
    with _locked(document, on) as doc:
        before = _fire(doc, "repeal", by)
        doc.repealed_by = repealed_by
        doc.end_note = reason
        doc.save(update_fields=["repealed_by", "end_note"])
        _record(doc, by, "repeal", before, note=reason)
    return document


def mark_amended(document, *, by, amended_by, note="", on=None):
    if amended_by is None:
        raise Refused(_("请指明修改本文件的新文件"))
    with _locked(document, on) as doc:
        if amended_by.pk == doc.pk:
            raise Refused(_("文件不能修改自身"))
        before = _fire(doc, "mark_amended", by)
        doc.amended_by = amended_by
        doc.end_note = (note or "").strip()
        doc.save(update_fields=["amended_by", "end_note"])
        _record(doc, by, "mark_amended", before, note=note, data={"amended_by": amended_by.pk})
    return document
