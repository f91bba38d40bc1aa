"""The plumbing every action shares: lock the row, check state and role, take the
transition, record the one audit event."""

import datetime
from contextlib import contextmanager

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import audit, lifecycle
from ..calendar import WorkingCalendar
from ..errors import NotPermitted, Refused
from ..models import (
    NormativeDocument,
    has_role,
)
from ..states import Role

# --- plumbing -------------------------------------------------------------


# The document's row only is locked (of=self); its organisation and that body's own
# jurisdiction settings (none: NULL) are read with it.
_FOR_UPDATE = NormativeDocument.objects.select_for_update(of=("self",)).select_related(
    "organisation", "organisation__settings"
)


@contextmanager
def _locked(document, on=None):
    """Lock the document's row for the length of the operation and hand back a fresh copy;
    the caller's instance takes its values when the operation has committed."""
    with transaction.atomic():
        fresh = _FOR_UPDATE.get(pk=document.pk)
        fresh.as_of = on or timezone.localdate()
        with fresh.reading_once():  # each record once between two writes
            yield fresh
    if document is not fresh:
        document.take_row_of(fresh)


def _calendar():
    return WorkingCalendar()


def _require_role(user, organisation, *roles):
    if not has_role(user, organisation, *roles):
        names = "、".join(str(Role(r).label) for r in roles)
        raise NotPermitted(
            _("只有%(org)s的%(roles)s可以执行此操作") % {"org": organisation, "roles": names}
        )


def _require_state(document, states, what):
    if document.state not in states:
        raise Refused(
            _("当前状态为“%(state)s”，不能%(action)s")
            % {"state": document.get_state_display(), "action": what}
        )


def _check_transition(document, name, by, system=False):
    """State first (a message), then role (403)."""
    found = lifecycle.transition_of(document, name)
    if found is None:
        raise Refused(lifecycle.refusals(document, name)[0])
    if not system and not found.has_perm(document, by):
        raise NotPermitted(_("您没有权限执行“%(action)s”") % {"action": lifecycle.label(name)})


def _fire(document, name, by, system=False, also=()):
    """Check everything and take the transition; returns the state it left. `also`: other
    fields of the document the action has set, stored in the same UPDATE as the state."""
    _check_transition(document, name, by, system)
    with lifecycle.guards_evaluated_once(document):
        reasons = lifecycle.refusals(document, name)
        if reasons:
            raise Refused("；".join(reasons))
        before = document.state
        getattr(document, name)(by=by)  # django-fsm checks the guards again: answered from memory
    # ConcurrentTransitionMixin: the UPDATE matches only while the row is in the state
    # it was read in, else ConcurrentTransition and nothing is written.
    document.save(update_fields=["state", "updated_at", *also])
    return before


def _record(document, by, action, before=None, note="", data=None):
    return audit.record(
        action=action,
        document=document,
        actor=by,
        from_state=before or document.state,
        to_state=document.state,
        note=note,
        data=data,
    )


def _required_text(value, what):
    value = (value or "").strip()
    if not value:
        raise Refused(_("请填写%(what)s") % {"what": what})
    return value


def _date(value, what):
    if not isinstance(value, datetime.date):
        raise Refused(_("请填写有效的%(what)s") % {"what": what})
    return value
