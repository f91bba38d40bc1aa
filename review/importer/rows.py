"""What one row of the register says, once checked (`Row`), what is wrong with a
row (`RowError`), and the state its document is in today (`derive_state`)."""

import datetime
from dataclasses import dataclass, field

from ..errors import Refused
from ..models import FILING_MATERIALS, FilingReview, Organisation
from ..states import State
from .columns import ALWAYS_FILED_MATERIALS, IN_FORCE


@dataclass
class RowError:
    row: int
    message: str

    def __str__(self):
        return f"第{self.row}行：{self.message}"


class RegisterInvalid(Refused):
    """The register has errors; nothing was written."""

    def __init__(self, errors):
        self.errors = sorted(errors, key=lambda error: error.row)
        super().__init__(f"台账校验未通过：共 {len(self.errors)} 处错误，未导入任何数据")


@dataclass
class Row:
    row: int
    organisation: Organisation = None
    title: str = ""
    number: str = ""
    number_parts: tuple = None  # (prefix, year, serial)
    reg_number: str = ""
    reg_parts: tuple = None
    reg_allocated: bool = False
    signed_on: datetime.date = None
    published_on: datetime.date = None
    channel: str = ""
    filed_on: datetime.date = None
    filing_due_on: datetime.date = None
    review_due_on: datetime.date = None
    materials_complete: bool = None
    missing_materials: list = field(default_factory=list)
    materials_unspecified: bool = False
    reviewed_on: datetime.date = None
    outcome: str = ""  # 登记结论 (备案条例 art. 7)
    conclusion: str = ""  # 审查意见结论 (art. 10, 14)
    legacy: str = ""  # the old 审查结论 as the register wrote it
    notes: str = ""
    correction_required: bool = False
    correction_deadline: datetime.date = None
    correction_closed_on: datetime.date = None
    effective_from: datetime.date = None
    valid_until: datetime.date = None
    status: str = IN_FORCE
    ended_on: datetime.date = None  # 废止日期 or 失效日期: the first day no longer in force
    end_cause: str = ""
    state: str = ""
    warnings: list = field(default_factory=list)

    @property
    def days_late(self):
        if self.filed_on is None or self.filing_due_on is None:
            return 0
        return max(0, (self.filed_on - self.filing_due_on).days)

    def materials(self):
        """{material: bool or None}. None: the register says the materials were incomplete
        without saying which; such an entry counts as missing, as False does."""
        if self.materials_complete:
            return {key: True for key, _label in FILING_MATERIALS}
        if self.missing_materials:
            return {key: key not in self.missing_materials for key, _label in FILING_MATERIALS}
        return {
            key: (True if key in ALWAYS_FILED_MATERIALS else None)
            for key, _label in FILING_MATERIALS
        }

    def summary(self):
        """What the audit event keeps of the row."""
        return {
            "row": self.row,
            "organisation": self.organisation.code,
            "title": self.title,
            "number": self.number,
            "reg_number": self.reg_number,
            "reg_number_allocated": self.reg_allocated,
            "signed_on": self.signed_on,
            "published_on": self.published_on,
            "filed_on": self.filed_on,
            "filing_due_on": self.filing_due_on,
            "days_late": self.days_late,
            "materials_complete": self.materials_complete,
            "missing_materials": self.missing_materials,
            "reviewed_on": self.reviewed_on,
            "review_outcome": self.outcome,
            "review_conclusion": self.conclusion,
            "correction_required": self.correction_required,
            "correction_deadline": self.correction_deadline,
            "correction_closed_on": self.correction_closed_on,
            "effective_from": self.effective_from,
            "valid_until": self.valid_until,
            "status": self.status,
            "ended_on": self.ended_on,
            "end_cause": self.end_cause,
        }


def derive_state(row):
    """The state the document is in today, from what the register records (docs/import.md)."""
    if row.status in (State.REPEALED, State.EXPIRED):
        return row.status
    if row.published_on is None:
        return State.PUBLICATION
    if row.filed_on is None:
        return State.FILING
    if not row.outcome:
        return State.FILING_REVIEW
    if row.outcome == FilingReview.Outcome.DEFERRED:
        return State.SUPPLEMENT  # 备案条例 art. 7: to be supplemented and filed again
    if row.outcome == FilingReview.Outcome.REFUSED:
        return State.NOT_REGISTERED  # out of scope: the filing ends, the document stays
    if not row.conclusion:
        return State.UNDER_REVIEW
    if row.correction_required and row.correction_closed_on is None:
        return State.CORRECTION
    return State.FILED
