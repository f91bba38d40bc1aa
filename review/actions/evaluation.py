"""Evaluation before expiry (domain-rules §8): opened by the daily timer on
有效期至 − N months (rules.evaluation_opens_on), concluded by the drafting unit or the
legal division with its outcome and report, and — for a document re-issued after
evaluation — the old document's end recorded on the day the new one takes effect.

Outcomes:
- 到期失效: nothing changes now; the timer expires the document the day after 有效期至.
- 废止: the conclusion is recorded; the catalogue changes when the registrar records
  the repeal decision (review.actions.validity.repeal) with its 文号 and date.
- 修改, and 继续有效 unless the jurisdiction records it as a decision only
  (`evaluation_continue_by_record`): a new document is created in 起草 and goes through
  the whole lifecycle (workflows.evaluation starts its issuing process); when it takes
  effect, the timer records the old one's end (mark_amended for 修改, repeal by the new
  document for 继续有效), dated the new one's 施行日期.
"""

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import audit, rules
from ..choices import EvaluationOutcome
from ..errors import NotPermitted, Refused
from ..models import Evaluation, NormativeDocument, has_role, sha256_bytes
from ..states import IN_FORCE_STATES, PUBLISHED_STATES, Role
from ..uploads import read_upload
from .validity import mark_amended, repeal

REISSUED = (EvaluationOutcome.CONTINUE, EvaluationOutcome.AMEND)
COPIED_FIELDS = (
    "organisation_id",
    "drafting_unit_id",
    "category",
    "legal_basis",
    "is_important",
    "is_market_related",
    "is_major_decision",
    "involves_fair_competition",
)


def evaluator_of(document):
    """Who evaluates: the drafter, while the document was drafted here (not imported)
    and the drafter still holds the drafter role in the issuing body; else nobody in
    person, and the legal division's queue (合法性审核人员 of the issuing body) holds it."""
    drafter = document.drafter
    if document.imported or drafter is None or not drafter.is_active:
        return None
    return drafter if has_role(drafter, document.organisation_id, Role.DRAFTER) else None


def may_conclude(evaluation, user):
    """The assignee, or the issuing body's legal division (which holds the queue)."""
    if user is None or not user.is_authenticated:
        return False
    if evaluation.assignee_id is not None and evaluation.assignee_id == user.pk:
        return True
    return has_role(user, evaluation.organisation_id, Role.LEGAL_REVIEWER)


def open_evaluation(document, *, on=None):
    """Open the evaluation of `document`'s current 有效期至, once (idempotent: the unique
    (document, 有效期至) makes a second call return the first). Returns (evaluation,
    created). One audit event, `open_evaluation`, when created."""
    on = on or timezone.localdate()
    opens_on = rules.evaluation_opens_on(document.settings, document.valid_until)
    existing = Evaluation.objects.filter(document=document, valid_until=document.valid_until)
    found = existing.first()
    if found is not None:
        return found, False
    assignee = evaluator_of(document)
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(
                document=document,
                valid_until=document.valid_until,
                opens_on=opens_on,
                organisation_id=document.organisation_id,
                assignee=assignee,
            )
            audit.record(
                action="open_evaluation",
                document=document,
                from_state=document.state,
                to_state=document.state,
                note=_("有效期至 %(date)s，届满前评估") % {"date": document.valid_until},
                data={
                    "evaluation": evaluation.pk,
                    "valid_until": document.valid_until,
                    "opens_on": opens_on,
                    "assignee": assignee.pk if assignee else None,
                    "queue": "" if assignee else Role.LEGAL_REVIEWER,
                },
            )
    except IntegrityError:  # another run opened it meanwhile
        return existing.get(), False
    return evaluation, True


def _successor(document, by, evaluation):
    fields = {name: getattr(document, name) for name in COPIED_FIELDS}
    drafter = by if has_role(by, document.organisation_id, Role.DRAFTER) else None
    successor = NormativeDocument.objects.create(title=document.title, drafter=drafter, **fields)
    audit.record(
        action="create",
        document=successor,
        actor=by,
        from_state=successor.state,
        to_state=successor.state,
        note=successor.title,
        data={"evaluation_of": document.pk, "evaluation": evaluation.pk},
    )
    return successor


def conclude_evaluation(evaluation, *, by, outcome, report, note="", on=None):
    """Record the evaluation's outcome with its report (.docx, .pdf): the assignee or the
    legal division. 修改 and (unless recorded only) 继续有效 create the new document; the
    caller starts its issuing process. One audit event on the evaluated document."""
    if outcome not in EvaluationOutcome.values:
        raise Refused(_("请选择评估结论"))
    if report is None:
        raise Refused(_("请上传评估报告"))
    data, _ext = read_upload(report, allowed=("docx", "pdf"))
    with transaction.atomic():
        evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
        document = NormativeDocument.objects.select_related("organisation").get(
            pk=evaluation.document_id
        )
        if not may_conclude(evaluation, by):
            raise NotPermitted(_("只有承办人或本机关法制机构可以办理该评估"))
        if evaluation.status != Evaluation.Status.OPEN:
            raise Refused(_("该评估已办结"))
        if document.state not in IN_FORCE_STATES:
            raise Refused(
                _("文件当前状态为“%(state)s”，无需评估") % {"state": document.get_state_display()}
            )
        reissue = outcome in REISSUED and not (
            outcome == EvaluationOutcome.CONTINUE
            and document.settings.evaluation_continue_by_record
        )
        evaluation.successor = _successor(document, by, evaluation) if reissue else None
        evaluation.report.save(report.name, ContentFile(data), save=False)
        evaluation.report_sha256 = sha256_bytes(data)
        evaluation.outcome = outcome
        evaluation.note = (note or "").strip()
        evaluation.status = Evaluation.Status.CONCLUDED
        evaluation.concluded_on = on or timezone.localdate()
        evaluation.concluded_by = by
        evaluation.save()
        audit.record(
            action="conclude_evaluation",
            document=document,
            actor=by,
            from_state=document.state,
            to_state=document.state,
            note=str(EvaluationOutcome(outcome).label),
            data={
                "evaluation": evaluation.pk,
                "outcome": outcome,
                "report_sha256": evaluation.report_sha256,
                "successor": evaluation.successor_id,
            },
        )
    return evaluation


def successors_in_effect(today):
    """Evaluations whose new document has been published and takes effect by `today`
    while the old one is still recorded in force: the timer ends the old ones."""
    return (
        Evaluation.objects.filter(
            successor__isnull=False,
            successor__state__in=PUBLISHED_STATES,
            successor__effective_from__lte=today,
            document__state__in=IN_FORCE_STATES,
        )
        .select_related("document", "successor", "successor__registration")
        .order_by("pk")
    )


def record_successor_effect(evaluation, *, on=None):
    """The old document's end, on the day its re-issued successor takes effect (its
    施行日期): 修改 → mark_amended; 继续有效 (re-issued) → repealed by the new document.
    A successor taking effect after the old one lapsed leaves it expired (the timer
    expired it first). Recorded by the system: the decision was the evaluation's and the
    new document's; the audit event names both."""
    old, new = evaluation.document, evaluation.successor
    if evaluation.outcome == EvaluationOutcome.AMEND:
        return mark_amended(
            old, by=None, amended_by=new, ended_on=new.effective_from, on=on, system=True
        )
    return repeal(
        old,
        by=None,
        reason=_("经评估继续有效，重新制发《%(title)s》") % {"title": new.title},
        repealed_by=new,
        ended_on=new.effective_from,
        on=on,
        system=True,
    )
