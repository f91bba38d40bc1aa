"""Collective deliberation (§5), then registration, numbering and publication (§6)."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import lifecycle, numbering, rules
from ..errors import Refused
from ..models import (
    Deliberation,
    NumberSequence,
    NumberSource,
    Publication,
    Registration,
)
from ..states import Role, State
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
from .drafting import publication_channel

# --- collective deliberation (§5) -----------------------------------------


def record_deliberation(
    document,
    *,
    by,
    meeting_type,
    meeting_date,
    attendance,
    outcome,
    minutes,
    dissent="",
    meeting_name="",
    on=None,
):
    """条例 art. 30: dissent is recorded as stated. 暂缓 keeps the document in deliberation."""
    _date(meeting_date, _("会议日期"))
    attendance = _required_text(attendance, _("出席人员"))
    minutes = _required_text(minutes, _("会议纪要"))
    if outcome not in Deliberation.Outcome.values:
        raise Refused(_("请选择审议结果"))
    with _locked(document, on) as doc:
        _require_state(doc, [State.DELIBERATION], _("记录集体审议"))
        _require_role(by, doc.organisation, Role.DELIBERATION_SECRETARY)
        lifecycle.check_input(doc, "approve", meeting_type=meeting_type)
        if meeting_date > doc.as_of:
            raise Refused(_("会议日期不得晚于今天"))
        lifecycle.check_input(doc, "deliberation_date", meeting_date=meeting_date)
        deliberation = Deliberation.objects.create(
            document=doc,
            meeting_type=meeting_type,
            meeting_name=meeting_name,
            meeting_date=meeting_date,
            attendance=attendance,
            outcome=outcome,
            dissent=(dissent or "").strip(),
            minutes=minutes,
            recorded_by=by,
        )
        data = {
            "outcome": outcome,
            "meeting_date": meeting_date,
            "dissent": bool(deliberation.dissent),
            "advisor_disagreed": any(not o.agrees for o in doc.advisor_opinions_on_current()),
        }
        if deliberation.passed:
            before = _fire(doc, "approve", by)
            _record(doc, by, "approve", before, note=meeting_name, data=data)
        elif outcome == Deliberation.Outcome.FAILED:
            before = _fire(doc, "reject_at_deliberation", by)
            _record(doc, by, "reject_at_deliberation", before, note=meeting_name, data=data)
        else:
            _record(doc, by, "defer_deliberation", note=meeting_name, data=data)
    return deliberation


# --- registration, numbering, publication (§6) ----------------------------


def _entered_number(doc, entered):
    """The 发文字号 the bureau's 公文 system allocated: checked by
    rules.check_entered_number (the form runs the same check), then not already used,
    compared on its parts. Returns (prefix, year, serial)."""
    prefix, year, serial = lifecycle.check_input(doc, "entered_number", number=entered)
    taken = (
        Registration.objects.filter(number_prefix=prefix, number_year=year, number_serial=serial)
        .select_related("document")
        .first()
    )
    if taken is not None:
        raise Refused(
            _("发文字号 %(number)s 已被《%(title)s》使用")
            % {"number": taken.number, "title": taken.document.title}
        )
    return prefix, year, serial


def register_and_number(document, *, by, number="", on=None):
    """三统一: the 文号 and the 登记号 are taken in the same transaction as the
    registration, so a refusal or a failure burns no number. Where the body's 公文
    system allocates its 发文字号 (Organisation.number_source), the registrar enters
    it (`number`); the gap-free 登记号 is always guifan's."""
    with _locked(document, on) as doc:
        entered = doc.organisation.number_source == NumberSource.ENTERED
        # The register lists a document by its 成文日期, the day it is registered.
        doc.register_sort_date = doc.as_of
        before = _fire(doc, "register", by, also=("register_sort_date",))
        year = doc.as_of.year
        reg_prefix = doc.settings.registration_prefix
        if entered:
            prefix, number_year, serial = _entered_number(doc, number)
        else:
            prefix, number_year = doc.organisation.issuing_code, year
            serial = numbering.next_serial(NumberSequence.Kind.DOCUMENT_NUMBER, prefix, year)
        reg_serial = numbering.next_serial(
            NumberSequence.Kind.REGISTRATION_NUMBER, reg_prefix, year
        )
        number = numbering.format_document_number(prefix, number_year, serial)
        reg_number = numbering.format_registration_number(reg_prefix, year, reg_serial)
        taken = Registration.objects.filter(Q(number=number) | Q(reg_number=reg_number)).first()
        if taken is not None:
            raise Refused(
                _("编号 %(number)s 已被《%(title)s》使用，请系统管理员核对编号序列后重试")
                % {
                    "number": number if taken.number == number else reg_number,
                    "title": taken.document.title,
                }
            )
        registration = Registration.objects.create(
            document=doc,
            version=doc.current_version,
            number_prefix=prefix,
            number_year=number_year,
            number_serial=serial,
            number=number,
            reg_prefix=reg_prefix,
            reg_year=year,
            reg_serial=reg_serial,
            reg_number=reg_number,
            signed_on=doc.as_of,
            registered_by=by,
        )
        _record(
            doc,
            by,
            "register",
            before,
            note=registration.number,
            data={
                "number": registration.number,
                "reg_number": registration.reg_number,
                "number_source": doc.organisation.number_source,
            },
        )
    return registration


def publish(
    document,
    *,
    by,
    published_on,
    channel="",
    url="",
    immediate_effect_reason="",
    effective_from=None,
    valid_until=None,
    provisional=None,
    provisional_reason="",
):
    """优化营商环境条例 art. 64: 未经公布的不得作为行政管理依据. The 施行日期 and 有效期至
    are what the document states (domain-rules §6), entered by the registrar and checked
    by rules.check_stated_dates; `provisional` (None: as the title says) chooses the
    暂行/试行 term, a different choice with its reason (rules.check_provisional).
    A caller that states no date (a script, an old test) gets the latest lawful ones:
    施行 30 days after publication unless the reason for immediate effect is recorded;
    valid 5 years, 暂行/试行 2."""
    _date(published_on, _("公布日期"))
    if effective_from is not None:
        _date(effective_from, _("施行日期"))
    if valid_until is not None:
        _date(valid_until, _("有效期至"))
    with _locked(document, published_on) as doc:
        _check_transition(doc, "publish", by)
        registration = doc.registration_or_none
        if registration is not None and published_on < registration.signed_on:
            raise Refused(_("公布日期不得早于成文日期 %(date)s") % {"date": registration.signed_on})
        if published_on > timezone.localdate():
            raise Refused(_("公布日期不得晚于今天"))
        reason = (immediate_effect_reason or "").strip()
        kind = rules.check_provisional(doc.title, provisional, provisional_reason)
        effective = effective_from or rules.earliest_effective_date(
            doc.settings, published_on, reason
        )
        valid_until = valid_until or rules.latest_valid_until(
            doc.settings, effective, provisional=kind
        )
        lifecycle.check_input(
            doc,
            "publish",
            published_on=published_on,
            effective_from=effective,
            valid_until=valid_until,
            immediate_effect_reason=reason,
            provisional=provisional,
            provisional_reason=provisional_reason,
        )
        _store_stated_dates(doc, effective, valid_until, reason, kind, provisional_reason)
        before = _fire(doc, "publish", by, also=STATED_DATE_FIELDS)
        publication = Publication.objects.create(
            document=doc,
            published_on=published_on,
            channel=channel or publication_channel(doc),
            url=url,
            published_by=by,
        )
        data = {
            "published_on": published_on,
            "effective_from": effective,
            "valid_until": doc.valid_until,
            "provisional": kind,
        }
        if doc.provisional_reason:
            data["provisional_reason"] = doc.provisional_reason
        _record(doc, by, "publish", before, note=reason, data=data)
    return publication


STATED_DATE_FIELDS = (
    "effective_from",
    "valid_until",
    "immediate_effect_reason",
    "provisional",
    "provisional_reason",
)


def _store_stated_dates(doc, effective, valid_until, reason, provisional, provisional_reason):
    doc.effective_from = effective
    doc.valid_until = valid_until
    doc.immediate_effect_reason = reason
    doc.provisional = provisional
    # The reason is kept only where the choice differs from what the title says.
    detected = rules.is_provisional(doc.title)
    doc.provisional_reason = "" if provisional == detected else (provisional_reason or "").strip()
