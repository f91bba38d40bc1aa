"""Who may issue and act: organisations, their jurisdiction settings, people's roles
in them, and the administrator's holiday calendar.

Every number the law sets is a field of `JurisdictionSettings` with the default of
domain-rules.md, never a constant.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from ..choices import NumberSource, OrganisationKind
from ..roles import separation_conflict
from ..states import Role

# Issue 18 defaults (国办发〔2018〕37号, 115号; docs/reconciliation.md).
NORMATIVE_TITLE_FORMS = "办法、规定、细则、规则、意见、通知、决定、通告、公告、规范、标准、须知"
EXCLUDED_TITLE_FORMS = (
    "纪要、工作方案、工作要点、工作计划、工作总结、请示、报告、批复、函、通报、讲话"
)
EXCLUDED_TITLE_WORDS = "会议纪要、召开、表彰、任免、人事、机构编制"
NORMATIVE_CONTENT_SIGNALS = "自公布之日起施行、起施行、有效期至、有效期为、法人和其他组织"


class Organisation(models.Model):
    Kind = OrganisationKind

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
    number_source = models.CharField(
        _("发文字号来源"),
        max_length=10,
        choices=NumberSource.choices,
        default=NumberSource.ALLOCATED,
        help_text=_(
            "发文字号与本机关其他公文共用一个序列：由公文系统编号的，登记时录入其所编文号；"
            "三统一登记号始终由本系统编排"
        ),
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
    urgent_reason_min_chars = models.PositiveSmallIntegerField(
        _("缩短征求意见期限的紧急理由最少字数"),
        default=10,
        help_text=_("重大行政决策程序暂行条例第十五条：因情况紧急缩短期限的，应当予以说明"),
    )
    comment_min_days_market_urgent = models.PositiveSmallIntegerField(
        _("涉及市场主体的文件紧急情况下征求意见最短期限（日）"), default=7
    )
    effective_after_days = models.PositiveSmallIntegerField(_("公布后施行间隔（日）"), default=30)
    # §7 备案与备案审查
    filing_deadline_days = models.PositiveSmallIntegerField(_("报送备案期限（日）"), default=30)
    filing_review_days = models.PositiveSmallIntegerField(_("备案审查期限（日）"), default=30)
    filing_review_extension_days = models.PositiveSmallIntegerField(
        _("备案审查可延长（日）"), default=20
    )
    correction_days = models.PositiveSmallIntegerField(_("自行纠正期限（日）"), default=30)
    filing_demand_days = models.PositiveSmallIntegerField(
        _("限期报送期限（日）"), default=15, help_text=_("备案条例第二十条：逾期未报送的，限期报送")
    )
    # §7 审查建议 (备案条例 art. 9; the handling period is local)
    suggestion_handling_days = models.PositiveSmallIntegerField(
        _("审查建议办理期限（日）"),
        default=60,
        help_text=_("公民、法人和其他组织提出的审查建议，自收到之日起办理并书面答复的期限"),
    )
    consultation_link_days = models.PositiveSmallIntegerField(
        _("审查意见征集链接有效期（日）"),
        default=30,
        help_text=_("向系统外专家或单位发出的一次性答复链接，自发出之日起的有效期"),
    )
    # Issue 18: what a 发文登记簿 row must look like to be taken for a normative
    # document (国办发〔2018〕115号 excludes 会议纪要、工作方案、请示报告 …); each list is
    # separated by 、 or commas, matched at the end of a title (docs/reconciliation.md).
    normative_title_forms = models.TextField(
        _("规范性文件的标题形式"),
        default=NORMATIVE_TITLE_FORMS,
        blank=True,
        help_text=_("标题（或所印发文件的标题）以此结尾的，视为疑似规范性文件；以“、”分隔"),
    )
    excluded_title_forms = models.TextField(
        _("不属于规范性文件的标题形式"),
        default=EXCLUDED_TITLE_FORMS,
        blank=True,
        help_text=_("标题以此结尾的，不视为规范性文件（先于上一项判断）；以“、”分隔"),
    )
    excluded_title_words = models.TextField(
        _("不属于规范性文件的标题用语"),
        default=EXCLUDED_TITLE_WORDS,
        blank=True,
        help_text=_("标题中任何位置含此用语的，不视为规范性文件；以“、”分隔"),
    )
    normative_content_signals = models.TextField(
        _("规范性文件的正文特征"),
        default=NORMATIVE_CONTENT_SIGNALS,
        blank=True,
        help_text=_("登记簿附有正文或摘要时，含其中之一的视为疑似规范性文件；以“、”分隔"),
    )
    title_similarity_percent = models.PositiveSmallIntegerField(
        _("标题相似度阈值（%）"),
        default=85,
        help_text=_("文号不能对应时，标题相似度达到此值的视为同一文件"),
    )
    # §8 有效期
    validity_years = models.PositiveSmallIntegerField(_("有效期（年）"), default=5)
    provisional_validity_years = models.PositiveSmallIntegerField(
        _("暂行、试行文件有效期（年）"), default=2
    )
    evaluation_months_before_expiry = models.PositiveSmallIntegerField(
        _("有效期届满前评估（月）"), default=6
    )
    evaluation_continue_by_record = models.BooleanField(
        _("评估继续有效的，仅记录决定"),
        default=False,
        help_text=_(
            "默认：评估结论为继续有效或修改的，重新制发新文件并走完整制定程序；"
            "选中后，继续有效仅作为评估决定记录，不另行制发"
        ),
    )
    cleanup_interval_years = models.PositiveSmallIntegerField(
        _("全面清理间隔（年）"), default=2, help_text=_("每隔两年全面清理（domain-rules §8）")
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

    def save(self, *args, **kwargs):
        # Enforced on every save (pages, admin, shell, seed), not only in forms.
        refusal = self.separation_refusal()
        if refusal:
            raise ValidationError(refusal)
        return super().save(*args, **kwargs)

    def clean(self):
        refusal = self.separation_refusal()
        if refusal:
            raise ValidationError({"role": refusal})

    def separation_conflict(self):
        """The 三员分立 role this user already holds that this role may not join (a
        system, security or audit administrator is never another of the three)."""
        if not self.user_id:
            return None
        held = Membership.objects.filter(user_id=self.user_id).exclude(pk=self.pk)
        return separation_conflict(held.values_list("role", flat=True), self.role)

    def separation_refusal(self):
        conflict = self.separation_conflict()
        if conflict is None:
            return None
        return _("三员分立：%(user)s 已是%(held)s，不能再担任%(role)s") % {
            "user": self.user.get_username(),
            "held": conflict.label,
            "role": Role(self.role).label,
        }


# --------------------------------------------------------------------------
# Working-day calendar overrides (read by review.calendar)


class CalendarOverride(models.Model):
    """An administrator's entry in the holiday schedule: a holiday, or a 调休 working day.

    Entries win over the `chinesecalendar` package. For a year the package does not
    know, entries alone never make the year known: it is known once its
    `CalendarYear` is marked complete, and then the entries are the whole schedule
    (weekends rest, weekdays work, unless an entry says otherwise)."""

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


class CalendarYear(models.Model):
    """A year whose schedule an administrator has entered in full (§9): complete, citing
    the 国务院办公厅 notice. Only a complete year (or one `chinesecalendar` has) counts as
    known; before that its deadlines are provisional (暂定)."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    complete = models.BooleanField(_("已完整录入"), default=False)
    notice_number = models.CharField(
        _("国务院办公厅通知文号"),
        max_length=60,
        blank=True,
        help_text=_("如 国办发明电〔2026〕7号"),
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    marked_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("年度节假日安排")
        verbose_name_plural = _("年度节假日安排")
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year} {self.notice_number}".strip()
