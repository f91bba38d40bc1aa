"""The filing decisions a register records (法规规章备案条例 art. 7, 10, 14), read
into the registration decision and the review conclusion kept apart.

Today's registers have one column, 审查结论, that held both: an old
予以备案登记 means registered *and* reviewed without problem (so 审查率 does not
drop); 暂缓办理备案登记 → deferred; 不予备案登记 → refused registration, unless the
row requires a correction — then it was used, as the system once did, for a
substantive finding: registered with a 审查意见 (as migration 0013 moves such
rows already in the system). The new columns 登记结论 and 审查意见结论 say each
decision in its own words and win over 审查结论 (docs/import.md)."""

from ..models import FilingReview
from .columns import CONCLUSIONS, OUTCOMES

REGISTERED = FilingReview.Outcome.REGISTERED
DEFERRED = FilingReview.Outcome.DEFERRED
REFUSED = FilingReview.Outcome.REFUSED
NO_PROBLEM = FilingReview.Conclusion.NO_PROBLEM
OPINION = FilingReview.Conclusion.OPINION


def _lookup(table, text):
    return table.get(text) or table.get(text.lower(), "")


def read_decisions(row, cells):
    """The three columns' texts into row.legacy, row.outcome (登记结论) and row.conclusion,
    each problem added to cells.problems."""
    problems = cells.problems
    legacy_text = cells.text("outcome")
    registration_text = cells.text("registration")
    conclusion_text = cells.text("conclusion")
    row.legacy = _lookup(OUTCOMES, legacy_text) if legacy_text else ""
    if legacy_text and not row.legacy:
        problems.append(
            f"审查结论“{legacy_text}”无法识别（应为 予以备案登记、不予备案登记 或 暂缓办理备案登记）"
        )
    row.outcome = _lookup(OUTCOMES, registration_text) if registration_text else ""
    if registration_text and not row.outcome:
        problems.append(
            f"登记结论“{registration_text}”无法识别（应为 予以备案登记、暂缓办理备案登记 或 不予备案登记）"
        )
    row.conclusion = _lookup(CONCLUSIONS, conclusion_text) if conclusion_text else ""
    if conclusion_text and not row.conclusion:
        problems.append(
            f"审查意见结论“{conclusion_text}”无法识别（应为 审查无问题 或 提出审查意见）"
        )
    return bool(legacy_text or registration_text or conclusion_text)


def resolve_decisions(row, cells):
    """Once the correction columns are read: the registration and the conclusion the
    document has, from the new columns or else from the old 审查结论."""
    if not row.outcome and row.legacy:
        if row.legacy == REFUSED and row.correction_required:
            row.outcome = REGISTERED  # the old 不予备案登记 for a substantive finding
        else:
            row.outcome = row.legacy
    if row.outcome == REGISTERED and not row.conclusion:
        if row.correction_required:
            row.conclusion = OPINION
        elif row.legacy == REGISTERED:
            row.conclusion = NO_PROBLEM  # reviewed without problem (审查率 unchanged)
    if row.conclusion and row.outcome != REGISTERED:
        cells.problems.append("只有予以备案登记的文件才有审查意见结论")
    if row.correction_required and row.conclusion == NO_PROBLEM:
        cells.problems.append("审查意见结论为“审查无问题”的，不能同时要求纠正")
