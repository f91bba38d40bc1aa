"""The second-factor pages: overview, enrolment by QR code, verification after the
password, new recovery codes, and the security administrator's reset."""

from base64 import b32encode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from review import actions
from review.roles import is_security_admin, needs_second_factor

from .forms import CodeForm


def _next(request, default="desk:inbox"):
    given = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        given, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return given
    return reverse(default)


def _verified(user):
    return user.is_verified()


@login_required
def overview(request):
    user = request.user
    return render(
        request,
        "accounts/overview.html",
        {
            "enrolled": user_has_device(user),
            "verified": _verified(user),
            "required": needs_second_factor(user),
            "enforced": settings.GUIFAN_OTP_REQUIRED,
            "can_reset": is_security_admin(user) and _verified(user),
            "recovery_left": sum(
                d.token_set.count() for d in devices_for_user(user) if hasattr(d, "token_set")
            ),
        },
    )


def _qr_svg(device):
    # Rendered here, as an inline SVG element: no script, no third-party service.
    return segno.make(device.config_url, error="m").svg_inline(scale=5, dark="#000")


@login_required
def enrol(request):
    user = request.user
    if user_has_device(user):
        messages.info(request, _("已启用双因素认证"))
        return redirect(reverse("accounts:verify") if not _verified(user) else _next(request))
    device = actions.pending_authenticator(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = actions.confirm_authenticator(device, form.cleaned_data["token"])
        except actions.Refused as refusal:
            form.add_error("token", str(refusal))
        else:
            otp_login(request, device)
            return render(request, "accounts/codes.html", {"codes": codes, "next": _next(request)})
    return render(
        request,
        "accounts/enrol.html",
        {
            "form": form,
            "qr": _qr_svg(device),
            "secret": b32encode(device.bin_key).decode(),
            "next": _next(request),
        },
    )


@login_required
def verify(request):
    user = request.user
    if _verified(user):
        return redirect(_next(request))
    if not user_has_device(user):
        return redirect(f"{reverse('accounts:enrol')}?next={_next(request)}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = _matching_device(user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return redirect(_next(request))
        form.add_error("token", _("验证码不正确或已用过；多次输错后需等待片刻再试"))
    return render(request, "accounts/verify.html", {"form": form, "next": _next(request)})


def _matching_device(user, token):
    """The authenticator or recovery-code set that accepts `token` (a recovery code is
    used up by it), or None. The devices are locked while checked, so two requests
    cannot both use one recovery code; each device throttles its own failures."""
    with transaction.atomic():
        for device in devices_for_user(user, for_verify=True):
            if device.verify_token(token):
                return device
    return None


@login_required
@require_POST
def new_codes(request):
    if not _verified(request.user):
        return redirect("accounts:verify")
    try:
        codes = actions.new_recovery_codes(request.user)
    except actions.Refused as refusal:
        messages.error(request, str(refusal))
        return redirect("accounts:overview")
    return render(
        request, "accounts/codes.html", {"codes": codes, "next": reverse("accounts:overview")}
    )


def _require_admin(request):
    # 三员分立: second factors are the security administrator's (Role.SECURITY_ADMIN).
    if not (is_security_admin(request.user) and _verified(request.user)):
        raise Http404


@login_required
def users(request):
    """A security administrator's list of the accounts that have a second factor."""
    _require_admin(request)
    enrolled = (
        get_user_model()
        .objects.filter(pk__in=TOTPDevice.objects.filter(confirmed=True).values("user"))
        .order_by("username")
    )
    return render(request, "accounts/users.html", {"users": enrolled})


@login_required
@require_POST
def reset(request, pk):
    _require_admin(request)
    target = get_object_or_404(get_user_model(), pk=pk)
    try:
        actions.reset_second_factor(target, by=request.user, note=request.POST.get("note", ""))
    except actions.NotPermitted as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            _("已重置 %(user)s 的双因素认证，其下次登录时须重新绑定")
            % {"user": target.get_username()},
        )
    return redirect("accounts:users")
