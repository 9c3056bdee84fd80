from datetime import timedelta

import pytest
from defusedxml.ElementTree import fromstring
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import parse_http_date

from articles.models import Article
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


def page_url(article: Article) -> str:
    """The articles' sitemap page that lists `article`."""
    return f"/sitemap-artikel-{sitemaps.article_page_number(article.pk)}.xml"


def index_entries(client) -> dict:
    """{location: lastmod text or None} of the sitemap index, in order."""
    index = parse(client.get("/sitemap.xml"))
    return {
        entry.findtext(f"{SITEMAP}loc"): entry.findtext(f"{SITEMAP}lastmod")
        for entry in index.findall(f"{SITEMAP}sitemap")
    }


def test_index_lists_the_article_pages_newest_first_then_the_others(client, settings):
    settings.NEWSROOM_SITEMAP_PAGE_SIZE = 2
    # Ids grow by one per article (on PostgreSQL they start where earlier
    # tests left the sequence): the first page may hold one or two of them.
    articles = ArticleFactory.create_batch(5)
    SectionFactory(slug="noch-leer")
    create_hidden_articles()  # higher ids, none visible: no page of theirs
    numbers = range(
        sitemaps.article_page_number(articles[-1].pk),
        sitemaps.article_page_number(articles[0].pk) - 1,
        -1,
    )
    entries = index_entries(client)
    assert list(entries) == [
        *(f"http://testserver/sitemap-artikel-{number}.xml" for number in numbers),
        "http://testserver/sitemap-ressorts.xml",
        "http://testserver/sitemap-seiten.xml",
        "http://testserver/sitemap-galerien.xml",
        "http://testserver/sitemap-news.xml",
    ]
    assert parse_datetime(entries["http://testserver/sitemap-news.xml"])
    # The open page says when it last changed; a closed one's lastmod would
    # read the whole archive, its entries carry theirs.
    lastmods = list(entries.values())[: len(numbers)]
    assert abs(parse_datetime(lastmods[0]) - articles[-1].modified_at) < timedelta(
        seconds=1
    )
    assert lastmods[1:] == [None] * (len(numbers) - 1)
    listed = []
    for number in reversed(numbers):
        page = list(urls(client.get(f"/sitemap-artikel-{number}.xml")))
        assert 1 <= len(page) <= 2
        listed += page
    assert listed == [absolute(article) for article in articles]


def test_a_page_keeps_its_articles_as_new_ones_arrive(client, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0  # the factory purges nothing
    settings.NEWSROOM_SITEMAP_PAGE_SIZE = 3
    first = ArticleFactory()
    page = page_url(first)
    before = list(urls(client.get(page)))
    later = ArticleFactory.create_batch(4)
    # The earlier articles stay where they were; the new ones fill the open
    # page, then the next.
    after = list(urls(client.get(page)))
    assert after[: len(before)] == before
    assert set(after) == {
        absolute(article) for article in [first, *later] if page_url(article) == page
    }
    assert page_url(later[-1]) != page
    assert list(urls(client.get(page_url(later[-1]))))[-1] == absolute(later[-1])


def test_the_monthly_addresses_move_to_the_index(client):
    ArticleFactory()
    for name in ("artikel", "artikel-2024-05", "artikel-2019-12"):
        response = client.get(f"/sitemap-{name}.xml")
        assert response.status_code == 301, name
        assert response["Location"] == "/sitemap.xml"
    for name in ("artikel-2024-13", "artikel-24-01", "artikel-2024-1", "artikel-0"):
        assert client.get(f"/sitemap-{name}.xml").status_code == 404, name


def test_a_page_past_the_open_one_answers_404_and_an_empty_one_200(client, settings):
    settings.NEWSROOM_SITEMAP_PAGE_SIZE = 2
    first, *rest = ArticleFactory.create_batch(5)
    Article.objects.filter(pk__in=[article.pk for article in rest[:3]]).update(
        visible_from=None
    )
    number = sitemaps.article_page_number(rest[-1].pk)
    assert client.get(f"/sitemap-artikel-{number + 1}.xml").status_code == 404
    assert list(urls(client.get(page_url(rest[-1])))) == [absolute(rest[-1])]
    # A page whose articles are all hidden stays in the index, empty.
    hidden = sitemaps.article_page_number(rest[1].pk)
    if hidden not in (
        sitemaps.article_page_number(first.pk),
        sitemaps.article_page_number(rest[-1].pk),
    ):
        assert urls(client.get(f"/sitemap-artikel-{hidden}.xml")) == {}


def test_a_page_expires_when_an_article_of_its_range_goes_live(client, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 3600
    settings.NEWSROOM_SITEMAP_PAGE_SIZE = 2
    now = timezone.now()
    articles = ArticleFactory.create_batch(5)
    # An old id published later (a draft scheduled now): its page changes
    # then; the others do not change by themselves. In the middle, so that
    # its page also holds a visible article (a page without one before the
    # first or past the last visible article answers 404).
    scheduled = articles[2]
    Article.objects.filter(pk=scheduled.pk).update(
        published_at=now + timedelta(minutes=5), visible_from=now + timedelta(minutes=5)
    )
    on_its_page = client.get(page_url(scheduled))
    assert 200 <= shared_cache_seconds(on_its_page) <= 300
    others = {page_url(article) for article in articles} - {page_url(scheduled)}
    assert others
    for address in others:
        assert shared_cache_seconds(client.get(address)) == 3600, address


def test_article_sitemap_has_visible_articles_with_lastmod(client):
    visible = ArticleFactory(published_at=timezone.now() - timedelta(days=400))
    # Saved yesterday, live since an hour: it changed for the public then.
    went_live = ArticleFactory(published_at=timezone.now() - timedelta(hours=1))
    Article.objects.filter(pk=went_live.pk).update(
        modified_at=timezone.now() - timedelta(days=1)
    )
    hidden = create_hidden_articles()
    found = {}
    for address in {page_url(article) for article in [visible, went_live, *hidden]}:
        found |= urls(client.get(address))
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
    # The articles' pages: test_a_page_expires_when_an_article_of_its_range…
    for url in ["/sitemap.xml", "/sitemap-ressorts.xml"]:
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


# {page}: the open page of the articles' sitemap.
SITEMAP_URLS = [
    "/sitemap.xml",
    "/sitemap-artikel-{page}.xml",
    "/sitemap-ressorts.xml",
    "/sitemap-news.xml",
    "/robots.txt",
]


def build_site(number_of_articles: int) -> None:
    for section in SectionFactory.create_batch(3):
        ArticleFactory.create_batch(number_of_articles, section=section)


def open_page(url: str) -> str:
    newest = Article.objects.published().latest("pk")
    return url.format(page=sitemaps.article_page_number(newest.pk))


@pytest.mark.parametrize("url", SITEMAP_URLS)
def test_sitemap_query_count_does_not_grow_with_articles(
    client, count_queries, settings, url
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    build_site(2)
    few = count_queries(lambda: client.get(open_page(url)))
    build_site(30)
    assert count_queries(lambda: client.get(open_page(url))) == few


@pytest.mark.parametrize(
    ("url", "budget"),
    [
        # the articles' first and last visible id, the open page's newest
        # change; sections with their newest article; site pages; news
        # articles; next scheduled change; galleries with a picture to show
        # and the next gallery going live
        ("/sitemap.xml", 8),
        # galleries with a picture to show, the next one going live, next
        # scheduled article (asked for every sitemap but the articles' pages)
        ("/sitemap-galerien.xml", 3),
        # the page's articles, the next to go live in its range
        ("/sitemap-artikel-{page}.xml", 2),
        # sections with their newest article, next scheduled change
        ("/sitemap-ressorts.xml", 2),
        # the news articles, next scheduled change
        ("/sitemap-news.xml", 2),
        ("/robots.txt", 0),
    ],
)
def test_sitemap_query_budget(client, django_assert_max_num_queries, url, budget):
    build_site(10)
    url = open_page(url)
    with django_assert_max_num_queries(budget):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", SITEMAP_URLS)
def test_cached_sitemap_needs_no_query(client, django_assert_num_queries, url):
    build_site(2)
    url = open_page(url)
    first = client.get(url)
    with django_assert_num_queries(0):
        again = client.get(url)
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    assert "public" in again["Cache-Control"]


def test_article_sitemaps_answer_as_djangos_view_did(client):
    article = ArticleFactory(headline="Tom & Jerry")
    article.refresh_from_db()
    for url in (page_url(article), "/sitemap-news.xml"):
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
    pages = {page_url(article) for article in [listed, *hidden]}
    in_pages = {}
    for address in pages:
        in_pages |= urls(client.get(address))
    for found in (in_pages, urls(client.get("/sitemap-news.xml"))):
        assert absolute(listed) in found
        assert not {absolute(article) for article in hidden} & set(found)
