"""Who acts next: the issuing process (制定流程) and the filing review (备案审查流程).

Pure wiring. Every human task calls one `review.actions` function from its
page (workflows.handlers); gateways read the state the action left; nothing here
writes a state field or decides a rule. 37号 order: drafting → public comment
(when the document requires it) → legality review with the advisor's sign-off
in parallel → deliberation → registration → publication → filing.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock
from viewflow.workflow.status import STATUS

from review import actions, audit
from review.states import Role, State

from .models import DocumentProcess, processes_of
from .nodes import (
    AUTHORITY,
    DUE_SOON_DAYS,
    RoleView,
    correction_due,
    document_of,
    filing_due,
    filing_review_due,
    legality_review_due,
    timeout_at,
    with_due,
)


def in_state(*states):
    return lambda activation: document_of(activation.process).state in states


def advisor_to_sign(activation):
    """The advisor signs when the jurisdiction requires it and has not yet signed the
    current text (a revision makes an earlier signature stale)."""
    document = document_of(activation.process)
    if not document.settings.advisor_signoff_required:
        return False
    current = document.current_version
    return current is None or current.sha256 not in document.advisor_signed_texts()


def review_reopened(activation):
    """The legality review has a round without a conclusion: an advisor disagreed."""
    document = document_of(activation.process)
    review = document.latest_review
    return document.state == State.LEGALITY_REVIEW and review is not None and not review.outcome


class DocumentFlow(flow.Flow):
    """Shared plumbing: start on a document, permissions by role, deadline escalations."""

    process_class = DocumentProcess
    lock_impl = lock.select_for_update_lock

    class Meta:
        abstract = True

    def has_view_permission(self, user, obj=None):
        # Object-level visibility is NormativeDocument.objects.visible_to; tasks by role keys.
        return user.is_authenticated

    def start_process(self, activation, document):
        activation.process.artifact = document
        activation.process._guifan_document = document
        activation.process.save()
        return activation.process

    def _host_task(self, activation):
        timer_task = activation.task.previous.first()
        return timer_task.previous.first() if timer_task else None

    def warn_due_soon(self, activation):
        host = self._host_task(activation)
        if host is not None and host.finished is None:
            host.data = {**(host.data or {}), "escalation": "due_soon"}
            host.save(update_fields=["data"])

    def mark_overdue(self, activation):
        """Escalate a task still open after its deadline: marked in the inbox and audited."""
        host = self._host_task(activation)
        if host is None or host.finished is not None:
            return
        document = document_of(activation.process)
        due = host.flow_task.due(document) if getattr(host.flow_task, "due", None) else None
        if due is not None and timezone.localdate() <= due:  # the deadline was extended meanwhile
            host.data = with_due(host.data, due)
            host.save(update_fields=["data"])
            return
        host.data = {**(host.data or {}), "escalation": "overdue"}
        host.save(update_fields=["data"])
        audit.record(
            action="task_overdue",
            document=document,
            from_state=document.state,
            to_state=document.state,
            note=str(host.flow_task.task_title or host.flow_task.name),
            data={"task": host.pk, "due_on": (host.data or {}).get("due_on", "")},
        )


def _escalating(node):
    return node.OnTimeout(
        timeout_at(node.due, DUE_SOON_DAYS), this.due_soon, interrupting=False
    ).OnTimeout(timeout_at(node.due), this.overdue, interrupting=False)


class IssuingFlow(DocumentFlow):
    """制定流程"""

    process_title = _("制定流程")

    start = flow.StartHandle(this.start_process).Next(this.draft)
    # A document that already exists (demo seed, imported register) joins at its state.
    adopt = flow.StartHandle(this.start_process).Next(this.route_adopted)
    route_adopted = (
        flow.Switch()
        .Case(this.draft, in_state(State.DRAFTING, State.REVISION))
        .Case(this.comment, in_state(State.PUBLIC_COMMENT))
        .Case(this.split_review, in_state(State.LEGALITY_REVIEW))
        .Case(this.deliberate, in_state(State.DELIBERATION))
        .Case(this.register, in_state(State.REGISTRATION))
        .Case(this.publish, in_state(State.PUBLICATION))
        .Case(this.file, in_state(State.FILING))
        .Default(this.end)
    )

    draft = (
        RoleView(Role.DRAFTER)
        .Annotation(title=_("起草与送审"))
        .Assign(lambda activation: document_of(activation.process).drafter)
        .Next(this.after_draft)
    )
    after_draft = (
        flow.Switch()
        .Case(this.comment, in_state(State.PUBLIC_COMMENT))
        .Case(this.split_review, in_state(State.LEGALITY_REVIEW))
        .Default(this.end)
    )
    # 37号: public comment comes before the legality review; closed when the period ends.
    comment = flow.Handle(this.close_comment).Annotation(title=_("公开征求意见")).Next(this.draft)

    split_review = (
        flow.Split()
        .Next(this.legal_review)
        .Next(this.advisor_signoff, case=lambda activation: advisor_to_sign(activation))
    )
    legal_review = _escalating(
        RoleView(Role.LEGAL_REVIEWER, due=legality_review_due).Annotation(title=_("合法性审核"))
    ).Next(this.join_review)
    advisor_signoff = _escalating(
        RoleView(Role.LEGAL_ADVISOR, due=legality_review_due).Annotation(
            title=_("法律顾问签署意见")
        )
    ).Next(this.join_review)
    # A review that sends the draft back (or rejects it) ends the round: the advisor's
    # open sign-off is cancelled, there is nothing left to sign.
    join_review = flow.Join(continue_on_condition=this.review_round_over).Next(this.after_review)
    # An advisor who disagrees sends the review back: the legal division concludes again
    # on the same text (the advisor, having signed it, is not asked again).
    after_review = (
        flow.Switch()
        .Case(this.split_review, review_reopened)
        .Case(this.to_deliberation, in_state(State.LEGALITY_REVIEW))
        .Case(this.draft, in_state(State.REVISION))
        .Default(this.end)
    )
    to_deliberation = flow.Function(this.send_to_deliberation).Next(this.deliberate)

    deliberate = (
        RoleView(Role.DELIBERATION_SECRETARY)
        .Annotation(title=_("集体审议"))
        .Next(this.after_deliberation)
    )
    after_deliberation = (
        flow.Switch()
        .Case(this.register, in_state(State.REGISTRATION))
        .Case(this.deliberate, in_state(State.DELIBERATION))  # 暂缓: on the agenda again
        .Case(this.draft, in_state(State.REVISION))
        .Default(this.end)
    )
    register = RoleView(Role.REGISTRAR).Annotation(title=_("统一登记编号")).Next(this.publish)
    publish = RoleView(Role.REGISTRAR).Annotation(title=_("公布")).Next(this.file)
    file = _escalating(
        RoleView(Role.FILING_CLERK, due=filing_due).Annotation(title=_("报送备案"))
    ).Next(this.start_filing_review)
    start_filing_review = flow.Function(this.begin_filing_review).Next(this.end)

    due_soon = flow.Function(this.warn_due_soon).Next(this.escalated)
    overdue = flow.Function(this.mark_overdue).Next(this.escalated)
    escalated = flow.End()
    end = flow.End()

    def review_round_over(self, activation, active_tasks):
        return document_of(activation.process).state != State.LEGALITY_REVIEW

    def close_comment(self, activation, by=None, summary="", on=None):
        actions.close_comment_period(
            document_of(activation.process), by=by, summary=summary, on=on, system=by is None
        )

    def send_to_deliberation(self, activation):
        reviewer = (
            activation.process.task_set.filter(
                flow_task=IssuingFlow.legal_review, status=STATUS.DONE
            )
            .order_by("-finished")
            .values_list("owner", flat=True)
            .first()
        )
        from django.contrib.auth import get_user_model

        actions.send_to_deliberation(
            document_of(activation.process), by=get_user_model().objects.get(pk=reviewer)
        )

    def begin_filing_review(self, activation):
        FilingReviewFlow.start.run(document=document_of(activation.process))


class FilingReviewFlow(DocumentFlow):
    """备案审查流程: the registration decision at receipt (备案条例 art. 7), the
    substantive review (art. 10), the correction and its check (art. 17, 20)."""

    process_title = _("备案审查流程")

    start = flow.StartHandle(this.start_process).Next(this.register)
    adopt = flow.StartHandle(this.start_process).Next(this.route_adopted)
    route_adopted = (
        flow.Switch()
        .Case(this.register, in_state(State.FILING_REVIEW))
        .Case(this.resubmit, in_state(State.SUPPLEMENT))
        .Case(this.review, in_state(State.UNDER_REVIEW))
        .Case(this.correct, in_state(State.CORRECTION))
        .Case(this.recheck, in_state(State.CORRECTED))
        .Default(this.end)
    )

    register = _escalating(
        RoleView(Role.FILING_REVIEWER, at=AUTHORITY, due=filing_review_due).Annotation(
            title=_("备案登记")
        )
    ).Next(this.after_register)
    after_register = (
        flow.Switch()
        .Case(this.review, in_state(State.UNDER_REVIEW))
        .Case(this.resubmit, in_state(State.SUPPLEMENT))  # 暂缓办理: supply and file again
        .Default(this.end)  # 不予备案登记: the filing ends
    )
    resubmit = _escalating(
        RoleView(Role.FILING_CLERK, due=filing_due).Annotation(title=_("补充报送备案"))
    ).Next(this.register)
    review = _escalating(
        RoleView(Role.FILING_REVIEWER, at=AUTHORITY, due=filing_review_due).Annotation(
            title=_("备案审查")
        )
    ).Next(this.after_review)
    after_review = flow.Switch().Case(this.correct, in_state(State.CORRECTION)).Default(this.end)
    correct = _escalating(
        RoleView(Role.FILING_CLERK, due=correction_due).Annotation(title=_("自行纠正并报告"))
    ).Next(this.after_correct)
    # 备案条例 art. 20: the authority may escalate an overdue correction before a report
    # comes (the document page); the clerk's task then has nothing left to report.
    after_correct = (
        flow.Switch()
        .Case(this.recheck, in_state(State.CORRECTED))
        .Case(this.correct, in_state(State.CORRECTION))
        .Default(this.end)
    )
    recheck = (
        RoleView(Role.FILING_REVIEWER, at=AUTHORITY)
        .Annotation(title=_("复核纠正情况"))
        .Next(this.after_recheck)
    )
    after_recheck = flow.Switch().Case(this.correct, in_state(State.CORRECTION)).Default(this.end)

    due_soon = flow.Function(this.warn_due_soon).Next(this.escalated)
    overdue = flow.Function(this.mark_overdue).Next(this.escalated)
    escalated = flow.End()
    end = flow.End()


FLOWS = [IssuingFlow, FilingReviewFlow]

# Which flow a document in each state belongs to when it is adopted.
ISSUING_STATES = [
    State.DRAFTING,
    State.REVISION,
    State.PUBLIC_COMMENT,
    State.LEGALITY_REVIEW,
    State.DELIBERATION,
    State.REGISTRATION,
    State.PUBLICATION,
    State.FILING,
]
FILING_REVIEW_STATES = [
    State.FILING_REVIEW,
    State.SUPPLEMENT,
    State.UNDER_REVIEW,
    State.CORRECTION,
    State.CORRECTED,
]


def adopt(document):
    """Start the process that should now be working on `document`, at its state.
    Returns the process, or None when the document needs none or already has one."""
    if processes_of(document).filter(status=STATUS.NEW).exists():
        return None
    if document.state in ISSUING_STATES:
        return IssuingFlow.adopt.run(document=document)
    if document.state in FILING_REVIEW_STATES:
        return FilingReviewFlow.adopt.run(document=document)
    return None
