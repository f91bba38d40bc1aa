"""Assisted review (issue 19): a reviewer accepts or dismisses a flag, with a reason.

The legality reviewer decides on the version under legality review while it runs;
the filing reviewer on the registered document under substantive review. A flag
is decided only if it is shown now (detected on the stored text), and a decision
may be changed while the review runs; each decision is one audit event.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import Refused
from ..flags import store
from ..models import FlagDecision, FlagStage
from ..states import Role, State
from ._base import (
    _check_transition,
    _locked,
    _record,
    _require_role,
    _require_state,
    _required_text,
)


def _check_stage(doc, stage, by):
    if stage == FlagStage.LEGALITY:
        _require_state(doc, [State.LEGALITY_REVIEW], _("处理审查提示"))
        _require_role(by, doc.organisation, Role.LEGAL_REVIEWER)
    elif stage == FlagStage.FILING:
        # Who may conclude the substantive review may decide on its flags.
        _check_transition(doc, "accept_filing", by)
    else:
        raise Refused(_("未知的审查环节"))


def decide_flag(document, *, by, stage, ident, accepted, reason, on=None):
    """Store the decision on the flag named `ident` (kind|article|key)."""
    reason = _required_text(reason, _("采纳或不采纳的理由"))
    with _locked(document, on) as doc:
        _check_stage(doc, stage, by)
        version = store.version_for(doc, stage)
        flag = next((f for f in store.flags_of(doc, version) if f.ident == ident), None)
        if flag is None:
            raise Refused(_("该审查提示已不存在，请刷新页面"))
        decision, _created = FlagDecision.objects.update_or_create(
            version=version,
            stage=stage,
            kind=flag.kind,
            article=flag.article,
            key=flag.key,
            defaults={
                "text": flag.text,
                "detail": flag.detail,
                "accepted": bool(accepted),
                "reason": reason,
                "decided_by": by,
                "decided_at": timezone.now(),
            },
        )
        _record(
            doc,
            by,
            "accept_flag" if accepted else "dismiss_flag",
            note=reason,
            data={
                "stage": stage,
                "version": version.number,
                "kind": flag.kind,
                "article": flag.article,
                "text": flag.text,
            },
        )
    return decision


def check_unresolved(doc, version, stage, note):
    """Concluding 合法 (or 审查无问题) with flags undecided needs a note saying why."""
    left = store.unresolved(store.decided(doc, version, stage))
    note = (note or "").strip()
    if left and not note:
        raise Refused(
            _("尚有 %(n)s 条审查提示未处理（采纳或不采纳）：请逐条处理，或填写未处理审查提示的说明")
            % {"n": len(left)}
        )
    return note
