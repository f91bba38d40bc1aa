"""The audit trail: an append-only hash chain over every state change and action.

Each event's hash is SHA-256(previous hash + canonical JSON of its content). The
chain head is one locked row, so two events appended at the same moment are put
in order and never fork the chain (on SQLite the IMMEDIATE transaction mode gives
the same serialisation).
"""

import datetime
import hashlib
import json

from django.db import connections, router, transaction
from django.utils import timezone

from .models import AuditChainHead, AuditEvent

GENESIS = "0" * 64


def canonical(
    *, seq, document_id, actor_id, actor_name, at, action, from_state, to_state, note, data
):
    return json.dumps(
        {
            "seq": seq,
            "document": document_id,
            "actor": actor_id,
            "actor_name": actor_name,
            "at": at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
            "action": action,
            "from": from_state or "",
            "to": to_state or "",
            "note": note or "",
            "data": data or {},
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )


def chain_hash(prev_hash, content):
    return hashlib.sha256((prev_hash + content).encode("utf-8")).hexdigest()


def _display_name(user):
    if user is None:
        return "系统"
    return user.get_full_name() or user.get_username()


# Column order of the rows verify() reads back.
_EVENT_FIELDS = (
    "seq",
    "document_id",
    "actor_id",
    "actor_name",
    "at",
    "action",
    "from_state",
    "to_state",
    "note",
    "data",
    "prev_hash",
    "hash",
)


_RELATED = ("document_id", "actor_id")  # given as the instances themselves


def _locked_head(using):
    """The chain head, locked: (last_seq, last_hash). Migration 0002 creates it, but a
    flush (every transactional test does one) empties the table: create it again when
    it is missing. If events remain without a head, seq 1 collides and the append fails
    loudly rather than forking the chain."""
    heads = AuditChainHead.objects.using(using).select_for_update().filter(pk=1)
    row = heads.values_list("last_seq", "last_hash").first()
    if row is None:
        AuditChainHead.objects.using(using).bulk_create(
            [AuditChainHead(pk=1, last_seq=0, last_hash=GENESIS)], ignore_conflicts=True
        )
        row = heads.values_list("last_seq", "last_hash").first()
    return row


def record(*, action, document=None, actor=None, from_state="", to_state="", note="", data=None):
    """Append one event. Call inside the transaction of the change it records.

    A connection keeps the head it moved last. The append first tries to move the head
    on from it, in one UPDATE whose condition is that head (seq and hash): when nobody
    else appended since, that UPDATE is both the lock and the read. When somebody did
    (another process, a rolled-back transaction, a flushed test database) it matches no
    row, and the append reads and locks the head as usual. Either way the event's
    prev_hash is the hash the head holds under the lock, so the chain cannot fork; the
    kept head only saves the read."""
    # As stored and read back: dates and other values become their JSON form.
    data = json.loads(json.dumps(data, ensure_ascii=False, default=str)) if data else {}
    using = router.db_for_write(AuditEvent)
    connection = connections[using]
    content = {
        "document_id": document.pk if document else None,
        "actor_id": actor.pk if actor else None,
        "actor_name": _text(_display_name(actor)),
        "at": timezone.now(),
        "action": _text(action),
        "from_state": _text(from_state),
        "to_state": _text(to_state),
        "note": _text(note),
        "data": data,
    }
    heads = AuditChainHead.objects.using(using)
    # No savepoint of its own: an event stands or falls with the change it records.
    with transaction.atomic(using=using, savepoint=False):
        event = None
        known = getattr(connection, _HEAD_ATTRIBUTE, None)
        if known is not None:
            event = _following(known, content)
            # One filter() call: each call clones the query, and this runs per event.
            moved = heads.filter(pk=1, last_seq=known[0], last_hash=known[1]).update(
                last_seq=event["seq"], last_hash=event["hash"]
            )
            if moved != 1:
                event = None
        if event is None:
            event = _following(_locked_head(using), content)
            heads.filter(pk=1).update(last_seq=event["seq"], last_hash=event["hash"])
        stored = AuditEvent(
            **{name: event[name] for name in _EVENT_FIELDS if name not in _RELATED},
            document=document,
            actor=actor,
        )
        stored.save(using=using, _append=True)
    setattr(connection, _HEAD_ATTRIBUTE, (event["seq"], event["hash"]))
    return stored


def _text(value):
    """As a CharField stores it: text as given (a State member is text), anything else
    (a lazy translation) as its str(); nothing as ""."""
    if not value:
        return ""
    return value if isinstance(value, str) else str(value)


# Where a connection keeps the (seq, hash) it last moved the head to.
_HEAD_ATTRIBUTE = "_guifan_audit_head"


def _following(head, content):
    """The event after `head` = (last_seq, last_hash), by column name, hashed."""
    last_seq, last_hash = head
    seq = last_seq + 1
    digest = chain_hash(last_hash, canonical(seq=seq, **content))
    return {**content, "seq": seq, "prev_hash": last_hash, "hash": digest}


class ChainBroken(Exception):
    def __init__(self, seq, reason):
        self.seq = seq
        self.reason = reason
        super().__init__(f"审计链在第 {seq} 号记录处断裂：{reason}")


def verify(chunk_size=5000):
    """Walk the chain in order; return the number of events, or raise ChainBroken
    naming the first event that does not match."""
    # The head first: an event and the head's update commit together, so every event up
    # to this head is visible to the walk, and events appended while we walk are not
    # mistaken for tampering.
    head = AuditChainHead.objects.filter(pk=1).values_list("last_seq", "last_hash").first()
    prev = GENESIS
    hash_at_head = GENESIS
    expected_seq = 1
    rows = AuditEvent.objects.order_by("seq").values_list(*_EVENT_FIELDS)
    count = 0
    for (
        seq,
        doc_id,
        actor_id,
        actor_name,
        at,
        action,
        from_s,
        to_s,
        note,
        data,
        prev_hash,
        digest,
    ) in rows.iterator(chunk_size=chunk_size):
        if seq != expected_seq:
            raise ChainBroken(expected_seq, f"缺少第 {expected_seq} 号记录（下一条为第 {seq} 号）")
        if prev_hash != prev:
            raise ChainBroken(seq, "前一条哈希不符（记录被删除、插入或改写）")
        content = canonical(
            seq=seq,
            document_id=doc_id,
            actor_id=actor_id,
            actor_name=actor_name,
            at=at,
            action=action,
            from_state=from_s,
            to_state=to_s,
            note=note,
            data=data,
        )
        if chain_hash(prev, content) != digest:
            raise ChainBroken(seq, "内容与哈希不符（记录被篡改）")
        prev = digest
        if head and seq == head[0]:
            hash_at_head = digest
        expected_seq += 1
        count += 1
    if head:
        if count < head[0]:
            raise ChainBroken(
                count + 1, f"链头记录为第 {head[0]} 号，但链上只有 {count} 条（末尾记录被删除）"
            )
        if hash_at_head != head[1]:
            raise ChainBroken(head[0], "链头哈希与该条记录不符（末尾记录被删除或改写）")
        head_now = (
            AuditChainHead.objects.filter(pk=1).values_list("last_seq", flat=True).first() or 0
        )
        if count > head_now:
            raise ChainBroken(
                head_now + 1, f"链头记录为第 {head_now} 号，其后却有记录（记录被插入）"
            )
    return count
