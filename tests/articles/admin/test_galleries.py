"""Photos and galleries in the body through the edit form (round trip,
refusals), and the galleries' admin: ordering, who may publish and edit,
the editor cards' JSON."""

import html
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.admin.diffs import word_diff
from articles.models import Article, BodyGallery, BodyPhoto, Gallery, GalleryPicture
from tests import factories
from tests.articles.admin.article_form import management_forms
from tests.articles.admin.staff import client_for, client_in, user_in
from tests.body_blocks import gallery_block, photo_block, saved
from tests.factories import make_gallery

pytestmark = pytest.mark.django_db


@pytest.fixture
def reporter():
    user = user_in("Redakteur", "rita")
    return client_for(user), user


def edit(client, article, body):
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = {
        "headline": article.headline,
        "section": article.section_id,
        "body": body,
        "loaded_version": Article.objects.get(pk=article.pk).version,
        **management_forms(),
    }
    return client.post(url, data)


def body_in_form(client, article) -> str:
    page = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    found = re.search(
        r'<textarea name="body"[^>]*>(.*?)</textarea>', page.content.decode(), re.S
    )
    return html.unescape(found.group(1)).strip()


def test_photo_and_gallery_blocks_round_trip_through_the_edit_form(reporter):
    client, user = reporter
    photo = factories.PhotoFactory()
    gallery = make_gallery([factories.PhotoFactory(), factories.PhotoFactory()])
    article = factories.ArticleFactory(draft=True, created_by=user)
    body = (
        "<p>Vorher.</p>"
        + photo_block(photo, caption="Am Marktplatz &amp; davor", crop="4x3")
        + gallery_block(gallery)
        + "<p>Nachher.</p>"
    )
    response = edit(client, article, body)
    assert response.status_code == 302, response.content.decode()[:2000]
    stored = Article.objects.get(pk=article.pk).body
    assert stored == body
    # Reopened, the form carries exactly what is stored; saved again
    # unchanged, nothing is lost.
    assert body_in_form(client, article) == stored
    assert edit(client, article, body_in_form(client, article)).status_code == 302
    assert Article.objects.get(pk=article.pk).body == stored
    assert BodyPhoto.objects.get().photo_id == photo.pk
    assert BodyGallery.objects.get().gallery_id == gallery.pk
    # The revision keeps the blocks, so a restore brings them back.
    revision = article.revisions.first()
    assert (
        photo_block(photo, caption="Am Marktplatz &amp; davor", crop="4x3")
        in (revision.data["body"])
    )


def test_a_block_naming_a_missing_photo_is_refused_with_its_number(reporter):
    client, user = reporter
    article = factories.ArticleFactory(draft=True, created_by=user)
    body = '<figure data-block="photo" data-photo="987654"></figure>'
    response = edit(client, article, body)
    assert response.status_code == 200
    assert "Foto Nr. 987654" in response.content.decode()
    assert Article.objects.get(pk=article.pk).body != body


def test_a_published_article_refuses_a_body_photo_without_alt_text(admin_client):
    article = factories.ArticleFactory()
    photo = factories.PhotoFactory(alt_text="")
    response = edit(admin_client, article, photo_block(photo))
    assert response.status_code == 200
    assert "Alternativtext" in response.content.decode()
    assert not BodyPhoto.objects.exists()


def gallery_form(title, pictures, **fields):
    data = {
        "title": title,
        "slug": "",
        "description": "",
        "pictures-TOTAL_FORMS": len(pictures),
        "pictures-INITIAL_FORMS": 0,
        "pictures-MIN_NUM_FORMS": 0,
        "pictures-MAX_NUM_FORMS": 1000,
        **fields,
    }
    for index, (photo, position, caption) in enumerate(pictures):
        data[f"pictures-{index}-photo"] = photo.pk
        data[f"pictures-{index}-position"] = position
        data[f"pictures-{index}-caption"] = caption
    return data


def test_a_reporter_makes_a_gallery_whose_order_the_positions_set(reporter):
    client, _user = reporter
    first, second, third = factories.PhotoFactory.create_batch(3)
    response = client.post(
        reverse("admin:articles_gallery_add"),
        gallery_form(
            "Bürgerfest",
            [(first, 3, "Zuletzt"), (second, 1, "Zuerst"), (third, 2, "Dazwischen")],
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    gallery = Gallery.objects.get()
    assert gallery.slug == "buergerfest" and gallery.published_at is None
    assert [p.caption for p in gallery.pictures.all()] == [
        "Zuerst",
        "Dazwischen",
        "Zuletzt",
    ]


def test_only_a_publisher_gives_a_gallery_its_own_page(reporter):
    client, _user = reporter
    photo = factories.PhotoFactory()
    when = timezone.localtime() - timedelta(hours=1)
    fields = {
        "published_at_0": f"{when:%d.%m.%Y}",
        "published_at_1": f"{when:%H:%M:%S}",
    }
    # The reporter's form has no such field: what they post is ignored.
    client.post(
        reverse("admin:articles_gallery_add"),
        gallery_form("Ohne Seite", [(photo, 0, "")], **fields),
    )
    assert Gallery.objects.get(title="Ohne Seite").published_at is None

    editor = client_in("Chef vom Dienst", "carla")
    response = editor.post(
        reverse("admin:articles_gallery_add"),
        gallery_form("Mit Seite", [(photo, 0, "")], **fields),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Gallery.objects.get(title="Mit Seite").is_published()


def test_a_reporter_cannot_change_a_gallery_the_public_sees(reporter):
    client, _user = reporter
    gallery = make_gallery([factories.PhotoFactory()], title="Im Artikel")
    saved(factories.ArticleFactory(), gallery_block(gallery))
    url = reverse("admin:articles_gallery_change", args=[gallery.pk])
    data = gallery_form("Umbenannt", [])
    assert client.post(url, data).status_code == 403
    assert Gallery.objects.get(pk=gallery.pk).title == "Im Artikel"
    # Before any article shows it, the reporter may.
    draft_gallery = make_gallery([factories.PhotoFactory()], title="Entwurf")
    url = reverse("admin:articles_gallery_change", args=[draft_gallery.pk])
    assert client.get(url).status_code == 200


def test_a_public_gallery_refuses_a_picture_without_alt_text(admin_client):
    gallery = make_gallery(
        [factories.PhotoFactory()], published_at=timezone.now() - timedelta(hours=1)
    )
    bare = factories.PhotoFactory(alt_text="")
    assert bare.pk != gallery.pictures.get().photo_id
    url = reverse("admin:articles_gallery_change", args=[gallery.pk])
    existing = gallery.pictures.select_related("photo").get()
    # The existing picture first (the initial form), the new one after it.
    data = gallery_form(gallery.title, [(existing.photo, 0, ""), (bare, 1, "")])
    when = timezone.localtime(gallery.published_at)
    data.update(
        {
            "pictures-INITIAL_FORMS": 1,
            "pictures-0-id": existing.pk,
            "pictures-0-gallery": gallery.pk,
            "published_at_0": f"{when:%d.%m.%Y}",
            "published_at_1": f"{when:%H:%M:%S}",
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Alternativtext" in response.content.decode()
    assert GalleryPicture.objects.filter(gallery=gallery).count() == 1


def test_the_editor_cards_get_thumbnail_and_credit(reporter):
    client, _user = reporter
    photo = factories.PhotoFactory(creator="Anne Beispiel")
    gallery = make_gallery([photo], title="Kirmes")
    url = reverse("admin:articles_gallery_body_media")
    data = client.get(f"{url}?photo={photo.pk}&gallery={gallery.pk}").json()
    assert data["photos"][str(photo.pk)]["credit"] == "Anne Beispiel/dpa"
    assert f"/bild/{photo.pk}/" in data["photos"][str(photo.pk)]["thumbnail"]
    assert data["galleries"][str(gallery.pk)] == {"title": "Kirmes", "count": 1}
    assert client_in("Anzeigen", "anna").get(url).status_code == 403


def test_the_revision_diff_names_a_changed_photo_block():
    before = photo_block(factories.PhotoFactory(), caption="Alt")
    photo = factories.PhotoFactory()
    after = (
        photo_block(photo, caption="Neu", crop="16x9")
        + '<figure data-block="gallery" data-gallery="4"></figure>'
    )
    shown = word_diff(before, after, is_html=True)
    # Word by word: "[Foto Nr. <del>1]</del> <ins>2, Ausschnitt 16x9]</ins>".
    assert "[Foto Nr. " in shown and f"{photo.pk}, Ausschnitt 16x9]" in shown
    assert "<del>Alt</del>" in shown and "<ins>Neu</ins>" in shown
    assert "Bildergalerie Nr. 4" in shown
