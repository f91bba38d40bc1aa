"""审查建议 (法规规章备案条例 art. 9): a citizen's submission (`submission`), the
authority's handling (`handling`); personal information: review.comments.privacy.
审查意见征集 (asking others during a review): `consultation`."""

from . import consultation
from .handling import (
    answer,
    correction_after_reopening,
    link_document,
    may_handle,
    record_opinion,
    reopen_review,
)
from .submission import (
    authorities,
    authority_of,
    clean_evidence,
    search_documents,
    submit_suggestion,
)

__all__ = [
    "consultation",
    "answer",
    "authorities",
    "authority_of",
    "clean_evidence",
    "correction_after_reopening",
    "link_document",
    "may_handle",
    "record_opinion",
    "reopen_review",
    "search_documents",
    "submit_suggestion",
]
