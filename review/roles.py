"""Whether a person holds a role in an organisation.

Apart from the models so that the state machine (review.lifecycle), which the
document model is built on, can ask it without importing the models.
"""

from .states import Role

# Who must prove a second factor (TOTP) after the password (issue 15): those who can
# administer the system or whose opinion decides a document's legality or filing.
SECOND_FACTOR_ROLES = frozenset(
    {
        Role.ADMIN,
        Role.SECURITY_ADMIN,
        Role.SECURITY_AUDITOR,
        Role.LEGAL_REVIEWER,
        Role.LEGAL_ADVISOR,
        Role.FILING_REVIEWER,
    }
)

# 三员分立 (等保 2.0, 安全管理中心): the system, security and audit administrators are
# three people; no account holds two of these roles (review.models.Membership refuses).
THREE_ADMINS = frozenset({Role.ADMIN, Role.SECURITY_ADMIN, Role.SECURITY_AUDITOR})
# Roles only the security administrator grants or revokes: the three, and the
# organisations' user administrators.
PRIVILEGED_ROLES = THREE_ADMINS | {Role.USER_ADMIN}


def _roles_by_organisation(user):
    cache = getattr(user, "_guifan_roles", None)
    if cache is None:
        cache = {}
        for org_id, role in user.memberships.values_list("organisation_id", "role"):
            cache.setdefault(org_id, set()).add(role)
        user._guifan_roles = cache
    return cache


def roles_anywhere(user):
    """Every role `user` holds, in any organisation."""
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    return set().union(*_roles_by_organisation(user).values())


def is_system_admin(user):
    """A superuser, or a system administrator (Role.ADMIN) of any organisation."""
    return bool(getattr(user, "is_superuser", False)) or Role.ADMIN in roles_anywhere(user)


def is_security_admin(user):
    """A security administrator (Role.SECURITY_ADMIN, 安全管理员) of any organisation:
    roles, second-factor resets, lockouts. A superuser too (installation only)."""
    return bool(getattr(user, "is_superuser", False)) or Role.SECURITY_ADMIN in roles_anywhere(user)


def is_audit_admin(user):
    """An audit administrator (Role.SECURITY_AUDITOR, 审计管理员): reads the security log."""
    return Role.SECURITY_AUDITOR in roles_anywhere(user)


def separation_conflict(held, role):
    """The role among `held` that `role` may not join (三员分立), or None."""
    if role not in THREE_ADMINS:
        return None
    others = (set(held) & THREE_ADMINS) - {role}
    return Role(sorted(others)[0]) if others else None


def can_administer_users(user, organisation):
    """Whether `user` may list, create, deactivate and reactivate `organisation`'s users
    (users' existence): its user administrator, or a system administrator (any
    organisation). The predicate for any page that manages an organisation's accounts
    or credentials (API tokens, say)."""
    if user is None or not getattr(user, "is_authenticated", False) or organisation is None:
        return False
    return is_system_admin(user) or has_role(user, organisation, Role.USER_ADMIN)


def can_grant_role(user, organisation, role):
    """Whether `user` may grant or revoke `role` in `organisation`: a security
    administrator any role anywhere; the organisation's user administrator its
    ordinary roles (not PRIVILEGED_ROLES). The system administrator grants none."""
    if user is None or not getattr(user, "is_authenticated", False) or organisation is None:
        return False
    if is_security_admin(user):
        return True
    return role not in PRIVILEGED_ROLES and has_role(user, organisation, Role.USER_ADMIN)


def can_create_with_role(user, organisation, role):
    """Whether `user` may make an account of `organisation` whose first role is `role`:
    whoever administers its users, with an ordinary role (the account's existence and
    its post are one act); the privileged roles are granted later, by the security
    administrator."""
    return role not in PRIVILEGED_ROLES and can_administer_users(user, organisation)


def can_set_active(user, organisation, target, target_roles):
    """Whether `user` may deactivate or reactivate `target` (holding `target_roles`
    anywhere), one of `organisation`'s people: not oneself, not the installation
    superuser (unless a superuser), and a holder of one of the three administrators'
    roles only by the system administrator."""
    if not can_administer_users(user, organisation) or target.pk == user.pk:
        return False
    if target.is_superuser and not user.is_superuser:
        return False
    return not (set(target_roles) & THREE_ADMINS) or is_system_admin(user)


def may_open_people(user, organisation):
    """Whether the organisation's people page is open to `user` (either predicate)."""
    return (
        can_administer_users(user, organisation) or is_security_admin(user) and bool(organisation)
    )


def needs_second_factor(user):
    """Whether `user` must log in with a second factor: a superuser, or a holder of one
    of SECOND_FACTOR_ROLES anywhere."""
    return bool(getattr(user, "is_superuser", False)) or bool(
        roles_anywhere(user) & SECOND_FACTOR_ROLES
    )


def has_role(user, organisation, *roles):
    """Whether `user` holds one of `roles` in `organisation` (an Organisation or its
    pk), read once per user object: its memberships are cached on it."""
    if user is None or not getattr(user, "is_authenticated", False) or organisation is None:
        return False
    cache = _roles_by_organisation(user)
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    return bool(cache.get(org_id, set()) & set(roles))
