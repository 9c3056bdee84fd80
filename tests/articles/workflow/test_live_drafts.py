"""Live + Entwurf: a live article's change waits as a draft revision until
someone allowed to publish publishes it; readers see the live row until then."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from articles.models import AddressRedirect, Article, ArticleRevision
from articles.workflow import live_drafts, services
from tests.articles.admin.staff import user_in
from tests.factories import ArticleFactory, TagFactory

pytestmark = pytest.mark.django_db


def propose(article, *, by, **changes):
    """Save `changes` to `article` as its draft, as the edit form does."""
    for name, value in changes.items():
        setattr(article, name, value)
    relations = live_drafts.current_relations(article)
    return live_drafts.save_draft(
        article, by=by, data=live_drafts.draft_values(article, relations)
    )


def public_texts(client, article) -> str:
    """What readers get: the article page, its section feed and the ninjs export."""
    page = client.get(article.get_absolute_url())
    feed = client.get(reverse("articles:section_feed", args=[article.section.slug]))
    ninjs = client.get(reverse("articles:ninjs_list"))
    assert page.status_code == feed.status_code == ninjs.status_code == 200
    return "\n".join(
        [page.content.decode(), feed.content.decode(), json.dumps(ninjs.json())]
    )


def test_readers_see_the_live_text_until_the_change_is_published(
    client, django_capture_on_commit_callbacks
):
    desk = user_in("Chef vom Dienst", "cvd")
    article = ArticleFactory(headline="Live-Überschrift", body="<p>Alter Text</p>")
    assert "Live-Überschrift" in public_texts(client, article)  # cached now

    with django_capture_on_commit_callbacks(execute=True):
        draft = propose(
            ArticleFactory._meta.model.objects.get(pk=article.pk),
            by=desk,
            headline="Entwurfs-Überschrift",
            body="<p>Neuer Text</p><script>x()</script>",
        )
    assert draft.is_draft and draft.data["body"] == "<p>Neuer Text</p>"
    article.refresh_from_db()
    assert article.pending_revision == draft
    assert article.headline == "Live-Überschrift"
    texts = public_texts(client, article)
    assert "Live-Überschrift" in texts and "Entwurfs-Überschrift" not in texts
    assert Article.objects.published().get().headline == "Live-Überschrift"

    with django_capture_on_commit_callbacks(execute=True):
        revision = live_drafts.publish_draft(
            article, by=desk, loaded_version=article.version
        )
    article.refresh_from_db()
    assert (article.headline, article.pending_revision) == (
        "Entwurfs-Überschrift",
        None,
    )
    assert not revision.is_draft and "veröffentlicht" in revision.note
    # The purge after the commit: the cached page shows the new text.
    texts = public_texts(client, article)
    assert "Entwurfs-Überschrift" in texts and "Live-Überschrift" not in texts


def test_publishing_takes_the_drafts_relations_and_records_the_history():
    desk = user_in("Chef vom Dienst", "cvd")
    article = ArticleFactory()
    kept, added = TagFactory(name="Bleibt"), TagFactory(name="Neu")
    article.tags.set([kept])
    data = live_drafts.draft_values(
        article, live_drafts.current_relations(article) | {"tags": [kept.pk, added.pk]}
    )
    live_drafts.save_draft(article, by=desk, data=data)
    assert list(article.tags.all()) == [kept]  # not yet
    live_drafts.publish_draft(article, by=desk)
    assert set(article.tags.all()) == {kept, added}
    notes = list(article.revisions.values_list("is_draft", "note"))
    assert notes[0][0] is False and "Änderungen aus Fassung" in notes[0][1]
    assert notes[1] == (True, "Entwurf, nicht veröffentlicht")


def test_discarding_keeps_the_live_text_and_says_so_in_the_history():
    reporter = user_in("Redakteur", "rita")
    article = ArticleFactory(headline="Live", created_by=reporter)
    propose(article, by=reporter, headline="Verworfen")
    live_drafts.discard_draft(Article.objects.get(pk=article.pk), by=reporter)
    article.refresh_from_db()
    assert (article.headline, article.pending_revision) == ("Live", None)
    latest = article.revisions.first()
    assert latest.data["headline"] == "Live" and "verworfen" in latest.note


def test_a_reporter_drafts_changes_to_their_live_article_but_cannot_publish_them():
    reporter = user_in("Redakteur", "rita")
    own = ArticleFactory(headline="Eigener", created_by=reporter)
    assert not services.may_edit(reporter, own)  # no direct write
    assert live_drafts.may_propose_changes(reporter, own)
    propose(own, by=reporter, headline="Besser")
    with pytest.raises(PermissionDenied):
        live_drafts.publish_draft(Article.objects.get(pk=own.pk), by=reporter)
    with pytest.raises(PermissionDenied):
        services.save_article(Article.objects.get(pk=own.pk), by=reporter)
    foreign = ArticleFactory(headline="Fremd")
    assert not live_drafts.may_propose_changes(reporter, foreign)
    with pytest.raises(PermissionDenied):
        propose(foreign, by=reporter, headline="Übernommen")
    assert Article.objects.get(pk=own.pk).headline == "Eigener"


def test_someone_else_s_draft_is_discarded_only_by_the_desk():
    rita = user_in("Redakteur", "rita")
    rolf = user_in("Redakteur", "rolf")
    article = ArticleFactory(created_by=rita)
    propose(article, by=rita, headline="Ritas Entwurf")
    with pytest.raises(PermissionDenied):
        live_drafts.discard_draft(Article.objects.get(pk=article.pk), by=rolf)
    live_drafts.discard_draft(
        Article.objects.get(pk=article.pk), by=user_in("Chef vom Dienst", "cvd")
    )
    assert Article.objects.get(pk=article.pk).pending_revision is None


def test_publishing_a_draft_changed_since_it_was_seen_is_refused():
    desk = user_in("Chef vom Dienst", "cvd")
    article = ArticleFactory(headline="Live")
    propose(article, by=desk, headline="Erster Entwurf")
    seen = Article.objects.get(pk=article.pk).version
    propose(Article.objects.get(pk=article.pk), by=desk, headline="Zweiter Entwurf")
    with pytest.raises(services.EditConflict):
        live_drafts.publish_draft(article, by=desk, loaded_version=seen)
    assert Article.objects.get(pk=article.pk).headline == "Live"


def test_a_draft_is_only_for_a_live_article():
    desk = user_in("Chef vom Dienst", "cvd")
    with pytest.raises(ValidationError, match="nicht live"):
        propose(ArticleFactory(draft=True), by=desk, headline="x")
    with pytest.raises(ValidationError, match="keine unveröffentlichten"):
        live_drafts.publish_draft(ArticleFactory(), by=desk)


def test_a_direct_save_replaces_the_pending_draft():
    desk = user_in("Chef vom Dienst", "cvd")
    article = ArticleFactory()
    draft = propose(article, by=desk, headline="Entwurf")
    article = Article.objects.get(pk=article.pk)
    services.save_article(article, by=desk)
    assert Article.objects.get(pk=article.pk).pending_revision is None
    assert ArticleRevision.objects.filter(pk=draft.pk).exists()  # in the history


def test_a_draft_with_a_new_address_leaves_the_live_address_alone(
    client, django_capture_on_commit_callbacks
):
    desk = user_in("Chef vom Dienst", "cvd")
    article = ArticleFactory(slug="alte-adresse")
    old_url = article.get_absolute_url()
    propose(article, by=desk, slug="neue-adresse")
    assert client.get(old_url).status_code == 200
    assert not AddressRedirect.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        live_drafts.publish_draft(Article.objects.get(pk=article.pk), by=desk)
    # Published, the new address is the article's and the old one redirects.
    assert AddressRedirect.objects.get().old_path == old_url
    assert client.get(old_url).status_code == 301
