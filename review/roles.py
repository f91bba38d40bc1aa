"""Whether a person holds a role in an organisation.

Apart from the models so that the state machine (review.lifecycle), which the
document model is built on, can ask it without importing the models.
"""

from .states import Role

# Who must prove a second factor (TOTP) after the password (issue 15): those who can
# administer the system or whose opinion decides a document's legality or filing.
SECOND_FACTOR_ROLES = frozenset(
    {Role.ADMIN, Role.LEGAL_REVIEWER, Role.LEGAL_ADVISOR, Role.FILING_REVIEWER}
)


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
