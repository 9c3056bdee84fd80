"""Live + Entwurf in the admin: saving a live article keeps a draft, the form
shows it with its diff, and only the desk publishes it (each role checked on
the server)."""

import re

import pytest
from django.urls import reverse

from articles.models import CorrectionNote
from articles.workflow import services
from tests.articles.admin.article_form import change_url, edit_form, live
from tests.articles.admin.staff import client_for, user_in
from tests.factories import (
    ArticleFactory,
    ArticlePhotoFactory,
    PhotoFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk():
    return user_in("Chef vom Dienst", "cvd", first_name="Clara", last_name="Desk")


def test_saving_a_live_article_keeps_a_draft_until_the_desk_publishes_it(
    client, desk, django_capture_on_commit_callbacks
):
    article = ArticleFactory(headline="Live-Fassung", teaser="Alter Vorspann")
    desk_client = client_for(desk)
    data = edit_form(desk_client, article) | {"headline": "Neue Fassung"}
    response = desk_client.post(change_url(article), data)
    assert response.status_code == 302 and response.url == change_url(article)
    assert live(article).headline == "Live-Fassung"
    assert "Live-Fassung" in client.get(article.get_absolute_url()).content.decode()

    html = desk_client.get(change_url(article)).content.decode()
    assert "als Entwurf gespeichert" in html  # the message
    assert "Live – mit unveröffentlichten Änderungen" in html
    assert "Entwurf von Clara Desk" in html
    assert "<del>Live-Fassung</del>" in html and "<ins>Neue Fassung</ins>" in html
    assert 'value="Neue Fassung"' in html  # the form shows the draft
    assert "Änderungen veröffentlichen" in html and "Änderungen verwerfen" in html
    listing = desk_client.get(reverse("admin:articles_article_changelist"))
    assert "Live – mit unveröffentlichten Änderungen" in listing.content.decode()
    waiting = desk_client.get(
        reverse("admin:articles_article_changelist") + "?offen=live-entwurf"
    )
    assert waiting.context["cl"].result_count == 1

    version = re.search(r'name="loaded_version" value="(\d+)"', html).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        response = desk_client.post(
            reverse("admin:articles_article_publish_changes", args=[article.pk]),
            {"loaded_version": version},
        )
    assert response.status_code == 302
    assert live(article).headline == "Neue Fassung"
    assert live(article).pending_revision is None
    assert "Neue Fassung" in client.get(article.get_absolute_url()).content.decode()


def test_discarding_the_draft_keeps_the_live_text(desk):
    article = ArticleFactory(headline="Live-Fassung")
    desk_client = client_for(desk)
    data = edit_form(desk_client, article) | {"headline": "Verworfen"}
    desk_client.post(change_url(article), data)
    version = live(article).version
    response = desk_client.post(
        reverse("admin:articles_article_discard_changes", args=[article.pk]),
        {"loaded_version": version},
    )
    assert response.status_code == 302
    article = live(article)
    assert (article.headline, article.pending_revision) == ("Live-Fassung", None)
    html = desk_client.get(change_url(article)).content.decode()
    assert 'value="Live-Fassung"' in html
    assert "mit unveröffentlichten Änderungen" not in html


def test_the_desk_saves_and_publishes_in_one_step(desk):
    article = ArticleFactory(headline="Live-Fassung")
    desk_client = client_for(desk)
    html = desk_client.get(change_url(article)).content.decode()
    assert "Speichern und veröffentlichen" in html
    data = edit_form(desk_client, article) | {
        "headline": "Sofort live",
        "_publish_changes": "1",
    }
    assert desk_client.post(change_url(article), data).status_code == 302
    article = live(article)
    assert (article.headline, article.pending_revision) == ("Sofort live", None)
    assert article.revisions.first().data["headline"] == "Sofort live"


def test_a_reporter_s_change_to_a_live_article_is_always_a_draft():
    reporter = user_in("Redakteur", "rita")
    article = ArticleFactory(headline="Ritas Text", created_by=reporter)
    client = client_for(reporter)
    html = client.get(change_url(article)).content.decode()
    assert "Speichern und veröffentlichen" not in html
    assert 'name="headline"' in html  # editable, as a draft
    # The button forged into the post changes nothing: still a draft.
    data = edit_form(client, article) | {
        "headline": "Ritas Korrektur",
        "_publish_changes": "1",
    }
    assert client.post(change_url(article), data).status_code == 302
    assert live(article).headline == "Ritas Text"
    assert live(article).pending_revision.data["headline"] == "Ritas Korrektur"
    html = client.get(change_url(article)).content.decode()
    assert "Änderungen verwerfen" in html  # her own draft
    assert "Änderungen veröffentlichen" not in html
    # Publishing by a forged post is refused.
    response = client.post(
        reverse("admin:articles_article_publish_changes", args=[article.pk]),
        {"loaded_version": live(article).version},
    )
    assert response.status_code == 403
    assert live(article).headline == "Ritas Text"
    assert (
        client.get(
            reverse("admin:articles_article_publish_changes", args=[article.pk])
        ).status_code
        == 405
    )


def test_a_reporter_cannot_draft_or_discard_on_someone_else_s_live_article(desk):
    reporter = user_in("Redakteur", "rita")
    foreign = ArticleFactory(headline="Fremd", created_by=desk)
    client = client_for(reporter)
    data = edit_form(client_for(desk), foreign) | {"headline": "Übernommen"}
    assert client.post(change_url(foreign), data).status_code == 403
    desk_client = client_for(desk)
    desk_client.post(change_url(foreign), data)
    assert live(foreign).pending_revision is not None
    response = client.post(
        reverse("admin:articles_article_discard_changes", args=[foreign.pk]),
        {"loaded_version": live(foreign).version},
    )
    assert response.status_code == 403
    assert live(foreign).pending_revision is not None


def form_with_inlines(client, article) -> dict:
    """edit_form() with the inlines' forms as the page shows them."""
    response = client.get(change_url(article))
    data = edit_form(client, article)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data[f"{formset.prefix}-TOTAL_FORMS"] = str(len(formset.forms))
        data[f"{formset.prefix}-INITIAL_FORMS"] = str(formset.initial_form_count())
        for form in formset.forms:
            for name in form.fields:
                value = form[name].value()
                if value is not None and value is not False and value != "":
                    data[form.add_prefix(name)] = str(value)
    return data


def photo_cards(client, article) -> list[tuple[int, str]]:
    """(photo id, caption) of each photo card the form shows."""
    response = client.get(change_url(article))
    formset = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "article_photos"
    )
    return [
        (int(form["photo"].value()), form["caption"].value() or "")
        for form in formset.forms
    ]


def test_a_draft_save_holds_photos_times_and_corrections_until_published(
    client, desk, django_capture_on_commit_callbacks
):
    article = ArticleFactory(headline="Live-Fassung", is_top=False)
    old = ArticlePhotoFactory(article=article, caption="Altes Bild").photo
    new = PhotoFactory(caption="Neues Bild")
    desk_client = client_for(desk)
    data = form_with_inlines(desk_client, article) | {
        "headline": "Neu",
        "is_top": "on",
        "substantial_update": "on",
        "article_photos-0-DELETE": "on",
        "article_photos-TOTAL_FORMS": "2",
        "article_photos-1-photo": str(new.pk),
        "article_photos-1-position": "0",
        "article_photos-1-caption": "Neue Unterschrift",
        "corrections-TOTAL_FORMS": "1",
        "corrections-0-text": "Richtig ist: Kiel.",
    }
    response = desk_client.post(change_url(article), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = live(article)
    assert (article.headline, article.is_top, article.updated_at) == (
        "Live-Fassung",
        False,
        None,
    )
    assert [use.photo for use in article.article_photos.all()] == [old]
    assert not article.corrections.exists()
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Altes Bild" in page and "Neue Unterschrift" not in page

    # The form shows the draft, and the diff says what publishing changes.
    response = desk_client.get(change_url(article))
    html = response.content.decode()
    assert photo_cards(desk_client, article) == [(new.pk, "Neue Unterschrift")]
    form = response.context["adminform"].form
    assert form["is_top"].value() is True
    assert form["substantial_update"].value() is True
    diff = html[html.index("live-draft-diff") :]
    for label in ("Top-Thema", "Fotos", "Neue Korrekturen", "„Update“"):
        assert label in diff
    assert "<ins>Neue Unterschrift" in diff or "Neue Unterschrift</ins>" in diff

    with django_capture_on_commit_callbacks(execute=True):
        desk_client.post(
            reverse("admin:articles_article_publish_changes", args=[article.pk]),
            {"loaded_version": live(article).version},
        )
    article = live(article)
    assert (article.headline, article.is_top) == ("Neu", True)
    assert article.updated_at is not None
    assert [(u.photo, u.caption) for u in article.article_photos.all()] == [
        (new, "Neue Unterschrift")
    ]
    assert [c.text for c in article.corrections.all()] == ["Richtig ist: Kiel."]
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Neue Unterschrift" in page and "Richtig ist: Kiel." in page


def test_removing_a_printed_correction_is_refused_on_a_draft_save(desk):
    article = ArticleFactory(headline="Live-Fassung")
    note = CorrectionNote.objects.create(article=article, text="Gedruckt.")
    desk_client = client_for(desk)
    data = form_with_inlines(desk_client, article) | {
        "headline": "Neu",
        "corrections-0-DELETE": "on",
    }
    assert data["corrections-0-id"] == str(note.pk)
    response = desk_client.post(change_url(article), data)
    assert response.status_code == 200
    assert "veröffentlichte Korrektur löschen geht nur mit" in (
        response.content.decode()
    )
    assert live(article).pending_revision is None
    assert CorrectionNote.objects.filter(pk=note.pk).exists()


def test_a_reporter_adds_a_photo_to_their_live_article_as_a_draft(desk):
    reporter = user_in("Redakteur", "rita")
    article = ArticleFactory(headline="Ritas Text", created_by=reporter)
    photo = PhotoFactory(caption="Ritas Foto")
    # The desk set "Top" in the draft first: the reporter's save keeps it.
    desk_client = client_for(desk)
    desk_client.post(
        change_url(article), edit_form(desk_client, article) | {"is_top": "on"}
    )
    client = client_for(reporter)
    html = client.get(change_url(article)).content.decode()
    assert "Foto hinzufügen" in html
    data = form_with_inlines(client, article) | {
        "article_photos-TOTAL_FORMS": "1",
        "article_photos-0-photo": str(photo.pk),
        "article_photos-0-position": "0",
        "is_top": "",  # forged: the field is read-only for her
    }
    response = client.post(change_url(article), data)
    assert response.status_code == 302
    article = live(article)
    assert not article.article_photos.exists() and not article.is_top
    draft = article.pending_revision.data
    assert draft["photos"] == [{"photo": photo.pk, "position": 0, "caption": ""}]
    assert draft["is_top"] is True


def test_saving_and_publishing_writes_the_draft_s_photos(desk):
    article = ArticleFactory(headline="Live-Fassung")
    old = ArticlePhotoFactory(article=article).photo
    new = PhotoFactory()
    desk_client = client_for(desk)
    data = form_with_inlines(desk_client, article) | {
        "article_photos-0-DELETE": "on",
        "article_photos-TOTAL_FORMS": "2",
        "article_photos-1-photo": str(new.pk),
        "article_photos-1-position": "0",
    }
    assert desk_client.post(change_url(article), data).status_code == 302
    assert [u.photo for u in live(article).article_photos.all()] == [old]
    # Opened again, the form shows the draft's photo; saved and published,
    # that list is what readers get.
    data = form_with_inlines(desk_client, article) | {
        "article_photos-0-caption": "Jetzt live",
        "_publish_changes": "1",
    }
    assert data["article_photos-0-photo"] == str(new.pk)
    assert desk_client.post(change_url(article), data).status_code == 302
    article = live(article)
    assert article.pending_revision is None
    assert [(u.photo, u.caption) for u in article.article_photos.all()] == [
        (new, "Jetzt live")
    ]


def test_restoring_an_old_revision_of_a_live_article_gives_a_draft(client, desk):
    article = ArticleFactory(headline="Erste")
    services.record_revision(article, by=desk)
    article.headline = "Zweite"
    services.save_article(article, by=desk)
    services.record_revision(article, by=desk)
    desk_client = client_for(desk)
    history = desk_client.get(
        reverse("admin:articles_article_revisions", args=[article.pk])
    ).content.decode()
    assert "legt die Fassung als Entwurf an" in history
    response = desk_client.post(
        reverse("admin:articles_article_restore", args=[article.pk, 0])
    )
    assert response.status_code == 302
    article = live(article)
    assert article.headline == "Zweite"
    assert article.pending_revision.data["headline"] == "Erste"
    assert "Zweite" in client.get(article.get_absolute_url()).content.decode()
    html = desk_client.get(change_url(article)).content.decode()
    assert "Live – mit unveröffentlichten Änderungen" in html
    assert "als Entwurf wiederhergestellt" in html


def test_publishing_a_draft_someone_changed_meanwhile_is_refused(desk):
    article = ArticleFactory(headline="Live-Fassung")
    desk_client = client_for(desk)
    desk_client.post(
        change_url(article), edit_form(desk_client, article) | {"headline": "Eins"}
    )
    seen = live(article).version
    desk_client.post(
        change_url(article), edit_form(desk_client, article) | {"headline": "Zwei"}
    )
    response = desk_client.post(
        reverse("admin:articles_article_publish_changes", args=[article.pk]),
        {"loaded_version": seen},
        follow=True,
    )
    assert "nachdem Sie ihn geöffnet haben" in response.content.decode()
    assert live(article).headline == "Live-Fassung"


def test_the_form_and_list_of_live_drafts_take_constant_queries(
    desk, count_queries, django_assert_max_num_queries
):
    section = SectionFactory()
    desk_client = client_for(desk)
    articles = ArticleFactory.create_batch(2, section=section)
    for article in articles:
        desk_client.post(
            change_url(article), edit_form(desk_client, article) | {"headline": "E"}
        )
    listing = reverse("admin:articles_article_changelist") + "?offen=live-entwurf"
    few = count_queries(lambda: desk_client.get(listing))
    form = count_queries(lambda: desk_client.get(change_url(articles[0])))
    for article in ArticleFactory.create_batch(8, section=section):
        desk_client.post(
            change_url(article), edit_form(desk_client, article) | {"headline": "E"}
        )
    with django_assert_max_num_queries(few):
        response = desk_client.get(listing)
    assert response.context["cl"].result_count == 10
    with django_assert_max_num_queries(form):
        desk_client.get(change_url(articles[1]))


@pytest.mark.parametrize("group", ["Anzeigen", "Redakteur"])
def test_who_only_reads_sees_no_unpublished_change(desk, group):
    article = ArticleFactory(headline="Live-Fassung", created_by=desk)
    desk_client = client_for(desk)
    desk_client.post(
        change_url(article),
        edit_form(desk_client, article) | {"headline": "Geheimer Entwurf"},
    )
    number = live(article).pending_revision.number
    reader = client_for(user_in(group, "leser"))
    pages = [
        change_url(article),
        reverse("admin:articles_article_preview", args=[article.pk]),
        reverse("admin:articles_article_revisions", args=[article.pk]),
        reverse("admin:articles_article_revision_diff", args=[article.pk])
        + f"?a=1&b={number}",
        reverse("admin:articles_article_preview", args=[article.pk])
        + f"?fassung={number}",
    ]
    answers = [reader.get(url) for url in pages]
    # A reporter may read the live article; ad operations not even that.
    assert answers[0].status_code == (200 if group == "Redakteur" else 403)
    for url, answer in zip(pages, answers, strict=True):
        assert "Geheimer Entwurf" not in answer.content.decode(), url
    # The desk sees it in the same places.
    assert "Geheimer Entwurf" in desk_client.get(pages[1]).content.decode()
    assert "Geheimer Entwurf" in desk_client.get(pages[0]).content.decode()


def test_saving_and_publishing_keeps_the_draft_s_new_corrections(desk):
    article = ArticleFactory(headline="Live-Fassung")
    desk_client = client_for(desk)
    data = form_with_inlines(desk_client, article) | {
        "corrections-TOTAL_FORMS": "1",
        "corrections-0-text": "Aus dem Entwurf.",
    }
    assert desk_client.post(change_url(article), data).status_code == 302
    assert not live(article).corrections.exists()
    data = form_with_inlines(desk_client, article) | {"_publish_changes": "1"}
    assert desk_client.post(change_url(article), data).status_code == 302
    article = live(article)
    assert article.pending_revision is None
    assert [c.text for c in article.corrections.all()] == ["Aus dem Entwurf."]
