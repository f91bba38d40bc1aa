"""What the filing audit counts, the rates it derives and the violations it lists,
with the Chinese labels every rendering uses (docs/filing-audit.md)."""

from ...models import FILING_MATERIALS

BASE_COUNTS = [
    "issued",
    "due_for_filing",
    "filed",
    "filed_on_time",
    "filed_complete",
    "reviewed",
    "found_wrong",
    "corrected",
    "corrected_on_time",
]
# 备案条例 art. 7, 20: the registration decisions and the escalations, apart
DECISION_COUNTS = ["registered", "refused_registration", "deferred", "escalated"]
COUNTS = BASE_COUNTS + DECISION_COUNTS
COUNT_LABELS = {
    "issued": "公布",
    "due_for_filing": "应报备",
    "filed": "已报备",
    "filed_on_time": "按期报备",
    "filed_complete": "材料齐全",
    "reviewed": "已审查",
    "found_wrong": "发现问题",
    "corrected": "已纠正",
    "corrected_on_time": "按期纠正",
    "registered": "予以备案登记",
    "refused_registration": "不予备案登记",
    "deferred": "暂缓办理",
    "escalated": "撤销改变通报",
}
# rate: (numerator, denominator)
RATES = {
    "filing_rate": ("filed", "due_for_filing"),
    "timely_rate": ("filed_on_time", "filed"),
    "conformity_rate": ("filed_complete", "filed"),
    "review_rate": ("reviewed", "filed"),
    "correction_rate": ("corrected", "found_wrong"),
}
RATE_LABELS = {
    "filing_rate": "报备率",
    "timely_rate": "报备及时率",
    "conformity_rate": "规范率",
    "review_rate": "审查率",
    "correction_rate": "纠错率",
}
VIOLATION_KINDS = {
    "never_filed": "瞒报漏报（逾期未报备）",
    "filed_late": "逾期报备",
    "procedure_missing": "程序缺失（补登记，计为逾期、不规范）",
    "materials_incomplete": "备案材料不齐全",
    "not_reviewed": "尚无审查结论",
    "review_overdue": "备案审查超期",
    "correction_overdue": "逾期未纠正",
    "correction_open": "纠错未结案",
    "deadline_unknown": "期限未知（需录入节假日）",
}
KIND_ORDER = {kind: n for n, kind in enumerate(VIOLATION_KINDS)}
MATERIAL_LABELS = dict(FILING_MATERIALS)


def rates(counts):
    """Fractions; None where the denominator is 0 (nothing to measure)."""
    return {
        name: (counts[num] / counts[den] if counts[den] else None)
        for name, (num, den) in RATES.items()
    }
