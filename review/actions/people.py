"""People and their roles (issue 16, parts 1-3): an organisation's users made,
deactivated and given roles by its user administrator, roles by the security
administrator (三员分立), and the delegation of one's tasks for an absence (代理).

Each function checks who acts (review.roles), refuses bad input with a message and
changes nothing then, and writes its security-log entries: a user or membership saved
is logged by the receivers (accounts.security), here told who acted
(security_log.acting_as); what no save shows (a delegation) is logged here.
Handing a deactivated user's tasks over is the workflow's (workflows.people)."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_unicode_slug
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import security_log
from ..errors import NotPermitted, Refused
from ..models import Delegation, Membership, Organisation, SecurityKind
from ..roles import (
    can_administer_users,
    can_create_with_role,
    can_grant_role,
    can_set_active,
)
from ..states import Role


def _require_user_admin(by, organisation):
    if not can_administer_users(by, organisation):
        raise NotPermitted(
            _("只有%(org)s的用户管理员或系统管理员可以管理其用户") % {"org": organisation}
        )


def _require_grant(by, organisation, role):
    if not can_grant_role(by, organisation, role):
        raise NotPermitted(
            _("您不能在%(org)s授予或撤销“%(role)s”角色")
            % {"org": organisation, "role": Role(role).label}
        )


def _role(value):
    if value not in Role.values:
        raise Refused(_("请选择有效的角色"))
    return Role(value)


def _refusal(error):
    return Refused("；".join(error.messages))


def organisation_users(organisation):
    """The users who hold a role in `organisation` (its people), by username."""
    return (
        get_user_model()
        .objects.filter(memberships__organisation=organisation)
        .distinct()
        .order_by("username")
    )


def belongs_to(user, organisation):
    return Membership.objects.filter(user=user, organisation=organisation).exists()


def create_user(*, by, organisation, username, name, role, password, unit=None):
    """A new account of `organisation` holding `role` there (the two are one act: an
    account of nobody's is nobody's to manage). The password must pass the site's
    validators. Returns the user."""
    _require_user_admin(by, organisation)
    role = _role(role)
    if not can_create_with_role(by, organisation, role):
        raise NotPermitted(
            _("新建账号只能授予普通角色；“%(role)s”由安全管理员另行授予") % {"role": role.label}
        )
    username = (username or "").strip()
    name = (name or "").strip()
    try:
        validate_unicode_slug(username)
    except ValidationError:
        raise Refused(_("用户名只能包含字母、数字、下划线或连字符")) from None
    if not name:
        raise Refused(_("请填写姓名"))
    User = get_user_model()
    if User.objects.filter(username__iexact=username).exists():
        raise Refused(_("用户名 %(name)s 已被使用") % {"name": username})
    candidate = User(username=username, first_name=name)
    try:
        validate_password(password or "", candidate)
    except ValidationError as error:
        raise _refusal(error) from None
    _check_unit(unit, organisation)
    with transaction.atomic(), security_log.acting_as(by):
        user = User.objects.create_user(username=username, password=password, first_name=name)
        security_log.password_changed(user)
        Membership.objects.create(user=user, organisation=organisation, role=role, unit=unit)
    return user


def _check_unit(unit, organisation):
    if unit is not None and unit.pk != organisation.pk and unit.parent_id != organisation.pk:
        raise Refused(_("所在科室须是本单位或其内设机构"))


def set_active(*, by, user, organisation, active):
    """Deactivate (or reactivate) `organisation`'s user `user`. A deactivated account
    cannot log in; its memberships stay (who held what is history). Refuses one's own
    account and an account of another organisation (not found, for the page: 404)."""
    _require_user_admin(by, organisation)
    if not belongs_to(user, organisation):
        raise NotPermitted(_("该用户不属于%(org)s") % {"org": organisation})
    if user.pk == by.pk:
        raise Refused(_("不能停用或启用自己的账号"))
    held = Membership.objects.filter(user=user).values_list("role", flat=True)
    if not can_set_active(by, organisation, user, held):
        raise NotPermitted(_("超级用户和三员的账号只能由系统管理员停用或启用"))
    if user.is_active == active:
        raise Refused(_("该账号已是此状态") if active else _("该账号已停用"))
    with transaction.atomic(), security_log.acting_as(by):
        user.is_active = active
        user.save(update_fields=["is_active"])
    return user


def grant_role(*, by, user, organisation, role, unit=None):
    """`user` (already one of `organisation`'s people, or any user for the security
    administrator) holds `role` in `organisation` from now. 三员分立 is checked by the
    membership itself (review.models.Membership.save)."""
    role = _role(role)
    _require_grant(by, organisation, role)
    if not belongs_to(user, organisation) and not can_grant_role(by, organisation, Role.ADMIN):
        raise NotPermitted(_("该用户不属于%(org)s") % {"org": organisation})
    if not user.is_active:
        raise Refused(_("该账号已停用，不能授予角色"))
    if Membership.objects.filter(user=user, organisation=organisation, role=role).exists():
        raise Refused(
            _("%(user)s 已是%(org)s的%(role)s")
            % {"user": user.get_username(), "org": organisation, "role": role.label}
        )
    _check_unit(unit, organisation)
    membership = Membership(user=user, organisation=organisation, role=role, unit=unit)
    try:
        membership.clean()
    except ValidationError as error:
        raise _refusal(error) from None
    with transaction.atomic(), security_log.acting_as(by):
        membership.save()
    return membership


def revoke_role(*, by, membership):
    """End `membership`. An account's last role in the organisation is revoked by
    deactivating the account, not here: it would leave no one to manage it."""
    _require_grant(by, membership.organisation, membership.role)
    others = Membership.objects.filter(user_id=membership.user_id).exclude(pk=membership.pk)
    if not others.filter(organisation_id=membership.organisation_id).exists():
        raise Refused(_("这是该用户在本单位的唯一角色；如其离开本单位，请停用账号"))
    with transaction.atomic(), security_log.acting_as(by):
        membership.delete()


# --- 代理: a delegate for a period of absence ---------------------------------------


def colleagues(user):
    """Active users who hold a role in one of `user`'s organisations (a delegate must
    be one: they see the same documents)."""
    orgs = Organisation.objects.filter(memberships__user=user)
    return (
        get_user_model()
        .objects.filter(is_active=True, memberships__organisation__in=orgs)
        .exclude(pk=user.pk)
        .distinct()
        .order_by("username")
    )


def name_delegate(*, by, delegate, starts_on, ends_on, reason=""):
    """`by` names `delegate` to act on their tasks from `starts_on` to `ends_on`
    (inclusive). Refuses oneself, a colleague of no shared organisation, dates out of
    order, and a period overlapping another of `by`'s delegations."""
    if delegate is None or delegate.pk == by.pk:
        raise Refused(_("请选择另一位同事作为代理人"))
    if not isinstance(starts_on, datetime.date) or not isinstance(ends_on, datetime.date):
        raise Refused(_("请填写代理的起止日期"))
    if ends_on < starts_on:
        raise Refused(_("代理结束日期不能早于开始日期"))
    if not colleagues(by).filter(pk=delegate.pk).exists():
        raise Refused(_("代理人须是本单位在职的同事"))
    overlapping = Delegation.objects.filter(
        delegator=by, ended_at__isnull=True, starts_on__lte=ends_on, ends_on__gte=starts_on
    )
    if overlapping.exists():
        raise Refused(_("该期间已有代理，请先结束原代理"))
    with transaction.atomic():
        delegation = Delegation.objects.create(
            delegator=by,
            delegate=delegate,
            starts_on=starts_on,
            ends_on=ends_on,
            reason=(reason or "").strip()[:200],
            created_by=by,
        )
        security_log.record(
            SecurityKind.DELEGATION_NAMED,
            user=by,
            delegation_id=delegation.pk,
            delegate=delegate.get_username(),
            starts_on=starts_on,
            ends_on=ends_on,
        )
    return delegation


def end_delegation(*, by, delegation, now=None):
    """End `delegation` now (the delegator is back early, or named the wrong person)."""
    if delegation.delegator_id != by.pk:
        raise NotPermitted(_("只有委托人可以结束此代理"))
    if delegation.ended_at is not None:
        raise Refused(_("此代理已结束"))
    with transaction.atomic():
        delegation.ended_at = now or timezone.now()
        delegation.save(update_fields=["ended_at"])
        security_log.record(
            SecurityKind.DELEGATION_ENDED,
            user=by,
            delegation_id=delegation.pk,
            delegate=delegation.delegate.get_username(),
        )
    return delegation
