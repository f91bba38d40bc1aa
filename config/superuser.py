"""The password backend and the two login forms, with one refusal: the Django superuser is for installation
only (三员分立, issue 16). With GUIFAN_REFUSE_SUPERUSER_LOGIN on (the default in
production, DEBUG off) and the system, security and audit administrators each held by
an active account, a superuser's login is refused and logged (docs/deploy.md)."""

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.security import log
from review.models import Membership, SecurityKind
from review.roles import THREE_ADMINS

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


class _RefusesSuperuser:
    """The login forms (the site's, desk/urls.py; the admin's, config/urls.py): a
    superuser refused by the backend is told why."""

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            if getattr(self.request, REFUSED_FLAG, False):
                raise ValidationError(
                    _(
                        "超级用户仅用于安装：系统管理员、安全管理员和审计管理员均已设立，"
                        "请使用相应的管理员账号登录"
                    ),
                    code="superuser_refused",
                ) from None
            raise


class LoginForm(_RefusesSuperuser, AuthenticationForm):
    pass


class AdminLoginForm(_RefusesSuperuser, AdminAuthenticationForm):
    pass
