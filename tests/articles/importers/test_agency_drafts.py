"""An agency update to a locally edited live story arrives as its draft
("Live + Entwurf"), never over the live text."""

import json

import pytest
from django.urls import reverse

from articles.importers.news import import_news
from articles.importers.runs import ImportOptions
from articles.models import AgencyVersion, Article
from articles.workflow import live_drafts, services
from tests.articles.admin.staff import client_for, user_in
from tests.factories import SectionFactory
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
