"""The record of a normative document's life: who may issue, what was drafted,
reviewed, decided, numbered, published, filed, reviewed again and corrected.

The state machine itself is in `review.lifecycle`; operations that touch
several models are in `review.actions`. Every number the law sets is a field of
`JurisdictionSettings` with the default of domain-rules.md, never a constant.
"""

import datetime
import hashlib
from contextlib import contextmanager

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField

from .lifecycle import DocumentLifecycle
from .states import IN_FORCE_STATES, PUBLISHED_STATES, Role, State  # noqa: F401  (re-exported)

# NO_INDEX: foreign keys marked `db_index=False` are read forwards only (who drafted,
# reviewed, signed or filed; what a document amended or repealed; an audit event's actor)
# or are the leading column of a composite index already (an audit event's document:
# (document, seq); a document's organisation: (organisation, state)). Every action writes
# rows of these tables, and each index is one more page to write and sync per commit:
# migration 0005 dropped sixteen of them. The one cost is on deleting a user or a
# document, which PROTECT refuses anyway once they have acted: that check scans.

# --------------------------------------------------------------------------
# Organisations, roles and jurisdiction settings


class Organisation(models.Model):
    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("人民政府")
        DEPARTMENT = "department", _("政府部门")
        DIVISION = "division", _("内设科室")
        JUSTICE = "justice", _("司法行政机关（备案审查机构）")

    code = models.SlugField(
        _("代码"), max_length=40, unique=True, help_text=_("命令行和接口中使用的简短代码，如 akmz")
    )
    name = models.CharField(_("名称"), max_length=120, unique=True)
    short_name = models.CharField(_("简称"), max_length=40)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.DEPARTMENT)
    issuing_code = models.CharField(
        _("机关代字"), max_length=20, blank=True, help_text=_("发文字号中的机关代字，如 安民发")
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    files_with = models.ForeignKey(
        "self",
        verbose_name=_("备案审查机关"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="filers",
        help_text=_("本单位的规范性文件向其报送备案的机关"),
    )
    may_issue = models.BooleanField(
        _("列入制定主体清单"),
        default=False,
        help_text=_("是否有权制定行政规范性文件（制定主体清单）"),
    )

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["code"]

    def __str__(self):
        return self.name

    @cached_property
    def jurisdiction(self):
        """The settings in force for this body: its own, else the nearest ancestor's, else
        the defaults. Read once per loaded organisation (an action loads it afresh)."""
        return self._find_jurisdiction()

    def _find_jurisdiction(self):
        org = self
        seen = set()
        while org is not None and org.pk not in seen:
            seen.add(org.pk)
            try:
                # No query when read with the organisation (select_related), even when
                # the body has none of its own.
                return org.settings
            except JurisdictionSettings.DoesNotExist:
                org = org.parent
        return JurisdictionSettings()


class JurisdictionSettings(models.Model):
    """Every period and number in domain-rules.md, per jurisdiction, with its default."""

    organisation = models.OneToOneField(
        Organisation, verbose_name=_("适用单位"), on_delete=models.CASCADE, related_name="settings"
    )
    registration_prefix = models.CharField(
        _("登记号前缀"),
        max_length=20,
        default="安规",
        help_text=_("三统一登记号的区域简称+“规”，如 安规"),
    )
    # §4 公开征求意见
    comment_min_working_days = models.PositiveSmallIntegerField(
        _("征求意见最短期限（工作日）"), default=7
    )
    comment_min_days_market = models.PositiveSmallIntegerField(
        _("涉及市场主体的征求意见最短期限（日）"), default=30
    )
    comment_min_days_major = models.PositiveSmallIntegerField(
        _("重大行政决策的征求意见最短期限（日）"), default=30
    )
    # §3 合法性审核
    legality_review_min_working_days = models.PositiveSmallIntegerField(
        _("合法性审核最短期限（工作日）"), default=5
    )
    legality_review_max_working_days = models.PositiveSmallIntegerField(
        _("合法性审核最长期限（工作日）"), default=15
    )
    legality_review_major_min_working_days = models.PositiveSmallIntegerField(
        _("重大行政决策合法性审核最短期限（工作日）"), default=7
    )
    advisor_signoff_required = models.BooleanField(_("须经法律顾问签署意见"), default=True)
    # §6 公布与施行
    publication_channel = models.CharField(
        _("公布载体"),
        max_length=200,
        blank=True,
        default="",
        help_text=_(
            "公布文件和征求意见的网站或公报，如 安康市民政局门户网站；不填则为“本单位名称+门户网站”"
        ),
    )
    effective_after_days = models.PositiveSmallIntegerField(_("公布后施行间隔（日）"), default=30)
    # §7 备案与备案审查
    filing_deadline_days = models.PositiveSmallIntegerField(_("报送备案期限（日）"), default=30)
    filing_review_days = models.PositiveSmallIntegerField(_("备案审查期限（日）"), default=30)
    filing_review_extension_days = models.PositiveSmallIntegerField(
        _("备案审查可延长（日）"), default=20
    )
    correction_days = models.PositiveSmallIntegerField(_("自行纠正期限（日）"), default=30)
    # §8 有效期
    validity_years = models.PositiveSmallIntegerField(_("有效期（年）"), default=5)
    provisional_validity_years = models.PositiveSmallIntegerField(
        _("暂行、试行文件有效期（年）"), default=2
    )
    evaluation_months_before_expiry = models.PositiveSmallIntegerField(
        _("有效期届满前评估（月）"), default=6
    )

    class Meta:
        verbose_name = _("辖区设置")
        verbose_name_plural = _("辖区设置")

    def __str__(self):
        return str(self.organisation) if self.organisation_id else str(_("默认设置"))


class Membership(models.Model):
    """A user holds a role in one organisation. Roles are per organisation: being a
    registrar of the city bureau gives nothing in a county bureau."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("角色"), max_length=30, choices=Role.choices)
    unit = models.ForeignKey(
        Organisation,
        verbose_name=_("所在科室"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="unit_memberships",
    )

    class Meta:
        verbose_name = _("角色分配")
        verbose_name_plural = _("角色分配")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="unique_membership"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.organisation.short_name} · {self.get_role_display()}"


def has_role(user, organisation, *roles):
    """Whether `user` holds one of `roles` in `organisation` (cached per user object)."""
    if user is None or not getattr(user, "is_authenticated", False) or organisation is None:
        return False
    cache = getattr(user, "_guifan_roles", None)
    if cache is None:
        cache = {}
        for org_id, role in Membership.objects.filter(user=user).values_list(
            "organisation_id", "role"
        ):
            cache.setdefault(org_id, set()).add(role)
        user._guifan_roles = cache
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    return bool(cache.get(org_id, set()) & set(roles))


# --------------------------------------------------------------------------
# Working-day calendar overrides (read by review.calendar)


class CalendarOverride(models.Model):
    """An administrator's entry in the holiday schedule: a holiday, or a 调休 working day.

    Entries win over the `chinesecalendar` package; for a year the package does not
    know, the entries are the whole schedule (weekends rest, weekdays work, unless an
    entry says otherwise)."""

    date = models.DateField(_("日期"), unique=True)
    is_working_day = models.BooleanField(
        _("是否工作日"), help_text=_("勾选：调休上班日；不勾选：放假日")
    )
    name = models.CharField(
        _("说明"), max_length=60, blank=True, help_text=_("如 春节、国庆节调休")
    )

    class Meta:
        verbose_name = _("节假日与调休")
        verbose_name_plural = _("节假日与调休")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {'上班' if self.is_working_day else '放假'} {self.name}"


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


REGISTER_IN_PROGRESS = datetime.date(9999, 12, 31)


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Documents of the bodies the user belongs to, plus — for a filing authority's
        staff — the documents that have been filed with that authority."""
        if user is None or not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        receives_filings = Exists(
            Organisation.objects.filter(files_with=OuterRef("organisation_id"))
        )
        rows = list(
            Membership.objects.filter(user=user)
            .annotate(authority=receives_filings)
            .values_list("organisation_id", "authority")
        )
        org_ids = [org_id for org_id, _authority in rows]
        # Only a filing authority's staff need the second branch; without it the
        # register is a plain indexed filter (the OR costs every other user).
        if not any(authority for _org_id, authority in rows):
            return self.filter(organisation_id__in=org_ids)
        filed_with_us = Filing.objects.filter(authority_id__in=org_ids).values("document_id")
        return self.filter(Q(organisation_id__in=org_ids) | Q(pk__in=filed_with_us))


class NormativeDocument(DocumentLifecycle, ConcurrentTransitionMixin, models.Model):
    title = models.CharField(_("标题"), max_length=200)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("制定机关"),
        on_delete=models.PROTECT,
        related_name="documents",
        db_index=False,  # served by the index (organisation, state): see NO_INDEX
    )
    drafting_unit = models.ForeignKey(
        Organisation,
        verbose_name=_("起草单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="drafted_documents",
    )
    drafter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("起草人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="drafted_documents",
        db_index=False,  # no query looks rows up by it: see NO_INDEX
    )
    category = models.CharField(
        _("类别"), max_length=30, choices=Category.choices, default=Category.OTHER
    )
    is_important = models.BooleanField(_("重要规范性文件"), default=False)
    is_market_related = models.BooleanField(_("涉及市场主体生产经营活动"), default=False)
    is_major_decision = models.BooleanField(_("重大行政决策"), default=False)
    involves_fair_competition = models.BooleanField(_("涉及公平竞争审查"), default=False)
    legal_basis = models.TextField(_("制定依据"), blank=True)
    classification = models.CharField(
        _("文件性质认定"),
        max_length=20,
        choices=Classification.choices,
        default=Classification.PENDING,
    )
    classification_note = models.TextField(_("认定意见"), blank=True)
    state = FSMField(
        _("状态"), default=State.DRAFTING, choices=State.choices, protected=True, db_index=True
    )

    effective_from = models.DateField(_("施行日期"), null=True, blank=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    immediate_effect_reason = models.TextField(_("公布即施行的理由"), blank=True)
    repealed_by = models.ForeignKey(
        "self",
        verbose_name=_("被以下文件废止"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="repeals",
        db_index=False,  # no query looks rows up by it: see NO_INDEX
    )
    amended_by = models.ForeignKey(
        "self",
        verbose_name=_("被以下文件修改"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="amends",
        db_index=False,  # no query looks rows up by it: see NO_INDEX
    )
    end_note = models.TextField(
        _("终止说明"), blank=True, help_text=_("撤回、不予登记、废止或失效的理由")
    )
    imported = models.BooleanField(_("历史台账导入"), default=False)
    # The register (台账) lists documents in progress first, then by 成文日期. Kept on
    # the document so that one index serves the register's order without a join: the
    # registration's signing date once registered, and before that a date after every
    # other, so that in-progress documents sort first.
    register_sort_date = models.DateField(
        _("台账排序日期"), default=REGISTER_IN_PROGRESS, editable=False
    )

    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("规范性文件")
        verbose_name_plural = _("规范性文件")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "state"]),
            models.Index(
                fields=["organisation", "-register_sort_date", "-created_at", "-id"],
                name="document_register_order",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("review:document", args=[self.pk])

    def take_row_of(self, fresh):
        """Become `fresh`, a copy of the same row read later, without a query: what an
        action hands back to its caller. Not refresh_from_db(): django-fsm-2 reloads a
        protected state by switching the field's `protected` flag off for the whole
        process and on again, and two threads doing so at once make one of them fail
        with "Direct state modification is not allowed"."""
        state = NormativeDocument._meta.get_field("state")
        for field in self._meta.concrete_fields:
            if field is not state:
                setattr(self, field.attname, getattr(fresh, field.attname))
        state.set_state(self, fresh.state)  # as a transition sets it
        self.organisation = fresh.organisation
        # An empty update_fields saves nothing (Django returns before any query), and
        # ConcurrentTransitionMixin then notes the state as the one stored.
        self.save(update_fields=[])

    # --- small predicates used by guards, views and reports -----------------

    @property
    def settings(self):
        return self.organisation.jurisdiction

    @property
    def requires_public_comment(self):
        """37号: important documents go out for comment; market-related and major-decision
        documents always do (优化营商环境条例 art. 62; 重大行政决策条例 art. 15)."""
        return self.is_important or self.is_market_related or self.is_major_decision

    @contextmanager
    def reading_once(self):
        """Within the block each record below is read from the database once between
        two writes: any statement other than a SELECT on the connection (a save(), an
        update(), a raw write, by whatever code) forgets every record read so far, so
        no read outlives a write. An action holds one around its work; a transition's
        guards (review.lifecycle.guards_evaluated_once) one around their judgement.
        Outside such a block every read goes to the database. Nested blocks share
        the outer one."""
        if getattr(self, "_read_memo", None) is not None:
            yield
            return
        self._read_memo = {}
        try:
            with connections[self._state.db or DEFAULT_DB_ALIAS].execute_wrapper(
                self._forget_on_write
            ):
                yield
        finally:
            self._read_memo = None

    def _forget_on_write(self, execute, sql, params, many, context):
        if not sql.lstrip()[:6].upper() == "SELECT":
            self._read_memo.clear()
        return execute(sql, params, many, context)

    def _once(self, key, read):
        memo = getattr(self, "_read_memo", None)
        if memo is None:
            return read()
        if key not in memo:
            memo[key] = read()
        return memo[key]

    @property
    def current_version(self):
        return self._once("version", lambda: self.versions.order_by("-number").first())

    @property
    def latest_review(self):
        return self._once(
            "review", lambda: self.legality_reviews.order_by("-started_at", "-pk").first()
        )

    @property
    def latest_deliberation(self):
        return self._once(
            "deliberation",
            lambda: self.deliberations.order_by("-meeting_date", "-pk").first(),
        )

    @property
    def latest_filing(self):
        """With its review (Filing.review_or_none), read in the same query."""
        return self._once(
            "filing",
            lambda: self.filings.select_related("review").order_by("-filed_on", "-pk").first(),
        )

    @property
    def registration_or_none(self):
        return self._once(
            "registration", lambda: Registration.objects.filter(document=self).first()
        )

    @property
    def publication_or_none(self):
        return self._once("publication", lambda: Publication.objects.filter(document=self).first())

    @property
    def open_correction(self):
        return self.corrections.filter(closed_on__isnull=True).order_by("-pk").first()

    def attachment_kinds(self):
        return self._once(
            "attachment_kinds",
            lambda: set(self.attachments.order_by().values_list("kind", flat=True)),
        )

    def advisor_signed_texts(self):
        """The SHA-256 of every text a legal advisor has signed an opinion on."""
        return self._once(
            "advisor_signed_texts",
            lambda: set(
                AdvisorOpinion.objects.filter(review__document=self)
                .order_by()
                .values_list("version_sha256", flat=True)
            ),
        )


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def document_upload_path(instance, filename):
    return f"documents/{instance.document_id}/{timezone.now():%Y%m%d%H%M%S}-{filename}"


class DocumentVersion(models.Model):
    """A draft as submitted: an uploaded .docx with its text extracted, or plain text.
    Its SHA-256 binds reviews and sign-offs to exactly what was read."""

    document = models.ForeignKey(
        NormativeDocument, verbose_name=_("文件"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("版本号"))
    file = models.FileField(_("文件"), upload_to=document_upload_path, blank=True)
    text = models.TextField(_("正文"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # no query looks rows up by it: see NO_INDEX
    )
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now)

    class Meta:
        verbose_name = _("版本")
        verbose_name_plural = _("版本")
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="unique_version_number")
        ]

    def __str__(self):
        return f"{self.document} · 第{self.number}稿"


class AttachmentKind(models.TextChoices):
    DRAFTING_NOTE = "drafting_note", _("起草说明")
    LEGAL_BASIS = "legal_basis", _("制定依据")
    ASSESSMENT = "assessment", _("评估论证报告")
    COMMENT_SUMMARY = "comment_summary", _("征求意见及采纳情况")
    MINUTES = "minutes", _("会议纪要")
    OTHER = "other", _("其他")


class Attachment(models.Model):
    document = models.ForeignKey(
        NormativeDocument,
        verbose_name=_("文件"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    kind = models.CharField(_("类型"), max_length=20, choices=AttachmentKind.choices)
    name = models.CharField(_("名称"), max_length=200)
    file = models.FileField(_("文件"), upload_to=document_upload_path, blank=True)
    text = models.TextField(_("内容"), blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # no query looks rows up by it: see NO_INDEX
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["document", "kind", "uploaded_at"]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.name}"


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


class LegalityReview(models.Model):
    document = models.ForeignKey(
        NormativeDocument,
        verbose_name=_("文件"),
        on_delete=models.CASCADE,
        related_name="legality_reviews",
    )
    version = models.ForeignKey(
        DocumentVersion,
        verbose_name=_("送审稿"),
        on_delete=models.PROTECT,
        related_name="legality_reviews",
    )
    version_sha256 = models.CharField(_("送审稿 SHA-256"), max_length=64)
    started_at = models.DateTimeField(_("收件时间"), default=timezone.now)
    due_on = models.DateField(_("审核期限"))
    urgent_reason = models.TextField(_("紧急情况说明"), blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # no query looks rows up by it: see NO_INDEX
    )
    # {key: {"ok": bool, "note": str}} for every key of CHECKLIST_KEYS
    checklist = models.JSONField(_("审核要点"), default=dict, blank=True)
    outcome = models.CharField(
        _("审核结论"), max_length=20, choices=ReviewOutcome.choices, blank=True
    )
    opinion = models.TextField(_("审核意见"), blank=True)
    completed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("合法性审核")
        verbose_name_plural = _("合法性审核")
        ordering = ["document", "started_at"]

    def __str__(self):
        return f"{self.document} · 合法性审核（{self.get_outcome_display() or '审核中'}）"

    @property
    def passed(self):
        return self.outcome == ReviewOutcome.LAWFUL


class AdvisorOpinion(models.Model):
    """法律顾问 written opinion and sign-off, bound by SHA-256 to the version read.
    A later version makes it stale."""

    review = models.ForeignKey(
        LegalityReview,
        verbose_name=_("合法性审核"),
        on_delete=models.CASCADE,
        related_name="advisor_opinions",
    )
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("法律顾问"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # no query looks rows up by it: see NO_INDEX
    )
    version = models.ForeignKey(
        DocumentVersion, verbose_name=_("所签版本"), on_delete=models.PROTECT, related_name="+"
    )
    version_sha256 = models.CharField(_("所签版本 SHA-256"), max_length=64)
    opinion = models.TextField(_("法律顾问意见"))
    agrees = models.BooleanField(_("同意审核意见"), default=True)
    signed_at = models.DateTimeField(_("签署时间"), default=timezone.now)

    class Meta:
        verbose_name = _("法律顾问意见")
        verbose_name_plural = _("法律顾问意见")
        ordering = ["review", "signed_at"]

    def __str__(self):
        return f"{self.advisor} · {self.signed_at:%Y-%m-%d}"

    def is_current_for(self, document):
        current = document.current_version
        return current is not None and current.sha256 == self.version_sha256


# --------------------------------------------------------------------------
# Public comment (§4)


class CommentPeriod(models.Model):
    document = models.ForeignKey(
        NormativeDocument,
        verbose_name=_("文件"),
        on_delete=models.CASCADE,
        related_name="comment_periods",
    )
    version = models.ForeignKey(
        DocumentVersion, verbose_name=_("征求意见稿"), on_delete=models.PROTECT, related_name="+"
    )
    opens_on = models.DateField(_("开始日期"))
    closes_on = models.DateField(_("截止日期"))
    channel = models.CharField(_("征求渠道"), max_length=200)
    urgent_reason = models.TextField(_("缩短期限的紧急理由"), blank=True)
    closed_at = models.DateTimeField(_("实际结束时间"), null=True, blank=True)
    summary = models.TextField(_("征求意见及采纳情况"), blank=True)

    class Meta:
        verbose_name = _("征求意见期")
        verbose_name_plural = _("征求意见期")
        ordering = ["document", "opens_on"]

    def __str__(self):
        return f"{self.document} · {self.opens_on}～{self.closes_on}"

    def is_open_on(self, day):
        """Open from the first day to the last, both included, until it is closed."""
        return self.closed_at is None and self.opens_on <= day <= self.closes_on

    def is_over_on(self, day):
        return self.closed_at is not None or day > self.closes_on


class CommentCluster(models.Model):
    """Near-duplicate comments (a campaign's copies) grouped by review.clustering,
    answered once: the answer is copied to every member comment."""

    period = models.ForeignKey(
        CommentPeriod,
        verbose_name=_("征求意见期"),
        on_delete=models.PROTECT,
        related_name="clusters",
    )
    article = models.PositiveIntegerField(_("针对条款"), null=True, blank=True)
    response = models.CharField(_("采纳情况"), max_length=20, blank=True)
    response_reason = models.TextField(_("理由"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("归并时间"), default=timezone.now)

    class Meta:
        verbose_name = _("相似意见组")
        verbose_name_plural = _("相似意见组")
        ordering = ["period", "pk"]

    def __str__(self):
        return f"{self.period} · 相似意见组 {self.pk}"


class Comment(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", _("待审核")
        PUBLISHED = "published", _("已公开")
        HIDDEN = "hidden", _("不予公开")
        SPAM = "spam", _("垃圾信息")

    class AuthorKind(models.TextChoices):
        PERSON = "person", _("个人")
        ORGANISATION = "organisation", _("单位")
        ANONYMOUS = "anonymous", _("匿名")

    class Response(models.TextChoices):
        ADOPTED = "adopted", _("采纳")
        PARTLY = "partly", _("部分采纳")
        NOT_ADOPTED = "not_adopted", _("不采纳")

    period = models.ForeignKey(
        CommentPeriod,
        verbose_name=_("征求意见期"),
        on_delete=models.PROTECT,
        related_name="comments",
    )
    receipt = models.CharField(_("回执号"), max_length=32, unique=True)
    article = models.PositiveIntegerField(_("针对条款"), null=True, blank=True)
    author_kind = models.CharField(
        _("提交人类型"), max_length=20, choices=AuthorKind.choices, default=AuthorKind.ANONYMOUS
    )
    author_name = models.CharField(_("姓名或单位"), max_length=100, blank=True)
    contact = models.CharField(_("联系方式"), max_length=100, blank=True)
    text = models.TextField(_("意见内容"))
    # review.clustering.normalise(text), kept so that clustering never re-reads every text's raw form
    normalised = models.TextField(_("规范化文本"), blank=True, editable=False)
    # HMAC of the sender's address: enough to see a flood, not enough to identify a person
    ip_hash = models.CharField(_("来源地址摘要"), max_length=64, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    status = models.CharField(
        _("审核状态"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    hidden_reason = models.CharField(_("不予公开理由"), max_length=200, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    moderated_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    cluster = models.ForeignKey(
        CommentCluster,
        verbose_name=_("相似意见组"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    response = models.CharField(_("采纳情况"), max_length=20, choices=Response.choices, blank=True)
    response_reason = models.TextField(_("理由"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("意见")
        verbose_name_plural = _("意见")
        ordering = ["period", "submitted_at"]
        indexes = [models.Index(fields=["period", "status"])]

    def __str__(self):
        return self.receipt

    @property
    def public_author(self):
        """What the public pages show: an organisation's name, never a private person's."""
        if self.author_kind == self.AuthorKind.ORGANISATION and self.author_name:
            return self.author_name
        return str(self.AuthorKind(self.author_kind).label)


# --------------------------------------------------------------------------
# Collective deliberation (§5)


class Deliberation(models.Model):
    class MeetingType(models.TextChoices):
        EXECUTIVE = "executive", _("政府常务会议")
        PLENARY = "plenary", _("政府全体会议")
        BUREAU = "bureau", _("局务会议")
        OFFICE = "office", _("办公会议")

    class Outcome(models.TextChoices):
        PASSED = "passed", _("通过")
        PASSED_AMENDED = "passed_amended", _("修改后通过")
        FAILED = "failed", _("不通过")
        DEFERRED = "deferred", _("暂缓")

    document = models.ForeignKey(
        NormativeDocument,
        verbose_name=_("文件"),
        on_delete=models.CASCADE,
        related_name="deliberations",
    )
    meeting_type = models.CharField(_("会议类型"), max_length=20, choices=MeetingType.choices)
    meeting_name = models.CharField(
        _("会议名称"), max_length=100, blank=True, help_text=_("如 2020年第5次局务会")
    )
    meeting_date = models.DateField(_("会议日期"))
    attendance = models.TextField(_("出席人员"))
    outcome = models.CharField(_("审议结果"), max_length=20, choices=Outcome.choices)
    dissent = models.TextField(
        _("不同意见"), blank=True, help_text=_("如实载明（重大行政决策条例第三十条）")
    )
    minutes = models.TextField(_("会议纪要"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # no query looks rows up by it: see NO_INDEX
    )
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    class Meta:
        verbose_name = _("集体审议")
        verbose_name_plural = _("集体审议")
        ordering = ["document", "meeting_date"]

    def __str__(self):
        return f"{self.document} · {self.get_meeting_type_display()} {self.meeting_date}"

    @property
    def passed(self):
        return self.outcome in (self.Outcome.PASSED, self.Outcome.PASSED_AMENDED)


# --------------------------------------------------------------------------
# Registration and numbering (§6)


class NumberSequence(models.Model):
    """The last serial issued for one prefix and year. Incremented under a row lock
    inside the registering transaction, so a rolled-back registration burns nothing."""

    class Kind(models.TextChoices):
        DOCUMENT_NUMBER = "doc", _("发文字号")
        REGISTRATION_NUMBER = "reg", _("登记号")

    kind = models.CharField(_("编号类型"), max_length=3, choices=Kind.choices)
    prefix = models.CharField(_("前缀"), max_length=20)
    year = models.PositiveSmallIntegerField(_("年度"))
    last = models.PositiveIntegerField(_("已用至"), default=0)

    class Meta:
        verbose_name = _("编号序列")
        verbose_name_plural = _("编号序列")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "prefix", "year"], name="unique_number_sequence"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.prefix}〔{self.year}〕 → {self.last}"


class Registration(models.Model):
    document = models.OneToOneField(
        NormativeDocument,
        verbose_name=_("文件"),
        on_delete=models.PROTECT,
        related_name="registration",
    )
    version = models.ForeignKey(
        DocumentVersion, verbose_name=_("登记版本"), on_delete=models.PROTECT, related_name="+"
    )
    number_prefix = models.CharField(_("机关代字"), max_length=20)
    number_year = models.PositiveSmallIntegerField(_("发文年度"))
    number_serial = models.PositiveIntegerField(_("发文序号"))
    number = models.CharField(_("发文字号"), max_length=40, unique=True)
    reg_prefix = models.CharField(_("登记号前缀"), max_length=20)
    reg_year = models.PositiveSmallIntegerField(_("登记年度"))
    reg_serial = models.PositiveIntegerField(_("登记序号"))
    reg_number = models.CharField(_("登记号"), max_length=40, unique=True)
    signed_on = models.DateField(_("成文日期"))
    registered_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # no query looks rows up by it: see NO_INDEX
    )

    class Meta:
        verbose_name = _("登记编号")
        verbose_name_plural = _("登记编号")
        constraints = [
            models.UniqueConstraint(
                fields=["number_prefix", "number_year", "number_serial"], name="unique_doc_serial"
            ),
            models.UniqueConstraint(
                fields=["reg_prefix", "reg_year", "reg_serial"], name="unique_reg_serial"
            ),
        ]

    def __str__(self):
        return f"{self.number}（{self.reg_number}）"


class Publication(models.Model):
    document = models.OneToOneField(
        NormativeDocument,
        verbose_name=_("文件"),
        on_delete=models.PROTECT,
        related_name="publication",
    )
    published_on = models.DateField(_("公布日期"))
    channel = models.CharField(_("公布载体"), max_length=100)
    url = models.URLField(_("网址"), blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # no query looks rows up by it: see NO_INDEX
    )

    class Meta:
        verbose_name = _("公布")
        verbose_name_plural = _("公布")

    def __str__(self):
        return f"{self.document} · {self.published_on}"


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


class Filing(models.Model):
    document = models.ForeignKey(
        NormativeDocument, verbose_name=_("文件"), on_delete=models.PROTECT, related_name="filings"
    )
    authority = models.ForeignKey(
        Organisation,
        verbose_name=_("备案审查机关"),
        on_delete=models.PROTECT,
        related_name="received_filings",
    )
    filed_on = models.DateField(_("报送日期"))
    due_on = models.DateField(_("报送期限"))
    # {material key: bool} as checked when the filing was made
    materials = models.JSONField(_("备案材料"), default=dict)
    report = models.TextField(_("备案报告"), blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # no query looks rows up by it: see NO_INDEX
    )
    resubmission_of = models.ForeignKey(
        "self",
        verbose_name=_("补报前次报送"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # no query looks rows up by it: see NO_INDEX
    )

    class Meta:
        verbose_name = _("报送备案")
        verbose_name_plural = _("报送备案")
        ordering = ["document", "filed_on", "pk"]

    def __str__(self):
        return f"{self.document} → {self.authority.short_name} {self.filed_on}"

    @property
    def on_time(self):
        return self.filed_on <= self.due_on

    @property
    def days_late(self):
        return max(0, (self.filed_on - self.due_on).days)

    @property
    def missing_materials(self):
        return [key for key, _label in FILING_MATERIALS if not self.materials.get(key)]

    @property
    def review_or_none(self):
        try:
            return self.review  # read with the filing by NormativeDocument.latest_filing
        except FilingReview.DoesNotExist:
            return None

    @property
    def materials_complete(self):
        return not self.missing_materials


class FilingReview(models.Model):
    class Outcome(models.TextChoices):
        REGISTERED = "registered", _("予以备案登记")
        REFUSED = "refused", _("不予备案登记")
        DEFERRED = "deferred", _("暂缓办理备案登记")

    filing = models.OneToOneField(
        Filing, verbose_name=_("报送备案"), on_delete=models.PROTECT, related_name="review"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审查人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # no query looks rows up by it: see NO_INDEX
    )
    received_on = models.DateField(_("收件日期"))
    due_on = models.DateField(_("审查期限"))
    extended = models.BooleanField(_("已延长审查期限"), default=False)
    formal_ok = models.BooleanField(_("形式审查通过"), null=True, blank=True)
    # {key: {"ok": bool, "note": str}} for 主体、权限、内容、程序、适当性
    substantive = models.JSONField(_("实质审查"), default=dict, blank=True)
    outcome = models.CharField(_("审查结论"), max_length=20, choices=Outcome.choices, blank=True)
    findings = models.TextField(_("审查意见"), blank=True)
    to_supply = models.TextField(_("需补充的材料"), blank=True)
    decided_on = models.DateField(_("办结日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("备案审查")
        verbose_name_plural = _("备案审查")

    def __str__(self):
        return f"{self.filing} · {self.get_outcome_display() or '审查中'}"


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


class Correction(models.Model):
    document = models.ForeignKey(
        NormativeDocument,
        verbose_name=_("文件"),
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    filing_review = models.ForeignKey(
        FilingReview,
        verbose_name=_("备案审查"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    suggestion = models.TextField(_("审查建议"))
    issued_on = models.DateField(_("建议日期"))
    deadline = models.DateField(_("纠正期限"))
    handling_report = models.TextField(_("处理情况报告"), blank=True)
    reported_on = models.DateField(_("报告日期"), null=True, blank=True)
    closed_on = models.DateField(_("结案日期"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("结案人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("纠错")
        verbose_name_plural = _("纠错")
        ordering = ["document", "issued_on"]

    def __str__(self):
        return f"{self.document} · 审查建议 {self.issued_on}"

    @property
    def closed_on_time(self):
        return (
            self.closed_on is not None
            and self.reported_on is not None
            and self.reported_on <= self.deadline
        )


# --------------------------------------------------------------------------
# Audit trail (appended by review.audit only)


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("审计记录不可修改 (audit events are append-only)")

    def delete(self):
        raise PermissionError("审计记录不可删除 (audit events are append-only)")


class AuditEvent(models.Model):
    seq = models.PositiveBigIntegerField(_("序号"), unique=True)
    document = models.ForeignKey(
        NormativeDocument,
        verbose_name=_("文件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
        db_index=False,  # served by the index (document, seq): see NO_INDEX
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # no query looks rows up by it: see NO_INDEX
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=150, blank=True)
    at = models.DateTimeField(_("时间"))
    action = models.CharField(_("操作"), max_length=60)
    from_state = models.CharField(_("原状态"), max_length=20, blank=True)
    to_state = models.CharField(_("新状态"), max_length=20, blank=True)
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(_("数据"), default=dict, blank=True)
    prev_hash = models.CharField(_("前一条哈希"), max_length=64)
    hash = models.CharField(_("哈希"), max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["seq"]
        indexes = [models.Index(fields=["document", "seq"])]

    def __str__(self):
        return f"#{self.seq} {self.action}"

    def save(self, *args, **kwargs):
        # review.audit.record appends through save() so that post_save receivers run;
        # anything else (an edit, a second save) is refused.
        if self.pk is not None or not kwargs.pop("_append", False):
            raise PermissionError("审计记录只能由 review.audit.record 追加，不可修改")
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("审计记录不可删除 (audit events are append-only)")


class AuditChainHead(models.Model):
    """One row: the chain's last sequence number and hash. Appenders lock it, so two
    events written at the same moment are ordered and never fork the chain."""

    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("审计链头")
        verbose_name_plural = _("审计链头")

    def __str__(self):
        return f"#{self.last_seq} {self.last_hash[:12]}"
