"""Photos and galleries in the article body: stored as blocks, recorded on
saving, rendered from the current rows with their credits; what is expired,
killed or waiting for its credit disappears."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import BodyGallery, BodyPhoto, Gallery, GalleryPicture, Photo
from articles.photos.body_uses import body_references, load_body_media
from articles.public.article_page import public_article_page
from tests.body_blocks import gallery_block, photo_block, saved
from tests.factories import (
    AgencyFactory,
    ArticleFactory,
    ArticlePhotoFactory,
    PhotoFactory,
    make_gallery,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache_off(settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0


def test_blocks_are_read_in_order_once_each():
    html = (
        '<p>x</p><figure data-crop="4x3" data-photo="7" data-block="photo"></figure>'
        '<figure data-block="gallery" data-gallery="3"></figure>'
        '<figure data-block="photo" data-photo="5"></figure>'
        '<figure data-block="photo" data-photo="7"></figure>'
    )
    refs = body_references(html)
    assert refs.blocks == (("photo", 7), ("gallery", 3), ("photo", 5), ("photo", 7))
    assert refs.photo_ids == (7, 5)
    assert refs.gallery_ids == (3,)


def test_saving_records_what_the_body_names_and_forgets_what_it_dropped():
    first, second = PhotoFactory(), PhotoFactory()
    gallery = make_gallery([PhotoFactory()])
    article = ArticleFactory()
    saved(article, photo_block(first) + photo_block(second) + gallery_block(gallery))
    assert set(BodyPhoto.objects.values_list("photo_id", flat=True)) == {
        first.pk,
        second.pk,
    }
    assert list(BodyGallery.objects.values_list("gallery_id", flat=True)) == [
        gallery.pk
    ]
    saved(article, "<p>Nur Text.</p>" + photo_block(second))
    assert list(BodyPhoto.objects.values_list("photo_id", flat=True)) == [second.pk]
    assert not BodyGallery.objects.exists()


def test_the_article_page_shows_body_photos_and_galleries_with_credits(
    client, page_cache_off
):
    dpa = AgencyFactory(short_name="dpa", name="Deutsche Presse-Agentur")
    afp = AgencyFactory(short_name="AFP", name="Agence France-Presse")
    photo = PhotoFactory(agency=afp, creator="Anne Beispiel", caption="Eigene")
    pictures = [PhotoFactory(agency=dpa), PhotoFactory(agency=afp)]
    gallery = make_gallery(pictures)
    article = ArticleFactory()
    saved(
        article,
        "<p>Vorher.</p>"
        + photo_block(photo, caption="Der Marktplatz &amp; die Kirche", crop="16x9")
        + gallery_block(gallery)
        + "<p>Nachher.</p>",
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Der Marktplatz &amp; die Kirche" in html
    assert f"/bild/{photo.pk}/" in html and "16x9-" in html
    assert "Foto: Anne Beispiel/AFP" in html
    assert "Bildergalerie" in html and "Das Stadtfest in Bildern" in html
    for picture in pictures:
        assert f"/bild/{picture.pk}/" in html
    assert html.count('class="gallery__item"') == 2
    assert "Bild 0" in html and "Bild 1" in html
    # Each gallery picture in its own credited figure.
    assert html.count('class="photo__credit"') == 3
    assert 'data-block="' not in html


def test_an_empty_per_use_caption_falls_back_to_the_photo_caption(
    client, page_cache_off
):
    photo = PhotoFactory(caption="Die Bildunterschrift des Fotos")
    article = ArticleFactory()
    saved(article, photo_block(photo))
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Die Bildunterschrift des Fotos" in html


@pytest.mark.parametrize(
    "gone",
    [
        {"killed_at": "past"},
        {"licence_expires_at": "past"},
        {"credit_needs_review": True},
    ],
    ids=["killed", "expired", "credit to check"],
)
def test_a_photo_no_page_may_show_disappears_from_the_body(
    client, page_cache_off, gone
):
    photo = PhotoFactory()
    in_gallery = PhotoFactory()
    kept = PhotoFactory()
    gallery = make_gallery([in_gallery, kept])
    article = ArticleFactory()
    saved(
        article,
        photo_block(photo, caption="Verschwindet") + gallery_block(gallery),
    )
    url = article.get_absolute_url()
    html = client.get(url).content.decode()
    assert f"/bild/{photo.pk}/" in html and f"/bild/{in_gallery.pk}/" in html

    past = timezone.now() - timedelta(minutes=1)
    values = {key: past if value == "past" else value for key, value in gone.items()}
    Photo.objects.filter(pk__in=[photo.pk, in_gallery.pk]).update(**values)
    html = client.get(url).content.decode()
    assert f"/bild/{photo.pk}/" not in html and "Verschwindet" not in html
    assert f"/bild/{in_gallery.pk}/" not in html
    assert f"/bild/{kept.pk}/" in html


def test_a_gallery_without_usable_pictures_disappears_whole(client, page_cache_off):
    photo = PhotoFactory(killed_at=timezone.now())
    gallery = make_gallery([photo], title="Leere Galerie")
    article = ArticleFactory()
    saved(article, "<p>Text.</p>" + gallery_block(gallery))
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Leere Galerie" not in html and "Text." in html


def test_a_block_the_saved_article_does_not_record_shows_nothing(
    client, page_cache_off
):
    """A body written past the services (an import, a raw update) shows no
    photo the photo rules do not know of."""
    photo = PhotoFactory()
    article = ArticleFactory(body=photo_block(photo, caption="Unbekannt"))
    html = client.get(article.get_absolute_url()).content.decode()
    assert f"/bild/{photo.pk}/" not in html and "Unbekannt" not in html


def test_the_credit_line_names_every_agency_in_order_without_repeats(
    client, page_cache_off
):
    dpa = AgencyFactory(short_name="dpa", name="Deutsche Presse-Agentur")
    afp = AgencyFactory(short_name="AFP", name="Agence France-Presse")
    epd = AgencyFactory(short_name="epd", name="Evangelischer Pressedienst")
    reuters = AgencyFactory(short_name="Reuters", name="Reuters")
    article = ArticleFactory()
    ArticlePhotoFactory(article=article, photo=PhotoFactory(agency=dpa), position=0)
    ArticlePhotoFactory(article=article, photo=PhotoFactory(agency=reuters), position=1)
    gallery = make_gallery(
        [PhotoFactory(agency=epd), PhotoFactory(agency=dpa), PhotoFactory(agency=afp)]
    )
    saved(article, photo_block(PhotoFactory(agency=afp)) + gallery_block(gallery))
    html = client.get(article.get_absolute_url()).content.decode()
    # Lead photo, body photo, gallery pictures, closing photo.
    assert "Fotos: dpa, AFP, epd, Reuters" in html


def test_the_article_markup_follows_a_changed_gallery(client, page_cache_off):
    gallery = make_gallery([PhotoFactory()])
    article = ArticleFactory()
    saved(article, gallery_block(gallery))
    url = article.get_absolute_url()
    assert "Bild 0" in client.get(url).content.decode()
    GalleryPicture.objects.filter(gallery=gallery).update(caption="Neu beschriftet")
    Gallery.objects.filter(pk=gallery.pk).update(title="Neuer Titel")
    html = client.get(url).content.decode()
    assert "Neu beschriftet" in html and "Neuer Titel" in html


def test_body_media_load_in_constant_queries(django_assert_num_queries):
    def article_with(count):
        photos = PhotoFactory.create_batch(count)
        galleries = [make_gallery(PhotoFactory.create_batch(count)) for _ in range(2)]
        article = ArticleFactory()
        return saved(
            article,
            "".join(photo_block(p) for p in photos)
            + "".join(gallery_block(g) for g in galleries),
        )

    for count in (1, 6):
        article = article_with(count)
        # Photos with agencies (1), galleries (1), their usable pictures
        # with photos and agencies (1).
        with django_assert_num_queries(3):
            media = load_body_media(article)
        assert len(media.photos_in_order()) == 3 * count


def test_the_public_article_page_reads_a_constant_number_of_queries(
    count_queries,
):
    def page_queries(count):
        gallery = make_gallery(PhotoFactory.create_batch(count))
        article = saved(
            ArticleFactory(),
            "".join(photo_block(p) for p in PhotoFactory.create_batch(count))
            + gallery_block(gallery),
        )
        return count_queries(lambda: public_article_page(article.pk, timezone.now()))

    assert page_queries(1) == page_queries(8)


def test_a_preview_shows_the_blocks_of_the_text_it_shows(admin_client):
    photo = PhotoFactory(caption="Vorschaufoto")
    article = ArticleFactory(draft=True, body=photo_block(photo))
    url = reverse("admin:articles_article_preview", args=[article.pk])
    html = admin_client.get(url).content.decode()
    assert f"/bild/{photo.pk}/" in html and "Vorschaufoto" in html


def test_the_ninjs_export_leaves_the_blocks_out(client):
    photo = PhotoFactory()
    article = saved(ArticleFactory(), "<p>Text.</p>" + photo_block(photo, "Bild"))
    url = reverse("articles:ninjs_item", args=[article.pk])
    body = client.get(url).json()["bodies"][0]["value"]
    assert body == "<p>Text.</p>"
