"""Who may call what: a token for the organisation's data, the scope for writes."""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from .models import ApiToken


class TokenRequired(permissions.BasePermission):
    """A usable token; a read-only token may only read (GET, HEAD, OPTIONS)."""

    message = _("需要有效的接口令牌")

    def has_permission(self, request, view):
        token = request.auth
        if not isinstance(token, ApiToken):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        self.message = _("只读令牌不能修改数据")
        return token.can_write


class Public(permissions.AllowAny):
    """What the public pages show: no token needed (a token changes nothing)."""
