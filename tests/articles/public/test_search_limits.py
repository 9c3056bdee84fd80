"""Search cannot take the site down: a reader's search holds the database
briefly, and one client's flood of searches is told to wait (429)."""

import socket
import subprocess
import time

import pytest
import redis
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from articles.public import rate_limits
from articles.public.search import (
    SearchSlot,
    SearchTimedOut,
    search_retry_after,
    search_slot,
    search_time_limit_ms,
    time_limit,
)
from tests.articles.public.test_search import bulk_articles
from tests.factories import ArticleFactory, UserFactory
from tests.test_settings import manage

pytestmark = pytest.mark.django_db


def search(client, address="127.0.0.1", **params):
    return client.get(reverse("articles:search"), params, REMOTE_ADDR=address)


def anonymous_request(rf):
    request = rf.get(reverse("articles:search"), {"q": "Hafen"})
    request.user = AnonymousUser()
    return request


# Runs for many seconds unless stopped.
SLOW_QUERY = {
    "sqlite": "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n "
    "WHERE x < 1000000000) SELECT count(*) FROM n",
    "postgresql": "SELECT pg_sleep(10)",
}


class TestTimeLimit:
    def test_readers_search_for_at_most_half_a_second_by_default(self):
        result = manage(
            "shell",
            "-c",
            "from django.conf import settings as s; "
            "print(s.NEWSROOM_SEARCH_TIMEOUT_MS, s.NEWSROOM_SEARCH_STAFF_TIMEOUT_MS)",
            DEBUG="true",
            # Empty: the defaults, whatever this shell sets.
            NEWSROOM_SEARCH_TIMEOUT_MS="",
            NEWSROOM_SEARCH_STAFF_TIMEOUT_MS="",
        )
        assert result.returncode == 0, result.stderr
        reader, staff = map(int, result.stdout.split()[-2:])
        assert reader <= 500 < staff

    def test_a_reader_search_stops_within_its_limit(self, rf):
        limit = search_time_limit_ms(anonymous_request(rf))
        started = time.monotonic()
        with (
            pytest.raises(SearchTimedOut),
            time_limit(limit),
            connection.cursor() as cursor,
        ):
            cursor.execute(SLOW_QUERY[connection.vendor])
        assert time.monotonic() - started < 0.9

    def test_staff_may_search_longer(self, client, settings):
        settings.NEWSROOM_SEARCH_TIMEOUT_MS = 1
        settings.NEWSROOM_SEARCH_STAFF_TIMEOUT_MS = 60_000
        bulk_articles(2000, body="<p>Der Hafen wächst.</p>" * 80)
        html = search(client, q="Hafen wächst").content.decode()
        assert "Die Suche hat zu lange gedauert." in html
        client.force_login(UserFactory(username="archiv"))
        response = search(client, q="Hafen wächst")
        assert "timed_out" not in response.context
        assert len(response.context["found"].rows) == 20


class TestRateLimit:
    @pytest.fixture(autouse=True)
    def three_per_hour(self, settings):
        # An hour's window: the test does not straddle two windows.
        settings.NEWSROOM_SEARCH_RATE = 3
        settings.NEWSROOM_SEARCH_RATE_SECONDS = 3600
        # What this process remembers of earlier tests' clients and logs.
        rate_limits._Refused.until.clear()
        rate_limits._Logged.at.clear()
        rate_limits._Logged.refused.clear()

    def test_a_client_searching_too_often_is_told_to_wait(self, client):
        ArticleFactory(headline="Hafen")
        for _ in range(3):
            assert search(client, q="Hafen").status_code == 200
        response = search(client, q="Hafen")
        html = response.content.decode()
        assert response.status_code == 429
        wait = int(response["Retry-After"])
        assert 1 <= wait <= 3600
        assert "Zu viele Suchanfragen" in html
        assert f"Bitte warten Sie {wait} Sekunde" in html
        assert '<meta name="robots" content="noindex">' in html
        assert "no-store" in response["Cache-Control"]
        assert "Hafen</a>" not in html

    def test_a_refused_client_is_refused_without_asking_the_cache(
        self, client, monkeypatch
    ):
        for _ in range(4):
            search(client, q="Hafen")
        counted = []
        monkeypatch.setattr(cache, "incr", lambda *args: counted.append(args) or 1)
        assert search(client, q="Hafen").status_code == 429
        assert counted == []

    def test_refusals_are_logged_once_a_minute_not_per_request(self, client, caplog):
        for _ in range(10):
            search(client, q="Hafen")
        records = [(r.name, r.getMessage()) for r in caplog.records]
        assert records == [
            (
                "articles.public.rate_limits",
                "Refused 1 request(s) of 'search' over their limits since the "
                "last report",
            )
        ]

    def test_other_clients_and_staff_search_on(self, client):
        for _ in range(4):
            search(client, q="Hafen")
        assert search(client, address="10.0.0.2", q="Hafen").status_code == 200
        client.force_login(UserFactory(username="redaktion"))
        for _ in range(4):
            assert search(client, q="Hafen").status_code == 200

    def test_behind_a_proxy_the_forwarded_address_is_the_client(self, client, settings):
        settings.NEWSROOM_PROXY_COUNT = 1

        def via_proxy(forwarded_for):
            response = client.get(
                reverse("articles:search"),
                {"q": "Hafen"},
                headers={"X-Forwarded-For": forwarded_for},
                REMOTE_ADDR="10.0.0.1",  # the proxy
            )
            return response.status_code

        assert [via_proxy("198.51.100.7") for _ in range(4)] == [200, 200, 200, 429]
        assert via_proxy("203.0.113.9") == 200
        # What the client itself wrote into the header is not believed.
        assert via_proxy("203.0.113.9, 198.51.100.7") == 429

    def test_a_client_waits_until_its_running_search_ends(self, client, rf):
        with search_slot(anonymous_request(rf)) as slot:
            assert slot is SearchSlot.GRANTED
            response = search(client, q="Hafen")
            assert search(client, address="10.0.0.2", q="Hafen").status_code == 200
        assert response.status_code == 429
        assert response["Retry-After"] == "1"
        assert search(client, q="Hafen").status_code == 200

    def test_while_the_search_is_full_readers_are_asked_to_wait(
        self, client, rf, settings
    ):
        settings.NEWSROOM_SEARCH_CONCURRENCY = 1
        elsewhere = anonymous_request(rf)
        elsewhere.META["REMOTE_ADDR"] = "10.0.0.5"
        with search_slot(elsewhere) as slot:
            assert slot is SearchSlot.GRANTED
            response = search(client, q="Hafen")
            # Refused by its own limit, a client takes no place among all.
            with search_slot(elsewhere) as again:
                assert again is SearchSlot.CLIENT_BUSY
            client.force_login(UserFactory(username="redaktion"))
            assert search(client, q="Hafen").status_code == 200
            client.logout()
        html = response.content.decode()
        assert response.status_code == 503
        assert response["Retry-After"] == "1"
        assert "Die Suche ist ausgelastet" in html
        assert "Bitte versuchen Sie es in 1 Sekunde erneut." in html
        assert "no-store" in response["Cache-Control"]
        assert search(client, q="Hafen").status_code == 200

    def test_a_search_that_fails_no_longer_counts_as_running(self, client):
        assert search(client, q="Hafen", page="99").status_code == 404
        assert search(client, q="Hafen").status_code == 200

    def test_a_cache_that_keeps_nothing_lets_everyone_search(self, client, settings):
        # Like a cache that swallows its errors: no count, no refusal.
        settings.CACHES = {
            "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
        }
        assert {search(client, q="Hafen").status_code for _ in range(5)} == {200}

    def test_a_stopped_cache_lets_everyone_search(self, rf, own_redis):
        request, other = anonymous_request(rf), anonymous_request(rf)
        other.META["REMOTE_ADDR"] = "10.0.0.2"
        redis_cache = {
            "BACKEND": "newsroom.cache.RedisCache",
            "LOCATION": own_redis.url,
        }
        # Only around the calls: the tests' own clean-up clears the cache.
        with override_settings(CACHES={"default": redis_cache}):
            limited = [bool(search_retry_after(request)) for _ in range(4)]
            for _ in range(3):
                assert search_retry_after(other) == 0
            own_redis.stop()
            started = time.monotonic()
            # The fourth search, refused while the cache counted.
            assert search_retry_after(other) == 0
            with search_slot(other) as slot:
                assert slot is SearchSlot.GRANTED
            assert time.monotonic() - started < 1
        assert limited == [False, False, False, True]


class OwnRedis:
    """A redis-server of the test's own, on a free port."""

    def __init__(self, directory):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = subprocess.Popen(
            [
                *("redis-server", "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--dir", str(directory)),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise
                time.sleep(0.05)
        client.close()

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def own_redis(tmp_path):
    server = OwnRedis(tmp_path)
    yield server
    server.stop()
