"""The fixed lists of the law: the choices a field offers and the items a review answers.

Kept apart from the models so that the state machine (review.lifecycle), the
rules (review.rules) and the models can all import them without importing each
other. The states and roles are in review.states. Each model keeps its own name
for the choices nested in it (`Comment.Status`, `Deliberation.MeetingType`, …).
"""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

# --------------------------------------------------------------------------
# Organisations


class OrganisationKind(models.TextChoices):
    GOVERNMENT = "government", _("人民政府")
    DEPARTMENT = "department", _("政府部门")
    DIVISION = "division", _("内设科室")
    JUSTICE = "justice", _("司法行政机关（备案审查机构）")


class NumberSource(models.TextChoices):
    """Who allocates a body's 发文字号 (domain-rules §6): the series is shared with every
    公文 of the body, so where the 公文 system allocates it guifan only records it."""

    ALLOCATED = "guifan", _("本系统编排")
    ENTERED = "entered", _("公文系统编排（登记时录入）")


# --------------------------------------------------------------------------
# The document


class Classification(models.TextChoices):
    PENDING = "pending", _("待认定")
    NORMATIVE = "normative", _("属于行政规范性文件")
    NOT_NORMATIVE = "not_normative", _("不属于行政规范性文件")


class Category(models.TextChoices):
    SOCIAL_ASSISTANCE = "social_assistance", _("社会救助")
    SOCIAL_ORGANISATIONS = "social_organisations", _("社会组织管理")
    MARRIAGE = "marriage", _("婚姻登记")
    FUNERAL = "funeral", _("殡葬管理")
    ELDERLY = "elderly", _("养老服务")
    PLACE_NAMES = "place_names", _("区划地名")
    COMMUNITY = "community", _("基层政权和社区治理")
    GOVERNMENT_AFFAIRS = "government_affairs", _("政务公开")
    OTHER = "other", _("其他")


class EndCause(models.TextChoices):
    """Why a published document is no longer in force (domain-rules §8), with the date
    it stops (NormativeDocument.ended_on, the first day no longer in force)."""

    REPEALED = "repealed", _("废止")  # by a decision with its 文号
    AMENDED = "amended", _("修改")  # by the amending document
    EXPIRED = "expired", _("有效期届满失效")  # the day after 有效期至
    DECLARED_INVALID = "declared_invalid", _("宣布失效")  # 清理: by a decision with its 文号
    REVOKED = "revoked", _("备案审查机关撤销")  # the filing authority's decision (its 文号)
    ALTERED = "altered", _("备案审查机关改变")  # the filing authority's decision (its 文号)


# The register's sort date of a document not yet registered: after every real date,
# so documents in progress come first (NormativeDocument.register_sort_date).
REGISTER_IN_PROGRESS = datetime.date(9999, 12, 31)


class AttachmentKind(models.TextChoices):
    DRAFTING_NOTE = "drafting_note", _("起草说明")
    LEGAL_BASIS = "legal_basis", _("制定依据")
    ASSESSMENT = "assessment", _("评估论证报告")
    COMMENT_SUMMARY = "comment_summary", _("征求意见及采纳情况")
    MINUTES = "minutes", _("会议纪要")
    OTHER = "other", _("其他")


# --------------------------------------------------------------------------
# Legality review (§3)

# 115号 and 备案条例 art. 10: the items every legality review answers.
CHECKLIST_ITEMS = [
    ("subject", _("制定主体是否合法")),
    ("authority", _("是否超越法定职权")),
    ("conformity", _("内容是否符合宪法、法律、法规、规章和国家政策")),
    ("powers", _("是否违法设立行政许可、行政处罚、行政强制、行政征收、收费等事项")),
    ("rights", _("是否没有法律依据减损权利或者增加义务")),
    ("duties", _("是否没有法律依据增加本单位权力或者减少法定职责")),
    ("procedure", _("是否违反制定程序")),
    ("competition", _("是否排除、限制公平竞争")),
    ("appropriateness", _("是否适当")),
]
CHECKLIST_KEYS = [key for key, _label in CHECKLIST_ITEMS]


class ReviewOutcome(models.TextChoices):
    LAWFUL = "lawful", _("合法")
    REVISE = "revise", _("应当予以修改")
    UNLAWFUL = "unlawful", _("不合法")


# --------------------------------------------------------------------------
# Public comment (§4)


class CommentStatus(models.TextChoices):
    RECEIVED = "received", _("待审核")
    PUBLISHED = "published", _("已公开")
    HIDDEN = "hidden", _("不予公开")
    SPAM = "spam", _("垃圾信息")


class CommentAuthorKind(models.TextChoices):
    PERSON = "person", _("个人")
    ORGANISATION = "organisation", _("单位")
    ANONYMOUS = "anonymous", _("匿名")


# The comments the drafter must answer (采纳情况, 37号): every one received or public,
# and a named one whatever its moderation: a person or body who signed a comment does
# not drop out of the answers because it was hidden or marked as spam. Only anonymous
# hidden or spam comments are left unanswered (and still counted in the summary).
NAMED_AUTHORS = [CommentAuthorKind.PERSON, CommentAuthorKind.ORGANISATION]
OWES_ANSWER = models.Q(status__in=[CommentStatus.RECEIVED, CommentStatus.PUBLISHED]) | models.Q(
    author_kind__in=NAMED_AUTHORS
)


class CommentResponse(models.TextChoices):
    ADOPTED = "adopted", _("采纳")
    PARTLY = "partly", _("部分采纳")
    NOT_ADOPTED = "not_adopted", _("不采纳")


# --------------------------------------------------------------------------
# Collective deliberation (§5) and numbering (§6)


class MeetingType(models.TextChoices):
    EXECUTIVE = "executive", _("政府常务会议")
    PLENARY = "plenary", _("政府全体会议")
    BUREAU = "bureau", _("局务会议")
    OFFICE = "office", _("办公会议")


class DeliberationOutcome(models.TextChoices):
    PASSED = "passed", _("通过")
    PASSED_AMENDED = "passed_amended", _("修改后通过")
    FAILED = "failed", _("不通过")
    DEFERRED = "deferred", _("暂缓")


class NumberKind(models.TextChoices):
    DOCUMENT_NUMBER = "doc", _("发文字号")
    REGISTRATION_NUMBER = "reg", _("登记号")


# --------------------------------------------------------------------------
# Filing and filing review (§7)

# 备案材料: what a filing must contain.
FILING_MATERIALS = [
    ("report", _("备案报告")),
    ("official_text", _("正式文本")),
    ("drafting_note", _("起草说明")),
    ("legal_basis", _("制定依据")),
    ("legality_opinion", _("合法性审核意见")),
]


class FilingReviewOutcome(models.TextChoices):
    """The registration decision at receipt (登记结论, 备案条例 art. 7): formal only."""

    REGISTERED = "registered", _("予以备案登记")
    REFUSED = "refused", _("不予备案登记")
    DEFERRED = "deferred", _("暂缓办理备案登记")


class FilingReviewConclusion(models.TextChoices):
    """The substantive review's conclusion (审查意见结论, 备案条例 art. 10, 14)."""

    NO_PROBLEM = "no_problem", _("审查无问题")
    OPINION = "opinion", _("提出审查意见")


class EscalationKind(models.TextChoices):
    """What the filing authority does when a body has not corrected (备案条例 art. 20)."""

    REVOKE = "revoke", _("撤销")
    CHANGE = "change", _("改变")
    NOTIFY = "notify", _("通报")


# 备案条例 art. 10: what a filing review examines.
FILING_REVIEW_ITEMS = [
    ("subject", _("制定主体是否合法")),
    ("authority", _("是否超越权限")),
    ("superior_law", _("是否违反上位法")),
    ("consistency", _("规定是否不一致")),
    ("procedure", _("是否违背法定程序")),
    ("appropriateness", _("是否适当")),
]
FILING_REVIEW_KEYS = [key for key, _label in FILING_REVIEW_ITEMS]


class SuggestionStatus(models.TextChoices):
    """A citizen's 审查建议 (备案条例 art. 9) as the public status page shows it."""

    RECEIVED = "received", _("已收到，待办理")
    HANDLING = "handling", _("办理中")
    ANSWERED = "answered", _("已书面答复")


class SuggestionOutcome(models.TextChoices):
    """How a 审查建议 was answered: what the status page and the reply letter say."""

    OPINION = "opinion", _("经审查，已向制定机关提出审查意见，督促其纠正")
    NO_PROBLEM = "no_problem", _("经审查，未发现所提问题")
    OUT_OF_SCOPE = "out_of_scope", _("不属于本机关备案审查范围，已告知处理途径")


class ConsultationStage(models.TextChoices):
    """Which review a 审查意见征集 belongs to."""

    LEGALITY = "legality", _("合法性审核")
    FILING = "filing", _("备案审查")


class EvaluationOutcome(models.TextChoices):
    """What an evaluation before expiry concludes (domain-rules §8; 评估, local rules)."""

    CONTINUE = "continue", _("继续有效")
    AMEND = "amend", _("修改")
    REPEAL = "repeal", _("废止")
    LAPSE = "lapse", _("到期失效")


class CleanupOutcome(models.TextChoices):
    """The four outcomes of a 清理 (domain-rules §8 [I]): a proposal, then a decision."""

    CONTINUE = "continue", _("继续有效")
    AMEND = "amend", _("修改")
    REPEAL = "repeal", _("废止")
    DECLARE_INVALID = "declare_invalid", _("宣布失效")


class FindingKind(models.TextChoices):
    """What reconciling a body's 发文登记簿 and its published list with the register
    can find (issue 18, docs/reconciliation.md)."""

    UNREGISTERED = "unregistered", _("已印发、疑似规范性文件但未登记")
    UNPUBLISHED = "unpublished", _("已登记但未公布")
    NOT_FILED = "not_filed", _("已公布但未按期报送备案")
    PUBLISHED_TWICE = "published_twice", _("同一文件以不同文号两次公布")
    NUMBER_CONFLICT = "number_conflict", _("文号在台账中用于另一标题")


class FindingClosing(models.TextChoices):
    """How a person closes a finding: 不属于规范性文件 (with the reason), 补登记, or
    限期报送 (then 通报, 备案条例 art. 20)."""

    NOT_NORMATIVE = "not_normative", _("不属于规范性文件")
    BACKFILLED = "backfilled", _("补登记")
    DEMANDED = "demanded", _("限期报送")
