"""审查建议 on the portal (法规规章备案条例 art. 9; 国办发〔2018〕37号): no login. A
citizen or an organisation finds a published document by title or 文号 (or, not
finding it, describes it and picks the filing authority), says which provisions
and why, may attach evidence, and leaves a name and contact details (required: the
answer is in writing). A receipt; the status by receipt shows the outcome, never a
reviewer's name nor the submitter's name or contact.

A submission is checked in this order: CSRF (403), flood (429), honeypot (400), bad
input (400); each refusal writes nothing."""

from django import forms
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET, require_POST

from review import comments, suggestions
from review.errors import Refused
from review.models import ReviewSuggestion
from review.text import CleanTextMixin
from workflows import suggestions as suggestion_flow

from . import ratelimit


class SuggestionForm(CleanTextMixin, forms.Form):
    document = forms.IntegerField(required=False, widget=forms.HiddenInput)
    described_document = forms.CharField(
        label=gettext_lazy("文件名称及文号"),
        required=False,
        help_text=gettext_lazy("未能在上方找到文件时填写，并选择备案审查机关"),
        widget=forms.TextInput(attrs={"maxlength": 200}),
    )
    # Checked by the submission (an unknown authority: its own refusal), not the form.
    authority = forms.CharField(
        label=gettext_lazy("备案审查机关"), required=False, widget=forms.Select
    )
    provisions = forms.CharField(
        label=gettext_lazy("所涉条款"),
        required=False,
        help_text=gettext_lazy("如 第五条、第八条第二款"),
        widget=forms.TextInput(attrs={"maxlength": 200}),
    )
    reasons = forms.CharField(
        label=gettext_lazy("建议理由"),
        required=False,
        strip=False,
        help_text=gettext_lazy("说明认为该文件违法或者不适当的理由，如与哪部上位法的哪一条不一致"),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    evidence = forms.FileField(
        label=gettext_lazy("证明材料（选填）"),
        required=False,
        help_text=gettext_lazy("PDF、Word、WPS 文档或 JPG、PNG 图片"),
    )
    submitter_name = forms.CharField(
        label=gettext_lazy("姓名或单位名称"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name", "maxlength": 100}),
    )
    contact = forms.CharField(
        label=gettext_lazy("联系方式"),
        required=False,
        help_text=gettext_lazy("电子邮箱或电话号码，用于书面答复，不予公开"),
        widget=forms.TextInput(attrs={"autocomplete": "email", "maxlength": 100}),
    )
    # Honeypot: hidden from people (the wrapper is `hidden`), filled in by robots.
    website = forms.CharField(label=gettext_lazy("网站（请勿填写）"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].widget.choices = [("", _("请选择"))] + [
            (org.code, org.name) for org in suggestions.authorities()
        ]


def _page(request, form=None, error="", status=200):
    query = (request.GET.get("q") or "").strip()[:100]
    chosen = None
    picked = request.GET.get("document") or (form.data.get("document") if form else "")
    if str(picked).isdigit():
        chosen = suggestions.submission.published_documents().filter(pk=int(picked)).first()
    if form is None:
        form = SuggestionForm(initial={"document": chosen.pk if chosen else None})
    context = {
        "form": form,
        "query": query,
        "results": suggestions.search_documents(query) if query else None,
        "chosen": chosen,
        "chosen_authority": suggestions.authority_of(chosen) if chosen else None,
        "error": error,
        "retention_days": comments.retention_days(),
    }
    return render(request, "public/suggestion_form.html", context, status=status)


@require_GET
@ensure_csrf_cookie
def suggestion_form(request):
    return _page(request)


@require_POST
def submit(request):
    address = ratelimit.client_address(request)
    wait = ratelimit.check_comment(address, "suggestion")
    if wait:
        response = render(request, "public/ratelimited.html", {"wait": wait}, status=429)
        response["Retry-After"] = str(wait)
        return response
    form = SuggestionForm(request.POST, request.FILES)
    if request.POST.get("website"):
        message = _("提交未被接受：表单中有一项应留空的内容被填写了。")
        return _page(request, form, message, 400)
    if not form.is_valid():
        return _page(request, form, _("请检查所填内容。"), 400)
    data = form.cleaned_data
    try:
        suggestion = suggestion_flow.submit(
            document_id=data["document"],
            described_document=data["described_document"],
            authority_code=data["authority"],
            provisions=data["provisions"],
            reasons=data["reasons"],
            evidence=data["evidence"],
            submitter_name=data["submitter_name"],
            contact=data["contact"],
            address=address,
        )
    except Refused as refused:
        return _page(request, form, refused.message, 400)
    return redirect(reverse("public:suggestion_status", args=[suggestion.receipt]) + "?new=1")


@never_cache
@require_POST
def erase(request, code):
    """个人信息保护法 art. 47: the receipt AND the contact given erase name and contact."""
    wait = ratelimit.check_comment(ratelimit.client_address(request), "privacy")
    if wait:
        response = render(request, "public/ratelimited.html", {"wait": wait}, status=429)
        response["Retry-After"] = str(wait)
        return response
    if comments.erase_suggestion_on_request(code, request.POST.get("contact", "")):
        extra = {"privacy_message": _("您的姓名和联系方式已删除。审查建议及答复保留。")}
        return _status_page(request, code, extra)
    extra = {"privacy_error": _("回执号与联系方式不符，未作任何处理。")}
    return _status_page(request, code, extra, 400)


@never_cache
@require_GET
def status(request, code=None):
    """The status by receipt: received, in hand, answered, and the outcome with its
    reasons. Never a name or a contact, the submitter's or a reviewer's."""
    return _status_page(request, code)


def _status_page(request, code, extra=None, status_code=None):
    code = (code or request.GET.get("receipt", "")).strip().upper()
    suggestion = None
    if code:
        suggestion = (
            ReviewSuggestion.objects.select_related("authority", "document")
            .only(*PUBLIC_FIELDS)
            .filter(receipt=code)
            .first()
        )
    context = {"code": code, "suggestion": suggestion, "new": request.GET.get("new") == "1"}
    context.update(extra or {})
    if status_code is None or suggestion is None:
        status_code = 404 if code and suggestion is None else 200
    return render(request, "public/suggestion_status.html", context, status=status_code)


# What the status page reads: nothing personal is even loaded.
PUBLIC_FIELDS = (
    "receipt",
    "authority__name",
    "document__title",
    "described_document",
    "provisions",
    "submitted_at",
    "received_on",
    "due_on",
    "due_on_provisional",
    "status",
    "outcome",
    "reply",
    "replied_on",
)
