"""Acting for an absent colleague (代理, review.models.Delegation): within the period
the delegate sees the delegator's claimed tasks in their inbox and may execute them;
the action is then done in the delegator's name (their roles are the ones the task
needs) and recorded as done by the delegate on the delegator's behalf
(review.audit.on_behalf, and the task's data: acted_by, on_behalf_of).

Never more: no other task of the delegator's roles (the queue stays the role's), no
task outside the period, no task of anyone else."""

from django.db.models import Q
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from review.models import Delegation

from .roles import holds_key


def delegators_of(user, on=None):
    """Ids of the users for whom `user` acts on `on` (default today); cached on the
    user object for the day."""
    on = on or timezone.localdate()
    cached = getattr(user, "_guifan_delegators", None)
    if cached is not None and cached[0] == on:
        return cached[1]
    if user is None or not user.is_authenticated:
        ids = frozenset()
    else:
        ids = frozenset(
            Delegation.objects.active(on).filter(delegate=user).values_list("delegator", flat=True)
        )
    user._guifan_delegators = (on, ids)
    return ids


def principal_for(user, task, on=None):
    """The absent colleague for whom `user` may execute `task` (its owner, who named
    `user` for today and still holds the task's role), else None."""
    if user is None or not user.is_authenticated or not task.owner_id:
        return None
    if task.owner_id == user.pk or task.owner_id not in delegators_of(user, on):
        return None
    owner = task.owner
    return owner if holds_key(owner, task.owner_permission) else None


def acting_as(user, task):
    """Whose name an action on `task` by `user` is taken in: the delegator's when
    `user` acts for them, else `user`'s own."""
    return principal_for(user, task) or user


def inbox(flows, user):
    """My claimed tasks and those of the colleagues I act for today."""
    owners = Q(owner=user)
    delegators = delegators_of(user)
    if delegators:
        owners |= Q(owner_id__in=delegators)
    return Task.objects.filter_available(flows, user).filter(owners, status=STATUS.ASSIGNED)


def mark_acted(task, delegate, principal):
    """Write both names on the task (kept with it in the archive)."""
    task.data = {
        **(task.data or {}),
        "acted_by": delegate.pk,
        "acted_by_name": delegate.get_full_name() or delegate.get_username(),
        "on_behalf_of": principal.pk,
        "on_behalf_of_name": principal.get_full_name() or principal.get_username(),
    }
