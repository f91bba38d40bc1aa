"""The people pages (issue 16, parts 1-3): an organisation's users and roles, made by
its user administrator (and the system and security administrators, 三员分立), one's
own delegate for an absence (代理), and the security administrator's lockouts.

Another organisation's page, user or role is a 404; an action the user may not take
is a 403; bad input is a message and nothing changed. Every change is logged by the
actions (review.actions.people, workflows.people)."""

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from review import actions
from review.errors import NotPermitted, Refused
from review.models import Delegation, Membership, Organisation, SecurityKind
from review.roles import (
    can_administer_users,
    can_grant_role,
    can_set_active,
    is_security_admin,
    is_system_admin,
    may_open_people,
)
from review.states import Role
from workflows.people import claimed_tasks, deactivate

from .people_forms import (
    CreateUserForm,
    DeactivateForm,
    DelegationForm,
    GrantForm,
    UnlockForm,
    first_roles,
    grantable_roles,
)
from .security import log


def _administered(user):
    """The organisations whose people page `user` may open."""
    if is_system_admin(user) or is_security_admin(user):
        return Organisation.objects.all()
    return Organisation.objects.filter(
        memberships__user=user, memberships__role=Role.USER_ADMIN
    ).distinct()


def _organisation_or_404(request, code):
    organisation = get_object_or_404(Organisation, code=code)
    if not may_open_people(request.user, organisation):
        raise Http404
    return organisation


def _person_or_404(organisation, pk):
    return get_object_or_404(actions.organisation_users(organisation), pk=pk)


def _errors_as_messages(request, form):
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}：{error}" if label else error)


def _done(request, call, success):
    """Run an action: its refusal as a message, a permission refusal as a 403."""
    try:
        result = call()
    except NotPermitted as refusal:
        raise PermissionDenied(refusal.message) from None
    except Refused as refusal:
        messages.error(request, refusal.message)
        return None
    messages.success(request, success)
    return result


@login_required
def index(request):
    organisations = _administered(request.user)
    if not organisations.exists():
        raise Http404
    return render(request, "accounts/people_index.html", {"organisations": organisations})


@login_required
def organisation(request, code):
    org = _organisation_or_404(request, code)
    roles = Membership.objects.filter(organisation=org).order_by("role")
    people = list(
        actions.organisation_users(org).prefetch_related(
            Prefetch("memberships", queryset=roles, to_attr="roles_here"),
            Prefetch("memberships", to_attr="roles_anywhere"),
        )
    )
    for person in people:  # what this page may offer on each row (the actions check again)
        held = [m.role for m in person.roles_anywhere]
        person.may_set_active = can_set_active(request.user, org, person, held)
        for membership in person.roles_here:
            membership.may_revoke = can_grant_role(request.user, org, membership.role)
    grantable = grantable_roles(request.user, org)
    return render(
        request,
        "accounts/people.html",
        {
            "organisation": org,
            "people": people,
            "manages_users": can_administer_users(request.user, org),
            "create_form": CreateUserForm(roles=first_roles(request.user, org)),
            "grant_form": GrantForm(roles=grantable) if grantable else None,
            "deactivate_form": DeactivateForm(
                colleagues=actions.organisation_users(org).filter(is_active=True)
            ),
        },
    )


@login_required
@require_POST
def create(request, code):
    org = _organisation_or_404(request, code)
    form = CreateUserForm(request.POST, roles=first_roles(request.user, org))
    if not form.is_valid():
        _errors_as_messages(request, form)
        return redirect("accounts:people_org", org.code)
    data = form.cleaned_data
    _done(
        request,
        lambda: actions.create_user(
            by=request.user,
            organisation=org,
            username=data["username"],
            name=data["name"],
            role=data["role"],
            password=data["password1"],
        ),
        _("已新建用户 %(user)s") % {"user": data["username"]},
    )
    return redirect("accounts:people_org", org.code)


@login_required
@require_POST
def set_inactive(request, code, pk):
    org = _organisation_or_404(request, code)
    person = _person_or_404(org, pk)
    colleagues = actions.organisation_users(org).filter(is_active=True).exclude(pk=person.pk)
    form = DeactivateForm(request.POST, colleagues=colleagues)
    if not form.is_valid():
        _errors_as_messages(request, form)
        return redirect("accounts:people_org", org.code)
    successor = form.cleaned_data["successor"]
    count = len(claimed_tasks(person))
    _done(
        request,
        lambda: deactivate(by=request.user, user=person, organisation=org, successor=successor),
        _("已停用 %(user)s，移交待办 %(count)s 项")
        % {"user": person.get_username(), "count": count},
    )
    return redirect("accounts:people_org", org.code)


@login_required
@require_POST
def set_active(request, code, pk):
    org = _organisation_or_404(request, code)
    person = _person_or_404(org, pk)
    _done(
        request,
        lambda: actions.set_active(by=request.user, user=person, organisation=org, active=True),
        _("已启用 %(user)s") % {"user": person.get_username()},
    )
    return redirect("accounts:people_org", org.code)


@login_required
@require_POST
def grant(request, code, pk):
    org = _organisation_or_404(request, code)
    person = _person_or_404(org, pk)
    form = GrantForm(request.POST, roles=grantable_roles(request.user, org))
    if not form.is_valid():
        _errors_as_messages(request, form)
        return redirect("accounts:people_org", org.code)
    _done(
        request,
        lambda: actions.grant_role(
            by=request.user, user=person, organisation=org, role=form.cleaned_data["role"]
        ),
        _("已授予 %(user)s 角色") % {"user": person.get_username()},
    )
    return redirect("accounts:people_org", org.code)


@login_required
@require_POST
def revoke(request, code, pk):
    org = _organisation_or_404(request, code)
    membership = get_object_or_404(
        Membership.objects.select_related("user", "organisation"), pk=pk, organisation=org
    )
    _done(
        request,
        lambda: actions.revoke_role(by=request.user, membership=membership),
        _("已撤销 %(user)s 的%(role)s角色")
        % {"user": membership.user.get_username(), "role": membership.get_role_display()},
    )
    return redirect("accounts:people_org", org.code)


# --- 代理: my delegate ---------------------------------------------------------------


@login_required
def delegation(request):
    colleagues = actions.colleagues(request.user)
    form = DelegationForm(request.POST or None, colleagues=colleagues)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            made = _done(
                request,
                lambda: actions.name_delegate(by=request.user, **data),
                _("已设置代理人 %(user)s") % {"user": data["delegate"].get_username()},
            )
            if made is not None:
                return redirect("accounts:delegation")
        else:
            _errors_as_messages(request, form)
    return render(
        request,
        "accounts/delegation.html",
        {
            "form": form,
            "given": Delegation.objects.filter(delegator=request.user).select_related("delegate"),
            "taken": Delegation.objects.active()
            .filter(delegate=request.user)
            .select_related("delegator"),
        },
    )


@login_required
@require_POST
def end_delegation(request, pk):
    given = get_object_or_404(Delegation, pk=pk, delegator=request.user)
    _done(
        request,
        lambda: actions.end_delegation(by=request.user, delegation=given),
        _("代理已结束"),
    )
    return redirect("accounts:delegation")


# --- the security administrator's lockouts (django-axes) ------------------------------


@login_required
def lockouts(request):
    if not is_security_admin(request.user):
        raise PermissionDenied(_("只有安全管理员可以解除账号锁定"))
    form = UnlockForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        cleared = axes_reset(username=username)
        if cleared:
            log(SecurityKind.LOCKOUT_CLEARED, request=request, subject=username, cleared=cleared)
            messages.success(request, _("已解除 %(user)s 的锁定") % {"user": username})
        else:
            messages.error(request, _("%(user)s 没有失败登录记录") % {"user": username})
        return redirect("accounts:lockouts")
    attempts = AccessAttempt.objects.order_by("-attempt_time")
    known = set(
        get_user_model()
        .objects.filter(username__in=attempts.values("username"))
        .values_list("username", flat=True)
    )
    return render(
        request, "accounts/lockouts.html", {"attempts": attempts, "known": known, "form": form}
    )
