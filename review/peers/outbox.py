"""The outbox (issue 22): a package for a peer that has an address is queued by the
action that makes it — the filing (`file_with_authority`), the authority's decision on
a received filing (registration, conclusion, 复核), the correction report — in the
same transaction, as a FilingExchange row with status 待发送 and the package's bytes as
built then. `manage.py filing_push` (review.peers.push) sends what is due; nothing here
speaks HTTP. A peer without an address is reached by offline packages only.
"""

import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from ..models import FilingExchange
from . import outgoing
from .common import Direction, Kind, Status, peer_of


def _has_address(peer):
    return peer is not None and bool(peer.url)


def _queue(out):
    if not _has_address(out.peer):
        return None
    if FilingExchange.objects.filter(
        direction=Direction.SENT,
        peer=out.peer,
        idempotency_key=out.idempotency_key,
        status__in=(Status.QUEUED, Status.ACCEPTED),
    ).exists():
        return None  # this step is already on its way: once is enough
    content = out.build()
    return out.log(
        content,
        Status.QUEUED,
        package=ContentFile(content, name=f"{out.kind}-{out.idempotency_key[:16]}.zip"),
        next_attempt_at=timezone.now(),
    )


def filing_made(document, by):
    """After 报送备案: queued when the authority is on a peer with an address. A filing
    made here by a peer's service user is a received one and goes nowhere."""
    if hasattr(by, "filing_peer") or not _has_address(peer_of(document.organisation.files_with)):
        return None
    return _queue(outgoing.filing(document))


def decision_taken(document):
    """After the authority's registration decision, conclusion or 复核 on a received
    filing whose sender has an address."""
    received = outgoing.received_filing(document)
    if received is None or not _has_address(received.peer):
        return None
    return _queue(outgoing.decision(document))


def correction_reported(document):
    """After 报告纠正情况, when the filing went to a peer with an address."""
    if not _has_address(peer_of(document.organisation.files_with)):
        return None
    if outgoing.last_sent_filing(document) is None:
        return None  # filed before the peer was trusted: the report goes on paper too
    return _queue(outgoing.correction(document))


def retry_at(attempts, now):
    """When a push that has failed `attempts` times is tried again: exponential backoff
    from GUIFAN_PUSH_RETRY_SECONDS, doubling, capped at GUIFAN_PUSH_RETRY_MAX_SECONDS."""
    delay = settings.GUIFAN_PUSH_RETRY_SECONDS * 2 ** max(0, attempts - 1)
    return now + datetime.timedelta(seconds=min(delay, settings.GUIFAN_PUSH_RETRY_MAX_SECONDS))


def pushes(document):
    """What this side has pushed, or queued to push, for `document`, oldest first."""
    return list(
        document.exchanges.filter(direction=Direction.SENT)
        .exclude(status=Status.EXPORTED)
        .select_related("peer")
        .order_by("at", "pk")
    )


def pending_filing(pushed):
    """Of `pushed` (as `pushes` reads them), the filing push not yet accepted by the
    authority (queued, or refused there): its 报送 is not yet made in law, so the 报送
    deadline keeps running. None when the latest filing push was accepted."""
    filings = [row for row in pushed if row.kind == Kind.FILING]
    latest = filings[-1] if filings else None
    return latest if latest is not None and latest.status != Status.ACCEPTED else None
