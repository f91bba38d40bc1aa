"""Validity and the end of a document's life (§8): expire, repeal, mark amended,
declare invalid. Each records the first day the document is no longer in force
(`ended_on`) and why (`end_cause`), so that a catalogue as of any day can be
drawn from the dates (rules.in_force_on) rather than from today's state."""

from django.utils.translation import gettext as _

from .. import lifecycle, rules
from ..choices import EndCause
from ..errors import Refused
from ._base import (
    _check_transition,
    _date,
    _fire,
    _locked,
    _record,
    _required_text,
)

# --- validity and the end of a document's life (§8) -----------------------

END_FIELDS = ("ended_on", "end_cause", "end_decision_number", "end_note")


def _end(doc, name, by, *, ended_on, cause, decision_number="", note="", system=False):
    """The state and role first (as _fire checks them), then the stated end date against
    the document's dates (lifecycle.check_input: rules.check_end_date, as the form checks
    it); sets the end fields."""
    _check_transition(doc, name, by, system)
    lifecycle.check_input(doc, name, ended_on=ended_on)
    doc.ended_on = ended_on
    doc.end_cause = cause
    doc.end_decision_number = (decision_number or "").strip()
    doc.end_note = (note or "").strip()


def _end_data(doc, **extra):
    data = {"ended_on": doc.ended_on, "end_cause": doc.end_cause, **extra}
    if doc.end_decision_number:
        data["decision_number"] = doc.end_decision_number
    return data


def expire(document, *, by=None, on=None, system=False):
    """有效期届满: no longer in force from the day after 有效期至."""
    with _locked(document, on) as doc:
        if doc.valid_until is not None:
            doc.ended_on = rules.expiry_ends_on(doc.valid_until)
        doc.end_cause = EndCause.EXPIRED
        before = _fire(doc, "expire", by, system, also=("ended_on", "end_cause"))
        _record(doc, by, "expire", before, data=_end_data(doc, valid_until=doc.valid_until))
    return document


def repeal(
    document,
    *,
    by,
    reason,
    repealed_by=None,
    decision_number="",
    ended_on=None,
    on=None,
    system=False,
):
    """废止 by a decision: the repealing document in the system (`repealed_by`, its 文号
    taken from its registration) or the 文号 of a decision made elsewhere
    (`decision_number`, e.g. 清理 by the government). `ended_on`: the first day no
    longer in force as the decision states it (自某日起废止), by default the day recorded.
    `system`: the role was checked by the caller (a 清理 decision of the legal division,
    the timer recording a re-issued document's effect)."""
    reason = _required_text(reason, _("废止理由"))
    if ended_on is not None:
        _date(ended_on, _("废止日期"))
    number = (decision_number or "").strip()
    if repealed_by is None and not number:
        raise Refused(_("请填写废止决定的文号，或选择废止本文件的文件"))
    with _locked(document, on) as doc:
        if repealed_by is not None and repealed_by.pk == doc.pk:
            raise Refused(_("文件不能废止自身"))
        if not number and repealed_by is not None:
            registration = repealed_by.registration_or_none
            number = registration.number if registration else ""
        _end(
            doc,
            "repeal",
            by,
            ended_on=ended_on or doc.as_of,
            cause=EndCause.REPEALED,
            decision_number=number,
            note=reason,
            system=system,
        )
        doc.repealed_by = repealed_by
        before = _fire(doc, "repeal", by, system, also=("repealed_by", *END_FIELDS))
        _record(doc, by, "repeal", before, note=reason, data=_end_data(doc))
    return document


def mark_amended(document, *, by, amended_by, note="", ended_on=None, on=None, system=False):
    """修改 by another document: this one is no longer in force, as amended, from the day
    the amending document takes effect (its 施行日期), unless `ended_on` is stated."""
    if amended_by is None:
        raise Refused(_("请指明修改本文件的新文件"))
    if ended_on is not None:
        _date(ended_on, _("失效日期"))
    with _locked(document, on) as doc:
        if amended_by.pk == doc.pk:
            raise Refused(_("文件不能修改自身"))
        registration = amended_by.registration_or_none
        _end(
            doc,
            "mark_amended",
            by,
            ended_on=ended_on or amended_by.effective_from or doc.as_of,
            cause=EndCause.AMENDED,
            decision_number=registration.number if registration else "",
            note=note,
            system=system,
        )
        doc.amended_by = amended_by
        before = _fire(doc, "mark_amended", by, system, also=("amended_by", *END_FIELDS))
        _record(
            doc,
            by,
            "mark_amended",
            before,
            note=note,
            data=_end_data(doc, amended_by=amended_by.pk),
        )
    return document


def declare_invalid(document, *, by, decision_number, reason, ended_on=None, on=None, system=False):
    """宣布失效 (清理, domain-rules §8): by a decision with its 文号, from the day it states."""
    number = _required_text(decision_number, _("宣布失效决定的文号"))
    reason = _required_text(reason, _("宣布失效的理由"))
    if ended_on is not None:
        _date(ended_on, _("失效日期"))
    with _locked(document, on) as doc:
        _end(
            doc,
            "declare_invalid",
            by,
            ended_on=ended_on or doc.as_of,
            cause=EndCause.DECLARED_INVALID,
            decision_number=number,
            note=reason,
            system=system,
        )
        before = _fire(doc, "declare_invalid", by, system, also=END_FIELDS)
        _record(doc, by, "declare_invalid", before, note=reason, data=_end_data(doc))
    return document
