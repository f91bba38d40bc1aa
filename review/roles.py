"""Whether a person holds a role in an organisation.

Apart from the models so that the state machine (review.lifecycle), which the
document model is built on, can ask it without importing the models.
"""


def has_role(user, organisation, *roles):
    """Whether `user` holds one of `roles` in `organisation` (an Organisation or its
    pk), read once per user object: its memberships are cached on it."""
    if user is None or not getattr(user, "is_authenticated", False) or organisation is None:
        return False
    cache = getattr(user, "_guifan_roles", None)
    if cache is None:
        cache = {}
        for org_id, role in user.memberships.values_list("organisation_id", "role"):
            cache.setdefault(org_id, set()).add(role)
        user._guifan_roles = cache
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    return bool(cache.get(org_id, set()) & set(roles))
