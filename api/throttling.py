"""Per token, not per user or address: each token has its own budget, counted in the
cache (settings.REST_FRAMEWORK DEFAULT_THROTTLE_RATES: "token", "anon")."""

from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle

from .models import ApiToken


class TokenRateThrottle(SimpleRateThrottle):
    scope = "token"

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiToken):
            return None  # anonymous requests: PublicRateThrottle
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class PublicRateThrottle(AnonRateThrottle):
    """Requests without a token, per client address."""

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
