"""An embargoed story shows, and is sorted by, the time readers could first
see it (its release: publication or embargo end, whichever is later)."""

import json
import re
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest
from defusedxml.ElementTree import fromstring
from django.urls import reverse
from django.utils import timezone

from articles.workflow import services
from tests.factories import ArticleFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db

NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def stories():
    """(filed early, released late) and (published in between, no embargo)."""
    section = SectionFactory(slug="nachrichten", name="Nachrichten")
    now = timezone.now().replace(microsecond=0)
    editor = UserFactory(is_superuser=True)
    # Filed five hours ago under an embargo that ended one hour ago.
    embargoed = ArticleFactory(
        draft=True,
        section=section,
        headline="Studie mit Sperrfrist Wasserstand",
        embargo_until=now - timedelta(hours=1),
    )
    services.publish_article(embargoed, by=editor, at=now - timedelta(hours=5))
    plain = ArticleFactory(
        section=section,
        headline="Meldung ohne Sperrfrist Wasserstand",
        published_at=now - timedelta(hours=3),
    )
    return embargoed, plain, now - timedelta(hours=1)


def test_lists_and_search_sort_by_the_release(client, stories):
    embargoed, plain, _released = stories
    expected = [embargoed.headline, plain.headline]
    section = client.get(reverse("articles:section", args=["nachrichten"]))
    assert [row["headline"] for row in section.context["articles"]] == expected
    found = client.get(reverse("articles:search"), {"q": "Wasserstand"})
    assert [row["headline"] for row in found.context["found"].rows] == expected


def test_the_article_page_shows_the_release_everywhere_alike(client, stories):
    embargoed, _plain, released = stories
    html = client.get(embargoed.get_absolute_url()).content.decode()
    shown = re.search(r'<time datetime="([^"]+)">([^<]+)</time>', html)
    assert datetime.fromisoformat(shown[1]) == released
    local = timezone.localtime(released)
    assert f"{local:%H:%M} Uhr" in shown[2]
    meta = re.search(r'property="article:published_time" content="([^"]+)"', html)
    assert datetime.fromisoformat(meta[1]) == released
    ld = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1]
    )
    assert datetime.fromisoformat(ld["datePublished"]) == released


def test_feed_sitemap_and_export_agree_on_the_release(client, stories):
    embargoed, plain, released = stories
    feed = client.get(reverse("articles:section_feed", args=["nachrichten"]))
    items = fromstring(feed.content).findall("channel/item")
    assert [item.findtext("title") for item in items] == [
        embargoed.headline,
        plain.headline,
    ]
    assert parsedate_to_datetime(items[0].findtext("pubDate")) == released

    news = fromstring(client.get("/sitemap-news.xml").content)
    first = news.find(f"{SITEMAP}url")
    assert first.findtext(f"{SITEMAP}loc").endswith(embargoed.get_absolute_url())
    published = first.findtext(f"{NEWS}news/{NEWS}publication_date")
    assert datetime.fromisoformat(published) == released

    export = client.get(reverse("articles:ninjs_list")).json()["items"]
    assert [item["headlines"][0]["value"] for item in export] == [
        embargoed.headline,
        plain.headline,
    ]
    assert datetime.fromisoformat(export[0]["firstcreated"]) == released
