from io import StringIO

import pytest
from django.core.management import call_command

from articles.models import Article, BodyGallery, BodyPhoto, Gallery, Photo
from teasers.demo_gallery import GALLERY_TITLE, HEADLINE

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_gallery_article_credited_by_two_agencies(client, settings):
    settings.NEWSROOM_ALLOW_DEMO = True
    call_command("load_demo", stdout=StringIO())
    article = Article.objects.get(headline=HEADLINE)
    gallery = Gallery.objects.get(title=GALLERY_TITLE)
    assert article.is_public() and gallery.is_published()
    assert BodyGallery.objects.filter(article=article, gallery=gallery).exists()
    assert BodyPhoto.objects.filter(article=article).count() == 1
    html = client.get(article.get_absolute_url()).content.decode()
    assert html.count('class="gallery__item"') == 5
    assert "Fotos: dpa, AFP" in html
    assert "Foto: Jean Dupont/AFP" in html
    page = client.get(gallery.get_absolute_url())
    assert page.status_code == 200

    photos = Photo.objects.count()
    call_command("load_demo", stdout=StringIO())
    assert Photo.objects.count() == photos
    assert Gallery.objects.count() == 2  # and the every-element article's
