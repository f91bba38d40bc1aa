"""发文字号 and 三统一登记号 (domain-rules §6).

Serials are per kind, prefix and year, taken under a row lock inside the
registering transaction: unique, gap-free, never reused. A registration that
rolls back gives its serial back, since the increment rolls back with it.
"""

from django.db import transaction
from django.db.models import F

from .models import NumberSequence


def format_document_number(prefix, year, serial):
    """GB/T 9704-2012 7.2.4: 机关代字〔年份〕序号号, no 第, no leading zeros."""
    return f"{prefix}〔{year}〕{serial}号"


def format_registration_number(prefix, year, serial):
    """Shaanxi 三统一: 区域简称+规〔年〕+ three-digit serial restarting each year, no 号."""
    return f"{prefix}〔{year}〕{serial:03d}"


def next_serial(kind, prefix, year):
    """Take the next serial; must run inside the transaction that uses it."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("编号必须在登记事务内取得 (numbers are taken inside the registering transaction)")
    NumberSequence.objects.bulk_create(
        [NumberSequence(kind=kind, prefix=prefix, year=year, last=0)], ignore_conflicts=True
    )
    sequence = NumberSequence.objects.select_for_update().get(kind=kind, prefix=prefix, year=year)
    NumberSequence.objects.filter(pk=sequence.pk).update(last=F("last") + 1)
    return sequence.last + 1
