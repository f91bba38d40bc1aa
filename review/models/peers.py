"""Filing between deployments (issue 22): the other guifan servers this one trusts, and
the log of every package exchanged with them.

A peer is another deployment's public key (Ed25519), added by this side's system
administrator with `manage.py filing_peer add`, for named organisations: on an
authority's server, the bodies that file there from the peer's server; on a body's
server, the authority it files with. The peer acts here through its own service user
(no password, no login) holding the role the other side plays: 报备人员 of the bodies it
files for, or 备案审查人员 of the authority. So a received filing or decision goes
through the same actions, guards and audit chain as a local one, and every audit event
names the peer.

A package for a peer with an address (`url`) is pushed over the API: the action that
makes the filing, the decision or the correction report queues it here (status
待发送, its bytes kept in `package`), and `manage.py filing_push` sends every queued
package that is due, retrying with backoff (docs/filing-peers.md).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FilingPeer(models.Model):
    name = models.CharField(_("名称"), max_length=80, unique=True)
    key_id = models.CharField(_("公钥指纹"), max_length=64, unique=True)
    public_key = models.TextField(_("公钥（PEM）"))
    url = models.URLField(_("地址"), blank=True)
    organisations = models.ManyToManyField(
        "review.Organisation",
        verbose_name=_("对方代表的单位"),
        related_name="peers",
    )
    service_user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("服务账号"),
        on_delete=models.PROTECT,
        related_name="filing_peer",
    )
    added_at = models.DateTimeField(_("添加时间"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("撤销信任时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("互联部署")
        verbose_name_plural = _("互联部署")
        ordering = ["name"]

    def __str__(self):
        return self.name


class FilingExchange(models.Model):
    """One package sent or received, accepted or refused: the exchange log of both sides."""

    class Direction(models.TextChoices):
        SENT = "sent", _("发出")
        RECEIVED = "received", _("收到")

    class Kind(models.TextChoices):
        FILING = "filing", _("报送备案")
        DECISION = "decision", _("备案审查决定")
        CORRECTION = "correction", _("纠正情况报告")

    class Status(models.TextChoices):
        QUEUED = "queued", _("待发送")
        EXPORTED = "exported", _("已导出")
        ACCEPTED = "accepted", _("已接收")
        DUPLICATE = "duplicate", _("重复提交（未重复处理）")
        REFUSED = "refused", _("已拒收")

    direction = models.CharField(_("方向"), max_length=10, choices=Direction.choices)
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    status = models.CharField(_("结果"), max_length=10, choices=Status.choices)
    peer = models.ForeignKey(
        FilingPeer,
        verbose_name=_("对方"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="exchanges",
    )
    document = models.ForeignKey(
        "review.NormativeDocument",
        verbose_name=_("文件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="exchanges",
    )
    # The sender's id of the document: on an authority's side, how a later package of
    # the same document finds the received copy.
    remote_id = models.CharField(_("对方文件编号"), max_length=40, blank=True)
    idempotency_key = models.CharField(_("幂等键"), max_length=64)
    package_sha256 = models.CharField(_("包的 SHA-256"), max_length=64)
    accepted_on = models.DateField(_("接收日期"), null=True, blank=True)
    detail = models.TextField(_("说明"), blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    # The push (issue 22): a queued package's bytes as built when it was queued, the
    # attempts so far, when the next is due, and why the last failed. On acceptance,
    # the receiver's id of the document.
    package = models.FileField(
        _("待发送的包"), upload_to="peers/outbox/%Y/", blank=True, max_length=200
    )
    attempts = models.PositiveIntegerField(_("发送次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次发送时间"), null=True, blank=True)
    last_error = models.TextField(_("最近一次发送失败的原因"), blank=True)
    peer_document_id = models.CharField(_("对方的文件编号"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("互联交换记录")
        verbose_name_plural = _("互联交换记录")
        ordering = ["-at", "-pk"]
        constraints = [
            # A package is processed once: a retry finds the accepted row and changes nothing.
            models.UniqueConstraint(
                fields=["direction", "peer", "idempotency_key"],
                condition=models.Q(status="accepted"),
                name="exchange_accepted_once",
            )
        ]
        indexes = [
            models.Index(fields=["peer", "remote_id"], name="exchange_remote_doc"),
            models.Index(fields=["status", "next_attempt_at"], name="exchange_outbox"),
        ]

    def __str__(self):
        return (
            f"{self.get_direction_display()} {self.get_kind_display()} {self.idempotency_key[:12]}"
        )
