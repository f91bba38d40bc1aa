from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    token = forms.CharField(
        label=_("验证码"),
        max_length=16,
        help_text=_("手机验证器上显示的 6 位数字，或一个恢复码"),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self):
        return self.cleaned_data["token"].replace(" ", "").strip()


class _RefusesSuperuser:
    """The login forms: a superuser refused by accounts.backends is told why."""

    def clean(self):
        from .backends import REFUSED_FLAG

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
