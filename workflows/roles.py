"""Who may take a task: a role held in one organisation.

A task's `owner_permission` is the key of the role and organisation that may
take it (e.g. `guifan:legal_reviewer@3`); viewflow stores it on the task and our
queue matches it against the user's memberships. Roles are per organisation
(review.models.has_role), so a county bureau's drafter never sees the city
bureau's tasks.
"""

from review.models import Membership, has_role

PREFIX = "guifan:"


def role_key(role, organisation_id):
    return f"{PREFIX}{role}@{organisation_id}"


def parse_key(key):
    """(role, organisation id) of a key, or (None, None) for anything else."""
    if not key or not key.startswith(PREFIX) or "@" not in key:
        return None, None
    role, _sep, org = key[len(PREFIX) :].partition("@")
    try:
        return role, int(org)
    except ValueError:
        return None, None


def keys_of(user):
    """Every role key the user holds (one query, cached on the user object)."""
    cached = getattr(user, "_guifan_role_keys", None)
    if cached is None:
        if user is None or not user.is_authenticated:
            cached = set()
        else:
            cached = {
                role_key(role, org_id)
                for org_id, role in Membership.objects.filter(user=user).values_list(
                    "organisation_id", "role"
                )
            }
        user._guifan_role_keys = cached
    return cached


def holds_key(user, key):
    role, org_id = parse_key(key)
    return role is not None and has_role(user, org_id, role)
