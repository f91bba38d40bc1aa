"""The token page (/api/tokens/): an organisation's administrator lists, makes and
revokes its tokens. A new token's text is shown once, on the response to the POST
that made it, and never again (only its digest is stored)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from review.errors import Refused
from review.models import Membership, Organisation, Role

from . import tokens
from .models import ApiToken, TokenScope


class TokenForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("单位"), queryset=Organisation.objects.none())
    name = forms.CharField(label=_("名称"), max_length=100, help_text=_("如：省备案审查信息平台"))
    roles = forms.MultipleChoiceField(
        label=_("角色"),
        choices=[(r.value, r.label) for r in tokens.TOKEN_ROLES],
        widget=forms.CheckboxSelectMultiple,
    )
    scope = forms.ChoiceField(label=_("权限范围"), choices=TokenScope.choices)
    days = forms.IntegerField(
        label=_("有效天数"), min_value=1, max_value=tokens.MAX_DAYS, initial=tokens.DEFAULT_DAYS
    )

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in organisations]
        ).order_by("code")


def _managed(user):
    if user.is_superuser:
        return list(Organisation.objects.order_by("code"))
    ids = Membership.objects.filter(user=user, role=Role.ADMIN).values("organisation_id")
    return list(Organisation.objects.filter(pk__in=ids).order_by("code"))


@never_cache
@login_required
def token_page(request):
    organisations = _managed(request.user)
    if not organisations:
        raise PermissionDenied
    form = TokenForm(request.POST or None, organisations=organisations)
    created = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            token, clear = tokens.create_token(
                organisation=data["organisation"],
                by=request.user,
                name=data["name"],
                roles=data["roles"],
                scope=data["scope"],
                days=data["days"],
            )
            created = (token, clear)
            form = TokenForm(organisations=organisations)
        except Refused as refusal:
            form.add_error(None, refusal.message)
    listed = (
        ApiToken.objects.filter(organisation__in=organisations)
        .select_related("organisation", "created_by")
        .prefetch_related("usage")
    )
    return render(request, "api/tokens.html", {"form": form, "tokens": listed, "created": created})


@login_required
@require_POST
def revoke(request, pk):
    token = get_object_or_404(
        ApiToken.objects.select_related("organisation"),
        pk=pk,
        organisation__in=_managed(request.user),
    )
    tokens.revoke_token(token, by=request.user)
    messages.success(request, _("令牌已撤销"))
    return redirect("api:tokens")
