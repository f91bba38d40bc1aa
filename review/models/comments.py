"""Public comment (§4): the period a draft is open, the comments received, and the
clusters of similar comments answered together."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import CommentAuthorKind, CommentResponse, CommentStatus


class CommentPeriod(models.Model):
    document = models.ForeignKey(
        "review.NormativeDocument",
        verbose_name=_("文件"),
        on_delete=models.CASCADE,
        related_name="comment_periods",
    )
    version = models.ForeignKey(
        "review.DocumentVersion",
        verbose_name=_("征求意见稿"),
        on_delete=models.PROTECT,
        related_name="+",
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
    Status = CommentStatus
    AuthorKind = CommentAuthorKind
    Response = CommentResponse

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
