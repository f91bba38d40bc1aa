"""The document's transitions (`DocumentLifecycle`, mixed into NormativeDocument),
who may perform each, and `refusals()`: why one cannot happen now, both kinds of
precondition together (the guards and, given what the user entered, the inputs).
"""

from django.utils.translation import gettext_lazy as _
from django_fsm import transition

from ..errors import Refused
from ..states import IN_FORCE_STATES, Role, State
from .guards import (
    advisor_signed_current,
    classified_normative,
    classified_not_normative,
    comment_done,
    comment_period_over,
    deliberation_failed,
    deliberation_passed,
    expired,
    has_assessment,
    has_drafting_note,
    has_issuing_code,
    has_legal_basis,
    has_version,
    may_issue,
    registered,
    review_covers_current_version,
    review_passed,
    review_sent_back,
)
from .inputs import INPUT_CHECKS, check_input
from .permissions import role_in_issuer
from .transitions_filing import FilingLifecycle

BEFORE_PUBLICATION = [
    State.DRAFTING,
    State.PUBLIC_COMMENT,
    State.LEGALITY_REVIEW,
    State.REVISION,
    State.DELIBERATION,
    State.REGISTRATION,
    State.PUBLICATION,
]


class DocumentLifecycle(FilingLifecycle):
    """Mixed into NormativeDocument. Each method is one lawful move; the filing's
    moves are in `FilingLifecycle` (transitions_filing)."""

    @transition(
        field="state",
        source=[State.DRAFTING, State.REVISION],
        target=State.PUBLIC_COMMENT,
        conditions=[has_version],
        permission=role_in_issuer(Role.DRAFTER),
        custom={"label": _("公开征求意见")},
    )
    def open_comment(self, *, by):
        """优化营商环境条例 art. 62, 重大行政决策条例 art. 15: the period is validated by the action."""

    @transition(
        field="state",
        source=State.PUBLIC_COMMENT,
        target=State.DRAFTING,
        conditions=[comment_period_over],
        permission=role_in_issuer(Role.DRAFTER),
        custom={"label": _("结束征求意见")},
    )
    def close_comment(self, *, by):
        pass

    @transition(
        field="state",
        source=[State.DRAFTING, State.REVISION],
        target=State.LEGALITY_REVIEW,
        conditions=[
            has_version,
            may_issue,
            has_drafting_note,
            has_legal_basis,
            has_assessment,
            comment_done,
        ],
        permission=role_in_issuer(Role.DRAFTER),
        custom={"label": _("送合法性审核")},
    )
    def submit_for_review(self, *, by):
        """37号: public comment comes before, and never replaces, the legality review."""

    @transition(
        field="state",
        source=State.LEGALITY_REVIEW,
        target=State.REJECTED,
        conditions=[classified_not_normative],
        permission=role_in_issuer(Role.LEGAL_REVIEWER),
        custom={"label": _("认定不属于规范性文件，不予登记编号")},
    )
    def reject_as_not_normative(self, *, by):
        """国办发〔2018〕115号 and Shaanxi 三统一: 不登记、不编号."""

    @transition(
        field="state",
        source=State.LEGALITY_REVIEW,
        target=State.REVISION,
        conditions=[review_sent_back],
        permission=role_in_issuer(Role.LEGAL_REVIEWER),
        custom={"label": _("退回修改")},
    )
    def return_for_revision(self, *, by):
        pass

    @transition(
        field="state",
        source=State.LEGALITY_REVIEW,
        target=State.DELIBERATION,
        conditions=[
            classified_normative,
            review_passed,
            review_covers_current_version,
            advisor_signed_current,
        ],
        permission=role_in_issuer(Role.LEGAL_REVIEWER),
        custom={"label": _("提交集体审议")},
    )
    def send_to_deliberation(self, *, by):
        """37号: 未经合法性审核或者经审核不合法的，不得提交集体审议."""

    @transition(
        field="state",
        source=State.DELIBERATION,
        target=State.REGISTRATION,
        conditions=[review_passed, deliberation_passed],
        permission=role_in_issuer(Role.DELIBERATION_SECRETARY),
        custom={"label": _("审议通过")},
    )
    def approve(self, *, by):
        pass

    @transition(
        field="state",
        source=State.DELIBERATION,
        target=State.REVISION,
        conditions=[deliberation_failed],
        permission=role_in_issuer(Role.DELIBERATION_SECRETARY),
        custom={"label": _("审议不通过")},
    )
    def reject_at_deliberation(self, *, by):
        pass

    @transition(
        field="state",
        source=State.REGISTRATION,
        target=State.PUBLICATION,
        conditions=[classified_normative, may_issue, deliberation_passed, has_issuing_code],
        permission=role_in_issuer(Role.REGISTRAR),
        custom={"label": _("统一登记、编号")},
    )
    def register(self, *, by):
        """三统一: only a normative document from a body on the 制定主体清单 gets a number."""

    @transition(
        field="state",
        source=State.PUBLICATION,
        target=State.FILING,
        conditions=[registered],
        permission=role_in_issuer(Role.REGISTRAR),
        custom={"label": _("公布")},
    )
    def publish(self, *, by):
        pass

    # --- filing and filing review (§7): see transitions_filing ---------------

    @transition(
        field="state",
        source=IN_FORCE_STATES,
        target=State.EXPIRED,
        conditions=[expired],
        permission=role_in_issuer(Role.REGISTRAR),
        custom={"label": _("有效期届满失效")},
    )
    def expire(self, *, by):
        pass

    @transition(
        field="state",
        source=IN_FORCE_STATES,
        target=State.REPEALED,
        permission=role_in_issuer(Role.REGISTRAR),
        custom={"label": _("废止")},
    )
    def repeal(self, *, by):
        pass

    @transition(
        field="state",
        source=IN_FORCE_STATES,
        target=State.AMENDED,
        permission=role_in_issuer(Role.REGISTRAR),
        custom={"label": _("修改")},
    )
    def mark_amended(self, *, by):
        pass

    @transition(
        field="state",
        source=IN_FORCE_STATES,
        target=State.EXPIRED,
        permission=role_in_issuer(Role.REGISTRAR),
        custom={"label": _("宣布失效")},
    )
    def declare_invalid(self, *, by):
        """清理 (domain-rules §8): declared invalid by a decision with its 文号."""

    @transition(
        field="state",
        source=BEFORE_PUBLICATION,
        target=State.WITHDRAWN,
        permission=role_in_issuer(Role.DRAFTER, Role.REGISTRAR, Role.DELIBERATION_SECRETARY),
        custom={"label": _("撤回")},
    )
    def withdraw(self, *, by):
        """Before publication only: a published document is repealed, not withdrawn."""


def transition_of(document, name):
    """The django-fsm Transition object for `name` from the document's current state, or None."""
    method = getattr(document, name)
    return method._django_fsm.get_transition(document.state)


def label(name):
    """The Chinese label of a transition, whatever state the document is in."""
    meta = getattr(DocumentLifecycle, name)._django_fsm
    any_transition = next(iter(meta.transitions.values()))
    return str(any_transition.custom.get("label", name))


def refusals(document, name, entered=None):
    """Why the transition `name` cannot happen now: [] when it can. Both kinds: the
    conditions on stored state (`guards`) and, given `entered` (what the user
    submits with it), the rules.check_* on that input (`check_input`)."""
    found = transition_of(document, name)
    if found is None:
        return [
            str(
                _("当前状态为“%(state)s”，不能%(action)s")
                % {"state": document.get_state_display(), "action": label(name)}
            )
        ]
    reasons = [guard.reason(document) for guard in found.conditions if not guard(document)]
    if entered is not None and name in INPUT_CHECKS:
        try:
            check_input(document, name, **entered)
        except Refused as refused:
            reasons.append(refused.message)
    return reasons


def may_perform(document, name, user):
    found = transition_of(document, name)
    return found is not None and found.has_perm(document, user)
