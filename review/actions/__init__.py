"""Every operation on a document, one function each: checked, atomic, audited.

Views, flows, commands and the seed call these and nothing else. Each function
locks the document row, checks state, role and input, writes its records, moves
the state machine when the operation is a transition, and appends exactly one
audit event — all in one transaction, so a refusal changes nothing.

One module per stage: `drafting` (create, drafts, attachments, public comment,
withdraw), `legality` (§3), `notes` (notes on articles, §3), `deciding` (§5, §6),
`filing` and `correction` (§7), `validity` (§8), `evaluation` and `cleanup`
(§8 evaluation before expiry and 清理);
`filing` and `correction` (§7), `validity` (§8), `reconciliation` (issue 18);
the shared plumbing is in `_base`. Every action is importable from here.
"""

from ..calendar import CalendarMissing
from ..errors import NotPermitted, Refused
from .calendar import enter_calendar_year, recompute_provisional_deadlines
from .cleanup import build_campaign, decide, open_campaign, pending_campaigns, progress, propose
from .correction import (
    ESCALATIONS,
    accept_correction,
    demand_filing,
    escalate,
    notify_late_filing,
    reopen_correction,
    reopen_review,
    report_correction,
)
from .deciding import (
    publish,
    record_deliberation,
    register_and_number,
)
from .drafting import (
    ATTACHMENT_ROLES,
    EDITABLE_STATES,
    add_attachment,
    add_version,
    close_comment_period,
    comment_minimum,
    create_document,
    open_comment_period,
    publication_channel,
    withdraw,
)
from .evaluation import (
    conclude_evaluation,
    evaluator_of,
    may_conclude,
    open_evaluation,
    record_successor_effect,
    successors_in_effect,
)
from .filing import (
    accept_filing,
    default_filing_report,
    defer_filing,
    extend_filing_review,
    file_with_authority,
    filing_materials,
    refuse_registration,
    register_filing,
    require_correction,
)
from .flags import check_unresolved, decide_flag
from .legality import (
    classify,
    record_legality_review,
    send_to_deliberation,
    sign_advisor_opinion,
    submit_for_review,
)
from .notes import NOTE_ROLES, add_article_note
from .people import (
    colleagues,
    create_user,
    end_delegation,
    grant_role,
    name_delegate,
    organisation_users,
    revoke_role,
    set_active,
)
from .reconciliation import (
    backfill_finding,
    dismiss_finding,
    may_close,
    record_finding_demand,
    record_run,
)
from .second_factor import (
    confirm_authenticator,
    new_recovery_codes,
    pending_authenticator,
    reset_second_factor,
)
from .validity import (
    declare_invalid,
    expire,
    mark_amended,
    repeal,
)

__all__ = [
    "CalendarMissing",
    "enter_calendar_year",
    "recompute_provisional_deadlines",
    "NotPermitted",
    "Refused",
    "create_document",
    "EDITABLE_STATES",
    "add_version",
    "ATTACHMENT_ROLES",
    "add_attachment",
    "comment_minimum",
    "publication_channel",
    "open_comment_period",
    "close_comment_period",
    "withdraw",
    "submit_for_review",
    "classify",
    "record_legality_review",
    "decide_flag",
    "check_unresolved",
    "sign_advisor_opinion",
    "send_to_deliberation",
    "record_deliberation",
    "register_and_number",
    "publish",
    "filing_materials",
    "default_filing_report",
    "file_with_authority",
    "register_filing",
    "defer_filing",
    "refuse_registration",
    "extend_filing_review",
    "accept_filing",
    "require_correction",
    "report_correction",
    "accept_correction",
    "reopen_correction",
    "ESCALATIONS",
    "escalate",
    "reopen_review",
    "demand_filing",
    "notify_late_filing",
    "expire",
    "repeal",
    "mark_amended",
    "pending_authenticator",
    "colleagues",
    "create_user",
    "end_delegation",
    "grant_role",
    "name_delegate",
    "organisation_users",
    "revoke_role",
    "set_active",
    "confirm_authenticator",
    "new_recovery_codes",
    "reset_second_factor",
    "declare_invalid",
    "open_evaluation",
    "conclude_evaluation",
    "evaluator_of",
    "may_conclude",
    "record_successor_effect",
    "successors_in_effect",
    "open_campaign",
    "build_campaign",
    "pending_campaigns",
    "propose",
    "decide",
    "progress",
    "NOTE_ROLES",
    "add_article_note",
    "record_run",
    "may_close",
    "dismiss_finding",
    "backfill_finding",
    "record_finding_demand",
]
