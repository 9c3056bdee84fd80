from datetime import timedelta

import pytest
from defusedxml.ElementTree import fromstring
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import parse_http_date

from articles.models import Article
from articles.models.articles import start_of_day
from articles.public import sitemaps
from tests.factories import ArticleFactory, SectionFactory
from tests.hidden_articles import create_hidden_articles
from tests.http import shared_cache_seconds

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    return fromstring(response.content)


def urls(response) -> dict:
    """{location: <url> element} of a sitemap."""
    return {
        url.findtext(f"{SITEMAP}loc"): url
        for url in parse(response).findall(f"{SITEMAP}url")
    }


def absolute(article: Article) -> str:
    return f"http://testserver{article.get_absolute_url()}"


def test_index_lists_a_sitemap_per_month_then_sections_pages_and_news(client):
    now = timezone.now()
    this_month = timezone.localdate(now).replace(day=1)
    two_months_ago = (this_month - timedelta(days=40)).replace(day=1)
    old = ArticleFactory(published_at=start_of_day(two_months_ago) + timedelta(hours=9))
    recent = ArticleFactory.create_batch(2)
    SectionFactory(slug="noch-leer")
    create_hidden_articles()
    index = parse(client.get("/sitemap.xml"))
    entries = {
        entry.findtext(f"{SITEMAP}loc"): entry.findtext(f"{SITEMAP}lastmod")
        for entry in index.findall(f"{SITEMAP}sitemap")
    }
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    assert list(entries) == [
        "http://testserver/sitemap-artikel.xml",
        f"http://testserver/sitemap-artikel-{last_month:%Y-%m}.xml",
        f"http://testserver/sitemap-artikel-{two_months_ago:%Y-%m}.xml",
        "http://testserver/sitemap-ressorts.xml",
        "http://testserver/sitemap-seiten.xml",
        "http://testserver/sitemap-galerien.xml",
        "http://testserver/sitemap-news.xml",
    ]
    assert parse_datetime(entries["http://testserver/sitemap-news.xml"])
    assert set(urls(client.get("/sitemap-artikel.xml"))) == set(map(absolute, recent))
    assert urls(client.get(f"/sitemap-artikel-{last_month:%Y-%m}.xml")) == {}
    month = urls(client.get(f"/sitemap-artikel-{two_months_ago:%Y-%m}.xml"))
    assert list(month) == [absolute(old)]
    for name in ("artikel-2024-13", "artikel-24-01", "artikel-2024-1"):
        assert client.get(f"/sitemap-{name}.xml").status_code == 404


def test_an_earlier_month_does_not_expire_by_itself(client, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 3600
    now = timezone.now()
    last_month = (timezone.localdate(now).replace(day=1) - timedelta(days=1)).replace(
        day=1
    )
    ArticleFactory(published_at=start_of_day(last_month) + timedelta(hours=9))
    # Going live soon: only this month's sitemap changes then.
    ArticleFactory(published_at=now + timedelta(minutes=5))
    earlier = client.get(f"/sitemap-artikel-{last_month:%Y-%m}.xml")
    this = client.get("/sitemap-artikel.xml")
    assert shared_cache_seconds(earlier) == 3600
    assert shared_cache_seconds(this) <= 300


def test_article_sitemap_has_visible_articles_with_lastmod(client):
    visible = ArticleFactory(published_at=timezone.now() - timedelta(days=400))
    # Saved yesterday, live since an hour: it changed for the public then.
    went_live = ArticleFactory(published_at=timezone.now() - timedelta(hours=1))
    Article.objects.filter(pk=went_live.pk).update(
        modified_at=timezone.now() - timedelta(days=1)
    )
    create_hidden_articles()
    month = timezone.localdate(visible.published_at)
    found = urls(client.get("/sitemap-artikel.xml"))
    found |= urls(client.get(f"/sitemap-artikel-{month:%Y-%m}.xml"))
    assert set(found) == {absolute(visible), absolute(went_live)}
    lastmod = parse_datetime(found[absolute(went_live)].findtext(f"{SITEMAP}lastmod"))
    assert abs(lastmod - went_live.published_at) < timedelta(seconds=1)


def test_section_sitemap_lists_section_pages(client):
    sport = SectionFactory(slug="sport")
    SectionFactory(slug="leer")
    newest = ArticleFactory(section=sport)
    ArticleFactory(section=sport, published_at=timezone.now() - timedelta(days=3))
    create_hidden_articles(section=sport)  # a scheduled one is newer
    found = urls(client.get("/sitemap-ressorts.xml"))
    assert set(found) == {"http://testserver/sport/", "http://testserver/leer/"}
    lastmod = parse_datetime(
        found["http://testserver/sport/"].findtext(f"{SITEMAP}lastmod")
    )
    assert abs(lastmod - newest.published_at) < timedelta(seconds=1)
    assert found["http://testserver/leer/"].find(f"{SITEMAP}lastmod") is None


def test_news_sitemap_has_the_last_two_days(client):
    now = timezone.now()
    recent = ArticleFactory(
        headline="Tom & <b>Jerry</b>", published_at=now - timedelta(hours=47)
    )
    ArticleFactory(headline="Zu alt", published_at=now - timedelta(hours=49))
    # Published long ago under embargo, first seen an hour ago: news now.
    embargoed = ArticleFactory(
        published_at=now - timedelta(days=5),
        embargo_until=now - timedelta(hours=1),
        first_published_at=now - timedelta(hours=1),
    )
    create_hidden_articles()
    response = client.get("/sitemap-news.xml")
    found = urls(response)
    assert list(found) == [absolute(embargoed), absolute(recent)]
    news = found[absolute(recent)].find(f"{NEWS}news")
    assert news.findtext(f"{NEWS}publication/{NEWS}name") == "Rheinblick"
    assert news.findtext(f"{NEWS}publication/{NEWS}language") == "de"
    assert news.findtext(f"{NEWS}title") == "Tom & <b>Jerry</b>"
    published = parse_datetime(news.findtext(f"{NEWS}publication_date"))
    assert abs(published - recent.published_at) < timedelta(seconds=1)
    assert "Geheim" not in response.content.decode()


def test_news_sitemap_holds_at_most_the_limit(client, monkeypatch):
    monkeypatch.setattr(sitemaps, "NEWS_LIMIT", 2)
    articles = ArticleFactory.create_batch(3)
    assert list(urls(client.get("/sitemap-news.xml"))) == [
        absolute(articles[2]),
        absolute(articles[1]),
    ]


def test_news_sitemap_expires_when_an_article_leaves_the_window(client, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 3600
    ArticleFactory(published_at=timezone.now() - timedelta(days=2, seconds=-30))
    response = client.get("/sitemap-news.xml")
    assert len(urls(response)) == 1
    seconds = shared_cache_seconds(response)
    assert 25 <= seconds <= 30


def test_sitemap_expires_when_a_scheduled_article_goes_live(client, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 3600
    ArticleFactory(published_at=timezone.now() + timedelta(seconds=25))
    for url in ["/sitemap.xml", "/sitemap-artikel.xml", "/sitemap-ressorts.xml"]:
        response = client.get(url)
        seconds = shared_cache_seconds(response)
        assert 20 <= seconds <= 25, url


def test_unknown_sitemap_answers_404(client):
    assert client.get("/sitemap-gibtsnicht.xml").status_code == 404


def test_robots_txt_points_at_the_sitemaps(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    for path in ["/admin/", "/vorschau/", "/suche/"]:
        assert f"Disallow: {path}" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Sitemap: http://testserver/sitemap-news.xml" in lines
    assert "Disallow: /" not in lines  # the site itself stays open


def test_robots_txt_names_the_requested_host(client, settings):
    settings.ALLOWED_HOSTS = ["www.example.com", "testserver"]
    client.get("/robots.txt")  # cached for testserver
    text = client.get("/robots.txt", HTTP_HOST="www.example.com").content.decode()
    assert "Sitemap: http://www.example.com/sitemap.xml" in text


SITEMAP_URLS = [
    "/sitemap.xml",
    "/sitemap-artikel.xml",
    "/sitemap-ressorts.xml",
    "/sitemap-news.xml",
    "/robots.txt",
]


def build_site(number_of_articles: int) -> None:
    for section in SectionFactory.create_batch(3):
        ArticleFactory.create_batch(number_of_articles, section=section)


@pytest.mark.parametrize("url", SITEMAP_URLS)
def test_sitemap_query_count_does_not_grow_with_articles(
    client, count_queries, settings, url
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    build_site(2)
    few = count_queries(lambda: client.get(url))
    build_site(30)
    assert count_queries(lambda: client.get(url)) == few


@pytest.mark.parametrize(
    ("url", "budget"),
    [
        # per sitemap: articles' count and newest change; sections with their
        # newest article; news articles; next scheduled change; galleries
        # with a picture to show and the next gallery going live
        ("/sitemap.xml", 7),
        # galleries with a picture to show, the next one going live, next
        # scheduled article (asked for every sitemap but the months')
        ("/sitemap-galerien.xml", 3),
        # count, page of articles, next scheduled change
        ("/sitemap-artikel.xml", 3),
        # sections with their newest article, next scheduled change
        ("/sitemap-ressorts.xml", 2),
        # the news articles, next scheduled change
        ("/sitemap-news.xml", 2),
        ("/robots.txt", 0),
    ],
)
def test_sitemap_query_budget(client, django_assert_max_num_queries, url, budget):
    build_site(10)
    with django_assert_max_num_queries(budget):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", SITEMAP_URLS)
def test_cached_sitemap_needs_no_query(client, django_assert_num_queries, url):
    build_site(2)
    first = client.get(url)
    with django_assert_num_queries(0):
        again = client.get(url)
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    assert "public" in again["Cache-Control"]


def test_article_sitemaps_answer_as_djangos_view_did(client):
    article = ArticleFactory(headline="Tom & Jerry")
    article.refresh_from_db()
    for url in ("/sitemap-artikel.xml", "/sitemap-news.xml"):
        response = client.get(url)
        assert list(urls(response)) == [absolute(article)]
        assert response["X-Robots-Tag"] == "noindex, noodp, noarchive"
        assert parse_http_date(response["Last-Modified"]) == int(
            article.modified_at.timestamp()
        )
        assert client.get(url + "?p=2").status_code == 404


def test_noindex_and_articles_first_published_elsewhere_are_not_listed(client):
    listed = ArticleFactory()
    hidden = [
        ArticleFactory(noindex=True),
        ArticleFactory(canonical_url="https://www.partnerzeitung.de/a-1"),
    ]
    for address in ("/sitemap-artikel.xml", "/sitemap-news.xml"):
        found = urls(client.get(address))
        assert absolute(listed) in found, address
        assert not {absolute(article) for article in hidden} & set(found), address
