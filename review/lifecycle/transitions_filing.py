"""The filing's moves (§7; 法规规章备案条例 art. 7, 10, 14, 17, 20), mixed into
`DocumentLifecycle`:

    待报送备案 --file--> 待备案登记 --register_filing--> 已登记·审查中
                               |--defer_filing--> 待补充报送 --file--> 待备案登记
                               `--refuse_registration--> 不予备案登记 (filing ends;
                                  the document stays published and in force)
    已登记·审查中 --accept_filing (审查无问题)--> 已备案
                 --require_correction (提出审查意见)--> 待纠正
    待纠正 --report_correction--> 纠正待复核 --accept_correction--> 已备案
                                         --accept_repeal--> 已废止
                                         --reopen_correction--> 待纠正
    待纠正 (past its deadline) / 纠正待复核 --revoke--> 已撤销
                                          --change_by_authority--> 已备案
                                          --notify_uncorrected--> 待纠正
    已备案 --reopen_review--> 已登记·审查中
    待报送备案 (overdue) --demand_filing--> 待报送备案 (限期报送)
                        --notify_late_filing--> 待报送备案 (通报)
"""

from django.utils.translation import gettext_lazy as _
from django_fsm import transition

from ..states import Role, State
from .guards import (
    correction_reported,
    filing_materials_complete,
    filing_review_clean,
    filing_review_not_extended,
    has_authority,
    published,
)
from .guards_filing import (
    corrected_by_repeal,
    corrected_by_text,
    correction_unresolved,
    demand_lapsed,
    filing_overdue,
    no_open_demand,
    review_concluded,
)
from .permissions import role_in_authority, role_in_files_with, role_in_issuer

AUTHORITY_REVIEWER = role_in_authority(Role.FILING_REVIEWER)
UNRESOLVED = [State.CORRECTION, State.CORRECTED]


class FilingLifecycle:
    @transition(
        field="state",
        source=[State.FILING, State.SUPPLEMENT],
        target=State.FILING_REVIEW,
        conditions=[published, has_authority],
        permission=role_in_issuer(Role.FILING_CLERK),
        custom={"label": _("报送备案")},
    )
    def file(self, *, by):
        """备案条例 art. 3: filed within the deadline counted from publication; after
        暂缓办理 the body 补充或者重新报送 (art. 7)."""

    # --- registration at receipt (art. 7): formal -----------------------------

    @transition(
        field="state",
        source=State.FILING_REVIEW,
        target=State.UNDER_REVIEW,
        conditions=[filing_materials_complete],
        permission=AUTHORITY_REVIEWER,
        custom={"label": _("予以备案登记")},
    )
    def register_filing(self, *, by):
        """In scope and materials conform: registered; the substantive review follows."""

    @transition(
        field="state",
        source=State.FILING_REVIEW,
        target=State.SUPPLEMENT,
        permission=AUTHORITY_REVIEWER,
        custom={"label": _("暂缓办理备案登记")},
    )
    def defer_filing(self, *, by):
        """Materials incomplete or not in form: 补充或者重新报送, then a new decision."""

    @transition(
        field="state",
        source=State.FILING_REVIEW,
        target=State.NOT_REGISTERED,
        permission=AUTHORITY_REVIEWER,
        custom={"label": _("不予备案登记")},
    )
    def refuse_registration(self, *, by):
        """Out of scope only (art. 2): materials returned with the reason; the document
        stays published and keeps its 登记号."""

    # --- substantive review (art. 10, 14) ------------------------------------

    @transition(
        field="state",
        source=State.UNDER_REVIEW,
        target=State.UNDER_REVIEW,
        conditions=[filing_review_not_extended],
        permission=AUTHORITY_REVIEWER,
        custom={"label": _("延长审查期限")},
    )
    def extend_filing_review(self, *, by):
        """Review takes 30 日, extendable once by 20 (domain-rules §7, local)."""

    @transition(
        field="state",
        source=State.UNDER_REVIEW,
        target=State.FILED,
        conditions=[filing_review_clean],
        permission=AUTHORITY_REVIEWER,
        custom={"label": _("审查无问题")},
    )
    def accept_filing(self, *, by):
        pass

    @transition(
        field="state",
        source=State.UNDER_REVIEW,
        target=State.CORRECTION,
        permission=AUTHORITY_REVIEWER,
        custom={"label": _("提出审查意见（建议自行纠正）")},
    )
    def require_correction(self, *, by):
        """备案条例 art. 14, 17: the body corrects itself and reports within the deadline.
        The document keeps its registration."""

    # --- correction (art. 17) and escalation (art. 20) ------------------------

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
        conditions=[corrected_by_text],
        permission=AUTHORITY_REVIEWER,
        custom={"label": _("纠正完成，予以备案")},
    )
    def accept_correction(self, *, by):
        pass

    @transition(
        field="state",
        source=State.CORRECTED,
        target=State.REPEALED,
        conditions=[corrected_by_repeal],
        permission=AUTHORITY_REVIEWER,
        custom={"label": _("确认已废止")},
    )
    def accept_repeal(self, *, by):
        """The body answered the 审查意见 by repealing the document."""

    @transition(
        field="state",
        source=State.CORRECTED,
        target=State.CORRECTION,
        permission=AUTHORITY_REVIEWER,
        custom={"label": _("纠正不到位，继续纠正")},
    )
    def reopen_correction(self, *, by):
        pass

    @transition(
        field="state",
        source=UNRESOLVED,
        target=State.REVOKED,
        conditions=[correction_unresolved],
        permission=AUTHORITY_REVIEWER,
        custom={"label": _("撤销")},
    )
    def revoke(self, *, by):
        """备案条例 art. 20: a decision with its number and date ends the document."""

    @transition(
        field="state",
        source=UNRESOLVED,
        target=State.FILED,
        conditions=[correction_unresolved],
        permission=AUTHORITY_REVIEWER,
        custom={"label": _("改变")},
    )
    def change_by_authority(self, *, by):
        """备案条例 art. 20: a decision with its number and date amends the document,
        which stays in force as changed and keeps its registration."""

    @transition(
        field="state",
        source=UNRESOLVED,
        target=State.CORRECTION,
        conditions=[correction_unresolved],
        permission=AUTHORITY_REVIEWER,
        custom={"label": _("通报")},
    )
    def notify_uncorrected(self, *, by):
        """备案条例 art. 20: 通报; the correction stays open."""

    # --- reopening -------------------------------------------------------------

    @transition(
        field="state",
        source=State.FILED,
        target=State.UNDER_REVIEW,
        conditions=[review_concluded],
        permission=AUTHORITY_REVIEWER,
        custom={"label": _("重新审查")},
    )
    def reopen_review(self, *, by):
        """A citizen's 审查建议 (art. 9) or a later finding: reviewed again."""

    # --- late and missing filings (art. 20) -------------------------------------

    @transition(
        field="state",
        source=State.FILING,
        target=State.FILING,
        conditions=[published, filing_overdue, no_open_demand],
        permission=role_in_files_with(Role.FILING_REVIEWER),
        custom={"label": _("限期报送")},
    )
    def demand_filing(self, *, by):
        pass

    @transition(
        field="state",
        source=State.FILING,
        target=State.FILING,
        conditions=[demand_lapsed],
        permission=role_in_files_with(Role.FILING_REVIEWER),
        custom={"label": _("通报逾期未报送")},
    )
    def notify_late_filing(self, *, by):
        pass
