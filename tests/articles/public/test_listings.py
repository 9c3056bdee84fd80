from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Author, Region, Tag
from tests.factories import (
    ArticleFactory,
    ArticlePhotoFactory,
    AuthorFactory,
    PhotoFactory,
    RegionFactory,
    SectionFactory,
    TagFactory,
)
from tests.hidden_articles import HIDDEN, hidden_variants
from tests.http import shared_cache_seconds

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")


def berlin(*args) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


def shown(response) -> list[str]:
    # The rows the template turns into teasers (teasers_for), in order.
    return [row["headline"] for row in response.context["articles"]]


def day_url(day) -> str:
    return reverse("articles:archive_day", args=[day.year, day.month, day.day])


class TestRegionTagAuthor:
    @pytest.mark.parametrize(
        ("name", "make"),
        [
            ("region", lambda: RegionFactory(slug="koeln", name="Köln")),
            ("tag", lambda: TagFactory(slug="karneval", name="Karneval")),
            ("author", lambda: AuthorFactory(slug="anna", name="Anna Schmidt")),
        ],
    )
    def test_lists_the_visible_articles_newest_first(self, client, name, make):
        subject = make()
        relation = {"region": "regions", "tag": "tags", "author": "authors"}[name]
        now = timezone.now()
        older = ArticleFactory(headline="Älter", published_at=now - timedelta(days=1))
        newer = ArticleFactory(headline="Neuer", published_at=now - timedelta(hours=1))
        for article in [older, newer]:
            getattr(article, relation).add(subject)
        ArticleFactory(headline="Ohne Bezug")
        response = client.get(reverse(f"articles:{name}", args=[subject.slug]))
        html = response.content.decode()
        assert response.status_code == 200
        assert shown(response) == ["Neuer", "Älter"]
        assert subject.name in html
        assert "Ohne Bezug" not in html

    @pytest.mark.parametrize("name", ["region", "tag", "author", "section"])
    def test_unknown_slug_answers_404(self, client, name):
        ArticleFactory()
        response = client.get(reverse(f"articles:{name}", args=["gibt-es-nicht"]))
        assert response.status_code == 404

    def test_empty_list_says_so(self, client):
        RegionFactory(slug="bonn", name="Bonn")
        html = client.get("/region/bonn/").content.decode()
        assert "Aus Bonn gibt es noch keine Artikel." in html


@pytest.mark.parametrize("kind", HIDDEN)
def test_hidden_articles_appear_on_no_listing_page(client, kind):
    section = SectionFactory(slug="lokales")
    region = RegionFactory(slug="koeln")
    tag = TagFactory(slug="karneval")
    author = AuthorFactory(slug="anna")
    day = timezone.localdate() - timedelta(days=1)
    noon = datetime.combine(day, datetime.min.time(), tzinfo=BERLIN) + timedelta(
        hours=12
    )
    # Drafts have no publication time, scheduled articles a future one.
    hidden_on_that_day = (
        {} if kind in {"draft", "scheduled"} else {"published_at": noon}
    )
    for headline, overrides in [
        ("Sichtbar", {"published_at": noon}),
        ("Versteckt", {**hidden_variants()[kind], **hidden_on_that_day}),
    ]:
        article = ArticleFactory(headline=headline, section=section, **overrides)
        article.regions.add(region)
        article.tags.add(tag)
        article.authors.add(author)
    for url in [
        "/lokales/",
        "/region/koeln/",
        "/thema/karneval/",
        "/autor/anna/",
        day_url(day),
        reverse("articles:archive_month", args=[day.year, day.month]),
    ]:
        response = client.get(url)
        assert shown(response) == ["Sichtbar"], url
        assert "Versteckt" not in response.content.decode(), url


class TestPagination:
    @pytest.mark.parametrize("url", ["/region/koeln/", "/lokales/"])
    def test_pages_link_each_other_in_head_and_nav(self, client, settings, url):
        settings.NEWSROOM_SECTION_PAGE_SIZE = 2
        region = RegionFactory(slug="koeln")
        for article in ArticleFactory.create_batch(5, section__slug="lokales"):
            article.regions.add(region)

        first = client.get(url)
        html = first.content.decode()
        assert len(shown(first)) == 2
        assert '<link rel="next" href="?page=2">' in html
        assert '<a rel="next" href="?page=2">Nächste Seite</a>' in html
        assert 'rel="prev"' not in html
        assert '<nav class="pagination" aria-label="Seiten">' in html
        assert "Seite 1 von 3" in html

        second = client.get(url, {"page": 2})
        html = second.content.decode()
        # Page 1 is the list's own address.
        assert f'<link rel="prev" href="{url}">' in html
        assert f'<a rel="prev" href="{url}">Vorherige Seite</a>' in html
        assert '<link rel="next" href="?page=3">' in html
        assert "– Seite 2 –" in html

        last = client.get(url, {"page": 3})
        assert len(shown(last)) == 1
        assert '<link rel="prev" href="?page=2">' in last.content.decode()
        assert 'rel="next"' not in last.content.decode()

    def test_a_single_page_has_no_pagination(self, client):
        ArticleFactory(section__slug="lokales")
        html = client.get("/lokales/").content.decode()
        assert 'class="pagination"' not in html
        assert 'rel="next"' not in html

    @pytest.mark.parametrize("page", ["4", "0", "zwei", "1 ", "9" * 30])
    def test_pages_that_do_not_exist_answer_404(self, client, settings, page):
        settings.NEWSROOM_SECTION_PAGE_SIZE = 2
        ArticleFactory.create_batch(5, section__slug="lokales")
        assert client.get("/lokales/", {"page": page}).status_code == 404

    def test_links_carry_no_other_parameters(self, client, settings):
        settings.NEWSROOM_SECTION_PAGE_SIZE = 2
        ArticleFactory.create_batch(3, section__slug="lokales")
        html = client.get("/lokales/", {"utm_source": "x<y"}).content.decode()
        assert '<link rel="next" href="?page=2">' in html
        assert "utm_source" not in html


class TestArchive:
    def test_day_holds_the_articles_of_that_day_in_berlin(self, client):
        # Midnight in Berlin is 23:00 UTC the day before (winter time).
        ArticleFactory(
            headline="Nach Mitternacht", published_at=berlin(2025, 3, 10, 0, 5)
        )
        ArticleFactory(
            headline="Vor Mitternacht", published_at=berlin(2025, 3, 10, 23, 55)
        )
        ArticleFactory(headline="Vortag", published_at=berlin(2025, 3, 9, 23, 55))
        ArticleFactory(headline="Folgetag", published_at=berlin(2025, 3, 11, 0, 5))
        response = client.get("/archiv/2025/03/10/")
        html = response.content.decode()
        assert response.status_code == 200
        assert shown(response) == ["Vor Mitternacht", "Nach Mitternacht"]
        assert "Artikel vom Montag, 10. März 2025" in html

    def test_day_links_the_nearest_days_with_articles(self, client):
        ArticleFactory(published_at=berlin(2025, 3, 1, 12, 0))
        ArticleFactory(published_at=berlin(2025, 3, 10, 12, 0))
        ArticleFactory(published_at=berlin(2025, 3, 20, 12, 0))
        # Hidden articles make no day worth a link.
        ArticleFactory(published_at=berlin(2025, 3, 15, 12, 0), status="withdrawn")
        html = client.get("/archiv/2025/03/10/").content.decode()
        assert '<a href="/archiv/2025/03/01/">Vorheriger Tag: 1. März 2025</a>' in html
        assert '<a href="/archiv/2025/03/20/">Nächster Tag: 20. März 2025</a>' in html
        assert '<a href="/archiv/2025/03/">Alle Artikel im März 2025</a>' in html
        first = client.get("/archiv/2025/03/01/").content.decode()
        assert "Vorheriger Tag" not in first

    def test_day_without_articles_says_so(self, client):
        ArticleFactory(published_at=berlin(2025, 3, 1, 12, 0))
        response = client.get("/archiv/2025/03/05/")
        assert response.status_code == 200
        assert (
            "An diesem Tag sind keine Artikel erschienen." in response.content.decode()
        )
        assert "Vorheriger Tag: 1. März 2025" in response.content.decode()

    def test_month_lists_its_articles_and_links_neighbouring_months(self, client):
        ArticleFactory(headline="Januar", published_at=berlin(2025, 1, 31, 23, 30))
        ArticleFactory(headline="Anfang März", published_at=berlin(2025, 3, 1, 0, 30))
        ArticleFactory(headline="Ende März", published_at=berlin(2025, 3, 31, 23, 30))
        ArticleFactory(headline="Mai", published_at=berlin(2025, 5, 1, 0, 30))
        response = client.get("/archiv/2025/03/")
        html = response.content.decode()
        assert shown(response) == ["Ende März", "Anfang März"]
        assert "Artikel im März 2025" in html
        assert '<a href="/archiv/2025/01/">Vorheriger Monat: Januar 2025</a>' in html
        assert '<a href="/archiv/2025/05/">Nächster Monat: Mai 2025</a>' in html

    @pytest.mark.parametrize(
        "url",
        [
            "/archiv/2025/02/30/",
            "/archiv/2025/13/01/",
            "/archiv/2025/00/",
            "/archiv/0000/01/01/",
            "/archiv/2025/3/1/",
            "/archiv/25/03/01/",
        ],
    )
    def test_dates_that_do_not_exist_answer_404(self, client, url):
        assert client.get(url).status_code == 404

    def test_future_days_and_months_answer_404(self, client):
        tomorrow = timezone.localdate() + timedelta(days=1)
        assert client.get(day_url(tomorrow)).status_code == 404
        month = reverse("articles:archive_month", args=[tomorrow.year + 1, 1])
        assert client.get(month).status_code == 404
        assert client.get(day_url(timezone.localdate())).status_code == 200


class TestCache:
    def test_listing_page_is_served_from_the_cache(
        self, client, django_assert_num_queries
    ):
        article = ArticleFactory(headline="Gespeichert")
        article.regions.add(RegionFactory(slug="koeln"))
        first = client.get("/region/koeln/")
        assert "s-maxage=" in first["Cache-Control"]
        with django_assert_num_queries(0):
            again = client.get("/region/koeln/")
        assert "Gespeichert" in again.content.decode()
        # Each page is stored apart.
        assert client.get("/region/koeln/", {"page": 2}).status_code == 404

    def test_cached_listing_expires_when_a_scheduled_article_goes_live(self, client):
        ArticleFactory(section__slug="lokales")
        ArticleFactory(
            section__slug="lokales",
            published_at=timezone.now() + timedelta(seconds=25),
        )
        response = client.get("/lokales/")
        seconds = shared_cache_seconds(response)
        assert 20 <= seconds <= 25


def build_listings(number_of_articles: int):
    """Illustrated articles by two authors with two tags, all on one day."""
    section = SectionFactory(slug="lokales")
    region, _created = Region.objects.get_or_create(slug="koeln", name="Köln")
    tag, _created = Tag.objects.get_or_create(slug="karneval", name="Karneval")
    author, _created = Author.objects.get_or_create(slug="anna", name="Anna")
    photo = PhotoFactory()
    yesterday = timezone.now() - timedelta(days=1)
    for _ in range(number_of_articles):
        article = ArticleFactory(section=section, published_at=yesterday)
        ArticlePhotoFactory(article=article, photo=photo)
        article.regions.add(region, RegionFactory())
        article.tags.add(tag, TagFactory())
        article.authors.add(author, AuthorFactory())


def listing_urls() -> dict[str, str]:
    yesterday = timezone.localdate() - timedelta(days=1)
    return {
        "section": "/lokales/",
        "region": "/region/koeln/",
        "tag": "/thema/karneval/",
        "author": "/autor/anna/",
        "day": day_url(yesterday),
        "month": reverse(
            "articles:archive_month", args=[yesterday.year, yesterday.month]
        ),
    }


# The subject (section, region, tag or author; none for the archive), count,
# page of articles, their photos, next scheduled change (page cache),
# navigation, breaking news banner; the archive adds the nearest days before
# and after.
BUDGETS = {"section": 7, "region": 7, "tag": 7, "author": 7, "day": 8, "month": 8}


@pytest.mark.parametrize("page", list(BUDGETS))
def test_listing_query_count_does_not_grow(
    client, settings, count_queries, django_assert_max_num_queries, page
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0  # every request builds the page
    settings.NEWSROOM_FRAGMENT_CACHE_SECONDS = 0  # and its navigation
    settings.NEWSROOM_SECTION_PAGE_SIZE = 50
    url = listing_urls()[page]
    build_listings(3)
    few = count_queries(lambda: client.get(url))
    build_listings(30)
    with django_assert_max_num_queries(BUDGETS[page]) as many:
        response = client.get(url)
    assert len(response.context["articles"]) == 33
    assert few == len(many)


def test_lists_and_search_results_show_each_teasers_date(client):
    section = SectionFactory(slug="koeln")
    ArticleFactory(
        section=section,
        headline="Pegel steigt",
        published_at=timezone.make_aware(datetime(2025, 3, 12, 18, 30)),
    )
    # Absolute in the markup: neither the page cache nor the memoised
    # teaser can freeze "vor 5 Min." (the browser writes that).
    expected = (
        '<time class="teaser__date" datetime="2025-03-12T18:30:00+01:00" '
        "data-relative>12.03.2025, 18:30 Uhr</time>"
    )
    for address in [section.get_absolute_url(), "/archiv/2025/03/", "/suche/?q=Pegel"]:
        assert expected in client.get(address).content.decode(), address
