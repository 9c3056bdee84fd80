"""A live ticker as readers get it: the page (newest entries first, older
pages, pinned entries and key events on top), the endpoint its script polls
(since a change, ETag and 304, a few seconds for a CDN), the JSON-LD
`LiveBlogPosting`, feeds and sitemaps, and the one visibility rule."""

import json
import re
from datetime import datetime, timedelta

import pytest
from defusedxml.ElementTree import fromstring
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, LiveEntry, LiveEntryChange
from articles.public.sitemaps import article_page_number
from articles.workflow import live_ticker
from articles.workflow.services import withdraw_article
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory
from tests.hidden_articles import HIDDEN, hidden_variants
from tests.http import cache_control, shared_cache_seconds

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def ticker():
    return ArticleFactory(
        is_live_ticker=True,
        headline="Hochwasser: der Tag im Liveticker",
        section=SectionFactory(slug="koeln", name="Köln"),
    )


def add(ticker, body, **marks):
    return live_ticker.add_live_entry(ticker, by=None, body=f"<p>{body}</p>", **marks)


def fill(ticker, count: int) -> list[int]:
    """`count` entries in two inserts (with their history), oldest first."""
    LiveEntry.objects.bulk_create(
        LiveEntry(article=ticker, body=f"<p>Meldung {n}</p>") for n in range(count)
    )
    ids = list(
        LiveEntry.objects.of_ticker(ticker.pk)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    LiveEntryChange.objects.bulk_create(
        LiveEntryChange(article=ticker, entry_id=pk, action="added") for pk in ids
    )
    return ids


def updates(client, ticker, **params):
    url = ticker.get_absolute_url() + "live/"
    return client.get(url, params, **params.pop("headers", {}))


def poll(client, ticker, since=0, **headers):
    return client.get(ticker.get_absolute_url() + "live/", {"seit": since}, **headers)


def json_ld(html: str) -> dict:
    [script] = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', html, re.S
    )
    return json.loads(script)


def entry_ids(html: str) -> list[int]:
    """The stream's entries in page order (pinned copies have no id)."""
    return [int(pk) for pk in re.findall(r'id="eintrag-(\d+)"', html)]


def test_page_shows_entries_newest_first_with_pinned_and_key_events(client, ticker):
    author = AuthorFactory(name="Clara Vogt")
    first = add(ticker, "Die Feuerwehr ist im Einsatz.", author=author)
    key = add(ticker, "Die Altstadt wird geräumt.", title="Räumung", is_key_event=True)
    pinned = add(ticker, "Notrufnummer: 112", is_pinned=True)
    html = client.get(ticker.get_absolute_url()).content.decode()
    assert entry_ids(html) == [pinned.pk, key.pk, first.pk]
    assert "Clara Vogt" in html
    summary = html[html.index("data-summary") : html.index("data-pinned")]
    assert "Das Wichtigste" in summary and f'href="#eintrag-{key.pk}"' in summary
    assert "Räumung" in summary and "Feuerwehr" not in summary
    pinned_box = html[html.index("data-pinned") : html.index("data-entries")]
    assert "Notrufnummer" in pinned_box and "Angeheftet" in pinned_box
    assert 'data-interval="15"' in html and "js/live_ticker.js" in html
    assert "Neue Einträge: Seite neu laden." in html  # without the script


def test_reload_shows_a_new_entry_with_the_page_cache_on(
    client, ticker, settings, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 60
    add(ticker, "Erste Meldung")
    assert "Erste Meldung" in client.get(ticker.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        add(ticker, "Zweite Meldung")
    assert "Zweite Meldung" in client.get(ticker.get_absolute_url()).content.decode()


def test_ended_ticker_says_so_and_stops_polling(client, ticker):
    add(ticker, "Letzte Meldung")
    live_ticker.end_live_ticker(ticker, by=None)
    html = client.get(ticker.get_absolute_url()).content.decode()
    assert "Ticker beendet" in html and "data-ended" in html
    answer = poll(client, ticker).json()
    assert answer["ended"] is True


def test_endpoint_answers_changes_since_with_etag_and_304(client, ticker, settings):
    settings.NEWSROOM_LIVE_TICKER_CACHE_SECONDS = 5
    old = add(ticker, "Alt")
    since = LiveEntryChange.objects.latest("pk").pk
    new = add(ticker, "Neu", is_key_event=True)
    response = poll(client, ticker, since)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert {"public", "max-age=5", "s-maxage=5"} <= cache_control(response)
    answer = response.json()
    assert [item["id"] for item in answer["entries"]] == [new.pk]
    assert "Neu" in answer["entries"][0]["html"] and old.pk not in answer["removed"]
    assert answer["latest"] == LiveEntryChange.objects.latest("pk").pk
    assert f"#eintrag-{new.pk}" in answer["summary_html"]
    etag = response["ETag"]
    again = poll(client, ticker, since, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag and shared_cache_seconds(again) == 5
    # Up to date: nothing to insert.
    assert poll(client, ticker, answer["latest"]).json()["entries"] == []
    # A change makes a new answer: the old tag no longer matches.
    add(ticker, "Neuer")
    assert poll(client, ticker, since, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_endpoint_brings_corrections_and_deletions(client, ticker):
    kept = add(ticker, "Pegel 8,10 m")
    gone = add(ticker, "Falsche Meldung")
    since = LiveEntryChange.objects.latest("pk").pk
    live_ticker.correct_live_entry(ticker, kept, by=None, body="<p>Pegel 8,01 m</p>")
    live_ticker.delete_live_entry(ticker, gone, by=None)
    answer = poll(client, ticker, since).json()
    assert [item["id"] for item in answer["entries"]] == [kept.pk]
    assert "8,01" in answer["entries"][0]["html"]
    assert answer["removed"] == [gone.pk]


def test_endpoint_sends_the_json_ld_the_page_would_have(
    client, ticker, django_capture_on_commit_callbacks
):
    """The page's script merges these into its JSON-LD: each is what the
    page itself would list after a reload."""
    old = add(ticker, "Pegel 8,10 m", title="Pegel")
    gone = add(ticker, "Falsche Meldung")
    since = LiveEntryChange.objects.latest("pk").pk
    new = add(ticker, "Die Altstadt wird geräumt.", author=AuthorFactory())
    answer = poll(client, ticker, since).json()
    page = json_ld(client.get(ticker.get_absolute_url()).content.decode())
    assert [u["url"] for u in page["liveBlogUpdate"]] == [
        f"http://testserver{ticker.get_absolute_url()}#eintrag-{pk}"
        for pk in (new.pk, gone.pk, old.pk)
    ]
    assert [item["update"] for item in answer["entries"]] == page["liveBlogUpdate"][:1]
    assert answer["json_ld"] == {
        "set": {"dateModified": page["dateModified"]},
        "removed": [],
    }
    since = answer["latest"]
    with django_capture_on_commit_callbacks(execute=True):
        live_ticker.correct_live_entry(ticker, old, by=None, body="<p>Pegel 8,01 m</p>")
        live_ticker.delete_live_entry(ticker, gone, by=None)
    answer = poll(client, ticker, since).json()
    page = json_ld(client.get(ticker.get_absolute_url()).content.decode())
    [corrected] = answer["entries"]
    assert corrected["update"] == page["liveBlogUpdate"][1]
    assert corrected["update"]["articleBody"] == "Pegel 8,01 m"
    assert answer["json_ld"]["removed"] == [
        f"http://testserver{ticker.get_absolute_url()}#eintrag-{gone.pk}"
    ]
    assert answer["json_ld"]["set"]["dateModified"] == page["dateModified"]
    # Older entries come with theirs, too.
    older = updates(client, ticker, vor=new.pk).json()
    assert [item["update"] for item in older["entries"]] == page["liveBlogUpdate"][1:]
    live_ticker.end_live_ticker(ticker, by=None)
    ended = poll(client, ticker, answer["latest"]).json()
    ticker.refresh_from_db()
    assert ended["json_ld"]["set"]["coverageEndTime"] == timezone.localtime(
        ticker.live_ended_at
    ).isoformat(timespec="seconds")


def test_etag_changes_with_the_json_ld_dates(client, ticker):
    add(ticker, "Eins")
    latest = LiveEntryChange.objects.latest("pk").pk
    response = poll(client, ticker, latest)
    etag = response["ETag"]
    assert poll(client, ticker, latest, HTTP_IF_NONE_MATCH=etag).status_code == 304
    # An editor's "Aktualisiert am" moves the page's dateModified: no entry
    # changed, yet the answer did.
    later = timezone.now() + timedelta(minutes=3)
    Article.objects.filter(pk=ticker.pk).update(updated_at=later)
    again = poll(client, ticker, latest, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200 and again["ETag"] != etag
    assert again.json()["json_ld"]["set"]["dateModified"] == timezone.localtime(
        later
    ).isoformat(timespec="seconds")


def test_corrections_and_deletions_move_the_tickers_update_time(
    client, ticker, clock, django_capture_on_commit_callbacks
):
    """Readers, feeds and search engines learn of a correction or deletion
    as they learn of a new entry."""
    kept = add(ticker, "Pegel 8,10 m")
    gone = add(ticker, "Falsche Meldung")

    def update_times() -> dict:
        feed = fromstring(client.get(f"/{ticker.section.slug}/feed/atom/").content)
        [entry] = feed.findall(f"{ATOM}entry")
        sitemap = fromstring(
            client.get(f"/sitemap-artikel-{article_page_number(ticker.pk)}.xml").content
        )
        [lastmod] = [
            url.findtext(f"{SITEMAP}lastmod")
            for url in sitemap.findall(f"{SITEMAP}url")
            if url.findtext(f"{SITEMAP}loc").endswith(ticker.get_absolute_url())
        ]
        page = json_ld(client.get(ticker.get_absolute_url()).content.decode())
        return {
            "feed": datetime.fromisoformat(entry.findtext(f"{ATOM}updated")),
            "sitemap": datetime.fromisoformat(lastmod),
            "json_ld": datetime.fromisoformat(page["dateModified"]),
            "etag": poll(client, ticker, 0)["ETag"],
        }

    def moved_to_now(before: dict, after: dict) -> bool:
        return after["etag"] != before["etag"] and all(
            abs(after[key] - clock.now) < timedelta(seconds=1)
            for key in ("feed", "sitemap", "json_ld")
        )

    before = update_times()
    clock.move(minutes=10)
    with django_capture_on_commit_callbacks(execute=True):
        live_ticker.correct_live_entry(
            ticker, kept, by=None, body="<p>Pegel 8,01 m</p>"
        )
    corrected = update_times()
    assert moved_to_now(before, corrected), (before, corrected)
    clock.move(minutes=10)
    with django_capture_on_commit_callbacks(execute=True):
        live_ticker.delete_live_entry(ticker, gone, by=None)
    assert moved_to_now(corrected, update_times())


def test_endpoint_asks_for_a_reload_after_more_changes_than_a_page(
    client, ticker, settings
):
    settings.NEWSROOM_LIVE_TICKER_PAGE_SIZE = 5
    fill(ticker, 6)
    answer = poll(client, ticker, 0).json()
    assert answer["reload"] is True and answer["entries"] == []


@pytest.mark.parametrize(
    "query", [{}, {"seit": "abc"}, {"seit": "01"}, {"vor": "0"}, {"seit": 1, "vor": 2}]
)
def test_endpoint_refuses_malformed_queries(client, ticker, query):
    add(ticker, "Eins")
    assert client.get(ticker.get_absolute_url() + "live/", query).status_code == 404


def test_a_thousand_entries_load_newest_first_and_page_the_rest(
    client, ticker, settings
):
    settings.NEWSROOM_LIVE_TICKER_PAGE_SIZE = 20
    ids = fill(ticker, 1000)
    html = client.get(ticker.get_absolute_url()).content.decode()
    assert entry_ids(html) == ids[::-1][:20]
    older = re.search(r'href="([^"]+\?vor=(\d+)#ticker)"', html)
    assert int(older.group(2)) == ids[-20]
    second = client.get(ticker.get_absolute_url(), {"vor": older.group(2)})
    assert entry_ids(second.content.decode()) == ids[::-1][20:40]
    assert "Zu den neuesten Einträgen" in second.content.decode()
    # The script's way to the same page.
    page = updates(client, ticker, vor=older.group(2)).json()
    assert [item["id"] for item in page["entries"]] == ids[::-1][20:40]
    assert page["older_than"] == ids[-40]
    last = client.get(ticker.get_absolute_url(), {"vor": ids[20]}).content.decode()
    assert entry_ids(last) == ids[:20][::-1] and "?vor=" not in last
    # Only the ticker's own entries make pages (each is a cached copy).
    other = ArticleFactory(is_live_ticker=True)
    foreign = fill(other, 1)[0]
    for value in (str(foreign), "999999999", "abc"):
        assert client.get(ticker.get_absolute_url(), {"vor": value}).status_code == 404
    assert client.get(other.get_absolute_url(), {"vor": "abc"}).status_code == 404


def test_plain_article_has_no_older_entries(client):
    article = ArticleFactory()
    assert client.get(article.get_absolute_url(), {"vor": "5"}).status_code == 404
    assert poll(client, article).status_code == 404


def test_queries_do_not_grow_with_the_ticker(client, count_queries, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    settings.NEWSROOM_FRAGMENT_CACHE_SECONDS = 0
    small, large = (ArticleFactory(is_live_ticker=True) for _ in range(2))
    for ticker, count in ((small, 30), (large, 1000)):
        ids = fill(ticker, count)
        LiveEntry.objects.filter(pk__in=ids[-3:]).update(is_key_event=True)
        LiveEntry.objects.filter(pk=ids[-5]).update(is_pinned=True)

    def counts(ticker):
        ids = list(
            LiveEntry.objects.of_ticker(ticker.pk)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        latest = LiveEntryChange.objects.filter(article=ticker).latest("pk").pk
        return [
            count_queries(lambda: client.get(ticker.get_absolute_url())),
            count_queries(
                lambda: client.get(ticker.get_absolute_url(), {"vor": ids[-21]})
            ),
            count_queries(lambda: poll(client, ticker, latest - 3)),
            count_queries(lambda: poll(client, ticker, latest)),
            count_queries(lambda: updates(client, ticker, vor=ids[-21])),
        ]

    small_counts, large_counts = counts(small), counts(large)
    assert small_counts == large_counts
    page, older, changes, unchanged, older_json = large_counts
    # An article page's queries plus five for the ticker (entries, pinned,
    # key events, latest change; an older page checks its entry instead).
    assert page <= 16 and older <= 16
    assert changes <= 6 and unchanged <= 2 and older_json <= 4


def test_endpoint_budget(client, ticker, django_assert_max_num_queries):
    fill(ticker, 50)
    latest = LiveEntryChange.objects.latest("pk").pk
    with django_assert_max_num_queries(2):
        response = poll(client, ticker, latest)
    assert response.status_code == 200


@pytest.mark.parametrize(
    "hidden",
    [
        {"draft": True},
        {"scheduled": True},
        {"embargo_until": timezone.now() + timedelta(hours=1)},
        {"embargo_time_unknown": True},
        {"agency_status": Article.AgencyStatus.WITHHELD},
    ],
    ids=["draft", "scheduled", "embargoed", "embargo-time-unknown", "withheld"],
)
def test_hidden_ticker_shows_no_entry_anywhere(client, hidden):
    ticker = ArticleFactory(is_live_ticker=True, **hidden)
    LiveEntry.objects.create(article=ticker, body="<p>Geheimer Eintrag</p>")
    LiveEntryChange.objects.create(article=ticker, action="added")
    assert client.get(ticker.get_absolute_url()).status_code == 404
    for response in (
        poll(client, ticker),
        updates(client, ticker, vor=LiveEntry.objects.get().pk),
    ):
        assert response.status_code == 404
        assert b"Geheimer" not in response.content


def test_withdrawn_ticker_answers_410_on_page_and_endpoint(client, ticker):
    add(ticker, "Bald zurückgezogen")
    assert poll(client, ticker).status_code == 200
    withdraw_article(ticker, by=None, reason="Rechtliche Gründe")
    assert client.get(ticker.get_absolute_url()).status_code == 410
    response = poll(client, ticker)
    assert (
        response.status_code == 410 and b"zur\\u00fcckgezogen" not in response.content
    )
    assert b"Bald" not in response.content


def test_json_ld_is_a_live_blog_posting_with_the_entries(
    client, ticker, django_capture_on_commit_callbacks
):
    first = add(ticker, "Die Feuerwehr ist im Einsatz.", title="Einsatz")
    second = add(ticker, "Die Altstadt wird geräumt.")
    data = json_ld(client.get(ticker.get_absolute_url()).content.decode())
    assert data["@type"] == "LiveBlogPosting"
    ticker.refresh_from_db()
    assert data["coverageStartTime"] == timezone.localtime(
        ticker.first_published_at
    ).isoformat(timespec="seconds")
    assert "coverageEndTime" not in data, "a running ticker has no end yet"
    updates_ = data["liveBlogUpdate"]
    assert [u["@type"] for u in updates_] == ["BlogPosting", "BlogPosting"]
    assert updates_[0]["articleBody"] == "Die Altstadt wird geräumt."
    assert updates_[0]["url"].endswith(f"#eintrag-{second.pk}")
    assert updates_[1]["headline"] == "Einsatz"
    assert updates_[1]["datePublished"] == timezone.localtime(first.at).isoformat(
        timespec="seconds"
    )
    assert data["dateModified"] == updates_[0]["datePublished"]
    with django_capture_on_commit_callbacks(execute=True):
        live_ticker.end_live_ticker(ticker, by=None)
    ended = json_ld(client.get(ticker.get_absolute_url()).content.decode())
    ticker.refresh_from_db()
    assert ended["coverageEndTime"] == timezone.localtime(
        ticker.live_ended_at
    ).isoformat(timespec="seconds")


def test_plain_article_stays_a_news_article(client):
    article = ArticleFactory()
    data = json_ld(client.get(article.get_absolute_url()).content.decode())
    assert data["@type"] == "NewsArticle" and "liveBlogUpdate" not in data


def test_feed_and_sitemap_list_the_ticker_once_updated_at_its_last_entry(
    client, ticker
):
    fill(ticker, 3)
    last = add(ticker, "Neueste Meldung")
    feed = fromstring(client.get(f"/{ticker.section.slug}/feed/atom/").content)
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [ticker.headline]
    updated = datetime.fromisoformat(entries[0].findtext(f"{ATOM}updated"))
    assert abs(updated - last.at) < timedelta(seconds=1)
    page = f"/sitemap-artikel-{article_page_number(ticker.pk)}.xml"
    sitemap = fromstring(client.get(page).content)
    rows = [
        url
        for url in sitemap.findall(f"{SITEMAP}url")
        if url.findtext(f"{SITEMAP}loc").endswith(ticker.get_absolute_url())
    ]
    assert len(rows) == 1
    lastmod = datetime.fromisoformat(rows[0].findtext(f"{SITEMAP}lastmod"))
    assert abs(lastmod - last.at) < timedelta(seconds=1)
    assert b"#eintrag" not in client.get(page).content


def search(client, text: str) -> list[str]:
    """Headlines the site search finds for `text`."""
    # What a search finds, not whether its page is kept (test_search_cache.py).
    with override_settings(NEWSROOM_SEARCH_CACHE_SECONDS=0):
        response = client.get(reverse("articles:search"), {"q": text})
    return [row["headline"] for row in response.context["found"].rows]


def test_search_finds_the_ticker_by_the_words_of_its_entries(client, ticker):
    ArticleFactory(headline="Ein anderer Artikel", body="<p>Deichschau</p>")
    entry = add(ticker, "Glutnester im Dachstuhl.", title="Nachlöscharbeiten")
    add(ticker, "Die Deichschau beginnt.")
    assert search(client, "Glutnester") == [ticker.headline]
    assert search(client, "Nachlöscharbeiten") == [ticker.headline]
    # Words of the article and of two entries together.
    assert search(client, "Hochwasser Glutnester Deichschau") == [ticker.headline]
    live_ticker.correct_live_entry(
        ticker, entry, by=None, body="<p>Eine Brandwache bleibt.</p>"
    )
    assert search(client, "Glutnester") == []
    assert search(client, "Brandwache") == [ticker.headline]
    live_ticker.delete_live_entry(ticker, entry, by=None)
    assert search(client, "Brandwache") == []
    assert sorted(search(client, "Deichschau")) == [
        "Ein anderer Artikel",
        ticker.headline,
    ]
    # The article's own words stay found through all of it.
    ticker.headline = "Hochwasser: die Nacht im Liveticker"
    ticker.save()
    assert search(client, "Nacht") == [ticker.headline]
    assert search(client, "Deichschau Nacht") == [ticker.headline]


@pytest.mark.parametrize("kind", HIDDEN)
def test_search_finds_no_hidden_ticker_by_its_entries(client, kind):
    hidden = ArticleFactory(is_live_ticker=True, **hidden_variants()[kind])
    LiveEntry.objects.create(article=hidden, body="<p>Geheimer Brandherd</p>")
    visible = ArticleFactory(is_live_ticker=True, headline="Sichtbarer Ticker")
    LiveEntry.objects.create(article=visible, body="<p>Offener Brandherd</p>")
    assert search(client, "Brandherd") == ["Sichtbarer Ticker"]
    assert search(client, "Geheimer") == []
