"""A gallery's own page: its publication time decides, it shows only
usable pictures (each credited), it is in the sitemap, and it costs the
same queries whatever the archive holds. Photos in bodies and galleries
count as public uses everywhere the photo rules ask."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Gallery, Photo
from articles.photos.renditions import RenditionSpec, rendition_url
from articles.workflow import services
from tests.body_blocks import gallery_block, photo_block, saved
from tests.factories import (
    AgencyFactory,
    ArticleFactory,
    PhotoFactory,
    make_gallery,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache_off(settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0


def published(**fields):
    return make_gallery(
        [PhotoFactory(), PhotoFactory()],
        published_at=timezone.now() - timedelta(hours=1),
        **fields,
    )


def test_a_published_gallery_has_its_page_with_every_picture_credited(
    client, page_cache_off
):
    dpa = AgencyFactory(short_name="dpa", name="Deutsche Presse-Agentur")
    afp = AgencyFactory(short_name="AFP", name="Agence France-Presse")
    gallery = make_gallery(
        [PhotoFactory(agency=dpa), PhotoFactory(agency=afp), PhotoFactory(agency=dpa)],
        published_at=timezone.now() - timedelta(hours=1),
        description="Tausende kamen in die Altstadt.",
    )
    response = client.get(gallery.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html and "Das Stadtfest in Bildern" in html
    assert html.count('class="photo__credit"') == 3
    assert "Fotos: dpa, AFP" in html
    assert "Tausende kamen in die Altstadt." in html
    assert "articles/gallery.js" in html


@pytest.mark.parametrize(
    "published_at",
    [None, timedelta(hours=1)],
    ids=["without own page", "scheduled"],
)
def test_an_unpublished_gallery_has_no_page(client, page_cache_off, published_at):
    at = timezone.now() + published_at if published_at else None
    gallery = make_gallery([PhotoFactory()], published_at=at)
    assert client.get(gallery.get_absolute_url()).status_code == 404


def test_the_gallery_page_shows_only_usable_pictures(client, page_cache_off):
    gallery = published()
    killed, kept = [p.photo for p in gallery.pictures.all()]
    Photo.objects.filter(pk=killed.pk).update(killed_at=timezone.now())
    html = client.get(gallery.get_absolute_url()).content.decode()
    assert f"/bild/{killed.pk}/" not in html and f"/bild/{kept.pk}/" in html
    Photo.objects.filter(pk=kept.pk).update(credit_needs_review=True)
    assert client.get(gallery.get_absolute_url()).status_code == 404


def test_an_old_slug_redirects_to_the_gallery_address(client, page_cache_off):
    gallery = published()
    url = reverse("articles:gallery", args=["alter-name", gallery.pk])
    response = client.get(url)
    assert response.status_code == 301
    assert response["Location"] == gallery.get_absolute_url()


def test_the_gallery_page_costs_the_same_in_any_archive(
    client, page_cache_off, django_assert_max_num_queries
):
    gallery = published()
    for _ in range(3):
        published()
        saved(ArticleFactory(), gallery_block(gallery))
    # Gallery (1), usable pictures with photos and agencies (1), and the
    # base template's site-wide parts (breaking news banner, sections).
    with django_assert_max_num_queries(6):
        first = client.get(gallery.get_absolute_url())
    for _ in range(20):
        published()
    with django_assert_max_num_queries(6):
        again = client.get(gallery.get_absolute_url())
    assert first.status_code == again.status_code == 200


def test_published_galleries_are_in_the_sitemap(client):
    shown = published(title="Gezeigt")
    hidden = make_gallery([PhotoFactory()], title="Ohne Seite")
    empty = make_gallery(
        [PhotoFactory(killed_at=timezone.now())],
        published_at=timezone.now() - timedelta(hours=1),
    )
    index = client.get(reverse("articles:sitemap_index")).content.decode()
    assert "sitemap-galerien.xml" in index
    xml = client.get(reverse("articles:sitemap", args=["galerien"])).content.decode()
    assert shown.get_absolute_url() in xml
    assert hidden.get_absolute_url() not in xml
    assert empty.get_absolute_url() not in xml


class TestPhotoRules:
    """Every place that asks "does a public page show this photo?"."""

    def test_body_and_gallery_photos_of_published_articles_are_public(self):
        in_body, in_gallery = PhotoFactory(), PhotoFactory()
        draft_only = PhotoFactory()
        gallery = make_gallery([in_gallery])
        saved(ArticleFactory(), photo_block(in_body) + gallery_block(gallery))
        saved(ArticleFactory(draft=True), photo_block(draft_only))
        public = set(Photo.objects.public().values_list("pk", flat=True))
        assert {in_body.pk, in_gallery.pk} <= public
        assert draft_only.pk not in public
        assert draft_only.pk in set(
            Photo.objects.in_unpublished_stories().values_list("pk", flat=True)
        )

    def test_a_published_gallery_page_makes_its_photos_public(self):
        gallery = published()
        unpublished = make_gallery([PhotoFactory()])
        public = set(Photo.objects.public().values_list("pk", flat=True))
        assert set(gallery.pictures.values_list("photo_id", flat=True)) <= public
        assert unpublished.pictures.get().photo_id not in public

    def test_the_credit_of_a_body_or_gallery_photo_cannot_be_removed(self):
        in_body = PhotoFactory(creator="Anne Beispiel")
        gallery = published(title="Hochwasser an der Elbe")
        in_gallery = gallery.pictures.first().photo
        saved(ArticleFactory(headline="Der Markt"), photo_block(in_body))
        for photo, where in [
            (in_body, "Artikel „Der Markt“"),
            (in_gallery, "Bildergalerie „Hochwasser an der Elbe“"),
        ]:
            photo.creator = photo.credit_line = ""
            photo.agency = None
            with pytest.raises(ValidationError, match=where):
                photo.full_clean()

    def test_a_withdrawn_story_takes_its_body_photos_down(self, client):
        photo = PhotoFactory()
        article = saved(ArticleFactory(), photo_block(photo))
        assert not Photo.objects.taken_down().filter(pk=photo.pk).exists()
        services.withdraw_article(article, by=None, reason="Falsche Angaben")
        assert Photo.objects.taken_down().filter(pk=photo.pk).exists()
        url = rendition_url(photo, RenditionSpec("orig", 320, "jpg"))
        assert client.get(url).status_code == 404

    def test_a_body_photo_of_a_published_story_is_served_publicly(self, client):
        photo = PhotoFactory()
        saved(ArticleFactory(), photo_block(photo))
        response = client.get(rendition_url(photo, RenditionSpec("orig", 320, "jpg")))
        assert response.status_code == 200
        assert "public" in response["Cache-Control"]

    def test_publishing_checks_body_and_gallery_photos(self):
        no_alt = PhotoFactory(alt_text="")
        gallery = make_gallery([no_alt])
        article = saved(ArticleFactory(draft=True), gallery_block(gallery))
        with pytest.raises(ValidationError, match="Alternativtext"):
            services.check_photos_ready(article)
        assert Article.objects.filter(pk=article.pk, status="draft").exists()

    def test_a_photo_in_use_cannot_be_deleted(self):
        photo = PhotoFactory()
        saved(ArticleFactory(), photo_block(photo))
        with pytest.raises(ProtectedError):
            photo.delete()
        gallery_photo = make_gallery([PhotoFactory()]).pictures.get().photo
        with pytest.raises(ProtectedError):
            gallery_photo.delete()


def test_a_gallery_in_use_cannot_be_deleted():
    gallery = make_gallery([PhotoFactory()])
    saved(ArticleFactory(), gallery_block(gallery))
    with pytest.raises(ProtectedError):
        Gallery.objects.filter(pk=gallery.pk).delete()
