"""Receiving any package (issue 22): read and check it, find the trusted peer that
signed it, apply it once, log it.

The kinds live in their own modules: `filing` (the body's filing goes up; the
authority keeps a read-only copy filed on the day of acceptance, the legal 报送 date),
`decision` (the authority's registration decision and review conclusion come back
and move the body's document), `correction` (the body's correction report goes up
again). A peer acts through its service user, so each goes through the same actions,
guards and audit chain as a local person's.

Every package, accepted, repeated or refused, leaves a FilingExchange row; a refusal's
row is written after the failed transaction has rolled back, so it survives it.
"""

import hashlib

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import NotPermitted, Refused
from ..models import (
    FilingExchange,
    FilingPeer,
)
from . import correction, decision, filing, keys, package
from .common import Direction, Kind, Status
from .package import PackageRefused

# --- receiving any package ------------------------------------------------------------------


class SenderRefused(PackageRefused):
    """The sender is not trusted here (unknown or revoked key, or a signature that does
    not verify): the API answers 403 rather than 400."""


def _trusted_peer(pkg):
    peer = FilingPeer.objects.filter(key_id=pkg.sender).first()
    if peer is None:
        raise SenderRefused(_("发送方的公钥未获信任（指纹 %(id)s）") % {"id": pkg.sender[:16]})
    if peer.revoked_at is not None:
        raise SenderRefused(_("发送方“%(name)s”的信任已撤销") % {"name": peer.name})
    if not keys.verifies(peer.public_key, pkg.signature, pkg.manifest_bytes):
        raise SenderRefused(
            _("包的签名无效：内容在签名后被改动，或并非由“%(name)s”签发") % {"name": peer.name}
        )
    return peer


def _log(pkg, peer, status, *, data, document=None, detail="", accepted_on=None, remote_id=""):
    return FilingExchange.objects.create(
        direction=Direction.RECEIVED,
        kind=pkg.kind if pkg and pkg.kind in Kind.values else Kind.FILING,
        status=status,
        peer=peer,
        document=document,
        remote_id=remote_id,
        idempotency_key=(pkg.idempotency_key if pkg else "")[:64],
        package_sha256=hashlib.sha256(data).hexdigest(),
        accepted_on=accepted_on,
        detail=detail,
    )


def receive(data, *, today=None):
    """Check and apply one package; returns its FilingExchange row (accepted or duplicate).
    A refusal raises PackageRefused/Refused after logging it, and changes nothing else."""
    today = today or timezone.localdate()
    pkg = peer = None
    try:
        pkg = package.read(data)
        peer = _trusted_peer(pkg)
        with transaction.atomic():
            earlier = FilingExchange.objects.filter(
                direction=Direction.RECEIVED,
                peer=peer,
                idempotency_key=pkg.idempotency_key,
                status=Status.ACCEPTED,
            ).first()
            if earlier is not None:
                return _log(
                    pkg,
                    peer,
                    Status.DUPLICATE,
                    data=data,
                    document=earlier.document,
                    remote_id=earlier.remote_id,
                    accepted_on=earlier.accepted_on,  # a retry gets the first answer
                    detail=_("重复提交：已于 %(on)s 接收，未重复处理")
                    % {"on": earlier.accepted_on},
                )
            if pkg.kind == Kind.FILING:
                document, remote_id = filing.receive(pkg, peer, today)
            elif pkg.kind == Kind.DECISION:
                document, remote_id = decision.receive(pkg, peer, today)
            elif pkg.kind == Kind.CORRECTION:
                document, remote_id = correction.receive(pkg, peer, today)
            else:
                raise PackageRefused(_("未知的包类型：%(k)s") % {"k": pkg.kind})
            return _log(
                pkg,
                peer,
                Status.ACCEPTED,
                data=data,
                document=document,
                accepted_on=today,
                remote_id=remote_id,
            )
    except (Refused, NotPermitted) as refusal:
        _log(pkg, peer, Status.REFUSED, data=data, detail=str(refusal))
        raise


def answer(row):
    """What the sender is told of an accepted or repeated package (the API's reply): a
    retry after a lost reply gets the same date and document as the first acceptance."""
    return {
        "status": row.status,
        "kind": row.kind,
        "idempotency_key": row.idempotency_key,
        "accepted_on": row.accepted_on.isoformat() if row.accepted_on else None,
        "document_id": str(row.document_id) if row.document_id else "",
    }
