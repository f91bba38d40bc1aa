"""Every operation on a document, one function each: checked, atomic, audited.

Views, flows, commands and the seed call these and nothing else. Each function
locks the document row, checks state, role and input, writes its records, moves
the state machine when the operation is a transition, and appends exactly one
audit event — all in one transaction, so a refusal changes nothing.
"""

import datetime
from contextlib import contextmanager

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit, lifecycle, numbering, rules
from .calendar import CalendarMissing, WorkingCalendar
from .errors import NotPermitted, Refused
from .models import (
    CHECKLIST_KEYS,
    FILING_REVIEW_KEYS,
    AdvisorOpinion,
    Attachment,
    AttachmentKind,
    Classification,
    CommentPeriod,
    Correction,
    Deliberation,
    DocumentVersion,
    Filing,
    FilingReview,
    LegalityReview,
    NormativeDocument,
    NumberSequence,
    Publication,
    Registration,
    ReviewOutcome,
    has_role,
    sha256_bytes,
)
from .states import BEFORE_TERMINAL, Role, State
from .uploads import docx_text, read_upload

__all__ = ["Refused", "NotPermitted", "CalendarMissing"]


# --- plumbing -------------------------------------------------------------


# The document's row only is locked (of=self); its organisation and that body's own
# jurisdiction settings (none: NULL) are read with it.
_FOR_UPDATE = NormativeDocument.objects.select_for_update(of=("self",)).select_related(
    "organisation", "organisation__settings"
)


@contextmanager
def _locked(document, on=None):
    """Lock the document's row for the length of the operation and hand back a fresh copy;
    the caller's instance takes its values when the operation has committed."""
    with transaction.atomic():
        fresh = _FOR_UPDATE.get(pk=document.pk)
        fresh.as_of = on or timezone.localdate()
        with fresh.reading_once():  # each record once between two writes
            yield fresh
    if document is not fresh:
        document.take_row_of(fresh)


def _calendar():
    return WorkingCalendar()


def _require_role(user, organisation, *roles):
    if not has_role(user, organisation, *roles):
        names = "、".join(str(Role(r).label) for r in roles)
        raise NotPermitted(
            _("只有%(org)s的%(roles)s可以执行此操作") % {"org": organisation, "roles": names}
        )


def _require_state(document, states, what):
    if document.state not in states:
        raise Refused(
            _("当前状态为“%(state)s”，不能%(action)s")
            % {"state": document.get_state_display(), "action": what}
        )


def _check_transition(document, name, by, system=False):
    """State first (a message), then role (403)."""
    found = lifecycle.transition_of(document, name)
    if found is None:
        raise Refused(lifecycle.refusals(document, name)[0])
    if not system and not found.has_perm(document, by):
        raise NotPermitted(_("您没有权限执行“%(action)s”") % {"action": lifecycle.label(name)})


def _fire(document, name, by, system=False, also=()):
    """Check everything and take the transition; returns the state it left. `also`: other
    fields of the document the action has set, stored in the same UPDATE as the state."""
    _check_transition(document, name, by, system)
    with lifecycle.guards_evaluated_once(document):
        reasons = lifecycle.refusals(document, name)
        if reasons:
            raise Refused("；".join(reasons))
        before = document.state
        getattr(document, name)(by=by)  # django-fsm checks the guards again: answered from memory
    # ConcurrentTransitionMixin: the UPDATE matches only while the row is in the state
    # it was read in, else ConcurrentTransition and nothing is written.
    document.save(update_fields=["state", "updated_at", *also])
    return before


def _record(document, by, action, before=None, note="", data=None):
    return audit.record(
        action=action,
        document=document,
        actor=by,
        from_state=before or document.state,
        to_state=document.state,
        note=note,
        data=data,
    )


def _required_text(value, what):
    value = (value or "").strip()
    if not value:
        raise Refused(_("请填写%(what)s") % {"what": what})
    return value


def _date(value, what):
    if not isinstance(value, datetime.date):
        raise Refused(_("请填写有效的%(what)s") % {"what": what})
    return value


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


def add_version(document, *, by, upload=None, text=None, note=""):
    """A new draft, from an uploaded .docx (its text extracted) or from text."""
    if upload is not None:
        data, _ext = read_upload(upload, allowed=("docx",))
        body = docx_text(data)
        if not body:
            raise Refused(_("文档中没有正文文字"))
        digest = sha256_bytes(data)
    else:
        body = _required_text(text, _("正文"))
        data = None
        digest = sha256_bytes(body.encode("utf-8"))
    with _locked(document) as doc:
        _require_state(doc, EDITABLE_STATES, _("提交新版本"))
        _require_role(by, doc.organisation, Role.DRAFTER)
        current = doc.current_version
        number = (current.number if current else 0) + 1
        version = DocumentVersion(
            document=doc, number=number, text=body, sha256=digest, note=note, created_by=by
        )
        if data is not None:
            from django.core.files.base import ContentFile

            version.file.save(upload.name, ContentFile(data), save=False)
        version.save()
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
        attachment = Attachment(
            document=doc,
            kind=kind,
            name=name,
            text=content,
            sha256=sha256_bytes(data),
            uploaded_by=by,
        )
        if upload is not None:
            from django.core.files.base import ContentFile

            attachment.file.save(upload.name, ContentFile(data), save=False)
        attachment.save()
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
        from .comments import comments_digest

        received, digest = comments_digest(period)
        _record(
            doc,
            by,
            "close_comment",
            before,
            data={"period": period.pk, "received": received, "digest": digest},
        )
    return period


# --- legality review (§3) -------------------------------------------------


def submit_for_review(document, *, by, requested_working_days=None, urgent_reason="", on=None):
    """115号: the legal division gets at least 5 (major decisions: 7) and at most 15
    working days; a shorter time only with the emergency recorded."""
    with _locked(document, on) as doc:
        _check_transition(doc, "submit_for_review", by)
        days = lifecycle.check_input(
            doc,
            "submit_for_review",
            requested_working_days=requested_working_days,
            urgent_reason=urgent_reason,
        )
        due_on = rules.legality_review_due(doc.as_of, days, _calendar())
        doc.classification = Classification.PENDING
        before = _fire(doc, "submit_for_review", by, also=("classification",))
        version = doc.current_version
        review = LegalityReview.objects.create(
            document=doc,
            version=version,
            version_sha256=version.sha256,
            due_on=due_on,
            urgent_reason=(urgent_reason or "").strip(),
        )
        _record(
            doc, by, "submit_for_review", before, data={"version": version.number, "due_on": due_on}
        )
    return review


def classify(document, *, by, normative, note=""):
    """The legal division decides whether it is a normative document (115号); one that
    is not is neither registered nor numbered."""
    with _locked(document) as doc:
        _require_state(doc, [State.LEGALITY_REVIEW], _("认定文件性质"))
        _require_role(by, doc.organisation, Role.LEGAL_REVIEWER)
        doc.classification = Classification.NORMATIVE if normative else Classification.NOT_NORMATIVE
        doc.classification_note = (note or "").strip()
        if not normative:
            doc.end_note = _required_text(note, _("认定理由"))
        doc.save(update_fields=["classification", "classification_note", "end_note"])
        if normative:
            _record(
                doc,
                by,
                "classify",
                note=doc.classification_note,
                data={"classification": doc.classification},
            )
        else:
            before = _fire(doc, "reject_as_not_normative", by)
            _record(doc, by, "reject_as_not_normative", before, note=doc.classification_note)
    return document


def record_legality_review(document, *, by, outcome, checklist, opinion):
    """Record the written opinion. 应当予以修改 and 不合法 send the draft back."""
    if outcome not in ReviewOutcome.values:
        raise Refused(_("请选择审核结论"))
    opinion = _required_text(opinion, _("审核意见"))
    missing = [
        key for key in CHECKLIST_KEYS if key not in (checklist or {}) or "ok" not in checklist[key]
    ]
    if missing:
        raise Refused(_("审核要点未逐项填写（共 %(n)s 项未填）") % {"n": len(missing)})
    problems = [key for key in CHECKLIST_KEYS if not checklist[key]["ok"]]
    if outcome == ReviewOutcome.LAWFUL and problems:
        raise Refused(_("审核要点中有 %(n)s 项存在问题，结论不得为“合法”") % {"n": len(problems)})
    if outcome != ReviewOutcome.LAWFUL and not problems:
        raise Refused(_("结论为“应当予以修改”或“不合法”时，须在审核要点中指出问题"))
    clean = {
        key: {"ok": bool(checklist[key]["ok"]), "note": str(checklist[key].get("note", ""))}
        for key in CHECKLIST_KEYS
    }
    with _locked(document) as doc:
        _require_state(doc, [State.LEGALITY_REVIEW], _("出具合法性审核意见"))
        _require_role(by, doc.organisation, Role.LEGAL_REVIEWER)
        if doc.classification != Classification.NORMATIVE:
            raise Refused(_("须先认定其属于行政规范性文件，再出具合法性审核意见"))
        review = doc.latest_review
        if review.outcome:
            raise Refused(_("本轮合法性审核已出具结论"))
        review.reviewer = by
        review.outcome = outcome
        review.checklist = clean
        review.opinion = opinion
        review.completed_at = timezone.now()
        review.save(update_fields=["reviewer", "outcome", "checklist", "opinion", "completed_at"])
        data = {"outcome": outcome, "sha256": review.version_sha256, "problems": problems}
        if outcome == ReviewOutcome.LAWFUL:
            _record(doc, by, "record_legality_review", note=opinion, data=data)
        else:
            before = _fire(doc, "return_for_revision", by)
            _record(doc, by, "return_for_revision", before, note=opinion, data=data)
    return review


def sign_advisor_opinion(document, *, by, opinion, agrees=True):
    """The advisor signs exactly the current version: a later revision makes it stale."""
    opinion = _required_text(opinion, _("法律顾问意见"))
    with _locked(document) as doc:
        _require_state(doc, [State.LEGALITY_REVIEW], _("签署法律顾问意见"))
        _require_role(by, doc.organisation, Role.LEGAL_ADVISOR)
        review = doc.latest_review
        version = doc.current_version
        signed = AdvisorOpinion.objects.create(
            review=review,
            advisor=by,
            version=version,
            version_sha256=version.sha256,
            opinion=opinion,
            agrees=agrees,
        )
        _record(
            doc,
            by,
            "sign_advisor_opinion",
            note=opinion,
            data={"sha256": version.sha256, "agrees": agrees},
        )
    return signed


def send_to_deliberation(document, *, by):
    with _locked(document) as doc:
        before = _fire(doc, "send_to_deliberation", by)
        _record(doc, by, "send_to_deliberation", before)
    return document


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


def register_and_number(document, *, by, on=None):
    """三统一: the 文号 and the 登记号 are taken in the same transaction as the
    registration, so a refusal or a failure burns no number."""
    with _locked(document, on) as doc:
        # The register lists a document by its 成文日期, the day it is registered.
        doc.register_sort_date = doc.as_of
        before = _fire(doc, "register", by, also=("register_sort_date",))
        year = doc.as_of.year
        prefix = doc.organisation.issuing_code
        reg_prefix = doc.settings.registration_prefix
        serial = numbering.next_serial(NumberSequence.Kind.DOCUMENT_NUMBER, prefix, year)
        reg_serial = numbering.next_serial(
            NumberSequence.Kind.REGISTRATION_NUMBER, reg_prefix, year
        )
        number = numbering.format_document_number(prefix, year, serial)
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
            number_year=year,
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
            data={"number": registration.number, "reg_number": registration.reg_number},
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
):
    """优化营商环境条例 art. 64: 未经公布的不得作为行政管理依据. The 施行日期 and 有效期至
    the document states are checked by rules.check_stated_dates; not given, they are
    the bounds themselves (施行 30 days after publication unless the reason for
    immediate effect is recorded; valid 5 years, 暂行/试行 2)."""
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
        settings = doc.settings
        reason = (immediate_effect_reason or "").strip()
        provisional = rules.is_provisional(doc.title)
        effective = effective_from or rules.earliest_effective_date(settings, published_on, reason)
        valid_until = valid_until or rules.latest_valid_until(
            settings, effective, provisional=provisional
        )
        lifecycle.check_input(
            doc,
            "publish",
            published_on=published_on,
            effective_from=effective,
            valid_until=valid_until,
            immediate_effect_reason=reason,
        )
        doc.effective_from = effective
        doc.valid_until = valid_until
        doc.immediate_effect_reason = reason
        before = _fire(
            doc, "publish", by, also=("effective_from", "valid_until", "immediate_effect_reason")
        )
        publication = Publication.objects.create(
            document=doc,
            published_on=published_on,
            channel=channel or publication_channel(doc),
            url=url,
            published_by=by,
        )
        _record(
            doc,
            by,
            "publish",
            before,
            note=reason,
            data={
                "published_on": published_on,
                "effective_from": effective,
                "valid_until": doc.valid_until,
            },
        )
    return publication


# --- filing (§7) ----------------------------------------------------------


def filing_materials(document, report_text):
    kinds = document.attachment_kinds()
    review = document.latest_review
    return {
        "report": bool((report_text or "").strip()),
        "official_text": document.registration_or_none is not None,
        "drafting_note": AttachmentKind.DRAFTING_NOTE in kinds,
        "legal_basis": AttachmentKind.LEGAL_BASIS in kinds,
        "legality_opinion": review is not None and review.passed,
    }


def _authority_of(document):
    """The body the document's organisation files with (read once per loaded organisation)."""
    return document.organisation.files_with


def default_filing_report(document):
    registration = document.registration_or_none
    return (
        f"{_authority_of(document)}：\n"
        f"    根据《法规规章备案条例》和有关规定，现将《{document.title}》（{registration.number}）"
        f"报送备案，请予审查。\n    {document.organisation}"
    )


def file_with_authority(document, *, by, on=None, report=""):
    """备案条例 art. 3: due 30 days after publication (民法典 art. 203 moves a deadline
    off a holiday). A resubmission after 暂缓办理 keeps the first deadline and restarts
    the review clock."""
    with _locked(document, on) as doc:
        _check_transition(doc, "file", by)
        calendar = _calendar()
        settings = doc.settings
        previous = doc.latest_filing
        due_on = (
            previous.due_on
            if previous
            else rules.filing_due(settings, doc.publication_or_none.published_on, calendar)
        )
        before = _fire(doc, "file", by)
        report = (report or "").strip() or default_filing_report(doc)
        filing = Filing.objects.create(
            document=doc,
            authority=_authority_of(doc),
            filed_on=doc.as_of,
            due_on=due_on,
            materials=filing_materials(doc, report),
            report=report,
            filed_by=by,
            resubmission_of=previous,
        )
        FilingReview.objects.create(
            filing=filing,
            received_on=doc.as_of,
            due_on=rules.filing_review_due(settings, doc.as_of, calendar),
        )
        _record(
            doc,
            by,
            "file",
            before,
            data={
                "authority": filing.authority.code,
                "due_on": due_on,
                "on_time": filing.on_time,
                "missing": filing.missing_materials,
            },
        )
    return filing


def _current_review(doc):
    filing = doc.latest_filing
    review = filing.review_or_none
    if review.outcome:
        raise Refused(_("本次报送已审查办结"))
    return review


def defer_filing(document, *, by, to_supply, on=None):
    to_supply = _required_text(to_supply, _("需补充或重新报送的材料"))
    with _locked(document, on) as doc:
        _check_transition(doc, "defer_filing", by)
        review = _current_review(doc)
        before = _fire(doc, "defer_filing", by)
        review.reviewer = by
        review.outcome = FilingReview.Outcome.DEFERRED
        review.formal_ok = False
        review.to_supply = to_supply
        review.decided_on = doc.as_of
        review.save(update_fields=["reviewer", "outcome", "formal_ok", "to_supply", "decided_on"])
        _record(doc, by, "defer_filing", before, note=to_supply)
    return review


def extend_filing_review(document, *, by, reason):
    """Review takes 30 days, extendable once by 20 (the lifecycle's condition)."""
    reason = _required_text(reason, _("延长理由"))
    with _locked(document) as doc:
        review = _current_review(doc) if doc.state == State.FILING_REVIEW else None
        _fire(doc, "extend_filing_review", by)
        review.due_on = rules.extended_filing_review_due(doc.settings, review.due_on, _calendar())
        review.extended = True
        review.save(update_fields=["due_on", "extended"])
        _record(doc, by, "extend_filing_review", note=reason, data={"due_on": review.due_on})
    return review


def _clean_substantive(substantive):
    missing = [
        key
        for key in FILING_REVIEW_KEYS
        if key not in (substantive or {}) or "ok" not in substantive[key]
    ]
    if missing:
        raise Refused(_("实质审查事项未逐项填写（共 %(n)s 项未填）") % {"n": len(missing)})
    return {
        key: {"ok": bool(substantive[key]["ok"]), "note": str(substantive[key].get("note", ""))}
        for key in FILING_REVIEW_KEYS
    }


def accept_filing(document, *, by, substantive, findings="", on=None):
    items = _clean_substantive(substantive)
    with _locked(document, on) as doc:
        _check_transition(doc, "accept_filing", by)
        review = _current_review(doc)
        review.reviewer = by
        review.formal_ok = True
        review.substantive = items
        review.outcome = FilingReview.Outcome.REGISTERED
        review.findings = (findings or "").strip()
        review.decided_on = doc.as_of
        # Stored before the transition: its guards read the review afresh and judge the
        # substantive review just recorded; a refusal rolls the review back with it.
        review.save()
        before = _fire(doc, "accept_filing", by)
        _record(doc, by, "accept_filing", before, note=review.findings)
    return review


def require_correction(document, *, by, substantive, findings, suggestion, on=None):
    """备案条例 art. 17: a 审查建议 with a deadline (30 days) for the body to correct itself."""
    items = _clean_substantive(substantive)
    findings = _required_text(findings, _("审查意见"))
    suggestion = _required_text(suggestion, _("审查建议"))
    if all(item["ok"] for item in items.values()):
        raise Refused(_("实质审查未发现问题，不能提出纠错建议"))
    with _locked(document, on) as doc:
        _check_transition(doc, "require_correction", by)
        review = _current_review(doc)
        deadline = rules.correction_due(doc.settings, doc.as_of, _calendar())
        before = _fire(doc, "require_correction", by)
        review.reviewer = by
        review.formal_ok = doc.latest_filing.materials_complete
        review.substantive = items
        review.outcome = FilingReview.Outcome.REFUSED
        review.findings = findings
        review.decided_on = doc.as_of
        review.save()
        correction = Correction.objects.create(
            document=doc,
            filing_review=review,
            suggestion=suggestion,
            issued_on=doc.as_of,
            deadline=deadline,
        )
        _record(doc, by, "require_correction", before, note=suggestion, data={"deadline": deadline})
    return correction


def report_correction(document, *, by, handling_report, on=None):
    handling_report = _required_text(handling_report, _("处理情况报告"))
    with _locked(document, on) as doc:
        _check_transition(doc, "report_correction", by)
        correction = doc.open_correction
        correction.handling_report = handling_report
        correction.reported_on = doc.as_of
        correction.save(update_fields=["handling_report", "reported_on"])
        before = _fire(doc, "report_correction", by)
        _record(
            doc,
            by,
            "report_correction",
            before,
            note=handling_report,
            data={"on_time": doc.as_of <= correction.deadline},
        )
    return correction


def accept_correction(document, *, by, note="", on=None):
    with _locked(document, on) as doc:
        before = _fire(doc, "accept_correction", by)
        correction = doc.open_correction
        correction.closed_on = doc.as_of
        correction.closed_by = by
        correction.save(update_fields=["closed_on", "closed_by"])
        _record(doc, by, "accept_correction", before, note=note)
    return correction


def reopen_correction(document, *, by, reason, on=None):
    reason = _required_text(reason, _("继续纠正的理由"))
    with _locked(document, on) as doc:
        before = _fire(doc, "reopen_correction", by)
        correction = doc.open_correction
        correction.reported_on = None
        correction.save(update_fields=["reported_on"])
        _record(doc, by, "reopen_correction", before, note=reason)
    return correction


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


def withdraw(document, *, by, reason):
    reason = _required_text(reason, _("撤回理由"))
    with _locked(document) as doc:
        before = _fire(doc, "withdraw", by)
        doc.end_note = reason
        doc.save(update_fields=["end_note"])
        _record(doc, by, "withdraw", before, note=reason)
    return document
