"""The record of a normative document's life: who may issue, what was drafted,
reviewed, decided, numbered, published, filed, reviewed again and corrected.

One module per topic:

- `organisations`: Organisation, JurisdictionSettings, Membership, CalendarOverride,
  CalendarYear
- `documents`: NormativeDocument (the state machine is `review.lifecycle`),
  DocumentVersion, Attachment
- `articles`: VersionArticle (a version split into 第X条), ArticleNote
- `legality`: LegalityReview, AdvisorOpinion (§3)
- `comments`: CommentPeriod, CommentCluster, Comment (§4)
- `decisions`: Deliberation (§5), NumberSequence, Registration, Publication (§6)
- `filing`: Filing, FilingReview, Correction (§7)
- `audit`: AuditEvent, AuditChainHead
- `suggestions`: ReviewSuggestion (审查建议), Consultation (审查意见征集)
- `reconciliation`: ReconciliationRun, ReconciliationFinding (issue 18: what a body
  issued and published against what it registered and filed)
- `flags`: RepealedLaw, FlagDecision (assisted review, issue 19)
- `security`: SecurityEvent, PasswordRecord (the security log, apart from the audit chain)
- `peers`: FilingPeer, FilingExchange (filing between deployments)
- `validity`: Evaluation, CleanupCampaign, CleanupItem (§8 evaluation and 清理)

The choices and fixed lists are in `review.choices`, the states and roles in
`review.states`, `has_role` in `review.roles`; all are importable from here too.
Operations that touch several models are in `review.actions`. Every number the
law sets is a field of `JurisdictionSettings` with the default of
domain-rules.md, never a constant.

NO_INDEX: foreign keys marked `db_index=False` are read forwards only (who drafted,
reviewed, signed or filed; what a document amended or repealed; an audit event's actor)
or are the leading column of a composite index already (an audit event's document:
(document, seq); a document's organisation: (organisation, state)). Every action writes
rows of these tables, and each index is one more page to write and sync per commit:
migration 0005 dropped sixteen of them. The one cost is on deleting a user or a
document, which PROTECT refuses anyway once they have acted: that check scans.
"""

from ..choices import (
    CHECKLIST_ITEMS,
    CHECKLIST_KEYS,
    FILING_MATERIALS,
    FILING_REVIEW_ITEMS,
    FILING_REVIEW_KEYS,
    REGISTER_IN_PROGRESS,
    AttachmentKind,
    Category,
    Classification,
    EndCause,
    NumberSource,
    ReviewOutcome,
)
from ..roles import has_role
from ..states import IN_FORCE_STATES, PUBLISHED_STATES, Role, State
from .articles import ArticleNote, VersionArticle
from .audit import AuditChainHead, AuditEvent, AuditEventQuerySet
from .comments import Comment, CommentCluster, CommentPeriod
from .decisions import Deliberation, NumberSequence, Publication, Registration
from .documents import (
    Attachment,
    DocumentQuerySet,
    DocumentVersion,
    NormativeDocument,
    document_upload_path,
    sha256_bytes,
)
from .filing import Correction, Escalation, Filing, FilingDemand, FilingReopening, FilingReview
from .flags import FlagDecision, FlagKind, FlagStage, RepealedLaw
from .legality import AdvisorOpinion, LegalityReview
from .organisations import (
    CalendarOverride,
    CalendarYear,
    JurisdictionSettings,
    Membership,
    Organisation,
)
from .peers import FilingExchange, FilingPeer
from .people import Delegation, DelegationQuerySet
from .reconciliation import ReconciliationFinding, ReconciliationRun
from .security import PasswordRecord, SecurityEvent, SecurityKind
from .suggestions import Consultation, ReviewSuggestion
from .validity import CleanupCampaign, CleanupItem, CleanupProgress, Evaluation

__all__ = [
    "CHECKLIST_ITEMS",
    "CHECKLIST_KEYS",
    "FILING_MATERIALS",
    "FILING_REVIEW_ITEMS",
    "FILING_REVIEW_KEYS",
    "IN_FORCE_STATES",
    "PUBLISHED_STATES",
    "REGISTER_IN_PROGRESS",
    "AdvisorOpinion",
    "ArticleNote",
    "Attachment",
    "AttachmentKind",
    "AuditChainHead",
    "AuditEvent",
    "AuditEventQuerySet",
    "CalendarOverride",
    "CalendarYear",
    "CleanupCampaign",
    "CleanupItem",
    "CleanupProgress",
    "Category",
    "Classification",
    "NumberSource",
    "EndCause",
    "Comment",
    "Consultation",
    "CommentCluster",
    "CommentPeriod",
    "Correction",
    "Delegation",
    "DelegationQuerySet",
    "Deliberation",
    "DocumentQuerySet",
    "Escalation",
    "Evaluation",
    "DocumentVersion",
    "Filing",
    "FilingDemand",
    "FilingExchange",
    "FilingPeer",
    "FilingReopening",
    "FilingReview",
    "FlagDecision",
    "FlagKind",
    "FlagStage",
    "JurisdictionSettings",
    "LegalityReview",
    "Membership",
    "NormativeDocument",
    "NumberSequence",
    "Organisation",
    "PasswordRecord",
    "Publication",
    "ReconciliationFinding",
    "ReconciliationRun",
    "Registration",
    "ReviewSuggestion",
    "RepealedLaw",
    "ReviewOutcome",
    "Role",
    "SecurityEvent",
    "SecurityKind",
    "State",
    "VersionArticle",
    "document_upload_path",
    "has_role",
    "sha256_bytes",
]
