"""The forms of the people pages (accounts.people_views): what is typed is checked by
the actions (review.actions.people); these only parse it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from review.roles import can_create_with_role, can_grant_role
from review.states import Role


def grantable_roles(user, organisation):
    return [(r.value, r.label) for r in Role if can_grant_role(user, organisation, r)]


def first_roles(user, organisation):
    return [(r.value, r.label) for r in Role if can_create_with_role(user, organisation, r)]


class CreateUserForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150)
    name = forms.CharField(label=_("姓名"), max_length=150)
    role = forms.ChoiceField(label=_("角色"))
    password1 = forms.CharField(
        label=_("初始密码"), strip=False, widget=forms.PasswordInput(render_value=False)
    )
    password2 = forms.CharField(
        label=_("再次输入初始密码"), strip=False, widget=forms.PasswordInput(render_value=False)
    )

    def __init__(self, *args, roles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = list(roles)

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("两次输入的密码不一致"))
        return data


class GrantForm(forms.Form):
    role = forms.ChoiceField(label=_("角色"))

    def __init__(self, *args, roles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = list(roles)


class DeactivateForm(forms.Form):
    successor = forms.ModelChoiceField(
        label=_("待办移交给"),
        required=False,
        queryset=None,
        empty_label=_("退回所在角色的待领取"),
    )

    def __init__(self, *args, colleagues=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["successor"].queryset = colleagues


class DelegationForm(forms.Form):
    delegate = forms.ModelChoiceField(label=_("代理人"), queryset=None)
    starts_on = forms.DateField(label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("结束日期"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("事由"), max_length=200, required=False)

    def __init__(self, *args, colleagues=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delegate"].queryset = colleagues
        self.fields["delegate"].label_from_instance = lambda u: (
            f"{u.get_full_name() or u.get_username()}（{u.get_username()}）"
        )


class UnlockForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150)
