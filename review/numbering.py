"""发文字号 and 三统一登记号 (domain-rules §6).

Serials are per kind, prefix and year, taken under a row lock inside the
registering transaction: unique, gap-free, never reused. A registration that
rolls back gives its serial back, since the increment rolls back with it.
"""

import re

from django.db import transaction

from .models import NumberSequence

# GB/T 9704-2012 7.2.4: 机关代字〔年份〕序号号 — hexagonal brackets, no 第, no leading zeros.
DOCUMENT_NUMBER = re.compile(r"^(?P<prefix>[^〔〕\s]+)〔(?P<year>[0-9]{4})〕(?P<serial>[0-9]+)号$")
# Shaanxi 三统一: 区域简称+规〔年份〕+ three-digit serial, no 号.
REGISTRATION_NUMBER = re.compile(
    r"^(?P<prefix>[^〔〕\s]+)〔(?P<year>[0-9]{4})〕(?P<serial>[0-9]+)$"
)
WRONG_BRACKETS = re.compile(r"[\[\]［］()（）【】{}｛｝〈〉<>]")


# Lookalikes of the 六角括号 〔〕 that hand-kept registers and 公文 systems use (small
# form variants, white tortoise shells): the same bracket to a reader, so normalised.
# Square, round and 【】 brackets are different marks and are refused, not fixed.
_BRACKET_TWINS = str.maketrans(
    {"﹝": "〔", "﹞": "〕", "〘": "〔", "〙": "〕", "❲": "〔", "❳": "〕"}
)
# Full-width digits ０-９ (an Excel cell typed with a Chinese input method).
_FULL_WIDTH_DIGITS = str.maketrans({chr(0xFF10 + i): str(i) for i in range(10)})


def normalise_number(text):
    """A 文号 or 登记号 as typed, in its one written form: full-width digits and
    bracket lookalikes replaced, spaces (half or full width) removed."""
    text = (text or "").translate(_FULL_WIDTH_DIGITS).translate(_BRACKET_TWINS)
    return "".join(text.split())


def parse_document_number(text):
    """(机关代字, year, serial) of a 发文字号, or ValueError saying what is wrong."""
    example = "应为 机关代字〔年份〕序号号，如 安民发〔2020〕5号"
    if re.search(r"第\s*\d", text):
        raise ValueError(f"发文字号“{text}”不应加“第”字（GB/T 9704：{example}）")
    if "〔" not in text and WRONG_BRACKETS.search(text):
        raise ValueError(f"发文字号“{text}”的年份应使用六角括号〔〕（{example}）")
    match = DOCUMENT_NUMBER.match(text)
    if not match:
        raise ValueError(f"发文字号“{text}”格式不正确（{example}）")
    serial = match["serial"]
    if serial.startswith("0"):
        raise ValueError(f"发文字号“{text}”的序号不应编虚位（不加前导 0，如 5号 而非 05号）")
    return match["prefix"], int(match["year"]), int(serial)


def parse_registration_number(text):
    """(prefix, year, serial) of a 三统一登记号, or ValueError."""
    example = "应为 区域简称+规〔年份〕三位序号，如 安规〔2020〕001"
    if "〔" not in text and WRONG_BRACKETS.search(text):
        raise ValueError(f"登记号“{text}”的年份应使用六角括号〔〕（{example}）")
    match = REGISTRATION_NUMBER.match(text)
    if not match:
        raise ValueError(f"登记号“{text}”格式不正确（{example}）")
    prefix, year, serial = match["prefix"], int(match["year"]), int(match["serial"])
    if serial == 0 or format_registration_number(prefix, year, serial) != text:
        raise ValueError(f"登记号“{text}”的序号应为三位数字，从 001 起（{example}）")
    return prefix, year, serial


def format_document_number(prefix, year, serial):
    """GB/T 9704-2012 7.2.4: 机关代字〔年份〕序号号, no 第, no leading zeros."""
    return f"{prefix}〔{year}〕{serial}号"


def format_registration_number(prefix, year, serial):
    """Shaanxi 三统一: 区域简称+规〔年〕+ three-digit serial restarting each year, no 号."""
    return f"{prefix}〔{year}〕{serial:03d}"


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
