"""The same anonymous search twice costs one search: results pages are kept
for NEWSROOM_SEARCH_CACHE_SECONDS, purged with every other page, and never
shared with logged-in users; the limits still hold for every request."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.public import rate_limits
from articles.public.search import SearchSlot, search_slot
from articles.workflow.services import publish_article, withdraw_article
from tests.articles.public.test_search import bulk_articles
from tests.factories import ArticleFactory, SectionFactory, UserFactory
from tests.http import cache_control

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def kept_a_minute(settings):
    settings.NEWSROOM_SEARCH_CACHE_SECONDS = 60
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 60
    rate_limits._Refused.until.clear()


def search(client, address="127.0.0.1", **params):
    return client.get(reverse("articles:search"), params, REMOTE_ADDR=address)


def html_of(response) -> str:
    return response.content.decode()


def kept_for(response) -> int:
    """Seconds a CDN may keep the response."""
    (kept,) = (
        int(part.removeprefix("s-maxage="))
        for part in cache_control(response)
        if part.startswith("s-maxage=")
    )
    return kept


def database_work(action) -> list[str]:
    """The SQL `action` sends to the database."""
    with CaptureQueriesContext(connection) as captured:
        action()
    return [query["sql"] for query in captured.captured_queries]


def test_the_same_search_again_costs_no_database_work(client):
    ArticleFactory(headline="Hafenfest am Rhein")
    first = search(client, q="Hafenfest")
    again = []
    assert database_work(lambda: again.append(search(client, q="Hafenfest"))) == []
    assert again[0].status_code == 200
    assert again[0].content == first.content
    assert "Hafenfest am Rhein" in html_of(again[0])
    # A CDN may keep it as long as this site does.
    assert kept_for(first) == 60
    assert 0 < kept_for(again[0]) <= 60


def test_another_query_string_is_another_page(client):
    SectionFactory(slug="sport")
    ArticleFactory(headline="Hafenfest am Rhein")
    ArticleFactory(headline="Hafenkran")
    search(client, q="Hafen")
    for params in (
        {"q": "Hafenfest"},
        {"q": "hafen"},
        {"q": "Hafen", "ressort": "sport"},
        {"q": "Hafen", "page": "1"},
        {"q": "Hafen", "von": "2025-01-01"},
    ):
        queries = database_work(lambda p=params: search(client, **p))
        assert queries, params
    assert "Hafenkran" not in html_of(search(client, q="Hafenfest"))
    # Parameters the search does not read make no page of their own.
    assert database_work(lambda: search(client, q="Hafen", utm_source="x")) == []


def test_a_withdrawal_takes_the_article_out_of_kept_results(
    client, django_capture_on_commit_callbacks
):
    article = ArticleFactory(headline="Hafenfest am Rhein")
    assert "Hafenfest am Rhein" in html_of(search(client, q="Hafenfest"))
    with django_capture_on_commit_callbacks(execute=True):
        withdraw_article(article, by=None, reason="Rechtliche Gründe")
    html = html_of(search(client, q="Hafenfest"))
    assert "Hafenfest am Rhein" not in html
    assert "Keine Artikel gefunden" in html


def test_a_publication_shows_in_kept_results(
    client, django_capture_on_commit_callbacks
):
    ArticleFactory(headline="Hafenfest am Rhein")
    draft = ArticleFactory(draft=True, headline="Hafenfest abgesagt")
    assert "Hafenfest abgesagt" not in html_of(search(client, q="Hafenfest"))
    with django_capture_on_commit_callbacks(execute=True):
        publish_article(draft, by=None)
    assert "Hafenfest abgesagt" in html_of(search(client, q="Hafenfest"))


def test_kept_results_expire_when_an_article_goes_live(client):
    ArticleFactory(headline="Hafenfest am Rhein")
    ArticleFactory(
        headline="Hafenfest: das Programm",
        published_at=timezone.now() + timedelta(seconds=20),
    )
    assert 0 < kept_for(search(client, q="Hafenfest")) <= 20


def test_an_editor_is_never_served_the_readers_page(client):
    ArticleFactory(headline="Hafenfest am Rhein")
    search(client, q="Hafenfest")  # kept for readers
    # Written past the services: no purge, readers keep the old page.
    ArticleFactory(headline="Hafenfest verschoben")
    client.force_login(UserFactory(username="redaktion", is_staff=True))
    response = search(client, q="Hafenfest")
    assert "Hafenfest verschoben" in html_of(response)
    assert {"private", "no-store"} <= cache_control(response)
    search(client, q="Hafenfest verschoben")  # an editor's page: not kept
    client.logout()
    assert "Hafenfest verschoben" not in html_of(search(client, q="Hafenfest"))
    assert database_work(lambda: search(client, q="Hafenfest verschoben")) != []


def test_a_search_that_took_too_long_is_not_kept(client, settings):
    settings.NEWSROOM_SEARCH_TIMEOUT_MS = 1
    bulk_articles(2000, body="<p>Der Hafen wächst.</p>" * 80)
    response = search(client, q="Hafen wächst")
    assert "Die Suche hat zu lange gedauert." in html_of(response)
    assert {"private", "no-store"} <= cache_control(response)
    settings.NEWSROOM_SEARCH_TIMEOUT_MS = 60_000
    assert "Die Suche hat zu lange gedauert." not in html_of(
        search(client, q="Hafen wächst")
    )


def test_zero_seconds_keeps_no_page(client, settings):
    settings.NEWSROOM_SEARCH_CACHE_SECONDS = 0
    ArticleFactory(headline="Hafenfest am Rhein")
    search(client, q="Hafenfest")
    response = []
    assert database_work(lambda: response.append(search(client, q="Hafenfest")))
    assert {"private", "no-store"} <= cache_control(response[0])


class TestLimits:
    @pytest.fixture(autouse=True)
    def three_per_hour(self, settings):
        settings.NEWSROOM_SEARCH_RATE = 3
        settings.NEWSROOM_SEARCH_RATE_SECONDS = 3600
        settings.NEWSROOM_SEARCH_CONCURRENCY = 1

    def test_a_kept_page_still_counts_against_the_client_s_rate(self, client):
        ArticleFactory(headline="Hafenfest am Rhein")
        assert [search(client, q="Hafenfest").status_code for _ in range(4)] == [
            200,
            200,
            200,
            429,
        ]

    def test_a_burst_of_different_words_is_refused_by_the_rate(self, client):
        words = ["Hafen", "Rhein", "Brücke", "Markt"]
        answers = [search(client, q=word) for word in words]
        assert [a.status_code for a in answers] == [200, 200, 200, 429]
        assert "Zu viele Suchanfragen" in html_of(answers[-1])
        assert "no-store" in answers[-1]["Cache-Control"]
        # The refusal was not kept: another client gets the results.
        assert search(client, address="10.0.0.2", q="Markt").status_code == 200

    def test_while_the_search_is_full_a_kept_page_is_served(self, client, rf, settings):
        ArticleFactory(headline="Hafenfest am Rhein")
        search(client, address="10.0.0.3", q="Hafenfest")  # kept
        request = rf.get(reverse("articles:search"), {"q": "Rhein"})
        request.user = AnonymousUser()
        request.META["REMOTE_ADDR"] = "10.0.0.5"
        with search_slot(request) as slot:
            assert slot is SearchSlot.GRANTED
            kept = search(client, q="Hafenfest")
            new = search(client, q="Hafenfest Rhein")
        assert kept.status_code == 200
        assert "Hafenfest am Rhein" in html_of(kept)
        assert new.status_code == 503
        assert new["Retry-After"] == "1"
        assert "Die Suche ist ausgelastet" in html_of(new)
        assert {"private", "no-store"} <= cache_control(new)
        # The refusal was not kept: once the search is free, it runs.
        again = search(client, address="10.0.0.4", q="Hafenfest Rhein")
        assert again.status_code == 200
        assert "Hafenfest am Rhein" in html_of(again)


def test_a_common_word_reads_no_article_row_twice_on_sqlite(settings):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's FTS5 only")
    settings.NEWSROOM_SEARCH_CANDIDATES = 5
    bulk_articles(300, body="<p>Der Hafen wächst.</p>")
    statements = []
    connection.ensure_connection()
    connection.connection.set_trace_callback(statements.append)
    try:
        rows = list(Article.objects.published().matching("Hafen").values("pk"))
    finally:
        connection.connection.set_trace_callback(None)
    assert len(rows) == 5
    # FTS5 reads an article's row (the index's content table) for each match
    # read through the `id` column: before, twice per match (600 here).
    content_reads = [s for s in statements if "T.'headline'" in s]
    assert 0 < len(content_reads) <= 5
