"""The filing's task and page forms (§7; 法规规章备案条例 art. 7, 10, 14, 17, 20):
the registration decision, the substantive review, the supplement, the correction
report, the recheck and escalation, reopening, 限期报送. Input only; the actions
decide what is lawful."""

from django import forms
from django.utils.translation import gettext_lazy as _

from review.models import FILING_MATERIALS, FILING_REVIEW_ITEMS, AttachmentKind, Escalation
from review.text import CleanTextMixin

from .forms import (
    DATE,
    FileForm,
    ShownForChoice,
    _check_checklist,
    _checklist,
    _checklist_fields,
    _checklist_shown,
    _require,
)


class RegistrationForm(ShownForChoice, CleanTextMixin, forms.Form):
    """备案条例 art. 7: formal, at receipt."""

    shown_for = {
        "note": ("decision", ["register"]),
        "missing": ("decision", ["defer"]),
        "to_supply": ("decision", ["defer"]),
        "refusal_reason": ("decision", ["refuse"]),
    }

    decision = forms.ChoiceField(
        label=_("登记结论"),
        choices=[
            ("register", _("予以备案登记")),
            ("defer", _("暂缓办理备案登记（通知补充或重新报送）")),
            ("refuse", _("不予备案登记（不属于备案范围，退回材料）")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择登记结论")},
    )
    note = forms.CharField(
        label=_("登记说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    missing = forms.MultipleChoiceField(
        label=_("缺少或不合格式的材料"),
        choices=FILING_MATERIALS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    to_supply = forms.CharField(
        label=_("需补充或重新报送的材料"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    refusal_reason = forms.CharField(
        label=_("不予备案登记的理由"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "defer" and not (data.get("missing") or data.get("to_supply")):
            self.add_error("missing", _("请写明需补充或重新报送的材料"))
        if data.get("decision") == "refuse":
            _require(self, data, ["refusal_reason"])
        return data


class FilingReviewForm(ShownForChoice, CleanTextMixin, forms.Form):
    """备案条例 art. 10, 14: the substantive review of a registered document."""

    shown_for = {
        "suggestion": ("decision", ["correct"]),
        "flags_note": ("decision", ["accept"]),
        **_checklist_shown(FILING_REVIEW_ITEMS, ("decision", ["accept", "correct"])),
    }

    decision = forms.ChoiceField(
        label=_("审查意见结论"),
        choices=[
            ("accept", _("审查无问题")),
            ("correct", _("提出审查意见（建议自行纠正）")),
        ],
        widget=forms.RadioSelect,
        # No conclusion is chosen in advance: the filing authority's decision is the
        # reviewer's own act, never what an unread form submits.
        error_messages={"required": _("请选择审查意见结论")},
    )
    findings = forms.CharField(
        label=_("审查意见"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    suggestion = forms.CharField(
        label=_("审查建议"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    flags_note = forms.CharField(
        label=_("未处理审查提示的说明"),
        help_text=_("审查无问题而仍有审查提示未采纳也未不采纳时填写"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _checklist_fields(self, FILING_REVIEW_ITEMS)
        self.mark_choices()

    def clean(self):
        data = super().clean()
        if data.get("decision") == "correct":
            _require(self, data, ["findings", "suggestion"])
        data["substantive"] = _checklist(data, FILING_REVIEW_ITEMS)
        if data.get("decision") in ("accept", "correct"):
            _check_checklist(self, "filing_checklist", substantive=data["substantive"])
        return data


SUPPLIED_KINDS = [
    (AttachmentKind.DRAFTING_NOTE, AttachmentKind.DRAFTING_NOTE.label),
    (AttachmentKind.LEGAL_BASIS, AttachmentKind.LEGAL_BASIS.label),
    (AttachmentKind.OTHER, AttachmentKind.OTHER.label),
]


class SupplementForm(FileForm):
    """补充或者重新报送 (备案条例 art. 7): the requested material, then the filing again."""

    kind = forms.ChoiceField(label=_("补充材料类型"), choices=SUPPLIED_KINDS, required=False)
    upload = forms.FileField(label=_("上传补充材料（.docx、.pdf、.txt）"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("upload") is not None and not data.get("kind"):
            self.add_error("kind", _("请选择补充材料类型"))
        return data


class CorrectionReportForm(CleanTextMixin, forms.Form):
    """备案条例 art. 17: the handling, with the revised text or the 废止 decision."""

    handling_report = forms.CharField(
        label=_("纠正处理情况报告"), widget=forms.Textarea(attrs={"rows": 4})
    )
    upload = forms.FileField(label=_("纠正后文本（.docx）"), required=False)
    text = forms.CharField(
        label=_("或直接填写纠正后文本"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    repeal_number = forms.CharField(label=_("或：废止决定文号"), max_length=60, required=False)
    repealed_on = forms.DateField(label=_("废止日期"), widget=DATE, required=False)

    def clean(self):
        data = super().clean()
        has_text = data.get("upload") is not None or (data.get("text") or "").strip()
        has_repeal = bool((data.get("repeal_number") or "").strip())
        if bool(has_text) == has_repeal:
            raise forms.ValidationError(
                _("请提交纠正后的文本，或者填写废止决定的文号和日期（二者择一）")
            )
        if has_repeal:
            _require(self, data, ["repealed_on"])
        return data


class EscalationFields(forms.Form):
    """撤销 / 改变: a decision with its number, date and effective date."""

    decision_number = forms.CharField(label=_("决定文号"), max_length=60, required=False)
    decided_on = forms.DateField(label=_("决定日期"), widget=DATE, required=False)
    effective_on = forms.DateField(label=_("生效日期"), widget=DATE, required=False)

    def require_decision(self, data, kind):
        if kind in (Escalation.Kind.REVOKE, Escalation.Kind.CHANGE):
            _require(self, data, ["decision_number", "decided_on", "effective_on"])


class RecheckForm(ShownForChoice, CleanTextMixin, EscalationFields):
    shown_for = dict.fromkeys(
        ("decision_number", "decided_on", "effective_on"),
        ("decision", [Escalation.Kind.REVOKE, Escalation.Kind.CHANGE]),
    )

    decision = forms.ChoiceField(
        label=_("复核结论"),
        choices=[
            ("accept", _("纠正完成，予以备案（报告为废止的，确认已废止）")),
            ("reopen", _("纠正不到位，继续纠正")),
            (Escalation.Kind.REVOKE, _("未纠正：撤销")),
            (Escalation.Kind.CHANGE, _("未纠正：改变")),
            (Escalation.Kind.NOTIFY, _("未纠正：通报")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择复核结论")},
    )
    note = forms.CharField(
        label=_("意见或理由"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    field_order = ["decision", "note", "decision_number", "decided_on", "effective_on"]

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if decision and decision != "accept":
            _require(self, data, ["note"])
        self.require_decision(data, decision)
        return data


class EscalateForm(CleanTextMixin, EscalationFields):
    """The document page: the correction is overdue and no report came."""

    kind = forms.ChoiceField(label=_("处理方式"), choices=Escalation.Kind.choices)
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}))
    field_order = ["kind", "reason", "decision_number", "decided_on", "effective_on"]

    def clean(self):
        data = super().clean()
        self.require_decision(data, data.get("kind"))
        return data


class ReasonForm(CleanTextMixin, forms.Form):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(CleanTextMixin, forms.Form):
    note = forms.CharField(
        label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
