"""审查意见征集 on the desk: the reviewer of a document under legality review or filing
review asks organisations or experts for an opinion by a date, and reads the answers
beside the text; an expert (Role.EXPERT) answers what was addressed to them. An
outside expert answers through a one-time link (portal.consult)."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from review.errors import NotPermitted, Refused
from review.models import Consultation
from review.states import Role
from review.suggestions import consultation as consulting
from review.text import CleanTextMixin

from .common import login_required, visible_documents

DATE = forms.DateInput(attrs={"type": "date"})


def experts():
    return (
        get_user_model()
        .objects.filter(memberships__role=Role.EXPERT, is_active=True)
        .distinct()
        .order_by("username")
    )


class AskForm(CleanTextMixin, forms.Form):
    addressee = forms.CharField(
        label=gettext_lazy("征求对象（单位或专家姓名）"),
        required=False,
        max_length=120,
        help_text=gettext_lazy("选择专家账号时可不填"),
    )
    expert = forms.ModelChoiceField(
        label=gettext_lazy("专家账号"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=gettext_lazy("（系统外专家或单位：生成一次性链接）"),
    )
    question = forms.CharField(
        label=gettext_lazy("征求意见的事项"), widget=forms.Textarea(attrs={"rows": 3})
    )
    due_on = forms.DateField(label=gettext_lazy("答复期限"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = experts()


class AnswerForm(CleanTextMixin, forms.Form):
    answer = forms.CharField(
        label=gettext_lazy("答复意见"), widget=forms.Textarea(attrs={"rows": 8})
    )


@login_required
def document_consultations(request, pk):
    """The document's consultations beside its text; the ask form for its reviewer."""
    document = get_object_or_404(visible_documents(request.user), pk=pk)
    stage = consulting.stage_now(document, request.user)
    form = AskForm(request.POST or None) if stage else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                consultation, token = consulting.ask(
                    document,
                    by=request.user,
                    addressee=data["addressee"],
                    question=data["question"],
                    due_on=data["due_on"],
                    expert=data["expert"],
                    outside=data["expert"] is None,
                )
            except (NotPermitted, Refused) as refused:
                messages.error(request, refused.message)
            else:
                if token:
                    link = request.build_absolute_uri(reverse("public:consult", args=[token]))
                    messages.success(
                        request,
                        _("已生成一次性链接（仅显示这一次，请发送给%(who)s）：%(link)s")
                        % {"who": consultation.addressee, "link": link},
                    )
                else:
                    messages.success(request, _("已向专家征求意见"))
                return redirect("desk:consultations", document.pk)
    version = document.current_version
    context = {
        "document": document,
        "consultations": list(document.consultations.select_related("expert")),
        "form": form,
        "text": version.text if version else "",
    }
    return render(request, "desk/consultations.html", context)


@login_required
def my_consultations(request):
    rows = Consultation.objects.filter(expert=request.user).select_related("document")
    if not rows.exists() and not consulting.is_expert(request.user):
        raise Http404
    return render(request, "desk/consultations_mine.html", {"rows": rows})


@login_required
def answer(request, pk):
    consultation = get_object_or_404(
        Consultation.objects.select_related("document", "version"), pk=pk, expert=request.user
    )
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            consulting.answer_as_expert(
                consultation, by=request.user, text=form.cleaned_data["answer"]
            )
        except (NotPermitted, Refused) as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("答复意见已提交"))
            return redirect("desk:my_consultations")
    context = {"consultation": consultation, "form": form}
    return render(request, "desk/consultation_answer.html", context)
