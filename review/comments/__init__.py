"""Public comment (domain-rules §4): submit, moderate, cluster, answer, summarise.

Like `review.actions`: one function per operation, atomic, checked, with one
audit event each. A refusal (`Refused`, a message for the page) or a missing
role (`NotPermitted`, a 403) changes nothing.

A submission takes no lock that staff work waits on: the period row is
locked in shared mode (PostgreSQL; SQLite serialises writers anyway), which
orders it against the close without ordering submissions among themselves,
and it appends nothing to the global audit chain. The proof that no accepted
comment was lost or changed is the digest the close writes into the chain
(`comments_digest`: every receipt and the SHA-256 of its text, in order),
which `manage.py verify_audit` checks again; before the close, each citizen
holds a receipt the portal finds again.

One module per part: `articles` (the draft's 第…条), `submission` (a citizen's
comment, its receipt, the digests), `moderation` (staff: moderate, cluster,
answer), `summary` (the 征求意见及采纳情况), `privacy` (erasing contacts). Every name is importable from here.
"""

from .articles import (
    ARTICLE_RE,
    HEADING_RE,
    Block,
    article_choices,
    chinese_number,
    parse_articles,
)
from .moderation import (
    ANSWERABLE_STATES,
    MODERATION_ACTIONS,
    MODERATORS,
    answer,
    answer_cluster,
    cluster_comments,
    may_moderate,
    moderate,
)
from .privacy import (
    erase_expired_contacts,
    erase_on_request,
    erase_suggestion_on_request,
    retention_days,
)
from .submission import (
    RECEIPT_ALPHABET,
    PeriodClosed,
    clean_contact,
    comments_digest,
    ip_hash,
    max_chars,
    new_receipt,
    refusal_if_closed,
    submit_comment,
    submit_comment_on,
    verify_digests,
)
from .summary import (
    Row,
    counts,
    rows,
    spam_list,
    summary,
    summary_text,
)

__all__ = [
    "ARTICLE_RE",
    "HEADING_RE",
    "chinese_number",
    "Block",
    "parse_articles",
    "article_choices",
    "RECEIPT_ALPHABET",
    "max_chars",
    "clean_contact",
    "ip_hash",
    "new_receipt",
    "refusal_if_closed",
    "submit_comment",
    "submit_comment_on",
    "PeriodClosed",
    "comments_digest",
    "verify_digests",
    "MODERATORS",
    "ANSWERABLE_STATES",
    "MODERATION_ACTIONS",
    "may_moderate",
    "moderate",
    "answer",
    "answer_cluster",
    "cluster_comments",
    "Row",
    "rows",
    "counts",
    "summary",
    "spam_list",
    "summary_text",
    "retention_days",
    "erase_expired_contacts",
    "erase_on_request",
    "erase_suggestion_on_request",
]
