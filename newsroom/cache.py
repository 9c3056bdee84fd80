"""Django's Redis cache backend, answering while Redis cannot.

The cache only saves work: a page, fragment or presence note not found is
built or left out. So every operation that cannot reach Redis (refused,
timed out, or answered with an error) counts as a miss, or as a write that
did not happen, instead of failing the request:

- Every socket operation gives up after NEWSROOM_REDIS_TIMEOUT_SECONDS, also
  the connect (redis-py waits 5 s by default, and for ever before 6.0).
- After a failure the cache counts as absent for NEWSROOM_REDIS_RETRY_SECONDS:
  the other operations of the request, and the next requests, do not wait
  for the timeout again. Then one operation tries again.
- A warning is logged at the first failure and then at most once per
  NEWSROOM_REDIS_WARNING_SECONDS, with the number of failures since.
- Redis may come back holding what it held before (thawed from a freeze,
  restarted from its snapshot) while writes to it were lost, among them the
  purges of editorial writes. So a backend that saw a failure sends
  `reachable_again` when Redis answers again, before the operation that
  found it back (or any other) reads from it; the page cache moves its
  generation there (articles/purging.py). Until every receiver got through,
  the cache stays absent.

The state is the backend instance's: Django makes one per thread, each
notices an outage and recovers by itself (a recovery more is one purge more).
With NEWSROOM_FAST_PATH on, the client is reused (newsroom/perf/).
"""

import logging
import pickle
import threading
import time
from urllib.parse import urlsplit

import redis
from django.conf import settings
from django.core.cache.backends import redis as django_redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.dispatch import Signal
from django.utils.functional import cached_property

from newsroom.perf.redis_cache import ReusingRedisCacheClient

logger = logging.getLogger(__name__)

# What unpickling a value stored by other code can raise.
UNREADABLE = (pickle.UnpicklingError, ImportError, AttributeError, EOFError)

# Sent with `cache` (the backend) when Redis answers again after this
# backend failed to reach it; receivers may use the cache, and the cache is
# used by nobody else until they return.
reachable_again = Signal()


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
        self._lock = threading.Lock()
        self._recovering = threading.Lock()
        self._recovering_thread: int | None = None
        # Monotonic seconds until which the cache counts as absent.
        self._absent_until = 0.0
        self._failures = 0
        self._owes_recovery = False
        self._failed_since: float | None = None
        self._warned_at: float | None = None
        self._failures_unreported = 0

    @cached_property
    def _cache(self):
        # Read on first use (not at import): tests and deployments set it.
        timeout = settings.NEWSROOM_REDIS_TIMEOUT_SECONDS
        options = {
            "socket_timeout": timeout,
            "socket_connect_timeout": timeout,
            **self._options,
        }
        return self._class(self._servers, **options)

    @cached_property
    def _address(self) -> str:
        """The server as logs name it: without its password."""
        parts = urlsplit(self._servers[0])
        return parts.netloc.rpartition("@")[2] + parts.path

    # -- The operations: a failure is a miss or a write not done ------------

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(False, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        try:
            return self._guarded(default, super().get, key, default, version)
        except UNREADABLE as error:
            # A value pickled by an older release under a class path that
            # has moved since (a cached page after a deploy): a miss, and
            # the next set replaces it.
            logger.info("Unreadable cache entry %s is a miss: %r", key, error)
            return default

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._guarded(None, super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._guarded(False, super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._guarded({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._guarded(False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        missing = object()
        value = self._guarded(missing, super().incr, key, delta, version)
        if value is missing:
            # What Django's backends say of a key they do not hold.
            raise ValueError(f"Key '{key}' not found (Redis unreachable).")
        return value

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # Django's contract: the keys that were not stored.
        return self._guarded(list(data), super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        self._guarded(None, super().delete_many, keys, version)

    def clear(self):
        return self._guarded(False, super().clear)

    # -- Failure and recovery ------------------------------------------------

    def _guarded(self, failed, operation, *args):
        if time.monotonic() < self._absent_until:
            return failed
        if (
            self._owes_recovery
            and self._recovering_thread != threading.get_ident()
            and not self._recover()
        ):
            return failed
        try:
            return operation(*args)
        # OSError: a socket error redis-py did not wrap (none is known).
        except (redis.RedisError, OSError) as error:
            self._failed(error)
            return failed

    def _failed(self, error: Exception) -> None:
        now = time.monotonic()
        with self._lock:
            self._failures += 1
            self._owes_recovery = True
            self._absent_until = now + settings.NEWSROOM_REDIS_RETRY_SECONDS
            if self._failed_since is None:
                self._failed_since = now
            self._failures_unreported += 1
            due = (
                self._warned_at is None
                or now - self._warned_at >= settings.NEWSROOM_REDIS_WARNING_SECONDS
            )
            if due:
                self._warned_at, failures = now, self._failures_unreported
                self._failures_unreported = 0
        if due:
            logger.warning(
                "Redis cache at %s unreachable (%s: %s); serving without the "
                "cache, %s failed operation(s) since the last warning, trying "
                "again every %s s",
                self._address,
                type(error).__name__,
                error,
                failures,
                settings.NEWSROOM_REDIS_RETRY_SECONDS,
            )

    def _recover(self) -> bool:
        """Tell `reachable_again`'s receivers that Redis answers again.

        True once they all got through; False while Redis still fails or
        another thread is at it (the cache stays absent meanwhile: nothing
        may be read before the receivers ran).
        """
        if not self._recovering.acquire(blocking=False):
            return False
        try:
            if not self._owes_recovery:
                return True  # another thread recovered meanwhile
            failures = self._failures
            self._recovering_thread = threading.get_ident()
            try:
                self._cache.get_client(write=True).ping()
            except (redis.RedisError, OSError) as error:
                self._failed(error)
                return False
            for receiver, result in reachable_again.send_robust(
                sender=type(self), cache=self
            ):
                if isinstance(result, Exception):
                    logger.error(
                        "%r failed after the Redis outage: %r", receiver, result
                    )
                    self._failed(result)
            with self._lock:
                if self._failures != failures:
                    return False  # a receiver could not reach Redis
                self._owes_recovery = False
                since, self._failed_since = self._failed_since, None
                self._warned_at, self._failures_unreported = None, 0
            logger.info(
                "Redis cache at %s reachable again after %.1f s",
                self._address,
                time.monotonic() - since if since is not None else 0.0,
            )
            return True
        finally:
            self._recovering_thread = None
            self._recovering.release()
