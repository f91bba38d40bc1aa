"""审查意见征集: during a legality review (§3) or a filing review (§7) the reviewer asks
a named organisation or an expert for an opinion on the document by a date. An
expert with an account (Role.EXPERT) answers on the desk; an outside one through a
one-time link that expires (rules.consultation_link_expires_on; only its SHA-256 is
stored). Answers come back into the review (shown beside the text, listed in the
opinion letter); a late answer is taken and marked. One audit event per step."""

import datetime
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import audit, rules
from ..calendar import WorkingCalendar
from ..errors import NotPermitted, Refused
from ..models import Consultation, Membership, has_role
from ..states import Role, State

# Who asks, in which state of the document.
STAGES = {
    Consultation.Stage.LEGALITY: (Role.LEGAL_REVIEWER, [State.LEGALITY_REVIEW]),
    Consultation.Stage.FILING: (Role.FILING_REVIEWER, [State.FILING_REVIEW, State.UNDER_REVIEW]),
}


def token_digest(token):
    return hashlib.sha256((token or "").encode("utf-8")).hexdigest()


def _asking_body(document, stage):
    if stage == Consultation.Stage.LEGALITY:
        return document.organisation_id
    filing = document.latest_filing
    return filing.authority_id if filing else document.organisation.files_with_id


def stage_now(document, user):
    """The stage in which `user` may ask about `document` today, or None."""
    for stage, (role, states) in STAGES.items():
        if document.state in states and has_role(user, _asking_body(document, stage), role):
            return stage
    return None


def is_expert(user):
    return Membership.objects.filter(user=user, role=Role.EXPERT).exists()


def ask(document, *, by, addressee, question, due_on, expert=None, outside=False, on=None):
    """Ask for an opinion by `due_on`. `expert`: a user holding Role.EXPERT; `outside`:
    a one-time link. Returns (consultation, token); the token (only for a link) is
    shown to the reviewer once, to send."""
    stage = stage_now(document, by)
    if stage is None:
        raise NotPermitted(_("只有正在审核或审查该文件的人员可以征求意见"))
    question = (question or "").strip()
    if not question:
        raise Refused(_("请填写征求意见的事项"))
    if not isinstance(due_on, datetime.date):
        raise Refused(_("请填写答复期限"))
    if bool(expert) == bool(outside):
        raise Refused(_("请选择一位专家，或者生成系统外专家、单位的一次性链接（二者择一）"))
    if expert is not None and not is_expert(expert):
        raise Refused(_("所选用户不是专家"))
    addressee = (addressee or "").strip() or (expert.get_full_name() if expert else "")
    if not addressee:
        raise Refused(_("请填写征求对象（单位或专家姓名）"))
    today = on or timezone.localdate()
    rules.check_consultation_due(today, due_on)
    token = None
    with transaction.atomic():
        consultation = Consultation(
            document=document,
            version=document.current_version,
            stage=stage,
            addressee=addressee[:120],
            expert=expert,
            question=question,
            asked_on=today,
            due_on=due_on,
            asked_by=by,
        )
        if outside:
            token = secrets.token_urlsafe(32)
            consultation.token_hash = token_digest(token)
            last = rules.consultation_link_expires_on(document.settings, today, WorkingCalendar())
            consultation.link_expires_at = timezone.make_aware(
                datetime.datetime.combine(last, datetime.time.max)
            )
        consultation.save()
        _record(consultation, by, "consultation_asked", data={"due_on": due_on, "link": outside})
    return consultation, token


def _record(consultation, by, action, data=None):
    document = consultation.document
    audit.record(
        action=action,
        document=document,
        actor=by,
        from_state=document.state,
        to_state=document.state,
        note=consultation.addressee,
        data={"consultation": consultation.pk, "stage": consultation.stage, **(data or {})},
    )


def _answer(consultation, text, by=None, now=None):
    text = (text or "").strip()
    if not text:
        raise Refused(_("请填写答复意见"))
    if consultation.answered:
        raise Refused(_("该征求意见已答复"))
    now = now or timezone.now()
    consultation.answer = text
    consultation.answered_at = now
    consultation.answered_on = timezone.localdate(now)
    consultation.token_hash = ""  # one time: the link answers no more
    consultation.save(update_fields=["answer", "answered_at", "answered_on", "token_hash"])
    _record(consultation, by, "consultation_answered", data={"late": consultation.late})
    return consultation


def answer_as_expert(consultation, *, by, text, now=None):
    with transaction.atomic():
        row = (
            Consultation.objects.select_for_update()
            .select_related("document")
            .get(pk=consultation.pk)
        )
        if row.expert_id is None or row.expert_id != by.pk:
            raise NotPermitted(_("只有被征求意见的专家可以答复"))
        return _answer(row, text, by=by, now=now)


def by_token(token, now=None):
    """The consultation an outside link opens, or Refused when it is unknown, used or
    expired (the same words for each: the link says nothing about others)."""
    now = now or timezone.now()
    found = (
        Consultation.objects.select_related("document", "version")
        .filter(token_hash=token_digest(token))
        .exclude(token_hash="")
        .first()
    )
    if found is None or found.link_expires_at is None or now > found.link_expires_at:
        raise Refused(_("链接已失效或已使用，请与征求意见的机关联系"))
    return found


def answer_by_link(token, *, text, name="", now=None):
    with transaction.atomic():
        found = by_token(token, now)
        row = Consultation.objects.select_for_update().select_related("document").get(pk=found.pk)
        if name.strip():
            row.addressee = f"{row.addressee}（{name.strip()[:40]}）"[:120]
            row.save(update_fields=["addressee"])
        return _answer(row, text, now=now)
