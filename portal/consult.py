"""An outside expert's or organisation's answer to a 审查意见征集, through the one-time
link the reviewer sent (no login). An unknown, used or expired link gets the same
410 page; an answer is taken once (review.suggestions.consultation)."""

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from review.errors import Refused
from review.suggestions import consultation as consulting
from review.text import CleanTextMixin

from . import ratelimit


class LinkAnswerForm(CleanTextMixin, forms.Form):
    name = forms.CharField(
        label=gettext_lazy("答复人（选填）"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    answer = forms.CharField(
        label=gettext_lazy("答复意见"), widget=forms.Textarea(attrs={"rows": 10})
    )


@never_cache
def consult(request, token):
    if request.method == "POST":
        wait = ratelimit.check_comment(ratelimit.client_address(request), "consult")
        if wait:
            response = render(request, "public/ratelimited.html", {"wait": wait}, status=429)
            response["Retry-After"] = str(wait)
            return response
    try:
        consultation = consulting.by_token(token)
    except Refused as refused:
        return render(request, "public/consult.html", {"gone": refused.message}, status=410)
    form = LinkAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            consulting.answer_by_link(
                token, text=form.cleaned_data["answer"], name=form.cleaned_data["name"]
            )
        except Refused as refused:
            return render(request, "public/consult.html", {"gone": refused.message}, status=410)
        return render(request, "public/consult.html", {"done": True})
    status = 400 if request.method == "POST" else 200
    context = {"consultation": consultation, "form": form}
    return render(request, "public/consult.html", context, status=status)
