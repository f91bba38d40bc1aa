"""The password backend, with one refusal: the Django superuser is for installation
only (三员分立, issue 16). With GUIFAN_REFUSE_SUPERUSER_LOGIN on (the default in
production, DEBUG off) and the system, security and audit administrators each held by
an active account, a superuser's login is refused and logged (docs/deploy.md)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from review.models import Membership, SecurityKind
from review.roles import THREE_ADMINS

from .security import log

# Set on the request when this backend refused a superuser, for the login form's message.
REFUSED_FLAG = "_guifan_superuser_refused"


def three_administrators_present():
    """Whether each of the three administrators' roles has an active holder."""
    held = set(
        Membership.objects.filter(role__in=THREE_ADMINS, user__is_active=True)
        .values_list("role", flat=True)
        .distinct()
    )
    return held >= set(THREE_ADMINS)


def superuser_refused(user):
    return (
        bool(getattr(user, "is_superuser", False))
        and settings.GUIFAN_REFUSE_SUPERUSER_LOGIN
        and three_administrators_present()
    )


class SeparatedDutiesBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None and superuser_refused(user):
            log(SecurityKind.SUPERUSER_REFUSED, request=request, user=user)
            if request is not None:
                setattr(request, REFUSED_FLAG, True)
            return None
        return user


def refused_superusers():
    """Active superusers who could not log in now (for the deploy check's note)."""
    if not settings.GUIFAN_REFUSE_SUPERUSER_LOGIN or not three_administrators_present():
        return get_user_model().objects.none()
    return get_user_model().objects.filter(is_superuser=True, is_active=True)
