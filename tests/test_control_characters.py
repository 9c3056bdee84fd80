"""Control characters in stored text break no page, feed, sitemap or export.

Rows stored before text was cleaned on saving (articles/models/fields.py)
may hold them, so they are written here with `QuerySet.update()`, which
writes around the cleaning: every field a public surface shows gets some.
Every surface must answer as usual, every machine output must parse, and
none may carry a control character on.
"""

import json
from datetime import timedelta

import pytest
from defusedxml.ElementTree import fromstring
from django.db import connection
from django.utils import timezone

from articles.models import (
    Agency,
    Article,
    ArticlePhoto,
    Author,
    CorrectionNote,
    Photo,
    Region,
    Section,
    Tag,
)
from articles.public.sitemaps import article_page_number
from articles.sanitising import UNWANTED_CHARACTERS
from teasers.models import Rail, RailItem, SponsoredSlot
from tests.factories import (
    AgencyFactory,
    ArticleFactory,
    ArticlePhotoFactory,
    AuthorFactory,
    PhotoFactory,
    RailFactory,
    RailItemFactory,
    RegionFactory,
    SectionFactory,
    SponsoredSlotFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db


def controls() -> str:
    """Control characters the database can hold: PostgreSQL refuses NUL."""
    # Escape, DEL, a C1 control, BEL, U+FFFF.
    text = "\x1b\x7f\x9b\x07\uffff"
    return text if connection.vendor == "postgresql" else text + "\x00"


# Vertical tab, form feed, unit separator and NEL separate words: they
# become spaces, so they go at the end, where they are stripped.
SEPARATORS = "\x0b\x0c\x1f\x85"


def dirty(text: str) -> str:
    middle = len(text) // 2
    return f"{controls()}{text[:middle]}{controls()}{text[middle:]}{SEPARATORS}"


@pytest.fixture
def site():
    """An article with all that is shown around it, then dirtied in place."""
    section = SectionFactory(slug="lokales", name="Lokales")
    article = ArticleFactory(
        section=section,
        agency=AgencyFactory(),
        headline="Hafenfest am Rhein",
        kicker="Feiern",
        teaser="Drei Tage Musik.",
        byline="Von Anna Schmidt",
        dateline="Köln",
        body="<p>Erster Absatz.</p>",
        published_at=timezone.now() - timedelta(hours=1),
    )
    article.authors.add(AuthorFactory(slug="anna-schmidt", name="Anna Schmidt"))
    article.tags.add(TagFactory(slug="hafen", name="Hafen"))
    article.regions.add(RegionFactory(slug="rheinland", name="Rheinland"))
    ArticlePhotoFactory(
        article=article,
        caption="Bühne am Ufer",
        photo=PhotoFactory(alt_text="Eine Bühne", credit_line="Peter Kneffel/dpa"),
    )
    CorrectionNote.objects.create(article=article, text="Datum berichtigt.")
    rail = RailFactory(slug="kuratiert", kind=Rail.Kind.CURATED, size=5)
    RailItemFactory(rail=rail, article=article, kicker="Fest", headline="Hafenfest")
    SponsoredSlotFactory(rail=rail, photo=PhotoFactory(alt_text="Anzeigenbild"))
    dirty_every_shown_field()
    return article


SHOWN_FIELDS = {
    Article: ["headline", "kicker", "teaser", "byline", "dateline", "body"],
    Author: ["name"],
    Section: ["name"],
    Tag: ["name"],
    Region: ["name"],
    Agency: ["name", "short_name"],
    Photo: ["caption", "alt_text", "creator", "credit_line", "copyright_notice"],
    ArticlePhoto: ["caption"],
    CorrectionNote: ["text"],
    RailItem: ["kicker", "headline", "teaser"],
    SponsoredSlot: ["advertiser", "kicker", "headline", "teaser"],
}


def dirty_every_shown_field():
    for model, fields in SHOWN_FIELDS.items():
        for row in model.objects.all():
            values = {}
            for field in fields:
                text = getattr(row, field) or field
                if field == "body":
                    values[field] = text.replace("Erster", dirty("Erster"))
                else:
                    values[field] = dirty(text)
            model.objects.filter(pk=row.pk).update(**values)


def assert_no_controls(text: str) -> None:
    # Tab, newline and carriage return are what XML and JSON allow.
    found = set(UNWANTED_CHARACTERS.findall(text)) - {"\r"}
    assert not found, sorted(found)


XML_OUTPUTS = [
    "/feed/",
    "/feed/atom/",
    "/lokales/feed/",
    "/lokales/feed/atom/",
    "/sitemap.xml",
    "/sitemap-artikel-{page}.xml",  # the page of the newest article
    "/sitemap-ressorts.xml",
    "/sitemap-news.xml",
]


@pytest.mark.parametrize("url", XML_OUTPUTS)
def test_machine_xml_parses_without_control_characters(client, site, url):
    newest = Article.objects.published().latest("pk")
    response = client.get(url.format(page=article_page_number(newest.pk)))
    assert response.status_code == 200
    text = response.content.decode()
    fromstring(response.content)
    assert_no_controls(text)


def test_feed_entries_keep_the_text_around_the_control_characters(client, site):
    channel = fromstring(client.get("/lokales/feed/").content).find("channel")
    assert channel.findtext("title").strip().endswith("Lokales")
    [item] = channel.findall("item")
    media = "{http://search.yahoo.com/mrss/}"
    shown = {
        "title": "Hafenfest am Rhein",
        "description": "Drei Tage Musik.",
        "category": "Lokales",
        f"{media}content/{media}credit": "Peter Kneffel/dpa",
        f"{media}content/{media}description": "Eine Bühne",
    }
    assert {path: item.findtext(path).strip() for path in shown} == shown


def test_news_sitemap_title_is_the_cleaned_headline(client, site):
    root = fromstring(client.get("/sitemap-news.xml").content)
    news = "{http://www.google.com/schemas/sitemap-news/0.9}"
    assert [title.text.strip() for title in root.iter(f"{news}title")] == [
        "Hafenfest am Rhein"
    ]


@pytest.mark.parametrize("url", ["/api/ninjs/", "/api/ninjs/{pk}/"])
def test_ninjs_export_carries_no_control_characters(client, site, url):
    response = client.get(url.format(pk=site.pk))
    assert response.status_code == 200
    data = json.loads(response.content)
    # Parsed: JSON would carry them escaped ("\u001b").
    assert_no_controls(json.dumps(data, ensure_ascii=False))
    item = data["items"][0] if "items" in data else data
    assert item["headlines"][0]["value"].strip() == "Hafenfest am Rhein"
    assert item["by"].strip() == "Anna Schmidt"
    association = item["associations"][0]
    assert association["by"].strip() == "Peter Kneffel/dpa"
    alt = [d["value"] for d in association["descriptions"] if d["role"] == "alt"]
    assert [text.strip() for text in alt] == ["Eine Bühne"]


PAGES = [
    "/",
    "/lokales/",
    "/thema/hafen/",
    "/autor/anna-schmidt/",
    "/region/rheinland/",
    "/suche/",
    "/suche/?q=Absatz",
    "/robots.txt",
]


@pytest.mark.parametrize("url", PAGES)
def test_pages_answer_despite_control_characters(client, site, url):
    assert client.get(url).status_code == 200


def test_article_and_archive_pages_answer_despite_control_characters(client, site):
    day = timezone.localdate(site.published_at)
    for url in [site.get_absolute_url(), f"/archiv/{day:%Y/%m/%d}/"]:
        assert client.get(url).status_code == 200, url
