"""发文字号 and 三统一登记号 (domain-rules §6).

Serials are per kind, prefix and year, taken under a row lock inside the
registering transaction: unique, gap-free, never reused. A registration that
rolls back gives its serial back, since the increment rolls back with it.
"""

from django.db import transaction
from django.db.models.constants import OnConflict

from .models import NumberSequence


def format_document_number(prefix, year, serial):
    """GB/T 9704-2012 7.2.4: 机关代字〔年份〕序号号, no 第, no leading zeros."""
    return f"{prefix}〔{year}〕{serial}号"


def format_registration_number(prefix, year, serial):
    """Shaanxi 三统一: 区域简称+规〔年〕+ three-digit serial restarting each year, no 号."""
    return f"{prefix}〔{year}〕{serial:03d}"


def next_serial(kind, prefix, year):
    """Take the next serial; must run inside the transaction that uses it.

    Two statements, written once per database: create the sequence when it is new
    (a conflict means another registration created it first), then increment it and
    read the new value in one UPDATE, which holds the row lock to the end of the
    registering transaction — the next registrar waits, then reads the next number."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError(
            "编号必须在登记事务内取得 (numbers are taken inside the registering transaction)"
        )
    create, increment = _statements(connection)
    with connection.cursor() as cursor:
        cursor.execute(create, [kind, prefix, year, 0])
        cursor.execute(increment, [kind, prefix, year])
        return cursor.fetchone()[0]


_STATEMENTS = {}


def _statements(connection):
    cached = _STATEMENTS.get(connection.alias)
    if cached is None:
        qn = connection.ops.quote_name
        meta = NumberSequence._meta
        table = qn(meta.db_table)
        kind, prefix, year, last = (
            qn(meta.get_field(name).column) for name in ("kind", "prefix", "year", "last")
        )
        fields = [meta.get_field(name) for name in ("kind", "prefix", "year")]
        insert = connection.ops.insert_statement(on_conflict=OnConflict.IGNORE)
        ignore = connection.ops.on_conflict_suffix_sql(fields, OnConflict.IGNORE, None, None)
        cached = _STATEMENTS[connection.alias] = (
            f"{insert} {table} ({kind}, {prefix}, {year}, {last}) VALUES (%s, %s, %s, %s) {ignore}".rstrip(),
            f"UPDATE {table} SET {last} = {last} + 1 WHERE {kind} = %s AND {prefix} = %s AND {year} = %s "
            f"RETURNING {last}",
        )
    return cached
