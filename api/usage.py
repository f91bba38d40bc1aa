"""Requests per token per day, without a write per request (issue 21, part 2).

Each request adds one to a counter in the cache (`cache.incr`: atomic in Redis, and
under a lock in the local-memory cache). At most once a minute per token — whoever
first finds the token's "flushed lately" key absent (`cache.add`, atomic) — the
counter is moved into the token's row of the day: read n, take n off the counter
(`decr`, so requests counted meanwhile stay), add n to the row with one UPDATE
(a new row on the day's first flush). So a token used 1,000 times a minute writes
one row a minute, not 1,000. `manage.py flush_api_usage` moves what is left (run it
after midnight and before a restart); a cache that loses its keys loses at most the
last minute's count, never a row.
"""

import datetime

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import ApiToken, ApiTokenUsage

FLUSH_SECONDS = 60
KEEP_SECONDS = 3 * 24 * 3600  # a counter outlives its day long enough to be flushed


def _key(token_id, day):
    return f"api-usage:{token_id}:{day.isoformat()}"


def count(token, now=None):
    """One request made with `token`; flush its counters when a minute has passed."""
    day = timezone.localdate(now)
    key = _key(token.pk, day)
    if cache.add(key, 1, KEEP_SECONDS) is False:
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, KEEP_SECONDS)
    if cache.add(f"api-usage-flushed:{token.pk}", 1, FLUSH_SECONDS):
        flush(token.pk, day)


def _move(token_id, day):
    key = _key(token_id, day)
    n = cache.get(key) or 0
    if not n:
        return 0
    cache.decr(key, n)
    rows = ApiTokenUsage.objects.filter(token_id=token_id, day=day)
    if not rows.update(requests=F("requests") + n):
        try:
            with transaction.atomic():
                ApiTokenUsage.objects.create(token_id=token_id, day=day, requests=n)
        except IntegrityError:  # another process made the day's row first
            rows.update(requests=F("requests") + n)
    return n


def flush(token_id, day=None):
    """Move the token's counters of `day` and the day before into their rows."""
    day = day or timezone.localdate()
    return _move(token_id, day - datetime.timedelta(days=1)) + _move(token_id, day)


def flush_all(day=None):
    """Every token's counters (the command): returns the requests moved."""
    return sum(flush(pk, day) for pk in ApiToken.objects.values_list("pk", flat=True))
