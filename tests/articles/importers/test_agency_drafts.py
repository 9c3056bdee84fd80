"""An agency update to a locally edited live story arrives as its draft
("Live + Entwurf"), never over the live text."""

import json
import re
from types import SimpleNamespace

import pytest
from django.urls import reverse
from PIL import Image

from articles.importers.news import import_news
from articles.importers.runs import ImportOptions
from articles.models import AgencyVersion, Article, Photo
from articles.workflow import live_drafts, services
from tests.articles.admin.staff import client_for, user_in
from tests.factories import (
    ArticleFactory,
    ArticlePhotoFactory,
    PhotoFactory,
    SectionFactory,
)
from tests.samples import sample_path

pytestmark = pytest.mark.django_db

DW = "dpa-digitalwires"


@pytest.fixture(autouse=True)
def sections():
    SectionFactory(slug="nachrichten", name="Nachrichten")
    return SectionFactory(slug="wirtschaft", name="Wirtschaft")


def write(tmp_path, name: str, data) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False))
    return str(path)


@pytest.fixture
def edited_live_story(tmp_path):
    """A published dpa story whose headline the desk changed; its sample."""
    data = json.loads(sample_path(f"{DW}/with_dateline.json").read_text())
    import_news([write(tmp_path, "a.json", data)], options=ImportOptions(publish=True))
    article = Article.objects.get()
    desk = user_in("Chef vom Dienst", "cvd")
    article.headline = "Von der Redaktion verbessert"
    services.save_article(article, by=desk)
    services.record_revision(article, by=desk)
    return article, data, desk


def test_an_agency_update_to_an_edited_live_story_becomes_its_draft(
    tmp_path, client, edited_live_story, django_capture_on_commit_callbacks
):
    article, data, desk = edited_live_story
    update = data | {
        "version": 3,
        "headline": "Neue Agentur-Überschrift <script>x()</script>",
        "version_created": "2025-01-28T10:00:00+01:00",
    }
    with django_capture_on_commit_callbacks(execute=True):
        report = import_news([write(tmp_path, "b.json", update)])
    assert "als unveröffentlichte Änderungen" in report.notes[0][1]
    article.refresh_from_db()
    assert article.headline == "Von der Redaktion verbessert"  # live text kept
    assert (article.agency_version, article.pending_agency_version) == (2, 3)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Von der Redaktion verbessert" in page and "Neue Agentur" not in page
    draft = article.pending_revision
    assert draft.is_draft and draft.created_by is None
    assert draft.data["headline"] == "Neue Agentur-Überschrift <script>x()</script>"
    assert "<script" not in draft.data["body"]  # sanitised as on save

    # The desk sees the diff on the form and publishes the agency's text.
    form = client_for(desk).get(
        reverse("admin:articles_article_change", args=[article.pk])
    )
    html = form.content.decode()
    assert "Live – mit unveröffentlichten Änderungen" in html
    assert "Entwurf von der Agentur" in html
    assert (
        "<ins>Neue Agentur-Überschrift &lt;script&gt;x()&lt;/script&gt;</ins>" in html
    )
    live_drafts.publish_draft(article, by=desk)
    article.refresh_from_db()
    assert article.headline.startswith("Neue Agentur-Überschrift")
    assert (article.agency_version, article.pending_agency_version) == (3, None)


def test_an_agency_update_never_replaces_a_draft_of_the_desk(
    tmp_path, edited_live_story
):
    article, data, desk = edited_live_story
    article.headline = "Entwurf des Desks"
    live_drafts.save_draft(
        article,
        by=desk,
        data=live_drafts.draft_values(article, live_drafts.current_relations(article)),
    )
    update = data | {"version": 3, "headline": "Agentur"}
    report = import_news([write(tmp_path, "b.json", update)])
    assert "nicht übernommen" in report.notes[0][1]
    article.refresh_from_db()
    assert article.pending_revision.data["headline"] == "Entwurf des Desks"
    assert article.pending_agency_version == 3
    assert AgencyVersion.objects.filter(version=3, applied=False).exists()


def test_an_agency_draft_carries_the_byline_and_photos_with_their_credit(
    tmp_path, client, edited_live_story, django_capture_on_commit_callbacks
):
    article, data, desk = edited_live_story
    assert article.byline == "Von Andrej Sokolow, dpa"
    # The picture of another dpa sample, its file beside the feed.
    picture = json.loads(sample_path(f"{DW}/image.json").read_text())
    [association] = picture["associations"]
    association["renditions"][0]["url"] = "bild.jpg"
    Image.new("RGB", (1200, 800), "teal").save(tmp_path / "bild.jpg", "JPEG")
    update = data | {
        "version": 3,
        "version_created": "2025-01-28T10:00:00+01:00",
        "byline": "Von Anna Agentur, dpa",
        "associations": [association],
    }
    with django_capture_on_commit_callbacks(execute=True):
        report = import_news([write(tmp_path, "b.json", update)])
    assert "als unveröffentlichte Änderungen" in report.notes[0][1]
    photo = Photo.objects.get()
    assert photo.credit == "Steve Helber/AP/dpa"

    # Readers keep the live story: its byline, no photo.
    article.refresh_from_db()
    assert article.byline == "Von Andrej Sokolow, dpa"
    assert not article.article_photos.exists()
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Anna Agentur" not in page and "Steve Helber" not in page
    draft = article.pending_revision.data
    assert draft["byline"] == "Von Anna Agentur, dpa"
    assert draft["photos"] == [
        {"photo": photo.pk, "position": 0, "caption": association["caption"]}
    ]

    # The diff names both; publishing gives the full agency update.
    html = (
        client_for(desk)
        .get(reverse("admin:articles_article_change", args=[article.pk]))
        .content.decode()
    )
    assert re.search(r"<ins>[^<]*Anna Agentur", html)  # word by word
    assert "Foto: Steve Helber/AP/dpa" in html
    with django_capture_on_commit_callbacks(execute=True):
        live_drafts.publish_draft(article, by=desk)
    article.refresh_from_db()
    assert article.byline == "Von Anna Agentur, dpa"
    assert article.lead_photo_use.photo == photo
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Anna Agentur" in page and "Steve Helber/AP/dpa" in page


def test_an_agency_draft_keeps_the_live_photos_beside_the_new_ones():
    article = ArticleFactory(
        headline="Live", byline="Redaktion", external_id="urn:x:1", locally_edited=True
    )
    kept = ArticlePhotoFactory(article=article, position=0, caption="Unser Bild")
    new = PhotoFactory()
    item = SimpleNamespace(version=5, version_created=None)
    assert live_drafts.takes_agency_version(article)
    live_drafts.propose_agency_version(
        article,
        {"headline": "Agentur", "byline": "Von dpa"},
        item=item,
        new_photos=[{"photo": new.pk, "position": 1, "caption": "Neu"}],
    )
    article.refresh_from_db()
    assert article.pending_revision.data["photos"] == [
        {"photo": kept.photo_id, "position": 0, "caption": "Unser Bild"},
        {"photo": new.pk, "position": 1, "caption": "Neu"},
    ]
    assert article.byline == "Redaktion"
    assert [use.photo for use in article.article_photos.all()] == [kept.photo]
    # A draft of the desk waiting: no agency draft over it.
    desk = user_in("Chef vom Dienst", "cvd")
    live_drafts.save_draft(
        article,
        by=desk,
        data=live_drafts.draft_values(article, live_drafts.current_relations(article)),
    )
    article.refresh_from_db()
    assert not live_drafts.takes_agency_version(article)
