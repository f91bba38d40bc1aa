"""The registrar's forms on the document page for the end of a document's validity
(domain-rules §8): 废止, 修改, 宣布失效. Each asks for the first day the document is
no longer in force and checks it with the rule the action applies
(review.lifecycle.check_input → rules.check_end_date)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from review.models import PUBLISHED_STATES, NormativeDocument
from review.text import CleanTextMixin

from .forms import DATE, RuleChecked


def _others(document):
    """The body's other published documents: the one that repeals or amends this one."""
    return (
        NormativeDocument.objects.filter(
            organisation_id=document.organisation_id, state__in=PUBLISHED_STATES
        )
        .exclude(pk=document.pk)
        .order_by("-register_sort_date", "-pk")
    )


class EndForm(RuleChecked, CleanTextMixin, forms.Form):
    transition = ""  # the transition whose entered-value check applies
    ended_on = forms.DateField(
        label=_("失效日期"), widget=DATE, help_text=_("自该日起不再有效（自某日起废止：即该日）")
    )

    def clean(self):
        data = super().clean()
        if data.get("ended_on"):
            self.check(self.transition, ended_on=data["ended_on"])
        return data


class RepealForm(EndForm):
    transition = "repeal"
    decision_number = forms.CharField(
        label=_("废止决定文号"), max_length=100, required=False, help_text=_("如 安民发〔2021〕3号")
    )
    repealed_by = forms.ModelChoiceField(
        label=_("废止本文件的文件"), queryset=NormativeDocument.objects.none(), required=False
    )
    reason = forms.CharField(label=_("废止理由"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, document, **kwargs):
        super().__init__(*args, document=document, **kwargs)
        self.fields["repealed_by"].queryset = _others(document)

    def clean(self):
        data = super().clean()
        if not data.get("decision_number") and not data.get("repealed_by"):
            self.add_error(None, _("请填写废止决定的文号，或选择废止本文件的文件"))
        return data


class AmendForm(EndForm):
    transition = "mark_amended"
    amended_by = forms.ModelChoiceField(
        label=_("修改本文件的文件"), queryset=NormativeDocument.objects.none()
    )
    note = forms.CharField(
        label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, document, **kwargs):
        super().__init__(*args, document=document, **kwargs)
        self.fields["amended_by"].queryset = _others(document)


class DeclareInvalidForm(EndForm):
    transition = "declare_invalid"
    decision_number = forms.CharField(label=_("宣布失效决定文号"), max_length=100)
    reason = forms.CharField(label=_("宣布失效的理由"), widget=forms.Textarea(attrs={"rows": 2}))
