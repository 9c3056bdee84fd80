"""Live + Entwurf: a live article's change waits as a draft revision until
someone allowed to publish publishes it; readers see the live row until then."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from articles.models import AddressRedirect, Article, ArticleRevision, CorrectionNote
from articles.workflow import live_drafts, services
from tests.articles.admin.staff import user_in
from tests.factories import (
    ArticleFactory,
    ArticlePhotoFactory,
    PhotoFactory,
    TagFactory,
)

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


# Everything else of a live article that readers see waits in the draft too
# (issue #17): photos and their captions, times, embargo, "Top", the ticker,
# "Update" and corrections.


def draft_of(article, *, by, **changes):
    """Save a draft of `article` with `changes`: model fields, or `photos`,
    `new_corrections`, `substantial` as the edit form passes them."""
    article = Article.objects.get(pk=article.pk)
    extras = {
        key: changes.pop(key)
        for key in ("photos", "new_corrections", "substantial")
        if key in changes
    }
    for name, value in changes.items():
        setattr(article, name, value)
    data = live_drafts.draft_values(
        article, live_drafts.current_relations(article), **extras
    )
    return live_drafts.save_draft(article, by=by, data=data)


def reader_view(client, article) -> tuple[int, str]:
    """The article page's status and what the page, the section feed and
    the ninjs export show of it."""
    page = client.get(article.get_absolute_url())
    feed = client.get(reverse("articles:section_feed", args=[article.section.slug]))
    ninjs = client.get(reverse("articles:ninjs_list"))
    text = "\n".join(
        [page.content.decode(), feed.content.decode(), json.dumps(ninjs.json())]
    )
    return page.status_code, text


def use(photo, position=0, caption=""):
    return {"photo": photo.pk, "position": position, "caption": caption}


@pytest.fixture
def desk():
    return user_in("Chef vom Dienst", "cvd")


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def publish(article, desk, on_commit):
    with on_commit():
        live_drafts.publish_draft(Article.objects.get(pk=article.pk), by=desk)


def test_a_new_lead_photo_and_caption_reach_readers_only_when_published(
    client, desk, on_commit
):
    article = ArticleFactory(headline="Mit Foto")
    old = ArticlePhotoFactory(
        article=article, photo__caption="Altes Aufmacherbild", position=0
    ).photo
    new = PhotoFactory(caption="Neues Aufmacherbild")
    assert "Altes Aufmacherbild" in reader_view(client, article)[1]  # cached

    with on_commit():
        draft = draft_of(
            article,
            by=desk,
            photos=[use(new, 0, "Neue Unterschrift hier"), use(old, 1)],
        )
    assert draft.data["photos"][0]["photo"] == new.pk
    status, text = reader_view(client, article)
    assert status == 200 and "Altes Aufmacherbild" in text
    assert "Neue Unterschrift hier" not in text and "Neues Aufmacherbild" not in text
    assert list(article.article_photos.values_list("photo", flat=True)) == [old.pk]

    publish(article, desk, on_commit)
    status, text = reader_view(client, article)
    assert "Neue Unterschrift hier" in text
    article = Article.objects.get(pk=article.pk)
    assert article.lead_photo_use.photo == new
    assert [u.photo for u in article.photo_uses] == [new, old]


def test_removing_a_photo_and_changing_its_caption_wait_for_publishing(
    client, desk, on_commit
):
    article = ArticleFactory()
    kept = ArticlePhotoFactory(article=article, caption="Erste Fassung", position=0)
    gone = ArticlePhotoFactory(article=article, photo__caption="Fällt weg", position=1)
    with on_commit():
        draft_of(article, by=desk, photos=[use(kept.photo, 0, "Zweite Fassung")])
    text = reader_view(client, article)[1]
    assert "Erste Fassung" in text and "Fällt weg" in text
    assert "Zweite Fassung" not in text

    publish(article, desk, on_commit)
    text = reader_view(client, article)[1]
    assert "Zweite Fassung" in text
    assert "Erste Fassung" not in text and "Fällt weg" not in text
    assert not type(gone).objects.filter(pk=gone.pk).exists()


def test_a_draft_photo_without_credit_is_not_published(desk, on_commit):
    article = ArticleFactory()
    bare = PhotoFactory(alt_text="")
    draft_of(article, by=desk, photos=[use(bare)])
    with pytest.raises(ValidationError, match="nicht veröffentlicht"):
        publish(article, desk, on_commit)
    article = Article.objects.get(pk=article.pk)
    assert article.pending_revision is not None
    assert not article.article_photos.exists()


@pytest.mark.parametrize(
    "field", ["published_at", "embargo_until"], ids=["later", "embargo"]
)
def test_a_later_time_or_an_embargo_hides_the_article_only_when_published(
    client, desk, on_commit, field
):
    article = ArticleFactory(headline="Zeitlich")
    later = timezone.now() + timedelta(hours=3)
    with on_commit():
        draft = draft_of(article, by=desk, **{field: later})
    assert draft.data[field] == later.isoformat()
    assert reader_view(client, article)[0] == 200
    assert Article.objects.published().filter(pk=article.pk).exists()

    publish(article, desk, on_commit)
    assert reader_view(client, article)[0] == 404
    assert not Article.objects.published().filter(pk=article.pk).exists()
    assert getattr(Article.objects.get(pk=article.pk), field) == later


def test_top_and_live_ticker_change_only_when_published(client, desk, on_commit):
    article = ArticleFactory(is_top=False, is_live_ticker=False)
    with on_commit():
        draft_of(article, by=desk, is_top=True, is_live_ticker=True)
    assert 'id="ticker"' not in reader_view(client, article)[1]
    live = Article.objects.published().get(pk=article.pk)
    assert (live.is_top, live.is_live_ticker) == (False, False)

    publish(article, desk, on_commit)
    assert 'id="ticker"' in reader_view(client, article)[1]
    live = Article.objects.published().get(pk=article.pk)
    assert (live.is_top, live.is_live_ticker) == (True, True)


def test_update_mark_and_corrections_wait_for_publishing(client, desk, on_commit):
    article = ArticleFactory()
    with on_commit():
        draft_of(
            article,
            by=desk,
            substantial=True,
            new_corrections=["Der Ort war Kiel, nicht Lübeck."],
        )
    text = reader_view(client, article)[1]
    assert "Aktualisiert am" not in text and "Kiel, nicht Lübeck" not in text
    assert Article.objects.get(pk=article.pk).updated_at is None

    publish(article, desk, on_commit)
    text = reader_view(client, article)[1]
    assert "Aktualisiert am" in text and "Kiel, nicht Lübeck" in text
    assert CorrectionNote.objects.get(article=article).text.startswith("Der Ort")


def test_publishing_a_draft_keeps_what_changed_on_the_row_meanwhile(
    client, desk, on_commit
):
    article = ArticleFactory(is_top=False)
    ArticlePhotoFactory(article=article, caption="Live")
    draft = draft_of(article, by=desk, headline="Nur Text", is_top=True)
    assert "photos" not in draft.data and "embargo_until" not in draft.data
    # The agency sets an embargo on the row (keep_local_edit's holds).
    later = timezone.now() + timedelta(hours=2)
    Article.objects.filter(pk=article.pk).update(embargo_until=later)
    publish(article, desk, on_commit)
    article = Article.objects.get(pk=article.pk)
    assert (article.headline, article.is_top) == ("Nur Text", True)
    assert article.embargo_until == later
    assert reader_view(client, article)[0] == 404


def test_a_later_draft_keeps_the_photos_of_the_one_it_replaces(desk):
    article = ArticleFactory()
    photo = PhotoFactory()
    draft_of(article, by=desk, photos=[use(photo, 0, "Vom Desk")])
    # A second save that does not touch the photos (an agency update, a
    # reporter without the photo inline): the draft's photos stay.
    second = draft_of(article, by=desk, headline="Nur der Text")
    assert second.data["photos"] == [use(photo, 0, "Vom Desk")]


def test_restoring_an_old_revision_of_a_live_article_makes_it_the_draft(
    client, desk, on_commit
):
    article = ArticleFactory(headline="Erste Überschrift")
    services.record_revision(article, by=desk)
    first = article.revisions.get()
    article.headline = "Zweite Überschrift"
    services.save_article(article, by=desk)
    services.record_revision(article, by=desk)
    ArticlePhotoFactory(article=article, caption="Bleibt")

    with on_commit():
        draft = live_drafts.restore_as_draft(
            Article.objects.get(pk=article.pk), first, by=desk
        )
    assert draft.is_draft and "Wiederhergestellt aus Fassung" in draft.note
    assert draft.data["headline"] == "Erste Überschrift"
    assert "photos" not in draft.data  # as live
    assert "Zweite Überschrift" in reader_view(client, article)[1]

    publish(article, desk, on_commit)
    text = reader_view(client, article)[1]
    assert "Erste Überschrift" in text and "Bleibt" in text


def test_a_reporter_may_restore_into_a_draft_of_their_live_article_only():
    reporter = user_in("Redakteur", "rita")
    own = ArticleFactory(headline="Alt", created_by=reporter)
    services.record_revision(own, by=reporter)
    first = own.revisions.get()
    draft = live_drafts.restore_as_draft(own, first, by=reporter)
    assert Article.objects.get(pk=own.pk).pending_revision == draft
    foreign = ArticleFactory()
    services.record_revision(foreign, by=None)
    with pytest.raises(PermissionDenied):
        live_drafts.restore_as_draft(foreign, foreign.revisions.get(), by=reporter)
