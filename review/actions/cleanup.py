"""清理 campaigns (domain-rules §8: 每隔两年全面清理, or ad hoc): opened by the legal
division over a scope, built by a background job (`manage.py build_cleanup`), one item
per document with a proposed outcome, then each decision recorded.

A proposal changes nothing. A decision to 废止 or 宣布失效 is recorded through the
end-of-validity actions (review.actions.validity) with its 文号 and date, so the
catalogue as of any day follows the dates; 继续有效 changes nothing; 修改 is recorded
through mark_amended when the amending document is named, else as the decision alone
(the registrar records the amendment when the new document exists).
"""

from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import audit
from ..choices import CleanupOutcome
from ..errors import NotPermitted, Refused
from ..models import (
    CleanupCampaign,
    CleanupItem,
    CleanupProgress,
    NormativeDocument,
    Organisation,
    has_role,
)
from ..states import Role
from ._base import _date, _required_text
from .validity import declare_invalid, mark_amended, repeal

BATCH = 5000


def scope_of(organisation, include_subordinates=True):
    """The body and, when asked, every unit under it (children, their children, …)."""
    ids, level = [organisation.pk], [organisation.pk]
    while include_subordinates and level:
        level = list(Organisation.objects.filter(parent_id__in=level).values_list("pk", flat=True))
        ids.extend(level)
    return ids


def open_campaign(organisation, *, by, title, in_force_on, include_subordinates=True):
    """Open a 清理: the legal division (合法性审核人员) of `organisation`. The items are
    created by the background job; until then the campaign is 待生成."""
    if not has_role(by, organisation, Role.LEGAL_REVIEWER):
        raise NotPermitted(_("只有本机关法制机构可以组织清理"))
    title = _required_text(title, _("清理名称"))
    _date(in_force_on, _("清理范围日期"))
    with transaction.atomic():
        campaign = CleanupCampaign.objects.create(
            organisation=organisation,
            title=title,
            in_force_on=in_force_on,
            include_subordinates=include_subordinates,
            opened_by=by,
        )
        audit.record(
            action="open_cleanup",
            actor=by,
            note=title,
            data={"campaign": campaign.pk, "organisation": organisation.pk, "on": in_force_on},
        )
    return campaign


def build_campaign(campaign):
    """Create one item per document in scope, in batches; safe to run again after a
    crash (existing items are kept). Time linear in the documents in scope. Returns the
    number of items."""
    orgs = scope_of(campaign.organisation, campaign.include_subordinates)
    documents = (
        NormativeDocument.objects.in_force_on(campaign.in_force_on)
        .filter(organisation_id__in=orgs)
        .order_by("pk")
        .values_list("pk", "organisation_id")
    )
    # Read first, then write: the (id, unit) pairs of 100,000 documents are a few MB,
    # and no read cursor stays open across the inserts.
    pairs = list(documents)
    for first in range(0, len(pairs), BATCH):
        with transaction.atomic():
            CleanupItem.objects.bulk_create(
                [
                    CleanupItem(campaign=campaign, document_id=doc_id, unit_id=org_id)
                    for doc_id, org_id in pairs[first : first + BATCH]
                ],
                ignore_conflicts=True,
            )
    with transaction.atomic():
        count = _count_progress(campaign)
        CleanupCampaign.objects.filter(pk=campaign.pk).update(
            status=CleanupCampaign.Status.READY, item_count=count, built_at=timezone.now()
        )
    campaign.status, campaign.item_count = CleanupCampaign.Status.READY, count
    return count


def _count_progress(campaign):
    """The per-unit counters, from the items (one grouped pass, at build time)."""
    rows = (
        CleanupItem.objects.filter(campaign=campaign)
        .values("unit_id")
        .annotate(
            total=Count("pk"),
            proposed=Count("pk", filter=~Q(proposed="")),
            decided=Count("pk", filter=~Q(decided="")),
        )
        .order_by()
    )
    CleanupProgress.objects.filter(campaign=campaign).delete()
    CleanupProgress.objects.bulk_create(CleanupProgress(campaign=campaign, **row) for row in rows)
    return sum(row["total"] for row in rows)


def _count(item, **fields):
    CleanupProgress.objects.filter(campaign_id=item.campaign_id, unit_id=item.unit_id).update(
        **{name: F(name) + 1 for name in fields}
    )


def _may_propose(item, user):
    return has_role(user, item.unit_id, Role.DRAFTER, Role.LEGAL_REVIEWER) or has_role(
        user, item.campaign.organisation_id, Role.LEGAL_REVIEWER
    )


def _may_decide(item, user):
    return has_role(user, item.campaign.organisation_id, Role.LEGAL_REVIEWER) or has_role(
        user, item.unit_id, Role.REGISTRAR
    )


def _open_item(item, by, may):
    item = CleanupItem.objects.select_for_update().select_related("campaign").get(pk=item.pk)
    if not may(item, by):
        raise NotPermitted(_("您没有权限办理该清理条目"))
    if item.campaign.status != CleanupCampaign.Status.READY:
        raise Refused(_("该清理不在进行中"))
    if item.decided:
        raise Refused(_("该文件的清理决定已经录入"))
    return item


def propose(item, *, by, outcome, note=""):
    """The unit's (or the legal division's) proposed outcome; changes no document."""
    if outcome not in CleanupOutcome.values:
        raise Refused(_("请选择清理意见"))
    note = (note or "").strip()
    if outcome != CleanupOutcome.CONTINUE and not note:
        raise Refused(_("拟修改、废止或宣布失效的，请填写理由"))
    with transaction.atomic():
        item = _open_item(item, by, _may_propose)
        if not item.proposed:
            _count(item, proposed=True)
        item.proposed, item.proposal_note, item.proposed_by = outcome, note, by
        item.save(update_fields=["proposed", "proposal_note", "proposed_by"])
    return item


def decide(
    item, *, by, outcome, decision_number="", reason="", ended_on=None, amended_by=None, on=None
):
    """Record the decision on one item. 废止 and 宣布失效 go through the end-of-validity
    actions (their checks, their audit event); 继续有效 and 修改 without the amending
    document record the decision as an audit event and change no date."""
    if outcome not in CleanupOutcome.values:
        raise Refused(_("请选择清理决定"))
    on = on or timezone.localdate()
    with transaction.atomic():
        item = _open_item(item, by, _may_decide)
        document = NormativeDocument.objects.get(pk=item.document_id)
        end = {"by": by, "ended_on": ended_on, "on": on, "system": True}  # role checked above
        if outcome == CleanupOutcome.DECLARE_INVALID:
            declare_invalid(document, decision_number=decision_number, reason=reason, **end)
        elif outcome == CleanupOutcome.REPEAL:
            repeal(document, reason=reason, decision_number=decision_number, **end)
        elif outcome == CleanupOutcome.AMEND and amended_by is not None:
            mark_amended(document, amended_by=amended_by, note=reason, **end)
        else:
            audit.record(
                action="cleanup_decision",
                document=document,
                actor=by,
                from_state=document.state,
                to_state=document.state,
                note=str(CleanupOutcome(outcome).label),
                data={"campaign": item.campaign_id, "outcome": outcome},
            )
        _count(item, decided=True)
        item.decided, item.decided_on, item.decided_by = outcome, on, by
        item.save(update_fields=["decided", "decided_on", "decided_by"])
    return item


def progress(campaign):
    """Per unit: documents, proposals made, decisions recorded (the kept counters)."""
    return list(
        CleanupProgress.objects.filter(campaign=campaign)
        .values("unit_id", "unit__name", "total", "proposed", "decided")
        .order_by("unit__name")
    )


def pending_campaigns():
    """Campaigns waiting for their items (the background job's work list)."""
    return CleanupCampaign.objects.filter(status=CleanupCampaign.Status.PENDING).order_by("pk")
