"""The edit screen's live preview (the unsaved form through the public
template, nothing saved) and the server's working copies (autosave)."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article, ArticleRevision, WorkingCopy
from articles.workflow import live_drafts, working_copies
from tests.articles.admin.article_form import edit_form
from tests.articles.admin.staff import client_for, user_in
from tests.factories import (
    ArticleFactory,
    ArticlePhotoFactory,
    AuthorFactory,
    PhotoFactory,
)

pytestmark = pytest.mark.django_db


def preview_url(article=None):
    if article is None:
        return reverse("admin:articles_article_live_preview_new")
    return reverse("admin:articles_article_live_preview", args=[article.pk])


def copy_url(article=None):
    if article is None:
        return reverse("admin:articles_article_working_copy_new")
    return reverse("admin:articles_article_working_copy", args=[article.pk])


# --- Live preview -----------------------------------------------------------


def test_the_preview_shows_the_unsaved_form_and_saves_nothing(
    django_assert_max_num_queries,
):
    carl = user_in("Chef vom Dienst", "carl")
    article = ArticleFactory(draft=True, headline="Gespeichert")
    ArticlePhotoFactory(article=article)
    anna = AuthorFactory(name="Anna Alt")
    client = client_for(carl)
    data = edit_form(client, article) | {
        "headline": "Ungespeichert <script>alert(1)</script>",
        "kicker": "Dach & Zeile",
        "body": '<p onclick="x()">Neu <b>fett</b></p><script>alert(2)</script>',
        "authors": [anna.pk],
    }
    version, modified = article.version, article.modified_at
    revisions = ArticleRevision.objects.count()
    with django_assert_max_num_queries(20):
        response = client.post(preview_url(article), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ungespeichert &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Dach &amp; Zeile" in html
    # The body through the sanitiser, as on save.
    assert (
        "<p>Neu <b>fett</b></p>" in html or "<p>Neu <strong>fett</strong></p>" in html
    )
    assert "onclick" not in html and "alert(2)" not in html
    assert "Anna Alt" in html
    assert "Vorschau" in html
    # Never cached, never indexed, framed by the admin only.
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    article.refresh_from_db()
    assert (article.headline, article.version, article.modified_at) == (
        "Gespeichert",
        version,
        modified,
    )
    assert list(article.authors.all()) == []
    assert ArticleRevision.objects.count() == revisions


def test_the_preview_of_a_new_article_shows_what_is_typed():
    rita = user_in("Redakteur", "rita")
    client = client_for(rita)
    response = client.post(
        preview_url(), {"headline": "Noch ohne Ressort", "body": "<p>Anfang</p>"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Noch ohne Ressort" in html and "<p>Anfang</p>" in html
    assert not Article.objects.exists()


def test_an_unfinished_field_keeps_its_saved_value():
    carl = user_in("Chef vom Dienst", "carl")
    article = ArticleFactory(draft=True, headline="Gespeichert")
    client = client_for(carl)
    data = edit_form(client, article) | {"headline": "", "teaser": "Neuer Vorspann"}
    html = client.post(preview_url(article), data).content.decode()
    assert "Gespeichert" in html and "Neuer Vorspann" in html


@pytest.mark.parametrize(
    ("role", "own", "status"),
    [
        ("Redakteur", True, 200),
        ("Redakteur", False, 403),
        ("Bildredaktion", False, 403),
        ("Anzeigen", False, 403),
    ],
)
def test_only_who_may_change_the_article_sees_its_preview(role, own, status):
    user = user_in(role, "someone")
    article = ArticleFactory(draft=True, created_by=user if own else None)
    response = client_for(user).post(
        preview_url(article), {"headline": "Geheim", "section": article.section_id}
    )
    assert response.status_code == status
    if status == 403:
        assert "Geheim" not in response.content.decode()


def test_the_preview_needs_a_login_a_post_and_a_csrf_token():
    article = ArticleFactory(draft=True)
    anonymous = Client()
    response = anonymous.post(preview_url(article), {"headline": "x"})
    assert response.status_code == 302  # to the login
    assert "Geheim" not in response.content.decode()
    carl = user_in("Chef vom Dienst", "carl")
    client = client_for(carl)
    assert client.get(preview_url(article)).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(carl)
    assert strict.post(preview_url(article), {"headline": "x"}).status_code == 403
    # With the form's token it works (the edit screen posts it).
    page = strict.get(reverse("admin:articles_article_change", args=[article.pk]))
    token = page.context["csrf_token"]
    response = strict.post(
        preview_url(article),
        {"headline": "Mit Token", "csrfmiddlewaretoken": str(token)},
    )
    assert response.status_code == 200


# --- Working copies ---------------------------------------------------------


def test_a_working_copy_is_one_per_user_and_article():
    rita = user_in("Redakteur", "rita")
    article = ArticleFactory(draft=True, created_by=rita)
    working_copies.save_working_copy(rita, article, data={"headline": "a"}, version=1)
    working_copies.save_working_copy(rita, article, data={"headline": "b"}, version=2)
    working_copies.save_working_copy(rita, None, data={"headline": "neu"}, version=0)
    working_copies.save_working_copy(rita, None, data={"headline": "neu2"}, version=0)
    assert WorkingCopy.objects.count() == 2
    assert working_copies.working_copy_of(rita, article).data == {"headline": "b"}
    assert working_copies.working_copy_of(rita, None).data == {"headline": "neu2"}
    carl = user_in("Chef vom Dienst", "carl")
    assert working_copies.working_copy_of(carl, article) is None
    with pytest.raises(working_copies.ValidationError):
        working_copies.save_working_copy(rita, article, data=[1], version=1)
    with pytest.raises(working_copies.ValidationError):
        working_copies.save_working_copy(rita, article, data={"a": {"b": 1}}, version=1)


def test_the_form_stores_its_copy_and_offers_it_on_reopening(
    django_assert_max_num_queries,
):
    rita = user_in("Redakteur", "rita")
    article = ArticleFactory(draft=True, created_by=rita, headline="Gespeichert")
    client = client_for(rita)
    values = {"headline": "Ungespeichert", "body": "<p>Halb fertig</p>"}
    # Session, user, article, permissions, and one upsert (4 of them the
    # upsert's savepoints): the same for any number of articles and copies.
    with django_assert_max_num_queries(11):
        response = client.post(
            copy_url(article),
            {"values": json.dumps(values), "version": article.version},
        )
    assert response.status_code == 200
    assert response.json()["saved"] is True
    article.refresh_from_db()
    # Not the article, not a revision.
    assert article.headline == "Gespeichert"
    assert not article.revisions.exists()
    copy = WorkingCopy.objects.get()
    assert (copy.user, copy.article, copy.data) == (rita, article, values)
    # Reopening offers it.
    page = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert page.context["working_copy"]["values"] == values
    html = page.content.decode()
    assert 'id="working-copy"' in html
    assert "Ungespeicherte Änderungen vom" in html
    # Not to anyone else.
    carl = user_in("Chef vom Dienst", "carl")
    page = client_for(carl).get(
        reverse("admin:articles_article_change", args=[article.pk])
    )
    assert "working_copy" not in page.context
    assert 'id="working-copy"' not in page.content.decode()
    # Discarding deletes it.
    response = client.post(copy_url(article), {"discard": "1"})
    assert response.json()["saved"] is False
    assert not WorkingCopy.objects.exists()


def test_saving_the_article_deletes_the_copy():
    carl = user_in("Chef vom Dienst", "carl")
    article = ArticleFactory(draft=True)
    client = client_for(carl)
    working_copies.save_working_copy(carl, article, data={"headline": "x"}, version=1)
    data = edit_form(client, article)
    url = reverse("admin:articles_article_change", args=[article.pk])
    assert client.post(url, data).status_code == 302
    assert not WorkingCopy.objects.exists()


def test_a_new_article_s_copy_is_kept_and_goes_with_the_first_save():
    rita = user_in("Redakteur", "rita")
    client = client_for(rita)
    response = client.post(
        copy_url(), {"values": json.dumps({"headline": "Entwurf"}), "version": "0"}
    )
    assert response.status_code == 200
    page = client.get(reverse("admin:articles_article_add"))
    assert page.context["working_copy"]["values"] == {"headline": "Entwurf"}
    section = ArticleFactory().section
    response = client.post(
        reverse("admin:articles_article_add"),
        {
            "headline": "Entwurf",
            "section": section.pk,
            "article_photos-TOTAL_FORMS": 0,
            "article_photos-INITIAL_FORMS": 0,
            "corrections-TOTAL_FORMS": 0,
            "corrections-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302
    assert not WorkingCopy.objects.exists()


@pytest.mark.parametrize(
    ("role", "own", "status"),
    [
        ("Redakteur", False, 403),
        ("Bildredaktion", False, 403),
        ("Anzeigen", False, 403),
    ],
)
def test_who_may_not_change_the_article_keeps_no_copy_of_it(role, own, status):
    user = user_in(role, "someone")
    article = ArticleFactory(draft=True)
    response = client_for(user).post(
        copy_url(article), {"values": json.dumps({"headline": "x"}), "version": 1}
    )
    assert response.status_code == status
    assert not WorkingCopy.objects.exists()


@pytest.mark.parametrize(
    "posted",
    [
        {"values": "kein json", "version": "1"},
        {"values": json.dumps({"headline": {"x": 1}}), "version": "1"},
        {"values": json.dumps({"headline": "x"}), "version": "-1"},
        {"values": json.dumps({"headline": "x"}), "version": "abc"},
    ],
)
def test_a_broken_copy_is_refused_with_a_reason(posted):
    carl = user_in("Chef vom Dienst", "carl")
    article = ArticleFactory(draft=True)
    response = client_for(carl).post(copy_url(article), posted)
    assert response.status_code == 400
    assert response.json()["error"].startswith("Arbeitskopie nicht gespeichert")
    assert not WorkingCopy.objects.exists()


def test_the_working_copy_needs_csrf():
    carl = user_in("Chef vom Dienst", "carl")
    article = ArticleFactory(draft=True)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(carl)
    response = strict.post(
        copy_url(article), {"values": json.dumps({"headline": "x"}), "version": 1}
    )
    assert response.status_code == 403
    assert not WorkingCopy.objects.exists()


def test_the_edit_form_s_queries_do_not_grow_with_working_copies(
    django_assert_max_num_queries,
):
    carl = user_in("Chef vom Dienst", "carl")
    article = ArticleFactory(draft=True)
    client = client_for(carl)
    url = reverse("admin:articles_article_change", args=[article.pk])
    client.get(url)  # warm caches (content types, sessions)
    for number in range(5):
        other = user_in("Redakteur", f"r{number}")
        working_copies.save_working_copy(other, article, data={"a": "b"}, version=1)
    working_copies.save_working_copy(carl, article, data={"a": "b"}, version=1)
    with django_assert_max_num_queries(40):
        assert client.get(url).status_code == 200


def test_the_preview_shows_the_form_s_unsaved_photos_and_corrections():
    carl = user_in("Chef vom Dienst", "carl")
    article = ArticleFactory(headline="Mit Fotos")
    saved = ArticlePhotoFactory(article=article, caption="Gespeichertes Bild")
    chosen = PhotoFactory(caption="Gewähltes Bild")
    client = client_for(carl)
    data = edit_form(client, article) | {
        "article_photos-TOTAL_FORMS": "2",
        "article_photos-INITIAL_FORMS": "1",
        "article_photos-0-id": str(saved.pk),
        "article_photos-0-article": str(article.pk),
        "article_photos-0-photo": str(saved.photo.pk),
        "article_photos-0-position": "1",
        "article_photos-0-DELETE": "on",
        "article_photos-1-photo": str(chosen.pk),
        "article_photos-1-position": "0",
        "article_photos-1-caption": "Noch nicht gespeichert",
        "corrections-TOTAL_FORMS": "1",
        "corrections-0-text": "Ungespeicherte Korrektur",
    }
    html = client.post(preview_url(article), data).content.decode()
    assert "Noch nicht gespeichert" in html
    assert "Gespeichertes Bild" not in html
    assert "Ungespeicherte Korrektur" in html
    # Nothing saved.
    assert [use.photo for use in article.article_photos.all()] == [saved.photo]
    assert not article.corrections.exists()
    # A post without the photo cards shows the saved photos.
    del data["article_photos-TOTAL_FORMS"]
    html = client.post(preview_url(article), data).content.decode()
    assert "Gespeichertes Bild" in html


def test_the_preview_of_a_live_article_shows_its_draft_s_photos():
    carl = user_in("Chef vom Dienst", "carl")
    article = ArticleFactory(headline="Live")
    ArticlePhotoFactory(article=article, caption="Live-Bild")
    chosen = PhotoFactory(caption="Entwurfs-Bild")
    article.refresh_from_db()
    relations = live_drafts.current_relations(article)
    data = live_drafts.draft_values(
        article,
        relations,
        photos=[{"photo": chosen.pk, "position": 0, "caption": ""}],
        new_corrections=["Korrektur im Entwurf"],
    )
    draft = live_drafts.save_draft(article, by=carl, data=data)
    client = client_for(carl)
    html = client.get(
        reverse("admin:articles_article_preview", args=[article.pk])
        + f"?fassung={draft.number}"
    ).content.decode()
    assert "Entwurfs-Bild" in html and "Live-Bild" not in html
    assert "Korrektur im Entwurf" in html
