import io
import json
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from PIL import Image

from articles.workflow.previews import preview_link
from tests.factories import (
    AgencyFactory,
    ArticleFactory,
    ArticlePhotoFactory,
    AuthorFactory,
)

pytestmark = pytest.mark.django_db


class Head(HTMLParser):
    """The machine-readable parts of a page's <head>."""

    def __init__(self, html: str):
        super().__init__()
        self.meta: dict[str, str] = {}
        self.links: dict[str, str] = {}
        self.json_ld: list[str] = []
        self._in_json_ld = False
        self.feed(html[: html.index("<body")])

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and "content" in attrs:
            self.meta[attrs.get("property") or attrs.get("name")] = attrs["content"]
        elif tag == "link":
            self.links[attrs["rel"]] = attrs["href"]
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_json_ld = True

    def handle_endtag(self, tag):
        self._in_json_ld = False

    def handle_data(self, data):
        if self._in_json_ld:
            self.json_ld.append(data)

    @property
    def structured_data(self) -> dict:
        [text] = self.json_ld
        return json.loads(text)


def head_of(client, article) -> Head:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return Head(response.content.decode())


def image_size(client, url: str) -> tuple[int, int]:
    response = client.get(url)
    assert response.status_code == 200
    return Image.open(io.BytesIO(b"".join(response.streaming_content))).size


def test_article_head_has_canonical_opengraph_and_twitter_card(client):
    use = ArticlePhotoFactory(
        article__teaser="WhatsApp will Geld.",
        photo__image__width=1600,
        photo__image__height=1200,
        photo__alt_text="Ein Smartphone",
    )
    article = use.article
    head = head_of(client, article)
    url = f"http://testserver{article.get_absolute_url()}"
    assert head.links["canonical"] == url
    assert head.meta["description"] == "WhatsApp will Geld."
    assert head.meta["og:type"] == "article"
    assert head.meta["og:locale"] == "de_DE"
    assert head.meta["og:title"] == article.headline
    assert head.meta["og:description"] == "WhatsApp will Geld."
    assert head.meta["og:url"] == url
    assert head.meta["og:image"].startswith("http://testserver/bild/")
    assert head.meta["og:image"].endswith("/16x9-1280.jpg")
    size = (int(head.meta["og:image:width"]), int(head.meta["og:image:height"]))
    assert size == (1280, 720) == image_size(client, head.meta["og:image"])
    # Link previews show the photo elsewhere: with its credit (issue 15).
    assert head.meta["og:image:alt"] == "Ein Smartphone (Foto: Peter Kneffel/dpa)"
    assert head.meta["twitter:image:alt"] == head.meta["og:image:alt"]
    published = parse_datetime(head.meta["article:published_time"])
    assert abs(published - article.published_at) < timedelta(seconds=1)
    assert head.meta["article:modified_time"]
    assert head.meta["twitter:card"] == "summary_large_image"
    assert head.meta["twitter:image"] == head.meta["og:image"]
    assert "robots" not in head.meta


def test_news_article_structured_data(client):
    use = ArticlePhotoFactory(
        caption="WhatsApp will Geld.",
        photo__credit_line="Peter Kneffel/dpa",
        photo__copyright_notice="© dpa 2026",
    )
    article = use.article
    article.authors.add(AuthorFactory(name="Andrej Sokolow"))
    article.authors.add(AuthorFactory(name="Anna Ringle"))
    data = head_of(client, article).structured_data
    url = f"http://testserver{article.get_absolute_url()}"
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == article.headline
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert data["isAccessibleForFree"] is True
    assert data["author"] == [
        {"@type": "Person", "name": "Andrej Sokolow"},
        {"@type": "Person", "name": "Anna Ringle"},
    ]
    published = parse_datetime(data["datePublished"])
    assert abs(published - article.published_at) < timedelta(seconds=1)
    assert parse_datetime(data["dateModified"]) >= published
    [wide, classic, square] = data["image"]
    assert (wide["width"] * 9, classic["width"] * 3) == (
        wide["height"] * 16,
        classic["height"] * 4,
    )
    assert square["width"] == square["height"]
    assert wide["@type"] == "ImageObject"
    assert wide["creditText"] == "Peter Kneffel/dpa"
    assert wide["copyrightNotice"] == "© dpa 2026"
    assert wide["caption"] == "WhatsApp will Geld."
    for image in data["image"]:
        assert image_size(client, image["url"]) == (image["width"], image["height"])
    publisher = data["publisher"]
    assert publisher["@type"] == "Organization"
    assert publisher["name"] == "Rheinblick"
    logo = publisher["logo"]
    assert logo["url"] == "http://testserver/static/img/logo.png"
    with Image.open(finders.find("img/logo.png")) as drawn:
        assert drawn.format == "PNG"
        assert drawn.size == (logo["width"], logo["height"])


def test_link_previews_and_structured_data_credit_the_photo_they_show(client):
    dpa = AgencyFactory(short_name="dpa", name="Deutsche Presse-Agentur")
    lead = ArticlePhotoFactory(
        position=0,
        photo__alt_text="Die Brücke",
        photo__creator="",
        photo__credit_line="",
        photo__agency=dpa,
    )
    ArticlePhotoFactory(
        article=lead.article,
        position=1,
        photo__alt_text="Ein anderes Bild",
        photo__creator="Anna Alt",
        photo__credit_line="Anna Alt/epd",
    )
    head = head_of(client, lead.article)
    assert head.meta["og:image:alt"] == "Die Brücke (Foto: dpa)"
    assert head.meta["twitter:image:alt"] == "Die Brücke (Foto: dpa)"
    photo_id = str(lead.photo.pk)
    assert f"/bild/{photo_id}/" in head.meta["og:image"]
    assert head.meta["twitter:image"] == head.meta["og:image"]
    for image in head.structured_data["image"]:
        assert f"/bild/{photo_id}/" in image["url"]
        assert image["creditText"] == "dpa"
        assert image["copyrightNotice"] == "© dpa"
        # No photographer named: the agency is the creator.
        assert image["creator"] == {
            "@type": "Organization",
            "name": "Deutsche Presse-Agentur",
        }
        assert image["copyrightHolder"]["name"] == "Deutsche Presse-Agentur"


def test_the_structured_data_names_the_photographer_as_creator(client):
    use = ArticlePhotoFactory(photo__creator="Peter Kneffel")
    [wide, *_] = head_of(client, use.article).structured_data["image"]
    assert wide["creator"] == {"@type": "Person", "name": "Peter Kneffel"}
    assert wide["creditText"] == "Peter Kneffel/dpa"
    assert wide["copyrightNotice"] == "© Peter Kneffel/dpa"


def test_agency_copy_names_the_agency_as_author(client):
    article = ArticleFactory(
        agency=AgencyFactory(), byline="Von Andrej Sokolow, dpa", teaser=""
    )
    head = head_of(client, article)
    data = head.structured_data
    assert data["author"] == [
        {"@type": "Organization", "name": "Deutsche Presse-Agentur"}
    ]
    assert "description" not in data and "og:description" not in head.meta
    # No photo: no image for search engines, the logo for link previews.
    assert "image" not in data
    assert head.meta["twitter:card"] == "summary"
    assert head.meta["og:image"] == "http://testserver/static/img/logo.png"


def test_a_photo_past_its_licence_is_not_in_the_head(client):
    use = ArticlePhotoFactory(
        photo__licence_expires_at=timezone.now() - timedelta(minutes=1)
    )
    head = head_of(client, use.article)
    assert "/bild/" not in "".join(head.meta.values())
    assert "image" not in head.structured_data


def test_a_hostile_headline_cannot_leave_the_script(client):
    headline = 'Tom </script><script>alert("x")</script> & <!-- Jerry'
    article = ArticleFactory(headline=headline, teaser="</SCRIPT>")
    html = client.get(article.get_absolute_url()).content.decode()
    script = html[html.index('<script type="application/ld+json">') :]
    script = script[: script.index("</script>")]
    assert "<" not in script.removeprefix("<script")
    head = Head(html)
    assert head.structured_data["headline"] == headline
    assert head.structured_data["description"] == "</SCRIPT>"
    assert head.meta["og:title"] == headline


def test_preview_is_noindex_without_canonical_or_structured_data(client):
    article = ArticleFactory(draft=True)
    response = client.get(preview_link(article))
    assert response.status_code == 200
    head = Head(response.content.decode())
    assert head.meta["robots"] == "noindex, nofollow"
    assert "canonical" not in head.links
    assert "og:url" not in head.meta
    assert head.json_ld == []


def title_of(client, article) -> str:
    html = client.get(article.get_absolute_url()).content.decode()
    return html[html.index("<title>") + 7 : html.index("</title>")]


def test_without_seo_and_social_fields_everything_falls_back(client):
    use = ArticlePhotoFactory(
        article__headline="Rat beschließt Radweg",
        article__teaser="Ab Frühjahr.",
        photo__image__width=1600,
        photo__image__height=1200,
    )
    article = use.article
    head = head_of(client, article)
    assert title_of(client, article) == "Rat beschließt Radweg – Rheinblick"
    assert head.meta["description"] == "Ab Frühjahr."
    assert head.meta["og:title"] == head.meta["twitter:title"] == article.headline
    assert head.meta["og:description"] == "Ab Frühjahr."
    assert head.meta["og:image"].endswith("/16x9-1280.jpg")
    assert head.structured_data["headline"] == article.headline
    assert head.structured_data["description"] == "Ab Frühjahr."
    assert "robots" not in head.meta


def test_seo_and_social_fields_are_used_where_each_belongs(client):
    use = ArticlePhotoFactory(
        article__headline="Rat beschließt Radweg",
        article__teaser="Ab Frühjahr.",
        article__seo_title="Radweg Ringstraße: Bau beginnt im März",
        article__meta_description="Was der Stadtrat zum Radweg beschlossen hat.",
        article__social_title="Endlich: der Radweg kommt",
        article__social_teaser="Drei Jahre Streit, jetzt einstimmig.",
        photo__image__width=1600,
        photo__image__height=1200,
    )
    article = use.article
    social = ArticlePhotoFactory(
        photo__image__width=2000,
        photo__image__height=1500,
        photo__alt_text="Radfahrer am Ring",
        photo__credit_line="Oliver Berg/dpa",
    ).photo
    article.social_photo = social
    article.save()
    head = head_of(client, article)
    assert title_of(client, article) == (
        "Radweg Ringstraße: Bau beginnt im März – Rheinblick"
    )
    assert head.meta["description"] == "Was der Stadtrat zum Radweg beschlossen hat."
    data = head.structured_data
    assert data["headline"] == "Radweg Ringstraße: Bau beginnt im März"
    assert data["description"] == "Was der Stadtrat zum Radweg beschlossen hat."
    assert head.meta["og:title"] == head.meta["twitter:title"]
    assert head.meta["og:title"] == "Endlich: der Radweg kommt"
    assert head.meta["og:description"] == "Drei Jahre Streit, jetzt einstimmig."
    assert head.meta["twitter:description"] == head.meta["og:description"]
    # The social photo, cropped 1.91:1, with its credit.
    assert head.meta["og:image"].startswith(f"http://testserver/bild/{social.pk}/")
    assert head.meta["og:image"].endswith("/191x100-1280.jpg")
    width, height = image_size(client, head.meta["og:image"])
    assert (width, height) == (
        int(head.meta["og:image:width"]),
        int(head.meta["og:image:height"]),
    )
    assert abs(width / height - 1.91) < 0.01
    assert head.meta["og:image:alt"] == "Radfahrer am Ring (Foto: Oliver Berg/dpa)"
    # The structured data keeps the lead photo the page shows.
    assert head.meta["og:image"] not in {image["url"] for image in data["image"]}


def test_a_social_photo_that_is_the_lead_photo_is_cropped_for_previews(client):
    use = ArticlePhotoFactory(photo__image__width=1600, photo__image__height=1200)
    article = use.article
    article.social_photo = use.photo
    article.save()
    head = head_of(client, article)
    assert head.meta["og:image"].startswith(f"http://testserver/bild/{use.photo_id}/")
    assert head.meta["og:image"].endswith("/191x100-1280.jpg")
    width, height = image_size(client, head.meta["og:image"])
    assert abs(width / height - 1.91) < 0.01


def test_an_unusable_social_photo_falls_back_to_the_lead_photo(client):
    use = ArticlePhotoFactory(photo__image__width=1600, photo__image__height=1200)
    article = use.article
    article.social_photo = ArticlePhotoFactory(
        photo__killed_at=timezone.now() - timedelta(minutes=1)
    ).photo
    article.save()
    head = head_of(client, article)
    assert head.meta["og:image"].endswith("/16x9-1280.jpg")
    assert head.meta["og:image:alt"].endswith(f"(Foto: {use.photo.credit})")


def test_noindex_and_canonical_override(client):
    article = ArticleFactory(
        noindex=True, canonical_url="https://www.partnerzeitung.de/radweg-1234"
    )
    head = head_of(client, article)
    assert head.meta["robots"] == "noindex"
    assert head.links["canonical"] == "https://www.partnerzeitung.de/radweg-1234"
    assert head.meta["og:url"] == head.links["canonical"]
    assert head.structured_data["mainEntityOfPage"]["@id"] == head.links["canonical"]


def test_updated_on_is_shown_after_a_substantial_update_and_json_ld_agrees(client):
    now = timezone.now()
    article = ArticleFactory(published_at=now - timedelta(days=1))
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Aktualisiert am" not in html
    data = Head(html).structured_data
    assert data["dateModified"] == data["datePublished"]

    updated = (now - timedelta(hours=2)).replace(microsecond=0)
    article = ArticleFactory(published_at=now - timedelta(days=1), updated_at=updated)
    html = client.get(article.get_absolute_url()).content.decode()
    shown = timezone.localtime(updated)
    assert f'Aktualisiert am <time datetime="{shown:%Y-%m-%dT%H:%M:%S%z}">' in html
    head = Head(html)
    assert parse_datetime(head.structured_data["dateModified"]) == updated
    assert parse_datetime(head.meta["article:modified_time"]) == updated
