"""Sends an unverified session to the second factor.

After the password, a person with a confirmed authenticator is sent to verification,
whatever the role; a person of a required role (review.roles.SECOND_FACTOR_ROLES)
without one is sent to enrolment when GUIFAN_OTP_REQUIRED is on. Every page refuses
such a session (a redirect) except the login, logout, second-factor and public ones.
"""

import functools
from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import user_has_device

from review.roles import needs_second_factor

# Set in the session when this login needs no second factor (no authenticator, not
# required), so that the devices are looked up once per login, not once per page. The
# value names the user and the switch, so turning GUIFAN_OTP_REQUIRED on takes effect
# on open sessions at their next page.
FREE = "guifan_second_factor_free"


def free_mark(user):
    return f"{user.pk}:{int(bool(settings.GUIFAN_OTP_REQUIRED))}"


@functools.cache
def _open_prefixes():
    """Paths an unverified session may reach."""
    return (
        reverse("desk:login"),
        reverse("desk:logout"),
        reverse("accounts:enrol"),
        reverse("accounts:verify"),
        reverse("admin:logout"),
        reverse("admin:login"),
        reverse("set_language"),
        reverse("public:index"),
        reverse("health"),
        reverse("csp_report"),
        "/" + settings.STATIC_URL.lstrip("/"),
    )


def destination(user):
    """Where an unverified session of `user` must go first, or None."""
    if user_has_device(user):
        return reverse("accounts:verify")
    if settings.GUIFAN_OTP_REQUIRED and needs_second_factor(user):
        return reverse("accounts:enrol")
    return None


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and request.session.get(FREE) != free_mark(user)
            and not request.path.startswith(_open_prefixes())
        ):
            target = destination(user)
            if target is None:
                request.session[FREE] = free_mark(user)
            else:
                return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
