"""Making, finding and revoking API tokens (issue 21, part 2). No request here: the
token page and `manage.py api_token` call the same functions.

A token is `gf_<prefix>_<secret>`: 8 hex characters shown in lists, then 43 random
URL-safe characters. Only the SHA-256 of the whole text is stored; a token of 256
random bits needs no slow hash (nothing to guess from a dictionary), and the lookup
by digest is one indexed query.
"""

import datetime
import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from review import audit
from review.errors import Refused
from review.models import Membership, Role
from review.roles import can_administer_users

from .models import ApiToken, TokenScope

# Roles a token may hold: never the system administrator's (a token would administer
# every organisation) nor the security auditor's (the API has no security log).
TOKEN_ROLES = tuple(r for r in Role if r not in (Role.ADMIN, Role.SECURITY_AUDITOR))
MAX_DAYS = 366
DEFAULT_DAYS = 90


def digest(text):
    return hashlib.sha256(text.encode()).hexdigest()


def may_manage(user, organisation):
    """Who makes and revokes an organisation's tokens: whoever administers its users
    (its user administrator, or a system administrator: issue 16), since a token is
    a service user with roles."""
    return can_administer_users(user, organisation)


def managed_organisations(user, organisations):
    return [org for org in organisations if may_manage(user, org)]


def _check(organisation, by, name, roles, scope, days):
    if not may_manage(by, organisation):
        raise Refused(_("只有本单位的用户管理员或系统管理员可以创建接口令牌"))
    if not (name or "").strip():
        raise Refused(_("请填写令牌名称"))
    if not roles or any(r not in TOKEN_ROLES for r in roles):
        raise Refused(_("请为令牌选择角色（不能是系统管理员或审计管理员）"))
    if scope not in TokenScope.values:
        raise Refused(_("权限范围只能是只读或读写"))
    if not 1 <= days <= MAX_DAYS:
        raise Refused(_("有效期应在 1 至 %(max)s 日之间") % {"max": MAX_DAYS})


def create_token(*, organisation, by, name, roles, scope=TokenScope.READ, days=DEFAULT_DAYS):
    """A new service user of `organisation` with `roles`, and its token. Returns
    (token, clear text): the clear text exists only in this return value."""
    _check(organisation, by, name, roles, scope, days)
    prefix = secrets.token_hex(4)
    clear = f"gf_{prefix}_{secrets.token_urlsafe(32)}"
    now = timezone.now()
    with transaction.atomic():
        user = get_user_model().objects.create_user(
            username=f"api-{organisation.code}-{prefix}",
            password=None,  # unusable: a service user never logs in on the pages
            first_name=name.strip()[:150],
        )
        Membership.objects.bulk_create(
            Membership(user=user, organisation=organisation, role=role) for role in set(roles)
        )
        token = ApiToken.objects.create(
            organisation=organisation,
            user=user,
            name=name.strip(),
            prefix=prefix,
            digest=digest(clear),
            scope=scope,
            created_by=by,
            created_at=now,
            expires_at=now + datetime.timedelta(days=days),  # a token's life, not a legal period
        )
        audit.record(
            action="api_token_created",
            actor=by,
            note=_("创建接口令牌 %(name)s") % {"name": token.name},
            data=token_data(token) | {"roles": sorted(set(roles))},
        )
    return token, clear


def token_data(token):
    """How an audit event names a token: never its secret."""
    return {
        "token": token.prefix,
        "token_name": token.name,
        "organisation": token.organisation.code,
        "scope": token.scope,
    }


def revoke_token(token, *, by):
    """Revoke at once: the next request with it is refused. Its service user is made
    inactive too. Revoking twice changes nothing."""
    if not may_manage(by, token.organisation):
        raise Refused(_("只有本单位的系统管理员可以撤销接口令牌"))
    with transaction.atomic():
        locked = (
            ApiToken.objects.select_for_update().select_related("organisation").get(pk=token.pk)
        )
        if locked.revoked_at is not None:
            return locked
        locked.revoked_at = timezone.now()
        locked.revoked_by = by
        locked.save(update_fields=["revoked_at", "revoked_by"])
        get_user_model().objects.filter(pk=locked.user_id).update(is_active=False)
        audit.record(
            action="api_token_revoked",
            actor=by,
            note=_("撤销接口令牌 %(name)s") % {"name": locked.name},
            data=token_data(locked),
        )
    return locked


def find(clear):
    """The usable token with this clear text, with its user and organisation, or None."""
    if not clear or not clear.startswith("gf_") or len(clear) > 100:
        return None
    token = (
        ApiToken.objects.select_related("user", "organisation").filter(digest=digest(clear)).first()
    )
    if token is None or not token.is_usable() or not token.user.is_active:
        return None
    return token
