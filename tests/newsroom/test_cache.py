"""The Redis cache backend answers while its Redis is stopped or frozen.

Each test runs its own redis-server (tests/redis_server.py) and stops or
freezes it; the shared Redis on 6379 is never touched.
"""

import logging
import pickle
import time

import pytest
from django.core.cache import cache

from newsroom.cache import reachable_again


@pytest.fixture(params=[True, False], ids=["fast-path", "plain"])
def fast_path(request, settings):
    """Both clients: the reused one (newsroom/perf/) and Django's own."""
    settings.NEWSROOM_FAST_PATH = request.param
    return request.param


@pytest.fixture
def retry_at_once(settings):
    settings.NEWSROOM_REDIS_RETRY_SECONDS = 0


def timed(action):
    started = time.monotonic()
    result = action()
    return result, time.monotonic() - started


def test_the_timeout_defaults_to_a_quarter_second(redis_cache):
    cache.set("a", 1)
    pool = cache._cache._get_connection_pool(write=True)
    assert pool.connection_kwargs["socket_timeout"] == 0.25
    assert pool.connection_kwargs["socket_connect_timeout"] == 0.25


def test_every_operation_is_a_miss_while_redis_is_stopped(
    redis_cache, fast_path, retry_at_once
):
    cache.set("kept", "value")
    assert cache.get("kept") == "value"
    redis_cache.stop()
    assert cache.get("kept") is None
    assert cache.get("kept", "default") == "default"
    cache.set("new", 1)
    assert cache.add("new", 1) is False
    assert cache.get_many(["kept", "new"]) == {}
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]  # not stored
    assert cache.delete("kept") is False
    cache.delete_many(["a", "b"])
    assert cache.has_key("kept") is False
    assert cache.touch("kept") is False
    assert cache.clear() is False
    with pytest.raises(ValueError, match="not found"):
        cache.incr("counter")


def test_a_frozen_redis_costs_one_timeout_then_nothing_until_the_retry(
    redis_cache, fast_path, settings
):
    settings.NEWSROOM_REDIS_TIMEOUT_SECONDS = 1.0
    settings.NEWSROOM_REDIS_RETRY_SECONDS = 60
    cache.set("kept", "value")
    redis_cache.freeze()
    value, waited = timed(lambda: cache.get("kept"))
    assert value is None
    assert 1.0 <= waited < 2.0  # one timeout, not redis-py's 5 s or several
    _results, waited = timed(
        lambda: [(cache.get("kept"), cache.set("x", 1)) for _ in range(50)]
    )
    assert waited < 0.5  # the cache counts as absent: nobody waits again


def test_redis_is_tried_again_after_the_retry_interval(redis_cache, settings):
    # Long enough for a redis-server to start on a loaded machine (0.3 s
    # was not, once, in a whole-suite run on PostgreSQL).
    settings.NEWSROOM_REDIS_RETRY_SECONDS = 2
    redis_cache.stop()
    cache.set("a", 1)
    redis_cache.start()  # on the same port, empty
    cache.set("a", 1)
    assert cache.get("a") is None  # still waiting out the interval
    time.sleep(2.05)
    cache.set("a", 1)
    assert cache.get("a") == 1


def test_a_warning_is_logged_once_per_interval_not_per_failure(
    redis_cache, retry_at_once, settings, caplog
):
    settings.NEWSROOM_REDIS_WARNING_SECONDS = 60
    caplog.set_level(logging.INFO, logger="newsroom.cache")
    redis_cache.stop()
    for _ in range(20):
        assert cache.get("a") is None
    [warning] = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert f"127.0.0.1:{redis_cache.port}" in warning.getMessage()
    assert "unreachable" in warning.getMessage()

    caplog.clear()
    redis_cache.start()
    cache.set("a", 1)
    [back] = [r for r in caplog.records if r.name == "newsroom.cache"]
    assert back.levelno == logging.INFO
    assert "reachable again" in back.getMessage()
    caplog.clear()
    redis_cache.stop()  # a new outage is reported at once
    cache.get("a")
    assert [r.levelno for r in caplog.records] == [logging.WARNING]


def test_warnings_repeat_after_the_interval_with_the_failures_since(
    redis_cache, retry_at_once, settings, caplog
):
    settings.NEWSROOM_REDIS_WARNING_SECONDS = 0.2
    redis_cache.stop()
    for _ in range(5):
        cache.get("a")
    time.sleep(0.25)
    cache.get("a")
    warnings = [r.getMessage() for r in caplog.records if r.name == "newsroom.cache"]
    assert len(warnings) == 2
    assert "5 failed operation(s) since the last warning" in warnings[1]


def test_receivers_run_when_redis_is_back_before_anything_is_read(
    redis_cache, fast_path, retry_at_once
):
    seen = []

    def rewrite(sender, *, cache, **kwargs):
        seen.append(cache.get("generation"))
        cache.set("generation", "after the outage")

    cache.set("generation", "before")
    reachable_again.connect(rewrite)
    try:
        redis_cache.freeze()
        cache.get("other")  # times out
        redis_cache.thaw()
        # Redis still holds "before"; the receiver runs first.
        assert cache.get("generation") == "after the outage"
        assert cache.get("generation") == "after the outage"
    finally:
        reachable_again.disconnect(rewrite)
    assert seen == ["before"]  # once


def test_the_cache_stays_absent_until_every_receiver_got_through(
    redis_cache, retry_at_once, caplog
):
    failing = True

    def purge(sender, **kwargs):
        if failing:
            raise RuntimeError("purge failed")

    cache.set("page", "stale")
    reachable_again.connect(purge)
    try:
        redis_cache.stop()
        assert cache.get("page") is None
        redis_cache.start()
        # As if it had never gone (thawed, or restored from a snapshot).
        redis_cache.client().set("test:1:page", pickle.dumps("stale"))
        assert cache.get("page") is None
        assert "purge failed" in caplog.text
        failing = False
        assert cache.get("page") == "stale"
    finally:
        reachable_again.disconnect(purge)


def test_a_process_that_saw_no_failure_owes_nothing(redis_cache, retry_at_once):
    calls = []

    def record(sender, **kwargs):
        calls.append(1)

    reachable_again.connect(record)
    try:
        for _ in range(3):
            cache.set("a", 1)
            assert cache.get("a") == 1
    finally:
        reachable_again.disconnect(record)
    assert calls == []


def test_a_value_pickled_by_an_older_release_is_a_miss(redis_cache):
    # Protocol 0: a class of a module that no longer exists (a cached page
    # stored before its class moved).
    stale = b"cnewsroom_moved_away\nCachedPage\n."
    with pytest.raises(ModuleNotFoundError):
        pickle.loads(stale)
    client = cache._cache.get_client(write=True)
    client.set(cache.make_and_validate_key("page"), stale)
    assert cache.get("page", "missing") == "missing"
    cache.set("page", "fresh")
    assert cache.get("page") == "fresh"
