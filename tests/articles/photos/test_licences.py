from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Photo
from articles.workflow.services import publish_article
from tests.factories import (
    AgencyFactory,
    ArticleFactory,
    ArticlePhotoFactory,
    PhotoFactory,
    RailItemFactory,
    SponsoredSlotFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PAST = timezone.now() - timedelta(minutes=1)


@pytest.fixture(params=["expired", "killed"])
def unusable(request):
    if request.param == "expired":
        return {"licence_expires_at": PAST}
    return {"killed_at": PAST, "kill_reason": "Agentur-Kill"}


def test_usable_rule_in_sql_and_python(unusable):
    good = PhotoFactory()
    bad = PhotoFactory(**unusable)
    assert list(Photo.objects.usable()) == [good]
    assert good.is_usable() and not bad.is_usable()
    soon = PhotoFactory(licence_expires_at=timezone.now() + timedelta(hours=1))
    assert soon in Photo.objects.usable()
    assert soon not in Photo.objects.usable(at=timezone.now() + timedelta(hours=2))


def test_article_page_drops_unusable_photo_and_its_credit(client, unusable):
    article = ArticleFactory()
    afp = AgencyFactory(short_name="AFP")
    ArticlePhotoFactory(article=article, photo=PhotoFactory(**unusable), position=0)
    kept = ArticlePhotoFactory(
        article=article, photo=PhotoFactory(agency=afp), position=1
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert html.count("<figure") == 1 + html.count("teaser__photo")
    assert f"/bild/{kept.photo.pk}/" in html
    assert '<p class="article__credits">Foto: AFP</p>' in html
    assert "dpa" not in html


def test_teaser_and_sponsored_slot_render_without_unusable_photo(client, unusable):
    photo = PhotoFactory(**unusable)
    item = RailItemFactory(article__headline="Ohne Bild")
    ArticlePhotoFactory(article=item.article, photo=photo)
    SponsoredSlotFactory(rail=item.rail, photo=photo, position=2)
    html = client.get("/").content.decode()
    assert "Ohne Bild" in html
    assert "Anzeige" in html
    assert "<figure" not in html
    assert f"/bild/{photo.pk}/" not in html


class TestPublishingNeedsCreditsAndAltTexts:
    def test_photo_without_alt_text_blocks_publishing(self):
        article = ArticleFactory(draft=True)
        ArticlePhotoFactory(
            article=article, photo=PhotoFactory(alt_text="", caption="Rathaus im Regen")
        )
        with pytest.raises(ValidationError) as error:
            publish_article(article, by=None)
        assert "Rathaus im Regen" in str(error.value)
        assert "Alternativtext" in str(error.value)
        article.refresh_from_db()
        assert article.status == Article.Status.DRAFT

    def test_photo_without_credit_blocks_publishing(self):
        article = ArticleFactory(draft=True)
        ArticlePhotoFactory(
            article=article,
            photo=PhotoFactory(agency=None, creator="", caption="Marktplatz"),
        )
        with pytest.raises(ValidationError, match=r"Marktplatz.*Bildquelle"):
            publish_article(article, by=None)

    def test_bulk_action_names_the_photo(self, client):
        editor = UserFactory(username="cvd")
        editor.groups.add(Group.objects.get(name="Chef vom Dienst"))
        client.force_login(editor)
        article = ArticleFactory(draft=True)
        ArticlePhotoFactory(
            article=article, photo=PhotoFactory(alt_text="", caption="Hafenkran")
        )
        response = client.post(
            reverse("admin:articles_article_changelist"),
            {"action": "publish", "_selected_action": [article.pk]},
            follow=True,
        )
        html = response.content.decode()
        assert "Hafenkran" in html and "Alternativtext" in html
        assert not Article.objects.published().exists()


class TestAdminLicenceList:
    def test_filter_lists_expiring_photos_with_their_articles(self, client):
        client.force_login(UserFactory(username="chefin", is_superuser=True))
        soon = PhotoFactory(
            caption="Läuft bald ab",
            licence_expires_at=timezone.now() + timedelta(days=3),
        )
        PhotoFactory(
            caption="Lange gültig",
            licence_expires_at=timezone.now() + timedelta(days=30),
        )
        PhotoFactory(caption="Abgelaufen", licence_expires_at=PAST)
        use = ArticlePhotoFactory(photo=soon, article__headline="Bericht vom Hafen")
        response = client.get(
            reverse("admin:articles_photo_changelist"), {"lizenz": "endet"}
        )
        html = response.content.decode()
        assert "Läuft bald ab" in html
        assert "Abgelaufen" in html
        assert "Lange gültig" not in html
        assert "Bericht vom Hafen" in html
        assert reverse("admin:articles_article_change", args=[use.article_id]) in html


def test_article_page_with_ten_photos_keeps_its_query_count(
    client, count_queries, settings
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0  # built on every request
    settings.NEWSROOM_FRAGMENT_CACHE_SECONDS = 0
    article = ArticleFactory()
    ArticlePhotoFactory(article=article)
    one = count_queries(lambda: client.get(article.get_absolute_url()))
    for position in range(1, 10):
        ArticlePhotoFactory(article=article, position=position)
    ten = count_queries(lambda: client.get(article.get_absolute_url()))
    assert one == ten
