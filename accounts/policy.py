"""Password expiry and the idle-session warning (issue 16, part 5; docs/security.md)."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from review.security_log import password_expired

from .middleware import _open_prefixes


class PasswordExpiryMiddleware:
    """With GUIFAN_PASSWORD_MAX_DAYS on, a user whose password is older is sent to the
    password change page until it is changed (the open pages stay open)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        max_days = getattr(settings, "GUIFAN_PASSWORD_MAX_DAYS", 0)
        user = request.user
        if (
            max_days
            and user.is_authenticated
            and not request.path.startswith((*_open_prefixes(), reverse("accounts:password")))
            and password_expired(user, max_days)
        ):
            messages.warning(request, _("密码已超过有效期，请先修改密码"))
            return redirect(f"{reverse('accounts:password')}?{urlencode({'next': request.path})}")
        return self.get_response(request)


def session_idle(request):
    """Template context: seconds of inactivity after which the session ends (the
    page's warning, static/desk/session.js)."""
    return {"session_idle_seconds": settings.SESSION_COOKIE_AGE}
