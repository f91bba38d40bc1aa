"""The shapes of the demo's documents (review.demo_data, review.demo_filing)."""

import datetime
from dataclasses import dataclass, field

D = datetime.date
CITY = "akmz"


@dataclass(frozen=True)
class CorrectionSpec:
    """A problem the filing review finds (备案条例 art. 10 item) and how it was put right."""

    item: str  # a key of FILING_REVIEW_KEYS
    note: str
    findings: str
    suggestion: str
    handling: str = ""


@dataclass(frozen=True)
class DocSpec:
    title: str
    unit: str  # drafting division code, without the "akmz-" prefix
    category: str
    start: datetime.date  # the day the draft is ready; later steps follow on working days
    state: str  # where the walk ends
    legal_basis: str
    purpose: str = ""
    articles: tuple = ()  # 第二条 onwards; 第一条 (purpose) and the last (施行) are added
    text: str = ""  # the whole text, for documents that are not 办法-shaped
    organisation: str = CITY
    important: bool = False
    market: bool = False
    major: bool = False
    competition: bool = False
    legal_basis_file: bool = True  # False: 制定依据 missing from the filing → 暂缓办理
    file_days_after: int | None = None  # filed this many days after publication (late: > 30)
    correction: CorrectionSpec | None = None
    comment_window: tuple = ()  # (opens, closes) for a period open today
    end_note: str = ""  # reason for rejection, withdrawal, repeal or amendment
    ended_by: str = ""  # title of the repealing or amending document
    ended_on: datetime.date | None = None  # repealed by the body's decision, naming none
    decision_number: str = ""  # that decision's 文号
    advisor_dissent: str = ""  # the legal advisor disagrees with the first conclusion
    notes: tuple = field(default=())  # what the demo shows, printed with the document
    # The filing's later decisions (备案条例 art. 7, 9, 20):
    refusal_reason: str = ""  # 不予备案登记 at receipt (out of scope)
    escalation: str = ""  # after the correction report: revoke / change / notify
    reopen_reason: str = ""  # a filed document's review reopened
    demand: bool = False  # an overdue filing: 限期报送, then 通报
