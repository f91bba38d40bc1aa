"""seed_demo's 清理 (domain-rules §8): one campaign opened by the demo legal division
over its body's documents in force today, built as the background job builds it, so
that 评估与清理 has something to show. Idempotent: an existing campaign of the same
title is left alone."""

from django.utils import timezone

from review import actions
from review.models import CleanupCampaign, Membership, Role

TITLE = "2026年规范性文件全面清理（演示）"


def seed(command):
    if CleanupCampaign.objects.filter(title=TITLE).exists():
        command.skipped(f"清理 {TITLE}")
        return
    membership = (
        Membership.objects.filter(user__username="legal", role=Role.LEGAL_REVIEWER)
        .select_related("organisation", "user")
        .first()
    )
    if membership is None:
        return
    campaign = actions.open_campaign(
        membership.organisation,
        by=membership.user,
        title=TITLE,
        in_force_on=timezone.localdate(),
    )
    count = actions.build_campaign(campaign)
    command.created(f"清理 {TITLE}（{count} 件）")
