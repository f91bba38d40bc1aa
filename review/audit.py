"""The audit trail: an append-only hash chain over every state change and action.

Each event's hash is SHA-256(previous hash + canonical JSON of its content). The
chain head is one locked row, so two events appended at the same moment are put
in order and never fork the chain (on SQLite the IMMEDIATE transaction mode gives
the same serialisation).
"""

import datetime
import functools
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


def _statements(connection):
    """The append's three statements, written once per database from the models' own
    table and column names. An action appends one event, so this is the hottest path
    of the system: the ORM would rebuild and recompile the same three statements on
    every call (about 1 ms here, against 0.1 ms for executing them)."""
    cached = _STATEMENTS.get(connection.vendor)
    if cached is None:
        qn = connection.ops.quote_name
        head = qn(AuditChainHead._meta.db_table)
        last_seq, last_hash, head_id = (
            qn(AuditChainHead._meta.get_field(name).column)
            for name in ("last_seq", "last_hash", "id")
        )
        table = qn(AuditEvent._meta.db_table)
        columns = ", ".join(qn(AuditEvent._meta.get_field(name).column) for name in _EVENT_FIELDS)
        placeholders = ", ".join(["%s"] * len(_EVENT_FIELDS))
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        returning = (
            f" RETURNING {qn(AuditEvent._meta.pk.column)}"
            if connection.features.can_return_columns_from_insert
            else ""
        )
        cached = _STATEMENTS[connection.vendor] = (
            f"SELECT {last_seq}, {last_hash} FROM {head} WHERE {head_id} = 1{lock}",
            f"INSERT INTO {table} ({columns}) VALUES ({placeholders}){returning}",
            f"UPDATE {head} SET {last_seq} = %s, {last_hash} = %s WHERE {head_id} = 1",
        )
    return cached


# Column order of the append, and of the rows verify() reads back.
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
_STATEMENTS = {}


@functools.cache
def _event_fields():
    return [AuditEvent._meta.get_field(name) for name in _EVENT_FIELDS]


def _locked_head(cursor, select_head):
    """The chain head, locked: (last_seq, last_hash). Migration 0002 creates it, but a
    flush (every transactional test does one) empties the table: create it again when
    it is missing. If events remain without a head, seq 1 collides and the append fails
    loudly rather than forking the chain."""
    cursor.execute(select_head)
    row = cursor.fetchone()
    if row is None:
        AuditChainHead.objects.bulk_create(
            [AuditChainHead(pk=1, last_seq=0, last_hash=GENESIS)], ignore_conflicts=True
        )
        cursor.execute(select_head)
        row = cursor.fetchone()
    return row


def record(*, action, document=None, actor=None, from_state="", to_state="", note="", data=None):
    """Append one event. Call inside the transaction of the change it records."""
    # As stored and read back: dates and other values become their JSON form.
    data = json.loads(json.dumps(data, ensure_ascii=False, default=str)) if data else {}
    connection = connections[router.db_for_write(AuditEvent)]
    select_head, insert_event, update_head = _statements(connection)
    # No savepoint of its own: an event stands or falls with the change it records.
    with transaction.atomic(using=connection.alias, savepoint=False), connection.cursor() as cursor:
        last_seq, last_hash = _locked_head(cursor, select_head)
        seq = last_seq + 1
        at = timezone.now()
        actor_name = _display_name(actor)
        content = canonical(
            seq=seq,
            document_id=document.pk if document else None,
            actor_id=actor.pk if actor else None,
            actor_name=actor_name,
            at=at,
            action=action,
            from_state=from_state,
            to_state=to_state,
            note=note,
            data=data,
        )
        digest = chain_hash(last_hash, content)
        event = AuditEvent(
            seq=seq,
            document=document,
            actor=actor,
            actor_name=actor_name,
            at=at,
            action=action,
            from_state=from_state or "",
            to_state=to_state or "",
            note=note or "",
            data=data,
            prev_hash=last_hash,
            hash=digest,
        )
        # The fields' own adaptation (datetime, JSON) keeps the stored bytes exactly
        # those an ORM save writes, which verify() recomputes.
        cursor.execute(
            insert_event,
            [
                field.get_db_prep_save(getattr(event, field.attname), connection)
                for field in _event_fields()
            ],
        )
        event.pk = (
            cursor.fetchone()[0]
            if connection.features.can_return_columns_from_insert
            else cursor.lastrowid
        )
        event._state.adding = False
        event._state.db = connection.alias
        cursor.execute(update_head, [seq, digest])
    return event


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
