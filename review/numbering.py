"""发文字号 and 三统一登记号 (domain-rules §6).

Serials are per kind, prefix and year, taken under a row lock inside the
registering transaction: unique, gap-free, never reused. A registration that
rolls back gives its serial back, since the increment rolls back with it.
"""

from django.db import transaction

from .models import NumberSequence
from .number_text import (  # noqa: F401  (numbering's names for them)
    DOCUMENT_NUMBER,
    REGISTRATION_NUMBER,
    WRONG_BRACKETS,
    format_document_number,
    format_registration_number,
    normalise_number,
    parse_document_number,
    parse_registration_number,
)


def next_serial(kind, prefix, year):
    """Take the next serial; must run inside the transaction that uses it.

    Raw SQL because the ORM cannot say it: an upsert whose conflict branch increments
    the stored value and that returns the value it leaves (bulk_create's
    update_conflicts only copies the new row's values, and returns none on SQLite).
    One statement, written once per database: an upsert that creates the sequence at 1
    when it is new and otherwise increments it, returning the new value. Its write
    holds the row lock to the end of the registering transaction: the next registrar
    waits, then reads the next number. A first registration racing another one for a
    new sequence meets the other's row through the conflict and increments it."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError(
            "编号必须在登记事务内取得 (numbers are taken inside the registering transaction)"
        )
    with connection.cursor() as cursor:
        cursor.execute(_statement(connection), [kind, prefix, year])
        return cursor.fetchone()[0]


_STATEMENTS = {}


def _statement(connection):
    cached = _STATEMENTS.get(connection.alias)
    if cached is None:
        qn = connection.ops.quote_name
        meta = NumberSequence._meta
        table = qn(meta.db_table)
        kind, prefix, year, last = (
            qn(meta.get_field(name).column) for name in ("kind", "prefix", "year", "last")
        )
        cached = _STATEMENTS[connection.alias] = (
            f"INSERT INTO {table} ({kind}, {prefix}, {year}, {last}) VALUES (%s, %s, %s, 1) "
            f"ON CONFLICT ({kind}, {prefix}, {year}) DO UPDATE SET {last} = {table}.{last} + 1 "
            f"RETURNING {last}"
        )
    return cached


def peek_serial(kind, prefix, year):
    """The serial next_serial would take now, only read: nothing is taken or locked,
    so a registration meanwhile may take it first (the page calls it a preview)."""
    last = (
        NumberSequence.objects.filter(kind=kind, prefix=prefix, year=year)
        .values_list("last", flat=True)
        .first()
    )
    return (last or 0) + 1


def preview(document, on):
    """(发文字号, 登记号) that registering `document` on `on` would issue now, as
    actions.register_and_number forms them; read-only."""
    prefix = document.organisation.issuing_code
    reg_prefix = document.settings.registration_prefix
    year = on.year
    serial = peek_serial(NumberSequence.Kind.DOCUMENT_NUMBER, prefix, year)
    reg_serial = peek_serial(NumberSequence.Kind.REGISTRATION_NUMBER, reg_prefix, year)
    return (
        format_document_number(prefix, year, serial),
        format_registration_number(reg_prefix, year, reg_serial),
    )
