"""The states of a document's life and the roles people act in.

Kept apart from the models so that the state machine (review.lifecycle) and the
models can both import them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    DRAFTER = "drafter", _("起草人")
    LEGAL_REVIEWER = "legal_reviewer", _("合法性审核人员")
    LEGAL_ADVISOR = "legal_advisor", _("法律顾问")
    DELIBERATION_SECRETARY = "deliberation_secretary", _("集体审议秘书")
    REGISTRAR = "registrar", _("登记发布人员（办公室）")
    FILING_CLERK = "filing_clerk", _("报备人员")
    FILING_REVIEWER = "filing_reviewer", _("备案审查人员")
    AUDITOR = "auditor", _("审计人员")
    ADMIN = "admin", _("系统管理员")
    # 三员分立 (issue 16): roles, second factors, lockouts, password policy.
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    # An organisation's own users and their roles (issue 16, part 1).
    USER_ADMIN = "user_admin", _("用户管理员")
    # Reads and exports the security log, changes nothing (issue 16, 三员分立).
    SECURITY_AUDITOR = "security_auditor", _("审计管理员")
    # Gives an opinion when a reviewer asks (审查意见征集, issue 17); acts on no document.
    EXPERT = "expert", _("专家")


class State(models.TextChoices):
    DRAFTING = "drafting", _("起草")
    PUBLIC_COMMENT = "public_comment", _("公开征求意见")
    LEGALITY_REVIEW = "legality_review", _("合法性审核")
    REVISION = "revision", _("退回修改")
    DELIBERATION = "deliberation", _("集体审议")
    REGISTRATION = "registration", _("待登记编号")
    PUBLICATION = "publication", _("待公布")
    FILING = "filing", _("待报送备案")
    # 备案条例 art. 7: received, the registration decision is taken at receipt.
    FILING_REVIEW = "filing_review", _("待备案登记")
    SUPPLEMENT = "supplement", _("待补充报送")
    NOT_REGISTERED = "not_registered", _("不予备案登记")
    # 备案条例 art. 10: registered, the substantive review runs.
    UNDER_REVIEW = "under_review", _("已登记·审查中")
    CORRECTION = "correction", _("待纠正")
    CORRECTED = "corrected", _("纠正待复核")
    FILED = "filed", _("已备案")
    EXPIRED = "expired", _("已失效")
    REPEALED = "repealed", _("已废止")
    AMENDED = "amended", _("已修改")
    WITHDRAWN = "withdrawn", _("已撤回")
    REJECTED = "rejected", _("不予登记")
    REVOKED = "revoked", _("已撤销")


# States in which the document has been published and is (or was) in force.
PUBLISHED_STATES = [
    State.FILING,
    State.FILING_REVIEW,
    State.SUPPLEMENT,
    State.NOT_REGISTERED,
    State.UNDER_REVIEW,
    State.CORRECTION,
    State.CORRECTED,
    State.FILED,
    State.EXPIRED,
    State.REPEALED,
    State.AMENDED,
    State.REVOKED,
]
# 不予备案登记 (out of scope) ends the filing, not the document: it stays published
# and in force, its validity is not the filing authority's to decide there.
IN_FORCE_STATES = [
    State.FILING,
    State.FILING_REVIEW,
    State.SUPPLEMENT,
    State.NOT_REGISTERED,
    State.UNDER_REVIEW,
    State.CORRECTION,
    State.CORRECTED,
    State.FILED,
]

TERMINAL_STATES = [
    State.EXPIRED,
    State.REPEALED,
    State.AMENDED,
    State.WITHDRAWN,
    State.REJECTED,
    State.REVOKED,  # 备案条例 art. 20: 撤销 by the filing authority's decision
]
BEFORE_TERMINAL = [s for s in State.values if s not in TERMINAL_STATES]
