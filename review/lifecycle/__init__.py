"""The document's life as a django-fsm state machine (domain-rules §2).

The order is law, not preference: 37号 puts public comment before the legality
review, and no collective deliberation without a passed legality review. Two
kinds of precondition, both with the refusal users see:
- on stored state: each a `Guard` in a transition's conditions (a passed
  review, a filing review extended only once, ...);
- on what the user enters with a transition (the comment window, the review
  time, the meeting type, the stated 施行日期 and 有效期至): the review.rules
  check_* of `INPUT_CHECKS`, run by `check_input` from the form and the action.
`refusals()` lists the failing ones of both kinds; `input_rule()` says in words
what the entered values must meet. Transitions change only the state: the
records they need are written by `review.actions`, which also writes the one
audit event.
"""

from contextlib import contextmanager

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import transition

from ..states import IN_FORCE_STATES, Role, State


class Guard:
    """A condition of a transition with the reason given when it fails."""

    def __init__(self, check, message):
        self.check = check
        self.message = message

    def __call__(self, document):
        memo = document.__dict__.get("_guard_memo")
        if memo is None:
            return bool(self.check(document))
        if self not in memo:
            memo[self] = bool(self.check(document))
        return memo[self]

    def reason(self, document):
        return str(self.message(document) if callable(self.message) else self.message)


@contextmanager
def guards_evaluated_once(document):
    """Within the block each guard is evaluated once: refusals() and django-fsm's own
    check of the same conditions, moments apart on the same locked row, agree."""
    document._guard_memo = {}
    try:
        yield
    finally:
        del document._guard_memo


def today_for(document):
    """The date a guard judges by: the date of the act being recorded, else today."""
    return getattr(document, "as_of", None) or timezone.localdate()


# --- guards ---------------------------------------------------------------


def _has_version(doc):
    return doc.current_version is not None


def _may_issue(doc):
    return doc.organisation.may_issue


def _has_drafting_note(doc):
    from ..models import AttachmentKind

    return AttachmentKind.DRAFTING_NOTE in doc.attachment_kinds()


def _has_legal_basis(doc):
    return bool(doc.legal_basis.strip())


def _comment_done(doc):
    """A document that must go out for comment has a closed period whose comments are all answered."""
    if not doc.requires_public_comment:
        return True
    from ..models import Comment

    period = doc.comment_periods.filter(closed_at__isnull=False).order_by("-closes_on").first()
    if period is None:
        return False
    return not period.comments.filter(
        status__in=[Comment.Status.RECEIVED, Comment.Status.PUBLISHED], response=""
    ).exists()


def _comment_period_over(doc):
    period = doc.comment_periods.order_by("-opens_on").first()
    return period is not None and today_for(doc) > period.closes_on


def _comment_period_over_reason(doc):
    period = doc.comment_periods.order_by("-opens_on").first()
    if period is None:
        return _("没有征求意见期记录")
    return _("征求意见期截止于 %(date)s，期满前不得结束征求意见") % {"date": period.closes_on}


def _classified_normative(doc):
    from ..models import Classification

    return doc.classification == Classification.NORMATIVE


def _classified_not_normative(doc):
    from ..models import Classification

    return doc.classification == Classification.NOT_NORMATIVE


def _review_sent_back(doc):
    from ..models import ReviewOutcome

    review = doc.latest_review
    return review is not None and review.outcome in (ReviewOutcome.REVISE, ReviewOutcome.UNLAWFUL)


def _review_passed(doc):
    review = doc.latest_review
    return review is not None and review.passed


def _review_covers_current_version(doc):
    review = doc.latest_review
    current = doc.current_version
    return review is not None and current is not None and review.version_sha256 == current.sha256


def _advisor_signed_texts(doc):
    """The SHA-256 of every text a legal advisor has signed an opinion on."""
    from ..models import ADVISOR_SIGNED_TEXTS

    return {sha256 for (sha256,) in ADVISOR_SIGNED_TEXTS.rows(doc.pk)}


def _advisor_signed_current(doc):
    """The sign-off is bound to the text, not to a review round: any change of text
    after signing makes it stale."""
    if not doc.settings.advisor_signoff_required:
        return True
    current = doc.current_version
    return current is not None and current.sha256 in _advisor_signed_texts(doc)


def _advisor_reason(doc):
    if _advisor_signed_texts(doc):
        return _("法律顾问签署的是此前的版本，文本修改后其意见已失效，须重新签署")
    return _("法律顾问尚未出具书面意见并签署")


def _deliberation_passed(doc):
    deliberation = doc.latest_deliberation
    return deliberation is not None and deliberation.passed


def _deliberation_failed(doc):
    from ..models import Deliberation

    deliberation = doc.latest_deliberation
    return deliberation is not None and deliberation.outcome == Deliberation.Outcome.FAILED


def _has_issuing_code(doc):
    return bool(doc.organisation.issuing_code)


def _registered(doc):
    return doc.registration_or_none is not None


def _published(doc):
    return doc.publication_or_none is not None


def _has_authority(doc):
    return doc.organisation.files_with_id is not None


def _filing_materials_complete(doc):
    filing = doc.latest_filing
    return filing is not None and filing.materials_complete


def _filing_materials_reason(doc):
    filing = doc.latest_filing
    if filing is None:
        return _("没有报送备案记录")
    labels = dict(_filing_material_labels())
    missing = "、".join(str(labels[key]) for key in filing.missing_materials)
    return _("备案材料不齐全（缺：%(missing)s），不得予以备案登记，应暂缓办理并通知补充") % {
        "missing": missing
    }


def _filing_material_labels():
    from ..models import FILING_MATERIALS

    return FILING_MATERIALS


def _filing_review_clean(doc):
    from ..models import FILING_REVIEW_KEYS

    filing = doc.latest_filing
    review = filing.review_or_none if filing else None
    if review is None:
        return False
    items = review.substantive or {}
    return all(key in items and items[key].get("ok") is True for key in FILING_REVIEW_KEYS)


def _filing_review_not_extended(doc):
    filing = doc.latest_filing
    review = filing.review_or_none if filing else None
    return review is not None and not review.extended


def _correction_reported(doc):
    correction = doc.open_correction
    return correction is not None and correction.reported_on is not None


def _expired(doc):
    return doc.valid_until is not None and doc.valid_until < today_for(doc)


has_version = Guard(_has_version, _("尚未提交送审稿（文件没有任何版本）"))
may_issue = Guard(_may_issue, _("制定机关未列入制定主体清单，不得制发行政规范性文件"))
has_drafting_note = Guard(_has_drafting_note, _("送审材料不齐全：缺少起草说明"))
has_legal_basis = Guard(_has_legal_basis, _("送审材料不齐全：未载明制定依据"))
comment_done = Guard(
    _comment_done,
    _("本文件应当公开征求意见：须在征求意见期结束、每条意见均已答复采纳情况后，方可送合法性审核"),
)
comment_period_over = Guard(_comment_period_over, _comment_period_over_reason)
classified_normative = Guard(_classified_normative, _("合法性审核机构尚未认定其属于行政规范性文件"))
classified_not_normative = Guard(_classified_not_normative, _("未认定为“不属于行政规范性文件”"))
review_sent_back = Guard(_review_sent_back, _("合法性审核结论不是“应当予以修改”或“不合法”"))
review_passed = Guard(_review_passed, _("未经合法性审核或者经审核不合法的，不得提交集体审议"))
review_covers_current_version = Guard(
    _review_covers_current_version, _("合法性审核所依据的不是现行文本：文本修改后须重新审核")
)
advisor_signed_current = Guard(_advisor_signed_current, _advisor_reason)
deliberation_passed = Guard(_deliberation_passed, _("集体审议未通过，不得登记编号"))
deliberation_failed = Guard(_deliberation_failed, _("最近一次集体审议结果不是“不通过”"))
has_issuing_code = Guard(_has_issuing_code, _("制定机关未设置机关代字，无法编发文字号"))
registered = Guard(_registered, _("未经统一登记、编号的文件不得公布"))
published = Guard(_published, _("未经公布的文件不得作为行政管理依据，也不得报送备案"))
has_authority = Guard(_has_authority, _("制定机关未设置备案审查机关"))
filing_materials_complete = Guard(_filing_materials_complete, _filing_materials_reason)
filing_review_clean = Guard(
    _filing_review_clean,
    _("实质审查尚未完成或发现问题：每一审查事项均须审查且无问题，方可予以备案登记"),
)
filing_review_not_extended = Guard(_filing_review_not_extended, _("审查期限已延长过一次"))
correction_reported = Guard(_correction_reported, _("制定机关尚未报送纠正处理情况"))
expired = Guard(_expired, lambda doc: _("有效期至 %(date)s，尚未届满") % {"date": doc.valid_until})


# --- permissions ----------------------------------------------------------


def role_in_issuer(*roles):
    def check(document, user):
        from ..models import has_role

        return has_role(user, document.organisation_id, *roles)

    return check


def role_in_authority(*roles):
    def check(document, user):
        from ..models import has_role

        filing = document.latest_filing
        return filing is not None and has_role(user, filing.authority_id, *roles)

    return check


BEFORE_PUBLICATION = [
    State.DRAFTING,
    State.PUBLIC_COMMENT,
    State.LEGALITY_REVIEW,
    State.REVISION,
    State.DELIBERATION,
    State.REGISTRATION,
    State.PUBLICATION,
]


class DocumentLifecycle:
    """Mixed into NormativeDocument. Each method is one lawful move."""

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
        conditions=[has_version, may_issue, has_drafting_note, has_legal_basis, comment_done],
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

    @transition(
        field="state",
        source=State.FILING,
        target=State.FILING_REVIEW,
        conditions=[published, has_authority],
        permission=role_in_issuer(Role.FILING_CLERK),
        custom={"label": _("报送备案")},
    )
    def file(self, *, by):
        """备案条例 art. 3: filed within the deadline counted from publication."""

    @transition(
        field="state",
        source=State.FILING_REVIEW,
        target=State.FILING,
        permission=role_in_authority(Role.FILING_REVIEWER),
        custom={"label": _("暂缓办理备案登记")},
    )
    def defer_filing(self, *, by):
        """备案条例 art. 7: 补充或者重新报送; the clock restarts on resubmission."""

    @transition(
        field="state",
        source=State.FILING_REVIEW,
        target=State.FILING_REVIEW,
        conditions=[filing_review_not_extended],
        permission=role_in_authority(Role.FILING_REVIEWER),
        custom={"label": _("延长审查期限")},
    )
    def extend_filing_review(self, *, by):
        """Review takes 30 日, extendable once by 20 (domain-rules §7, local)."""

    @transition(
        field="state",
        source=State.FILING_REVIEW,
        target=State.FILED,
        conditions=[filing_materials_complete, filing_review_clean],
        permission=role_in_authority(Role.FILING_REVIEWER),
        custom={"label": _("予以备案登记")},
    )
    def accept_filing(self, *, by):
        pass

    @transition(
        field="state",
        source=State.FILING_REVIEW,
        target=State.CORRECTION,
        permission=role_in_authority(Role.FILING_REVIEWER),
        custom={"label": _("不予备案登记并提出审查建议")},
    )
    def require_correction(self, *, by):
        """备案条例 art. 17: the issuing body corrects itself and reports within the deadline."""

    @transition(
        field="state",
        source=State.CORRECTION,
        target=State.CORRECTED,
        conditions=[correction_reported],
        permission=role_in_issuer(Role.FILING_CLERK),
        custom={"label": _("报送纠正处理情况")},
    )
    def report_correction(self, *, by):
        pass

    @transition(
        field="state",
        source=State.CORRECTED,
        target=State.FILED,
        permission=role_in_authority(Role.FILING_REVIEWER),
        custom={"label": _("纠正完成，予以备案登记")},
    )
    def accept_correction(self, *, by):
        pass

    @transition(
        field="state",
        source=State.CORRECTED,
        target=State.CORRECTION,
        permission=role_in_authority(Role.FILING_REVIEWER),
        custom={"label": _("纠正不到位，继续纠正")},
    )
    def reopen_correction(self, *, by):
        pass

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
        source=BEFORE_PUBLICATION,
        target=State.WITHDRAWN,
        permission=role_in_issuer(Role.DRAFTER, Role.REGISTRAR),
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
    conditions on stored state (the guards above) and, given `entered` (what the user
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
        from ..errors import Refused

        try:
            check_input(document, name, **entered)
        except Refused as refused:
            reasons.append(refused.message)
    return reasons


def may_perform(document, name, user):
    found = transition_of(document, name)
    return found is not None and found.has_perm(document, user)


# --- checks on what the user enters, by transition (review.rules) ----------------
# The form and the action both call check_input, so they refuse with the same text.
# review.rules is imported in the functions: it needs review.models, which imports
# this module (the choices module of issue 11 step 3 ends that).


def _comment_window(doc, *, opens_on, closes_on, urgent_reason=""):
    from .. import rules
    from ..calendar import WorkingCalendar

    return rules.check_comment_window(
        doc.settings,
        WorkingCalendar(),
        opens_on=opens_on,
        closes_on=closes_on,
        today=today_for(doc),
        market_related=doc.is_market_related,
        major_decision=doc.is_major_decision,
        urgent_reason=urgent_reason,
    )


def _comment_rule(doc):
    from .. import rules

    return rules.comment_window_rule(
        doc.settings, market_related=doc.is_market_related, major_decision=doc.is_major_decision
    )


def _review_days(doc, *, requested_working_days=None, urgent_reason=""):
    from .. import rules

    return rules.check_legality_review_days(
        doc.settings,
        requested=requested_working_days,
        major_decision=doc.is_major_decision,
        urgent_reason=urgent_reason,
    )


def _review_rule(doc):
    from .. import rules

    return rules.legality_review_rule(doc.settings, major_decision=doc.is_major_decision)


def _meeting(doc, *, meeting_type):
    from .. import rules

    return rules.check_meeting_type(doc.organisation, meeting_type)


def _meeting_rule(doc):
    from .. import rules

    return rules.meeting_rule(doc.organisation)


def _stated_dates(doc, *, published_on, effective_from, valid_until, immediate_effect_reason=""):
    from .. import rules

    return rules.check_stated_dates(
        doc.settings,
        published_on=published_on,
        effective_from=effective_from,
        valid_until=valid_until,
        immediate_effect_reason=immediate_effect_reason,
        provisional=rules.is_provisional(doc.title),
    )


def _stated_dates_rule(doc):
    from .. import rules

    return rules.stated_dates_rule(doc.settings, provisional=rules.is_provisional(doc.title))


# transition name -> (check of the entered values, the rule in words)
INPUT_CHECKS = {
    "open_comment": (_comment_window, _comment_rule),
    "submit_for_review": (_review_days, _review_rule),
    "approve": (_meeting, _meeting_rule),
    "reject_at_deliberation": (_meeting, _meeting_rule),
    "publish": (_stated_dates, _stated_dates_rule),
}


def check_input(document, name, **entered):
    """The rules.check_* of transition `name` on what the user entered: returns what the
    check returns, raises Refused with the text users see."""
    check, _rule = INPUT_CHECKS[name]
    return check(document, **entered)


def input_rule(document, name):
    """The rule the entered values of `name` must meet, in words; None when it has none."""
    if name not in INPUT_CHECKS:
        return None
    _check, rule = INPUT_CHECKS[name]
    return str(rule(document))
