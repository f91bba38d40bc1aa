"""Forms of the task pages and document pages. Validation here is about input
(required fields, dates) and, for a form given its document (`RuleChecked`), the
rules.check_* on what is entered, through review.lifecycle.check_input — the
check the action runs again, with the same refusal text. The action's other
refusals are shown to the user as they are."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from review import lifecycle
from review.errors import Refused
from review.models import (
    CHECKLIST_ITEMS,
    AttachmentKind,
    Category,
    Deliberation,
    NormativeDocument,
    NumberSource,
    Organisation,
    ReviewOutcome,
)
from review.states import State
from review.text import CleanTextMixin

DATE = forms.DateInput(attrs={"type": "date"})


def _require(form, data, names):
    for name in names:
        if not data.get(name) and data.get(name) != 0:
            form.add_error(name, _("此项为必填项。"))


class RuleChecked:
    """A form that checks its entries against the document's rules (`check`)."""

    def __init__(self, *args, document=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.document = document

    def check(self, name, **entered):
        """lifecycle.check_input(document, name, ...): its refusal becomes a form error."""
        if self.document is None:
            return
        try:
            lifecycle.check_input(self.document, name, **entered)
        except Refused as refused:
            self.add_error(None, refused.message)


class ShownForChoice:
    """One decision at a time: `shown_for` maps a field to (the choice field, the
    values for which it is asked). Its widget carries data-show-when, which
    static/desk/choices.js reads to hide the fields of the choices not made; clean()
    still requires only the fields of the choice made. A form that adds fields in
    its __init__ calls mark_choices() again after."""

    shown_for = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.mark_choices()

    def mark_choices(self):
        for name, field in self.fields.items():
            spec = self.shown_for.get(name)
            if spec is not None:
                choice, values = spec
                field.widget.attrs["data-show-when"] = (
                    f"{self.add_prefix(choice)}:{' '.join(values)}"
                )


class DocumentForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = NormativeDocument
        fields = [
            "organisation",
            "title",
            "drafting_unit",
            "category",
            "legal_basis",
            "is_important",
            "is_market_related",
            "is_major_decision",
            "involves_fair_competition",
        ]
        widgets = {"legal_basis": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].empty_label = None
        ids = list(organisations.values_list("pk", flat=True))
        self.fields["drafting_unit"].queryset = Organisation.objects.filter(
            Q(pk__in=ids) | Q(parent__in=ids)
        )
        self.fields["category"].choices = Category.choices


class VersionForm(CleanTextMixin, forms.Form):
    upload = forms.FileField(
        label=_("上传文件（.docx、.doc、.wps、.pdf）"),
        required=False,
        help_text=_(".docx 分条显示；.doc、.wps、.pdf 只供下载，无法分条显示"),
    )
    text = forms.CharField(
        label=_("或直接填写正文"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    note = forms.CharField(label=_("版本说明"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if not data.get("upload") and not (data.get("text") or "").strip():
            raise forms.ValidationError(_("请上传 .docx 文件或填写正文"))
        return data


class FlagDecisionForm(CleanTextMixin, forms.Form):
    """Issue 19: a review flag accepted or dismissed, with the reason."""

    flag = forms.CharField(widget=forms.HiddenInput, max_length=400)
    accepted = forms.TypedChoiceField(
        label=_("处理"),
        choices=[("1", _("采纳")), ("0", _("不采纳"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择采纳或不采纳")},
    )
    reason = forms.CharField(
        label=_("理由"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请填写采纳或不采纳的理由")},
    )


class ArticleNoteForm(CleanTextMixin, forms.Form):
    text = forms.CharField(
        label=_("批注"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class AttachmentForm(CleanTextMixin, forms.Form):
    kind = forms.ChoiceField(label=_("附件类型"), choices=AttachmentKind.choices)
    name = forms.CharField(label=_("名称"), max_length=200, required=False)
    upload = forms.FileField(label=_("上传文件（.docx、.pdf、.txt）"), required=False)
    text = forms.CharField(
        label=_("或直接填写内容"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def clean(self):
        data = super().clean()
        if not data.get("upload") and not (data.get("text") or "").strip():
            raise forms.ValidationError(_("请上传文件或填写内容"))
        return data


class DraftTaskForm(ShownForChoice, RuleChecked, CleanTextMixin, forms.Form):
    shown_for = {
        "requested_working_days": ("decision", ["submit"]),
        "urgent_reason": ("decision", ["submit", "comment"]),
        "opens_on": ("decision", ["comment"]),
        "closes_on": ("decision", ["comment"]),
        "channel": ("decision", ["comment"]),
        "withdraw_reason": ("decision", ["withdraw"]),
    }

    decision = forms.ChoiceField(
        label=_("办理方式"),
        choices=[
            ("submit", _("送合法性审核")),
            ("comment", _("公开征求意见")),
            ("withdraw", _("撤回")),
        ],
        # Nothing chosen in advance: submitting, opening the comment period and
        # withdrawing each start something; the drafter picks one.
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择办理方式")},
    )
    requested_working_days = forms.IntegerField(
        label=_("合法性审核期限（工作日）"),
        min_value=1,
        max_value=60,
        required=False,
        help_text=_("不填则按最长期限"),
    )
    urgent_reason = forms.CharField(
        label=_("缩短期限的紧急理由"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    opens_on = forms.DateField(label=_("征求意见开始日期"), widget=DATE, required=False)
    closes_on = forms.DateField(label=_("征求意见截止日期"), widget=DATE, required=False)
    channel = forms.CharField(label=_("征求渠道"), max_length=200, required=False)
    withdraw_reason = forms.CharField(
        label=_("撤回理由"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "comment":
            _require(self, data, ["opens_on", "closes_on"])
            if data.get("opens_on") and data.get("closes_on"):
                self.check(
                    "open_comment",
                    opens_on=data["opens_on"],
                    closes_on=data["closes_on"],
                    urgent_reason=data.get("urgent_reason", ""),
                )
        if data.get("decision") == "submit":
            self.check(
                "submit_for_review",
                requested_working_days=data.get("requested_working_days"),
                urgent_reason=data.get("urgent_reason", ""),
            )
        if data.get("decision") == "withdraw":
            _require(self, data, ["withdraw_reason"])
        return data


ANSWERS = [("ok", _("无问题")), ("problem", _("存在问题"))]


def _checklist_fields(form, items):
    """Each item a choice 无问题 / 存在问题 with nothing chosen in advance, and its 说明."""
    for key, label in items:
        form.fields[f"{key}_answer"] = forms.ChoiceField(
            label=label, choices=ANSWERS, widget=forms.RadioSelect, required=False
        )
        form.fields[f"{key}_note"] = forms.CharField(
            label=_("说明"), max_length=500, required=False
        )


def _checklist_shown(items, spec):
    """ShownForChoice.shown_for of a checklist's fields: asked only for `spec`'s choice."""
    return {f"{key}_{part}": spec for key, _label in items for part in ("answer", "note")}


def _checklist(data, items):
    """What the reviewer answered: ok True/False, or None for an item left unanswered
    (rules.check_checklist refuses it)."""
    answers = {"ok": True, "problem": False}
    return {
        key: {"ok": answers.get(data.get(f"{key}_answer")), "note": data.get(f"{key}_note", "")}
        for key, _label in items
    }


def _check_checklist(form, name, **entered):
    try:
        lifecycle.check_input(None, name, **entered)
    except Refused as refused:
        form.add_error(None, refused.message)


class LegalReviewForm(ShownForChoice, CleanTextMixin, forms.Form):
    # A document found not normative gets no legality review (no conclusion, no checklist).
    shown_for = {
        "outcome": ("normative", ["1"]),
        "opinion": ("normative", ["1"]),
        "flags_note": ("normative", ["1"]),
        **_checklist_shown(CHECKLIST_ITEMS, ("normative", ["1"])),
    }

    normative = forms.TypedChoiceField(
        label=_("文件性质认定"),
        choices=[("1", _("属于行政规范性文件")), ("0", _("不属于行政规范性文件（不予登记编号）"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        # Nothing chosen in advance: whether it is a normative document is the legal
        # division's own finding, never what an unread form submits.
        error_messages={"required": _("请认定文件性质")},
    )
    classification_note = forms.CharField(
        label=_("认定意见"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    outcome = forms.ChoiceField(label=_("审核结论"), choices=ReviewOutcome.choices, required=False)
    opinion = forms.CharField(
        label=_("审核意见"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    flags_note = forms.CharField(
        label=_("未处理审查提示的说明"),
        help_text=_("结论为“合法”而仍有审查提示未采纳也未不采纳时填写"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _checklist_fields(self, CHECKLIST_ITEMS)
        self.mark_choices()

    def clean(self):
        data = super().clean()
        data["checklist"] = _checklist(data, CHECKLIST_ITEMS)
        if data.get("normative"):
            _require(self, data, ["outcome", "opinion"])
            _check_checklist(self, "legality_checklist", checklist=data["checklist"])
        else:
            _require(self, data, ["classification_note"])
        return data


class AdvisorForm(CleanTextMixin, forms.Form):
    opinion = forms.CharField(label=_("法律顾问书面意见"), widget=forms.Textarea(attrs={"rows": 4}))
    # Nothing chosen in advance: the advisor's own choice on the conclusion given.
    agrees = forms.TypedChoiceField(
        label=_("对合法性审核意见"),
        choices=[("1", _("同意")), ("0", _("不同意（退回合法性审核机构重新审核）"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择是否同意合法性审核意见")},
    )


class DeliberationForm(RuleChecked, CleanTextMixin, forms.Form):
    meeting_type = forms.ChoiceField(label=_("会议类型"), choices=Deliberation.MeetingType.choices)
    meeting_name = forms.CharField(label=_("会议名称"), max_length=100, required=False)
    meeting_date = forms.DateField(label=_("会议日期"), widget=DATE)
    attendance = forms.CharField(label=_("出席人员"), widget=forms.Textarea(attrs={"rows": 2}))
    outcome = forms.ChoiceField(label=_("审议结果"), choices=Deliberation.Outcome.choices)
    dissent = forms.CharField(
        label=_("不同意见（如实载明）"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    minutes = forms.CharField(label=_("会议纪要"), widget=forms.Textarea(attrs={"rows": 4}))

    def clean(self):
        data = super().clean()
        if data.get("meeting_type"):
            self.check("approve", meeting_type=data["meeting_type"])
        if data.get("meeting_date"):
            self.check("deliberation_date", meeting_date=data["meeting_date"])
        return data


class ConfirmForm(CleanTextMixin, forms.Form):
    pass


class RegisterForm(RuleChecked, CleanTextMixin, forms.Form):
    """统一登记编号: where the body's 公文 system allocates its 发文字号, the registrar
    enters it; otherwise guifan allocates it and the field is not shown."""

    number = forms.CharField(
        label=_("发文字号（公文系统所编）"),
        max_length=40,
        required=False,
        help_text=_("如 安民发〔2020〕5号；登记号由本系统编排"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        document = self.document
        if document is None or document.organisation.number_source != NumberSource.ENTERED:
            del self.fields["number"]
        else:
            self.fields["number"].required = True

    def clean(self):
        data = super().clean()
        if data.get("number"):
            self.check("entered_number", number=data["number"])
        return data


PROVISIONAL_CHOICES = [
    ("", _("按标题认定（标题含“暂行”“试行”的为暂行、试行文件）")),
    ("1", _("暂行、试行文件")),
    ("0", _("一般文件")),
]


class PublishForm(RuleChecked, CleanTextMixin, forms.Form):
    """The 施行日期 and 有效期至 as the document states them (domain-rules §6, §8),
    checked by rules.check_stated_dates and rules.check_provisional."""

    published_on = forms.DateField(label=_("公布日期"), widget=DATE)
    effective_from = forms.DateField(
        label=_("施行日期"), widget=DATE, help_text=_("按文件载明的施行日期填写")
    )
    valid_until = forms.DateField(
        label=_("有效期至"), widget=DATE, help_text=_("按文件载明的有效期填写")
    )
    immediate_effect_reason = forms.CharField(
        label=_("公布即施行的理由"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("自公布之日起不满 30 日施行的，须载明理由（如灾情、疫情等）"),
    )
    provisional = forms.TypedChoiceField(
        label=_("有效期类别"),
        choices=PROVISIONAL_CHOICES,
        coerce=lambda v: v == "1",
        empty_value=None,
        required=False,
    )
    provisional_reason = forms.CharField(
        label=_("不按标题认定的理由"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    channel = forms.CharField(label=_("公布载体"), max_length=100, required=False)
    url = forms.URLField(label=_("网址"), required=False, assume_scheme="https")

    def clean(self):
        data = super().clean()
        dates = ("published_on", "effective_from", "valid_until")
        if all(data.get(name) for name in dates):
            self.check(
                "publish",
                **{name: data[name] for name in dates},
                immediate_effect_reason=data.get("immediate_effect_reason", ""),
                provisional=data.get("provisional"),
                provisional_reason=data.get("provisional_reason", ""),
            )
        return data


class FileForm(CleanTextMixin, forms.Form):
    report = forms.CharField(
        label=_("备案报告"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("不填则使用标准格式"),
    )


class CloseCommentForm(CleanTextMixin, forms.Form):
    summary = forms.CharField(
        label=_("征求意见及采纳情况"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ExtendReviewForm(CleanTextMixin, forms.Form):
    reason = forms.CharField(label=_("延长理由"), widget=forms.Textarea(attrs={"rows": 2}))


class RegisterFilterForm(CleanTextMixin, forms.Form):
    state = forms.ChoiceField(label=_("状态"), required=False)
    year = forms.IntegerField(label=_("年度"), required=False, min_value=1990, max_value=2100)
    drafting_unit = forms.ModelChoiceField(
        label=_("起草单位"), queryset=Organisation.objects.none(), required=False
    )
    overdue = forms.BooleanField(label=_("仅显示逾期"), required=False)
    q = forms.CharField(label=_("标题或文号"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("全部"))] + list(State.choices)
        self.fields["drafting_unit"].queryset = units


class TaskFilterForm(forms.Form):
    """The filters of a task list (desk.views.tasks): the step, and overdue only."""

    step = forms.ChoiceField(label=_("环节"), required=False)
    overdue = forms.BooleanField(label=_("仅显示逾期"), required=False)

    def __init__(self, *args, steps, archive=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [("", _("全部"))] + [
            (key, title) for key, (_node, title) in steps.items()
        ]
        if archive:
            del self.fields["overdue"]
