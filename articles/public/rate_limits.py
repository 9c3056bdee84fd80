"""Requests per client and time window, counted in the cache.

A limit guards the site against one client's flood; it must never lock
readers out because the cache fails. So a request goes on whenever the
count cannot be had: the cache raising (down, frozen, full) or answering
something that is no count (a fault-tolerant cache that returns defaults
instead of raising). Windows are fixed stretches of `seconds` on the clock,
so a client may send up to twice the limit across a window's end.
"""

import logging
import math
import time

from django.core.cache import cache
from django.http import HttpRequest

from newsroom.clients import client_address, pseudonym

logger = logging.getLogger(__name__)

# A cache outage would log on every request: once a minute per process is
# enough to be noticed.
LOG_EVERY_SECONDS = 60


class _LastWarning:
    at = -math.inf


def retry_after(request: HttpRequest, scope: str, *, limit: int, seconds: int) -> int:
    """Count the request against its client's `limit` per `seconds` in
    `scope`: 0 when it may go on, else the seconds until the window ends."""
    if limit <= 0 or seconds <= 0:
        return 0
    now = time.time()
    window = int(now // seconds)
    client = pseudonym(client_address(request), purpose=f"{__name__}.{scope}")
    key = f"rate:{scope}:{client}:{window}"
    try:
        cache.add(key, 0, timeout=seconds + 1)
        hits = cache.incr(key)
    except Exception:  # whatever the cache's failure, the reader goes on
        warn_unchecked(scope)
        return 0
    if not isinstance(hits, int) or hits <= limit:
        return 0
    return max(1, math.ceil((window + 1) * seconds - now))


def warn_unchecked(scope: str) -> None:
    now = time.monotonic()
    if now - _LastWarning.at >= LOG_EVERY_SECONDS:
        _LastWarning.at = now
        logger.warning("Rate limit %r not checked: the cache failed", scope)
