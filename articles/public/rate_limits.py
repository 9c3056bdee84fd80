"""Requests per client, counted in the cache: per time window, and running
at once.

A limit guards the site against one client's flood; it must never lock
readers out because the cache fails. So a request goes on whenever the
count cannot be had: the cache raising (down, frozen, full) or answering
something that is no count (a fault-tolerant cache that returns defaults
instead of raising). Windows are fixed stretches of `seconds` on the clock,
so a client may send up to twice the limit across a window's end.

A refusal must cost less than what it protects: a client over its limit is
remembered by each web process until its window ends, and refused again
without asking the cache.
"""

import contextlib
import logging
import math
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Iterator

from django.core.cache import cache
from django.http import HttpRequest

from newsroom.clients import client_address, pseudonym

logger = logging.getLogger(__name__)

# A cache outage or a flood would log on every request: once a minute per
# process is enough to be noticed.
LOG_EVERY_SECONDS = 60
# Clients over a limit each process remembers (about 100 bytes each).
REMEMBERED_CLIENTS = 10_000


class _Refused:
    """Per process: clients over their limit, by cache key, until when."""

    lock = threading.Lock()
    until: OrderedDict[str, float] = OrderedDict()

    @classmethod
    def remaining(cls, key: str, now: float) -> float:
        until = cls.until.get(key, 0.0)
        return until - now

    @classmethod
    def remember(cls, key: str, until: float) -> None:
        with cls.lock:
            cls.until[key] = until
            while len(cls.until) > REMEMBERED_CLIENTS:
                cls.until.popitem(last=False)


def retry_after(request: HttpRequest, scope: str, *, limit: int, seconds: int) -> int:
    """Count the request against its client's `limit` per `seconds` in
    `scope`: 0 when it may go on, else the seconds until the window ends."""
    if limit <= 0 or seconds <= 0:
        return 0
    now = time.time()
    window = int(now // seconds)
    client = pseudonym(client_address(request), purpose=f"{__name__}.{scope}")
    key = f"rate:{scope}:{client}:{window}"
    if (remaining := _Refused.remaining(key, now)) > 0:
        return math.ceil(remaining)
    hits = count_up(key, timeout=seconds + 1, scope=scope)
    if hits is None or hits <= limit:
        return 0
    window_end = (window + 1) * seconds
    _Refused.remember(key, window_end)
    return max(1, math.ceil(window_end - now))


@contextlib.contextmanager
def running_at_once(
    scope: str, *, limit: int, expires: int, request: HttpRequest | None = None
) -> Iterator[bool]:
    """Whether at most `limit` requests of `scope` are running, this one
    included: of the request's client, or without `request` of all clients.
    The request counts until the block ends.

    A count left by a process killed mid-request lapses `expires` seconds
    after the first request of a run.
    """
    if limit <= 0:
        yield True
        return
    key = f"running:{scope}"
    if request is not None:
        key += ":" + pseudonym(client_address(request), purpose=f"{__name__}.{scope}")
    running = count_up(key, timeout=expires, scope=scope)
    try:
        yield running is None or running <= limit
    finally:
        if running is not None:
            with contextlib.suppress(Exception):  # lapsed, or the cache failed
                cache.decr(key)


def count_up(key: str, *, timeout: int, scope: str) -> int | None:
    """The key's count plus one, or None when the cache cannot count."""
    try:
        cache.add(key, 0, timeout=timeout)
        count = cache.incr(key)
    except Exception:  # whatever the cache's failure, the reader goes on
        _log_at_most_every_minute(
            "unchecked", "Limits of %r not checked: the cache failed", scope
        )
        return None
    return count if isinstance(count, int) else None


class _Logged:
    lock = threading.Lock()
    at: dict[str, float] = {}
    refused: Counter = Counter()


def note_refused(scope: str) -> None:
    """Log how many requests of `scope` this process refused, once a minute
    (Django's own log line per refused request is filtered out in settings:
    it would flood the log under exactly the flood that is refused)."""
    with _Logged.lock:
        _Logged.refused[scope] += 1
    _log_at_most_every_minute(
        f"refused:{scope}",
        "Refused %s request(s) of %r over their limits since the last report",
        lambda: _take_refused(scope),
        scope,
    )


def _take_refused(scope: str) -> int:
    with _Logged.lock:
        return _Logged.refused.pop(scope, 0)


def _log_at_most_every_minute(topic: str, message: str, *args) -> None:
    now = time.monotonic()
    with _Logged.lock:
        if now - _Logged.at.get(topic, -math.inf) < LOG_EVERY_SECONDS:
            return
        _Logged.at[topic] = now
    logger.warning(message, *(arg() if callable(arg) else arg for arg in args))
