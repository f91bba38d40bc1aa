"""What the package kinds share: the log's choices, idempotency keys, the peer of a body."""

import hashlib

from ..models import (
    FilingExchange,
    FilingPeer,
)
from . import keys

Kind = FilingExchange.Kind
Direction = FilingExchange.Direction
Status = FilingExchange.Status


def key_for(*parts):
    """An idempotency key: the same submission always gets the same key, so a retry or a
    second import of the same package is recognised on the other side."""
    return hashlib.sha256(
        ":".join(str(p) for p in (keys.own_key_id(), *parts)).encode()
    ).hexdigest()


def day(value):
    return value.isoformat() if value else None


def peer_of(organisation):
    """The trusted peer that speaks for `organisation` here, if it is on another server."""
    return FilingPeer.objects.filter(organisations=organisation, revoked_at__isnull=True).first()
