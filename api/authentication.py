"""Token authentication for the API: `Authorization: Bearer gf_…`.

Not through django.contrib.auth.authenticate(): the login lockout (django-axes, an
authentication backend and its signals) counts passwords typed on the login page and
never sees a token. A wrong token is a 401 and counts toward nobody's lockout; a
locked-out person's service tokens keep working (they are other users).
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from . import tokens, usage


class TokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None  # no token: public endpoints answer, the others say 401
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("令牌格式不正确"))
        try:
            clear = header[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed(_("令牌格式不正确")) from exc
        token = tokens.find(clear)
        if token is None:
            raise exceptions.AuthenticationFailed(_("令牌无效、已过期或已撤销"))
        usage.count(token)
        return token.user, token

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'
