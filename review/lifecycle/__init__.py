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

- `guards`: `Guard` and every condition on stored state, with its refusal text;
- `transitions`: `DocumentLifecycle` (the moves, their guards and roles) and
  `refusals()`, `label()`, `may_perform()`;
- `inputs`: the checks on entered values, `check_input()` and `input_rule()`.
"""

from .guards import (
    Guard,
    advisor_signed_current,
    classified_normative,
    classified_not_normative,
    comment_done,
    comment_period_over,
    correction_reported,
    deliberation_failed,
    deliberation_passed,
    expired,
    filing_materials_complete,
    filing_review_clean,
    filing_review_not_extended,
    guards_evaluated_once,
    has_authority,
    has_drafting_note,
    has_issuing_code,
    has_legal_basis,
    has_version,
    may_issue,
    published,
    registered,
    review_covers_current_version,
    review_passed,
    review_sent_back,
    today_for,
)
from .guards_filing import open_demand
from .inputs import (
    INPUT_CHECKS,
    check_input,
    input_rule,
)
from .permissions import role_in_authority, role_in_files_with, role_in_issuer
from .transitions import (
    BEFORE_PUBLICATION,
    DocumentLifecycle,
    label,
    may_perform,
    refusals,
    transition_of,
)

__all__ = [
    "BEFORE_PUBLICATION",
    "DocumentLifecycle",
    "Guard",
    "INPUT_CHECKS",
    "advisor_signed_current",
    "check_input",
    "classified_normative",
    "classified_not_normative",
    "comment_done",
    "comment_period_over",
    "correction_reported",
    "deliberation_failed",
    "deliberation_passed",
    "expired",
    "filing_materials_complete",
    "filing_review_clean",
    "filing_review_not_extended",
    "guards_evaluated_once",
    "has_authority",
    "has_drafting_note",
    "has_issuing_code",
    "has_legal_basis",
    "has_version",
    "input_rule",
    "label",
    "may_issue",
    "may_perform",
    "published",
    "refusals",
    "registered",
    "review_covers_current_version",
    "review_passed",
    "review_sent_back",
    "open_demand",
    "role_in_authority",
    "role_in_files_with",
    "role_in_issuer",
    "today_for",
    "transition_of",
]
