import io
import json
from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from PIL import Image

from articles.models import Article
from tests.articles.importers.reading import agency_items
from tests.articles.public.conftest import assert_valid
from tests.factories import (
    AgencyFactory,
    ArticleFactory,
    ArticlePhotoFactory,
    AuthorFactory,
    PhotoFactory,
    RegionFactory,
    SectionFactory,
    TagFactory,
)
from tests.hidden_articles import HIDDEN, create_hidden_articles, hidden_variants
from tests.http import shared_cache_seconds

pytestmark = pytest.mark.django_db


def get_json(client, url: str, status: int = 200):
    response = client.get(url)
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()


def image_size(client, url: str) -> tuple[int, int]:
    response = client.get(url)
    assert response.status_code == 200
    return Image.open(io.BytesIO(b"".join(response.streaming_content))).size


def full_article() -> Article:
    use = ArticlePhotoFactory(
        article__kicker="Kurzmitteilungsdienst",
        article__headline="WhatsApp soll bald für einige Geld kosten!",
        article__teaser="Der Messenger will Geld.",
        article__body='<p>Erster Absatz mit <a href="/digital/">Link</a>.</p>',
        article__dateline="Mountain View",
        article__agency=AgencyFactory(),
        article__section=SectionFactory(slug="digital", name="Digital"),
        caption="WhatsApp will Geld von Unternehmen.",
        photo__image__width=2400,
        photo__image__height=1600,
        photo__credit_line="Peter Kneffel/dpa",
        photo__copyright_notice="© dpa 2026",
        photo__usage_terms="Nur redaktionelle Nutzung.",
        photo__web_statement="https://www.dpa.de/rechte",
        photo__licence_expires_at=timezone.now() + timedelta(days=30),
    )
    article = use.article
    article.authors.add(AuthorFactory(name="Andrej Sokolow"))
    article.tags.add(TagFactory(name="Messenger", slug="messenger"))
    article.regions.add(RegionFactory(name="Köln", slug="koeln"))
    return article


def test_one_article_as_valid_ninjs(client, ninjs_validator):
    article = full_article()
    item = get_json(client, f"/api/ninjs/{article.pk}/")
    assert_valid(ninjs_validator, item)
    url = f"http://testserver{article.get_absolute_url()}"
    assert item["uri"] == f"urn:newsroom:rheinblick:article:{article.pk}"
    assert item["type"] == "text"
    assert item["pubstatus"] == "usable"
    assert item["language"] == "de"
    assert item["standard"]["version"] == "2.2"
    assert item["altids"] == [{"role": "url", "value": url}]
    assert item["headlines"] == [
        {"role": "main", "value": "WhatsApp soll bald für einige Geld kosten!"},
        {"role": "kicker", "value": "Kurzmitteilungsdienst"},
    ]
    assert item["descriptions"][0]["value"] == "Der Messenger will Geld."
    [body] = item["bodies"]
    assert body["contenttype"] == "text/html"
    assert 'href="http://testserver/digital/"' in body["value"]
    assert item["by"] == "Andrej Sokolow"
    assert item["located"] == "Mountain View"
    assert item["copyrightholder"] == "Deutsche Presse-Agentur"
    assert item["subjects"] == [
        {
            "name": "Digital",
            "rel": "section",
            "literal": "digital",
            "uri": "http://testserver/digital/",
        },
        {"name": "Messenger", "rel": "tag", "literal": "messenger"},
    ]
    assert item["places"] == [{"name": "Köln", "literal": "koeln"}]
    first_seen = datetime.fromisoformat(item["firstcreated"])
    assert abs(first_seen - article.published_at) < timedelta(seconds=1)
    assert datetime.fromisoformat(item["versioncreated"]) >= first_seen

    [photo] = item["associations"]
    assert photo["name"] == "featureimage"
    assert photo["type"] == "picture"
    assert photo["by"] == "Peter Kneffel/dpa"
    assert photo["copyrightnotice"] == "© dpa 2026"
    assert photo["copyrightholder"] == "Deutsche Presse-Agentur"
    assert photo["rightsinfo"] == {"linkedrights": "https://www.dpa.de/rechte"}
    assert photo["usageterms"].startswith("Nur redaktionelle Nutzung. Nutzung nur bis")
    roles = {d["role"]: d["value"] for d in photo["descriptions"]}
    assert roles["caption"] == "WhatsApp will Geld von Unternehmen."
    assert roles["creditline"] == "Peter Kneffel/dpa"
    names = [rendition["name"] for rendition in photo["renditions"]]
    assert names == ["original", "16x9", "4x3", "1x1", "thumbnail"]
    for rendition in photo["renditions"]:
        assert rendition["href"].startswith("http://testserver/bild/")
        size = (rendition["width"], rendition["height"])
        assert image_size(client, rendition["href"]) == size
    assert photo["renditions"][0]["width"] == 1920


def test_our_own_importer_reads_the_export(client):
    article = full_article()
    response = client.get(f"/api/ninjs/{article.pk}/")
    [parsed] = agency_items(response.content, format="ninjs")
    assert parsed.external_id == article.urn
    assert parsed.headline == article.headline
    assert parsed.teaser == article.teaser
    assert parsed.dateline == "Mountain View"
    [photo] = parsed.photos
    assert photo.credit_line == "Peter Kneffel/dpa"
    assert photo.caption == "WhatsApp will Geld von Unternehmen."
    assert photo.width == 1920


def test_a_bare_article_is_valid_too(client, ninjs_validator):
    article = ArticleFactory(kicker="", teaser="", body="", byline="")
    item = get_json(client, f"/api/ninjs/{article.pk}/")
    assert_valid(ninjs_validator, item)
    assert "associations" not in item and "by" not in item
    assert item["copyrightholder"] == "Rheinblick"


def test_the_schema_check_can_fail(ninjs_validator):
    # ninjs 1.x fields and sloppy dates are refused: the test above means it.
    assert list(ninjs_validator.iter_errors({"uri": "urn:x:1", "body_html": "<p>"}))
    assert list(
        ninjs_validator.iter_errors({"uri": "urn:x:1", "versioncreated": "gestern"})
    )
    assert list(ninjs_validator.iter_errors({"uri": "kein uri"}))


def test_list_pages_through_the_newest_articles(client, ninjs_validator):
    articles = [
        ArticleFactory(published_at=timezone.now() - timedelta(minutes=n))
        for n in range(25)
    ]
    create_hidden_articles()
    first = get_json(client, "/api/ninjs/")
    assert first["count"] == 25
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/ninjs/?page=2"
    second = get_json(client, first["next"])
    assert second["next"] is None
    assert second["previous"] == "http://testserver/api/ninjs/?page=1"
    items = first["items"] + second["items"]
    assert [item["uri"] for item in items] == [a.urn for a in articles]
    for item in items:
        assert_valid(ninjs_validator, item)
    assert "Geheim" not in json.dumps(items, ensure_ascii=False)
    assert get_json(client, "/api/ninjs/?page=3", status=404) == {
        "error": "no such page"
    }


def test_since_keeps_what_appeared_or_changed_since(client):
    now = timezone.now()
    old = ArticleFactory(published_at=now - timedelta(days=10))
    Article.objects.filter(pk=old.pk).update(modified_at=now - timedelta(days=9))
    corrected = ArticleFactory(published_at=now - timedelta(days=10))
    new = ArticleFactory(published_at=now - timedelta(hours=1))
    since = timezone.localtime(now - timedelta(days=2)).isoformat()
    # An unencoded "+" of the offset arrives as a space.
    for query in [since.replace("+", "%2B"), since]:
        found = get_json(client, f"/api/ninjs/?since={query}")
        assert [item["uri"] for item in found["items"]] == [new.urn, corrected.urn]
    day = timezone.localdate() - timedelta(days=5)
    found = get_json(client, f"/api/ninjs/?since={day.isoformat()}")
    assert [item["uri"] for item in found["items"]] == [new.urn, corrected.urn]
    assert get_json(client, "/api/ninjs/?since=gestern", status=400)


def test_since_is_kept_in_the_next_link(client, settings):
    ArticleFactory.create_batch(21)
    found = get_json(client, "/api/ninjs/?since=2020-01-01")
    assert found["next"] == (
        "http://testserver/api/ninjs/?page=2&since=2020-01-01T00%3A00%3A00%2B01%3A00"
    )
    assert len(get_json(client, found["next"])["items"]) == 1


@pytest.mark.parametrize("kind", HIDDEN)
def test_hidden_articles_are_not_exported(client, kind):
    article = ArticleFactory(**hidden_variants()[kind])
    # Seen once, then taken down: the status only, so partners follow.
    taken_down = {
        "withheld": (404, "withheld"),
        "withdrawn": (410, "canceled"),
        "trashed": (410, "canceled"),
    }
    if kind in taken_down:
        status, pubstatus = taken_down[kind]
        item = get_json(client, f"/api/ninjs/{article.pk}/", status=status)
        assert item["pubstatus"] == pubstatus and "headlines" not in item
    else:
        assert get_json(client, f"/api/ninjs/{article.pk}/", status=404) == {
            "error": "not found"
        }
    assert get_json(client, "/api/ninjs/")["items"] == []


def test_unknown_ids_answer_404_json(client):
    get_json(client, "/api/ninjs/4711/", status=404)
    get_json(client, "/api/ninjs/abc/", status=404)


@pytest.mark.parametrize(
    "photo",
    [
        {"licence_expires_at": timezone.now() - timedelta(minutes=1)},
        {"killed_at": timezone.now() - timedelta(minutes=1)},
    ],
    ids=["licence ended", "killed"],
)
def test_unusable_photos_are_not_exported(client, photo):
    use = ArticlePhotoFactory(photo=PhotoFactory(**photo))
    item = get_json(client, f"/api/ninjs/{use.article.pk}/")
    assert "associations" not in item


def test_cached_export_ends_with_a_photo_licence(client, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 3600
    use = ArticlePhotoFactory(
        photo__licence_expires_at=timezone.now() + timedelta(minutes=10)
    )
    for url in ["/api/ninjs/", f"/api/ninjs/{use.article.pk}/"]:
        response = client.get(url)
        assert "associations" in response.content.decode()
        seconds = shared_cache_seconds(response)
        assert 590 <= seconds <= 600, url


def build_export(number_of_articles: int) -> Article:
    photo = PhotoFactory()
    author, tag, region = AuthorFactory(), TagFactory(), RegionFactory()
    articles = ArticleFactory.create_batch(number_of_articles, agency=AgencyFactory())
    for article in articles:
        ArticlePhotoFactory(article=article, photo=photo)
        article.authors.add(author)
        article.tags.add(tag)
        article.regions.add(region)
    return articles[-1]


def test_export_query_count_does_not_grow_with_articles(
    client, count_queries, settings
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    article = build_export(3)
    few_list = count_queries(lambda: client.get("/api/ninjs/"))
    few_item = count_queries(lambda: client.get(f"/api/ninjs/{article.pk}/"))
    article = build_export(30)
    assert count_queries(lambda: client.get("/api/ninjs/")) == few_list
    assert count_queries(lambda: client.get(f"/api/ninjs/{article.pk}/")) == few_item


def test_export_query_budget(client, django_assert_max_num_queries):
    article = build_export(30)
    # count, page of articles with section and agency, authors, tags,
    # regions, usable photos, next scheduled change
    with django_assert_max_num_queries(7):
        assert len(get_json(client, "/api/ninjs/")["items"]) == 20
    # the article, authors, tags, regions, usable photos, next change
    with django_assert_max_num_queries(6):
        get_json(client, f"/api/ninjs/{article.pk}/")


def test_cached_export_needs_no_query(client, django_assert_num_queries):
    article = build_export(2)
    for url in ["/api/ninjs/", f"/api/ninjs/{article.pk}/"]:
        first = client.get(url)
        with django_assert_num_queries(0):
            again = client.get(url)
        assert again.content == first.content
        assert again["Content-Type"] == "application/json"
        assert "public" in again["Cache-Control"]
