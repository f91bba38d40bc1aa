"""The audit trail: an append-only hash chain over every state change and action.

Each event's hash is SHA-256(previous hash + canonical JSON of its content). The
chain head is one locked row, so two events appended at the same moment are put
in order and never fork the chain (on SQLite the IMMEDIATE transaction mode gives
the same serialisation). verify_audit signs the head into anchors kept outside the
database (review.audit_anchor), so that rewriting an event and every later hash is
detected too.

The content must survive a copy: Django's JSON serialiser (dumpdata) keeps a time to
the millisecond only. Events are therefore stamped to the millisecond, and their
canonical form is the same before and after a dumpdata/loaddata round trip. Events
written before that (stamped to the microsecond) verify as they are in the database
they were written to; in a JSON copy, where the last three digits were cut, they
verify by finding the digits that give the stored hash (docs/upgrade.md).
"""

import contextlib
import contextvars
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


# (delegate, principal) while a delegate acts on the principal's task (代理).
_ON_BEHALF = contextvars.ContextVar("guifan_audit_on_behalf", default=None)


@contextlib.contextmanager
def on_behalf(delegate, principal):
    """While inside, an event whose actor is `principal` is recorded as done by
    `delegate` on the principal's behalf: the actor is who acted, and its data names
    the principal (on_behalf_of, on_behalf_of_name). Both names are in the chain."""
    token = _ON_BEHALF.set((delegate, principal))
    try:
        yield
    finally:
        _ON_BEHALF.reset(token)


def _delegated(actor, data):
    acting = _ON_BEHALF.get()
    if acting is None or actor is None or actor.pk != acting[1].pk:
        return actor, data
    delegate, principal = acting
    return delegate, {
        **(data or {}),
        "on_behalf_of": principal.pk,
        "on_behalf_of_name": _display_name(principal),
    }


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
    actor, data = _delegated(actor, data)
    # As stored and read back: dates and other values become their JSON form.
    data = json.loads(json.dumps(data, ensure_ascii=False, default=str)) if data else {}
    using = router.db_for_write(AuditEvent)
    connection = connections[using]
    content = {
        "document_id": document.pk if document else None,
        "actor_id": actor.pk if actor else None,
        "actor_name": _text(_display_name(actor)),
        "at": _to_the_millisecond(timezone.now()),
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


def _to_the_millisecond(moment):
    """What a JSON copy keeps of a time (DjangoJSONEncoder cuts the microseconds)."""
    return moment.replace(microsecond=moment.microsecond - moment.microsecond % 1000)


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
    return verify_chain(chunk_size)[0]


def verify_chain(chunk_size=5000):
    """Walk the chain in order; return (number of events, (head seq, head hash)) with
    the head as read before the walk (None when the chain is empty), or raise
    ChainBroken naming the first event that does not match."""
    # The head first: an event and the head's update commit together, so every event up
    # to this head is visible to the walk, and events appended while we walk are not
    # mistaken for tampering.
    head = AuditChainHead.objects.filter(pk=1).values_list("last_seq", "last_hash").first()
    prev = GENESIS
    hash_at_head = GENESIS
    expected_seq = 1
    rows = AuditEvent.objects.order_by("seq").values_list(*_EVENT_FIELDS)
    count = 0
    for row in rows.iterator(chunk_size=chunk_size):
        fields = dict(zip(_EVENT_FIELDS, row, strict=True))
        seq, prev_hash, digest = fields.pop("seq"), fields.pop("prev_hash"), fields.pop("hash")
        if seq != expected_seq:
            raise ChainBroken(expected_seq, f"缺少第 {expected_seq} 号记录（下一条为第 {seq} 号）")
        if prev_hash != prev:
            raise ChainBroken(seq, "前一条哈希不符（记录被删除、插入或改写）")
        if not _hashes_to(digest, prev, seq, fields):
            raise ChainBroken(seq, "内容与哈希不符（记录被篡改）")
        prev = digest
        if head and seq == head[0]:
            hash_at_head = digest
        expected_seq += 1
        count += 1
    if head:
        _check_head(head, count, hash_at_head)
    return count, (head if head and head[0] else None)


def _hashes_to(digest, prev, seq, fields):
    """Whether the event's content gives its stored hash. An event stamped to the
    microsecond (before events were stamped to the millisecond) that was copied through
    JSON has lost the last three digits of its time: then try the thousand times it may
    have had. Finding one proves the rest of the content unchanged; only those three
    digits, which the copy discarded, go unchecked."""
    if chain_hash(prev, canonical(seq=seq, **fields)) == digest:
        return True
    at = fields["at"]
    if at.microsecond % 1000:
        return False
    for lost in range(1, 1000):
        candidate = {**fields, "at": at.replace(microsecond=at.microsecond + lost)}
        if chain_hash(prev, canonical(seq=seq, **candidate)) == digest:
            return True
    return False


def _check_head(head, count, hash_at_head):
    if count < head[0]:
        raise ChainBroken(
            count + 1, f"链头记录为第 {head[0]} 号，但链上只有 {count} 条（末尾记录被删除）"
        )
    if hash_at_head != head[1]:
        raise ChainBroken(head[0], "链头哈希与该条记录不符（末尾记录被删除或改写）")
    head_now = AuditChainHead.objects.filter(pk=1).values_list("last_seq", flat=True).first() or 0
    if count > head_now:
        raise ChainBroken(head_now + 1, f"链头记录为第 {head_now} 号，其后却有记录（记录被插入）")


def hashes_at(seqs, chunk=500):
    """{seq: hash} of the stored events with these sequence numbers."""
    seqs = sorted(seqs)
    found = {}
    for start in range(0, len(seqs), chunk):
        part = seqs[start : start + chunk]
        found.update(AuditEvent.objects.filter(seq__in=part).values_list("seq", "hash"))
    return found
