from datetime import timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import pytest
from defusedxml.ElementTree import fromstring
from django.utils import timezone

from articles.public.feeds import section_feed
from teasers.models import Rail
from teasers.services import sponsored_click_url
from tests.factories import (
    AgencyFactory,
    ArticleFactory,
    ArticlePhotoFactory,
    AuthorFactory,
    PhotoFactory,
    RailFactory,
    RailItemFactory,
    SectionFactory,
    SponsoredSlotFactory,
)
from tests.hidden_articles import create_hidden_articles
from tests.http import shared_cache_seconds

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
MEDIA = "{http://search.yahoo.com/mrss/}"
DC = "{http://purl.org/dc/elements/1.1/}"


def rss_items(response) -> list:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    return fromstring(response.content).findall("channel/item")


def atom_entries(response) -> list:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    return fromstring(response.content).findall(f"{ATOM}entry")


def assert_absolute(url: str) -> None:
    parts = urlsplit(url)
    assert parts.scheme == "http" and parts.netloc == "testserver", url


def test_section_rss_entry_has_what_feed_readers_show(client):
    section = SectionFactory(slug="digital", name="Digital")
    use = ArticlePhotoFactory(
        article__section=section,
        article__teaser="WhatsApp will Geld.",
        article__embargo_until=timezone.now() - timedelta(hours=2),
        photo__credit_line="Peter Kneffel/dpa",
        photo__alt_text="Ein Smartphone",
    )
    article = use.article
    article.first_published_at = article.embargo_until
    article.save()
    article.authors.add(AuthorFactory(name="Andrej Sokolow"))
    [item] = rss_items(client.get("/digital/feed/"))

    assert item.findtext("title") == article.headline
    assert item.findtext("link") == f"http://testserver{article.get_absolute_url()}"
    assert item.findtext("description") == "WhatsApp will Geld."
    assert item.findtext("guid") == f"urn:newsroom:rheinblick:article:{article.pk}"
    # Readers first saw it when the embargo ended, not at its publication time.
    published = parsedate_to_datetime(item.findtext("pubDate"))
    assert abs(published - article.embargo_until) < timedelta(seconds=1)
    assert item.findtext(f"{DC}creator") == "Andrej Sokolow"
    assert [c.text for c in item.findall("category")] == ["Digital"]
    enclosure = item.find("enclosure")
    assert enclosure.get("type") == "image/jpeg"
    assert_absolute(enclosure.get("url"))
    media = item.find(f"{MEDIA}content")
    assert media.get("url") == enclosure.get("url")
    assert (media.get("width"), media.get("height")) == ("160", "90")
    assert media.findtext(f"{MEDIA}credit") == "Peter Kneffel/dpa"
    assert media.findtext(f"{MEDIA}description") == "Ein Smartphone"
    # The address answers with the picture.
    image = client.get(enclosure.get("url"))
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"


def test_section_atom_entry_names_the_agency_without_authors(client):
    section = SectionFactory(slug="welt")
    article = ArticleFactory(section=section, agency=AgencyFactory(), byline="")
    feed = client.get("/welt/feed/atom/")
    [entry] = atom_entries(feed)
    assert entry.findtext(f"{ATOM}title") == article.headline
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "dpa"
    assert entry.findtext(f"{ATOM}id") == article.urn
    link = entry.find(f"{ATOM}link[@rel='alternate']").get("href")
    assert link == f"http://testserver{article.get_absolute_url()}"
    assert entry.findtext(f"{ATOM}published")
    assert entry.findtext(f"{ATOM}updated")
    root = fromstring(feed.content)
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == (
        "http://testserver/welt/feed/atom/"
    )


def test_a_hostile_headline_stays_text(client):
    section = SectionFactory(slug="kultur")
    ArticleFactory(
        section=section,
        headline='"Tom" & <script>Jerry</script>',
        teaser="<b>fett</b>",
    )
    [item] = rss_items(client.get("/kultur/feed/"))
    # RSS readers read titles as HTML: escaped once more, shown as typed.
    assert item.findtext("title") == '"Tom" &amp; &lt;script&gt;Jerry&lt;/script&gt;'
    assert item.findtext("description") == "&lt;b&gt;fett&lt;/b&gt;"
    [entry] = atom_entries(client.get("/kultur/feed/atom/"))
    assert entry.findtext(f"{ATOM}title") == '"Tom" & <script>Jerry</script>'
    assert entry.findtext(f"{ATOM}summary") == "&lt;b&gt;fett&lt;/b&gt;"


def test_front_page_feed_is_the_front_page_with_sponsored_teasers(client):
    rail = RailFactory(kind=Rail.Kind.CURATED)
    first = RailItemFactory(rail=rail, position=1, headline="Aus der Leiste")
    second = RailItemFactory(rail=rail, position=2)
    ArticleFactory(headline="Nicht auf der Startseite")
    slot = SponsoredSlotFactory(
        rail=rail, position=2, headline="Traumreise", photo=PhotoFactory()
    )

    items = rss_items(client.get("/feed/"))
    assert [item.findtext("title") for item in items] == [
        "Aus der Leiste",  # the editor's headline on the front page
        "Anzeige: Traumreise",
        second.article.headline,
    ]
    assert items[0].findtext("guid") == first.article.urn
    sponsored = items[1]
    assert sponsored.findtext("link") == f"http://testserver{sponsored_click_url(slot)}"
    assert [c.text for c in sponsored.findall("category")] == ["Anzeige"]
    assert sponsored.findtext(f"{DC}creator") == "Traumlos Soziallotterie"
    assert sponsored.find("enclosure") is not None
    # The click address leads on to the advertiser.
    assert client.get(sponsored.findtext("link")).status_code == 302

    entries = atom_entries(client.get("/feed/atom/"))
    assert entries[1].findtext(f"{ATOM}title") == "Anzeige: Traumreise"
    assert entries[1].find(f"{ATOM}category").get("term") == "Anzeige"


def test_hidden_articles_are_in_no_feed(client):
    section = SectionFactory(slug="lokal")
    ArticleFactory(section=section, headline="Sichtbar")
    hidden = create_hidden_articles(section=section)
    curated = RailFactory(kind=Rail.Kind.CURATED)
    for article in hidden:
        RailItemFactory(rail=curated, article=article)
    RailFactory(kind=Rail.Kind.AUTOMATIC, size=20)
    for url in ["/feed/", "/feed/atom/", "/lokal/feed/", "/lokal/feed/atom/"]:
        content = client.get(url).content.decode()
        assert "Sichtbar" in content
        assert "Geheim" not in content, url


def test_a_photo_leaves_the_feed_when_its_licence_ends(client, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 3600
    section = SectionFactory(slug="sport")
    ends = timezone.now() + timedelta(minutes=10)
    ArticlePhotoFactory(article__section=section, photo__licence_expires_at=ends)
    response = client.get("/sport/feed/")
    [item] = rss_items(response)
    assert item.find(f"{MEDIA}content") is not None
    # The cached feed lasts no longer than the licence.
    seconds = shared_cache_seconds(response)
    assert 590 <= seconds <= 600
    later = section_feed(section, at=ends + timedelta(seconds=1))
    assert [entry.photo for entry in later.entries] == [None]


def test_a_killed_photo_is_not_in_the_feed(client):
    section = SectionFactory(slug="politik")
    ArticlePhotoFactory(
        article__section=section,
        photo__killed_at=timezone.now() - timedelta(minutes=1),
    )
    [item] = rss_items(client.get("/politik/feed/"))
    assert item.find("enclosure") is None
    assert item.find(f"{MEDIA}content") is None


def test_cached_feed_expires_when_a_scheduled_article_goes_live(client):
    section = SectionFactory(slug="wirtschaft")
    ArticleFactory(section=section)
    ArticleFactory(section=section, published_at=timezone.now() + timedelta(seconds=25))
    response = client.get("/wirtschaft/feed/")
    assert len(rss_items(response)) == 1
    seconds = shared_cache_seconds(response)
    assert 20 <= seconds <= 25


def test_unknown_section_has_no_feed(client):
    assert client.get("/gibt-es-nicht/feed/").status_code == 404


def test_pages_announce_their_feeds(client):
    SectionFactory(slug="sport", name="Sport")
    front = client.get("/").content.decode()
    assert (
        '<link rel="alternate" type="application/rss+xml" title="Rheinblick" '
        'href="/feed/">'
    ) in front
    assert "/sport/feed/" not in front
    section = client.get("/sport/").content.decode()
    assert 'href="/feed/"' in section
    assert (
        '<link rel="alternate" type="application/rss+xml" title="Rheinblick – Sport" '
        'href="/sport/feed/">'
    ) in section


def build_feeds(number_of_articles: int) -> None:
    section = SectionFactory(slug="nachrichten")
    photo = PhotoFactory()
    author = AuthorFactory()
    curated = RailFactory(slug="curated", kind=Rail.Kind.CURATED, size=60)
    RailFactory(slug="automatic", kind=Rail.Kind.AUTOMATIC, size=60)
    for article in ArticleFactory.create_batch(
        number_of_articles, section=section, agency=AgencyFactory()
    ):
        ArticlePhotoFactory(article=article, photo=photo)
        article.authors.add(author)
        RailItemFactory(rail=curated, article=article)
    SponsoredSlotFactory(rail=curated, photo=photo)


FEED_URLS = ["/feed/", "/feed/atom/", "/nachrichten/feed/", "/nachrichten/feed/atom/"]


@pytest.mark.parametrize("url", FEED_URLS)
def test_feed_query_count_does_not_grow_with_articles(
    client, count_queries, settings, url
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0  # every request builds the feed
    build_feeds(3)
    few = count_queries(lambda: client.get(url))
    build_feeds(40)
    assert count_queries(lambda: client.get(url)) == few


@pytest.mark.parametrize("url", FEED_URLS[:2])
def test_front_page_feed_query_budget(client, django_assert_max_num_queries, url):
    build_feeds(30)
    # rails, pins, sponsored slots, next scheduled change, one per automatic
    # rail, shown articles, their photos (assemble_page); the articles with
    # section and agency, their authors
    with django_assert_max_num_queries(9):
        response = client.get(url)
    assert response.content.decode().count("urn:newsroom:rheinblick:") == 31


@pytest.mark.parametrize("url", FEED_URLS[2:])
def test_section_feed_query_budget(client, django_assert_max_num_queries, url):
    build_feeds(30)
    # section, articles with section and agency, their authors, lead photos,
    # next scheduled change
    with django_assert_max_num_queries(5):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", FEED_URLS)
def test_cached_feed_needs_no_query(client, django_assert_num_queries, url):
    build_feeds(2)
    first = client.get(url)
    with django_assert_num_queries(0):
        again = client.get(url)
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    assert "public" in again["Cache-Control"]
