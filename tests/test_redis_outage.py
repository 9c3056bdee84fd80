"""The site keeps answering while Redis is down or frozen, and a withdrawal
made meanwhile is effective on every cached surface once Redis is back.

Each test runs the production cache backend on a redis-server of its own
(tests/redis_server.py), then stops it (it comes back empty) or freezes it
with SIGSTOP (it comes back holding the old generation and pages).
"""

import time
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.models.articles import start_of_day
from teasers.counting import counter_buffer
from tests.articles.admin.article_form import edit_form, save
from tests.factories import ArticleFactory, UserFactory
from tests.test_hidden_content import Site, assert_nothing_hidden_shows, fetch_all

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def searches_unlimited(settings):
    # The sweeps search more often than one reader may (rate_limits.py).
    settings.NEWSROOM_SEARCH_RATE = 10_000


class Outage:
    """Redis stopped (back empty) or frozen (back as it was)."""

    def __init__(self, server, kind: str):
        self.server, self.kind = server, kind

    def begin(self) -> None:
        if self.kind == "stopped":
            self.server.stop()
        else:
            self.server.freeze()

    def end(self) -> None:
        if self.kind == "stopped":
            self.server.start()
        else:
            self.server.thaw()


@pytest.fixture
def outage(request, redis_cache, settings):
    settings.NEWSROOM_REDIS_RETRY_SECONDS = 0.5
    return Outage(redis_cache, request.param)


@pytest.fixture
def fast_path(request, settings):
    """With the reused Redis client and prepared queries, and without."""
    settings.NEWSROOM_FAST_PATH = request.param
    return request.param


def desk_client(client):
    editor = UserFactory(username="cvd")
    editor.groups.add(Group.objects.get(name="Chef vom Dienst"))
    client.force_login(editor)
    return client


def archive_day(address: str) -> date | None:
    if address.startswith("/archiv/") and address.count("/") == 5:
        return date(*map(int, address.split("/")[2:5]))
    return None


def assert_every_surface_answers(answers, site):
    hidden = site.hidden_addresses()
    today = timezone.localdate()
    for address, (status, _text) in answers.items():
        if address in hidden:
            assert status in (404, 410), f"{address} answers {status}"
        elif (day := archive_day(address)) and day > today:
            # Late in the evening the scheduled article falls on tomorrow,
            # which has no archive yet.
            assert status == 404, f"{address} answers {status}"
        elif address.startswith("/bild/"):  # a photo may serve other articles
            assert status in (200, 404), f"{address} answers {status}"
        elif address.startswith("/sitemap-artikel-"):
            # The articles' sitemap page of the visible article withdrawn
            # during the outage has no visible article left: past the last
            # one, it answers 404 (and the index no longer names it).
            assert status in (200, 404), f"{address} answers {status}"
        else:
            assert status == 200, f"{address} answers {status}"


@pytest.mark.parametrize(
    ("outage", "fast_path"),
    [("frozen", True), ("frozen", False), ("stopped", True)],
    ids=["frozen-fast-path", "frozen-plain", "stopped"],
    indirect=True,
)
def test_a_withdrawal_during_an_outage_shows_nowhere_after_it(
    client, outage, fast_path, django_capture_on_commit_callbacks, clock
):
    # 23:10 in Berlin: the scheduled article (two hours ahead) is tomorrow's,
    # whatever the hour the suite runs at.
    clock.now = start_of_day(timezone.localdate()) + timedelta(hours=23, minutes=10)
    site = Site()
    answers, _visible_on = fetch_all(client, site)
    assert max(filter(None, map(archive_day, answers))) > timezone.localdate()
    assert outage.server.client().dbsize() > 0  # pages are in Redis

    outage.begin()
    assert client.get("/").status_code == 200
    desk = desk_client(type(client)())
    withdraw = reverse("admin:articles_article_withdraw", args=[site.visible.pk])
    with django_capture_on_commit_callbacks(execute=True):  # its purge fails
        response = desk.post(withdraw, {"reason": "Persönlichkeitsrecht"})
    assert response.status_code == 302
    site.visible.refresh_from_db()
    assert site.visible.status == Article.Status.WITHDRAWN
    site.hidden["withdrawn during the outage"] = site.visible
    answers, _visible_on = fetch_all(client, site)
    assert_every_surface_answers(answers, site)
    assert_nothing_hidden_shows(answers, site)

    outage.end()
    time.sleep(0.6)  # NEWSROOM_REDIS_RETRY_SECONDS
    for _ in range(2):  # then from the cache again
        answers, _visible_on = fetch_all(client, site)
        assert_every_surface_answers(answers, site)
        assert_nothing_hidden_shows(answers, site)
    assert outage.server.client().dbsize() > 0  # caching again


@pytest.mark.parametrize("outage", ["stopped", "frozen"], indirect=True)
def test_editors_log_in_open_and_save_articles_during_an_outage(
    client, outage, django_capture_on_commit_callbacks
):
    user = UserFactory(username="anna")
    user.set_password("Rheinblick-Testpasswort-1")
    user.save()
    user.groups.add(Group.objects.get(name="Chef vom Dienst"))
    article = ArticleFactory(headline="Vor dem Ausfall")
    outage.begin()

    response = client.post(
        reverse("admin:login"),
        {"username": "anna", "password": "Rheinblick-Testpasswort-1"},
    )
    assert response.status_code == 302  # sessions live in the database
    assert client.get(reverse("admin:index")).status_code == 200
    form = edit_form(client, article)  # reports presence: lost, no error
    form["headline"] = "Während des Ausfalls"
    form["_publish_changes"] = "1"  # live: straight to the page (issue #17)
    with django_capture_on_commit_callbacks(execute=True):
        response = save(client, article, form)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.headline == "Während des Ausfalls"
    editing = reverse("admin:articles_article_editing", args=[article.pk])
    assert client.post(editing).json()["others"] == []

    outage.end()
    time.sleep(0.6)
    reader = type(client)()
    page = reader.get(article.get_absolute_url()).content.decode()
    assert "Während des Ausfalls" in page


def test_a_frozen_redis_delays_a_request_by_one_timeout_at_most(
    client, redis_cache, settings
):
    # A second, so that a page's own build time cannot pass for it.
    settings.NEWSROOM_REDIS_TIMEOUT_SECONDS = 1.0
    settings.NEWSROOM_REDIS_RETRY_SECONDS = 60
    # Every request asks for the generation: the first one after the
    # freeze must meet it.
    settings.NEWSROOM_PAGE_GENERATION_SECONDS = 0
    article = ArticleFactory()
    pages = ["/", article.get_absolute_url(), "/feed/", "/suche/?q=Rhein"]
    for page in pages:
        assert client.get(page).status_code == 200
    redis_cache.freeze()
    started = time.monotonic()
    assert client.get("/").status_code == 200
    assert 1.0 <= time.monotonic() - started < 2.0  # one timeout, not several
    for page in pages:
        started = time.monotonic()
        assert client.get(page).status_code == 200
        assert time.monotonic() - started < 1.0, page  # no more waiting


def test_counting_views_in_a_frozen_redis_costs_at_most_its_timeout(
    client, redis_cache, settings
):
    settings.NEWSROOM_COUNTER_BUFFER = "redis"
    settings.NEWSROOM_COUNTER_REDIS_URL = redis_cache.url
    settings.NEWSROOM_COUNTER_PUSH_SECONDS = 0  # pushed by the request
    settings.NEWSROOM_REDIS_TIMEOUT_SECONDS = 1.0
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    settings.NEWSROOM_FRAGMENT_CACHE_SECONDS = 0
    article = ArticleFactory()
    reader = {"HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64)"}
    assert client.get(article.get_absolute_url(), **reader).status_code == 200
    assert redis_cache.client().keys("*counts:pending*")  # counted in Redis
    redis_cache.freeze()
    started = time.monotonic()
    assert client.get(article.get_absolute_url(), **reader).status_code == 200
    assert time.monotonic() - started < 2.0  # the counter's timeout only
    pool = counter_buffer().client.connection_pool
    assert pool.connection_kwargs["socket_connect_timeout"] == 1.0
