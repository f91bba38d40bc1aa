"""Fixed-window rate limits on public submissions, kept in Django's cache.

Settings (with their defaults):

- GUIFAN_COMMENT_RATELIMIT = True: False turns the limits off (the benchmark does).
- GUIFAN_COMMENT_RATE_PER_IP = (30, 3600): submissions per address per window (seconds).
- GUIFAN_COMMENT_RATE_PER_IP_DOCUMENT = (10, 600): per address and document.
- GUIFAN_TRUSTED_PROXIES = []: addresses of our own reverse proxies. Only when the
  request comes from one of them is X-Forwarded-For read, taking the right-most
  address that is not a trusted proxy; otherwise the header is ignored (anyone can
  send it).

With no CACHES configured the cache is a LocMemCache per process: with several
workers each counts alone, so the effective limit is the limit times the workers.
Configure a shared cache (Redis, memcached, database) to make it exact.
"""

import time

from django.conf import settings
from django.core.cache import cache

from config.requestlog import client_address

__all__ = ["check_comment", "client_address", "enabled"]


def enabled():
    return getattr(settings, "GUIFAN_COMMENT_RATELIMIT", True)


def _hit(key, limit, window, now):
    """Count one hit in the current window; return seconds to wait if over the limit, else 0."""
    slot = int(now // window)
    name = f"guifan-rl:{key}:{slot}"
    if cache.add(name, 1, timeout=window + 1):
        count = 1
    else:
        try:
            count = cache.incr(name)
        except ValueError:  # expired between add and incr
            cache.add(name, 1, timeout=window + 1)
            count = 1
    if count > limit:
        return int((slot + 1) * window - now) + 1
    return 0


def check_comment(address, document_id, now=None):
    """Count a submission attempt; return 0 when allowed, else the seconds to wait."""
    if not enabled():
        return 0
    now = time.time() if now is None else now
    per_ip = getattr(settings, "GUIFAN_COMMENT_RATE_PER_IP", (30, 3600))
    per_doc = getattr(settings, "GUIFAN_COMMENT_RATE_PER_IP_DOCUMENT", (10, 600))
    wait = _hit(f"ip-doc:{address}:{document_id}", per_doc[0], per_doc[1], now)
    return max(wait, _hit(f"ip:{address}", per_ip[0], per_ip[1], now))
