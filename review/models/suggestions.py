"""审查建议 (法规规章备案条例 art. 9; 国办发〔2018〕37号): a citizen's or an
organisation's written suggestion that a document be reviewed, and 审查意见征集:
the reviewer asking others for an opinion during a review.

A suggestion is never deleted. Its name and contact are personal information:
shown only to the authority's filing reviewers, never on a public page, in an
output or in the API; erased after the retention (review.comments.privacy)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import ConsultationStage, SuggestionOutcome, SuggestionStatus
from .organisations import Organisation


def evidence_upload_path(instance, filename):
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"suggestions/{instance.received_on:%Y}/{instance.receipt}.{ext}"


class ReviewSuggestion(models.Model):
    Status = SuggestionStatus
    Outcome = SuggestionOutcome

    receipt = models.CharField(_("回执号"), max_length=32, unique=True)
    authority = models.ForeignKey(
        Organisation,
        verbose_name=_("备案审查机关"),
        on_delete=models.PROTECT,
        related_name="suggestions",
    )
    document = models.ForeignKey(
        "review.NormativeDocument",
        verbose_name=_("所涉文件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="suggestions",
    )
    # When the document was not found among the published ones: the citizen's words.
    described_document = models.TextField(_("文件名称及文号（自述）"), blank=True)
    provisions = models.TextField(_("所涉条款"))
    reasons = models.TextField(_("建议理由"))
    evidence = models.FileField(
        _("证明材料"), upload_to=evidence_upload_path, blank=True, max_length=200
    )
    evidence_name = models.CharField(_("证明材料原文件名"), max_length=200, blank=True)
    evidence_sha256 = models.CharField(_("证明材料 SHA-256"), max_length=64, blank=True)
    # Personal information: the handling reviewers only (review.comments.privacy).
    submitter_name = models.CharField(_("建议人姓名或单位名称"), max_length=100, blank=True)
    contact = models.CharField(_("联系方式"), max_length=100, blank=True)
    ip_hash = models.CharField(_("来源地址摘要"), max_length=64, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("提交时间"))
    received_on = models.DateField(_("收到日期"))
    due_on = models.DateField(_("办理期限"))
    due_on_provisional = models.BooleanField(_("办理期限暂定"), default=False)
    status = models.CharField(
        _("办理状态"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    reopening = models.ForeignKey(
        "review.FilingReopening",
        verbose_name=_("重新审查"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    correction = models.ForeignKey(
        "review.Correction",
        verbose_name=_("审查意见（纠错）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    outcome = models.CharField(_("办理结果"), max_length=20, choices=Outcome.choices, blank=True)
    reply = models.TextField(_("答复内容"), blank=True)
    replied_on = models.DateField(_("答复日期"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # read forwards only: see review.models NO_INDEX
    )

    class Meta:
        verbose_name = _("审查建议")
        verbose_name_plural = _("审查建议")
        ordering = ["-received_on", "-pk"]
        indexes = [models.Index(fields=["authority", "status"])]

    def __str__(self):
        return self.receipt

    @property
    def document_name(self):
        return str(self.document) if self.document_id else self.described_document

    @property
    def answered_on_time(self):
        return self.replied_on is not None and self.replied_on <= self.due_on

    @property
    def led_to_correction(self):
        return self.correction_id is not None


class Consultation(models.Model):
    """审查意见征集: during a legality review or a filing review the reviewer asks an
    organisation or an expert for an opinion by a date. An expert with an account
    (Role.EXPERT) answers on the desk; an outside one through a one-time link that
    expires (only its SHA-256 is stored)."""

    Stage = ConsultationStage

    document = models.ForeignKey(
        "review.NormativeDocument",
        verbose_name=_("文件"),
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    version = models.ForeignKey(
        "review.DocumentVersion",
        verbose_name=_("征求意见的文本"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # read forwards only: see review.models NO_INDEX
    )
    stage = models.CharField(_("审查环节"), max_length=20, choices=Stage.choices)
    addressee = models.CharField(_("征求对象（单位或专家）"), max_length=120)
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("专家账号"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    token_hash = models.CharField(_("链接摘要"), max_length=64, blank=True, editable=False)
    link_expires_at = models.DateTimeField(_("链接失效时间"), null=True, blank=True)
    question = models.TextField(_("征求意见的事项"))
    asked_on = models.DateField(_("征求日期"))
    due_on = models.DateField(_("答复期限"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("征求人"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # read forwards only: see review.models NO_INDEX
    )
    answer = models.TextField(_("答复意见"), blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("审查意见征集")
        verbose_name_plural = _("审查意见征集")
        ordering = ["document", "asked_on", "pk"]

    def __str__(self):
        return f"{self.document} · {self.addressee} {self.asked_on}"

    @property
    def answered(self):
        return self.answered_on is not None

    @property
    def late(self):
        """Answered after its date (marked on the page and in the letter)."""
        return self.answered_on is not None and self.answered_on > self.due_on
