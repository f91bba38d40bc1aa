"""A fingerprint of everything `compute()` reads, cheap to take (a few small tables
and the audit chain's head), so that a page may keep a drawn chart until the figures
under it change.

Every change to a document, its publication, filing, review, correction or
escalation is an audited action, and each audited action moves the audit chain's
head (its hash covers the event); the bodies, their jurisdiction settings and the
holiday calendar are small tables read whole. Together with the day the figures
are judged on, equal fingerprints mean equal reports."""

import hashlib

from ...models import (
    AuditChainHead,
    CalendarOverride,
    CalendarYear,
    JurisdictionSettings,
    Organisation,
)
from .figures import ORG_COLUMNS


def inputs_stamp(today) -> str:
    digest = hashlib.sha256(str(today).encode())
    rows = [
        AuditChainHead.objects.values_list("last_seq", "last_hash"),
        Organisation.objects.order_by("pk").values_list(*ORG_COLUMNS),
        JurisdictionSettings.objects.order_by("pk").values_list(),
        CalendarOverride.objects.order_by("pk").values_list(),
        CalendarYear.objects.order_by("pk").values_list(),
    ]
    for queryset in rows:
        digest.update(repr(list(queryset)).encode())
    return digest.hexdigest()[:32]
