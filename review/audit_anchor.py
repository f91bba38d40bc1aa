"""Signed anchors of the audit chain, kept outside the database.

The hash chain (review.audit) shows that no event was changed *unless every later hash
was recomputed too*, which anyone with write access to the database can do. An anchor
closes that gap: `verify_audit` signs the chain's head — sequence number, head hash,
time and key id — with HMAC-SHA256 under a key the database does not hold, and appends
it to a store the database administrator cannot rewrite unnoticed (a directory on other
storage, mounted append-only; an append-only object store can be added as another
class with the same two methods). From then on, a change to any event at or before an
anchored sequence number changes that event's recomputed hash, which no longer matches
the anchor, and a forged anchor has no valid signature without the key.

Keys come from the environment as a mapping key id → secret (config/settings.py), so
an anchor signed with a retired key keeps verifying under its own id after a rotation.
"""

import datetime
import hashlib
import hmac
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string

ANCHOR_VERSION = 1


class AnchorMismatch(Exception):
    """An anchor that does not verify, or that the chain no longer matches."""

    def __init__(self, seq, reason):
        self.seq = seq
        self.reason = reason
        super().__init__(f"第 {seq} 号锚点：{reason}")


@dataclass(frozen=True)
class Anchor:
    seq: int
    head_hash: str
    at: str  # ISO 8601, UTC
    key_id: str
    signature: str = ""
    version: int = ANCHOR_VERSION

    def signed_content(self):
        fields = asdict(self)
        del fields["signature"]
        return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _keys():
    return {key_id: secret.encode("utf-8") for key_id, secret in settings.GUIFAN_AUDIT_KEYS.items()}


def _signature(key, anchor):
    return hmac.new(key, anchor.signed_content(), hashlib.sha256).hexdigest()


def sign(seq, head_hash, now=None):
    """The anchor of the head (seq, head_hash), signed with the current key."""
    key_id = settings.GUIFAN_AUDIT_KEY_ID
    key = _keys().get(key_id)
    if not key_id or key is None:
        raise AnchorMismatch(seq, "未配置审计链签名密钥 GUIFAN_AUDIT_KEY / GUIFAN_AUDIT_KEY_ID")
    moment = (now or datetime.datetime.now(datetime.UTC)).astimezone(datetime.UTC)
    unsigned = Anchor(
        seq=seq, head_hash=head_hash, at=moment.isoformat(timespec="seconds"), key_id=key_id
    )
    return Anchor(**{**asdict(unsigned), "signature": _signature(key, unsigned)})


def check_signature(anchor):
    key = _keys().get(anchor.key_id)
    if key is None:
        raise AnchorMismatch(anchor.seq, f"签名密钥 {anchor.key_id!r} 未配置，无法核验")
    if not hmac.compare_digest(_signature(key, anchor), anchor.signature):
        raise AnchorMismatch(anchor.seq, "签名无效（锚点被伪造或改写）")


class DirectoryAnchorStore:
    """One file per anchor in a directory, never overwritten (created with O_EXCL and
    synced). Mount the directory from other storage, append-only (`chattr +a` on the
    directory, or a WORM share), so the database administrator cannot rewrite it."""

    def __init__(self, path=None):
        self.path = Path(path or settings.GUIFAN_AUDIT_ANCHOR_DIR)

    def append(self, anchor):
        self.path.mkdir(parents=True, exist_ok=True)
        stamp = anchor.at.replace(":", "").replace("-", "").replace("+0000", "Z")
        name = self.path / f"anchor-{anchor.seq:012d}-{stamp}.json"
        body = json.dumps(asdict(anchor), sort_keys=True, indent=1).encode("utf-8")
        fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o444)
        try:
            os.write(fd, body + b"\n")
            os.fsync(fd)
        finally:
            os.close(fd)
        return name

    def anchors(self):
        """Every anchor, oldest first; an unreadable file is reported, not skipped."""
        if not self.path.is_dir():
            return []
        found = []
        for name in sorted(self.path.glob("anchor-*.json")):
            try:
                found.append(Anchor(**json.loads(name.read_text("utf-8"))))
            except (ValueError, TypeError) as exc:
                raise AnchorMismatch(0, f"锚点文件 {name.name} 无法读取：{exc}") from exc
        return sorted(found, key=lambda anchor: (anchor.seq, anchor.at))


def store():
    return import_string(settings.GUIFAN_AUDIT_ANCHOR_STORE)()


def check_anchors(anchors, hash_of):
    """Check each anchor's signature and that the chain still holds its head hash.
    `hash_of(seqs)` returns {seq: hash} of the stored events. Returns the latest anchor
    or None; raises AnchorMismatch at the first anchor that does not hold."""
    for anchor in anchors:
        check_signature(anchor)
    stored = hash_of({anchor.seq for anchor in anchors})
    for anchor in anchors:
        if anchor.seq not in stored:
            raise AnchorMismatch(anchor.seq, "锚定的记录已不在审计链上（记录被删除）")
        if stored[anchor.seq] != anchor.head_hash:
            raise AnchorMismatch(
                anchor.seq, "审计链在锚点处的哈希与签名锚点不符（锚点之前的记录被改写）"
            )
    return anchors[-1] if anchors else None
