"""The "Artikelfotos" admin page: a live article's photos change only as
its draft (the edit form), never on the public page at once."""

import pytest
from django.urls import reverse

from articles.models import ArticlePhoto
from tests.articles.admin.staff import client_for, user_in
from tests.articles.admin.test_live_drafts_admin import change_url, form_with_inlines
from tests.factories import ArticleFactory, ArticlePhotoFactory, PhotoFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk_client():
    return client_for(user_in("Chef vom Dienst", "cvd"))


def use_url(use) -> str:
    return reverse("admin:articles_articlephoto_change", args=[use.pk])


def test_a_live_article_s_photo_use_is_read_only_with_a_pointer_to_the_form(
    client, desk_client
):
    use = ArticlePhotoFactory(
        article__headline="Live-Fassung", caption="Alte Unterschrift"
    )
    page = desk_client.get(use_url(use))
    html = page.content.decode()
    assert page.status_code == 200
    assert "„Live-Fassung“ ist live" in html
    assert f'href="{change_url(use.article)}"' in html
    assert 'name="_save"' not in html  # a view page, nothing to save

    response = desk_client.post(
        use_url(use),
        {
            "article": use.article_id,
            "photo": use.photo_id,
            "position": 0,
            "caption": "Sofort live?",
        },
    )
    assert response.status_code == 403
    delete = reverse("admin:articles_articlephoto_delete", args=[use.pk])
    assert desk_client.post(delete, {"post": "yes"}).status_code == 403
    use.refresh_from_db()
    assert use.caption == "Alte Unterschrift"
    public = client.get(use.article.get_absolute_url()).content.decode()
    assert "Alte Unterschrift" in public


def test_adding_a_photo_to_a_live_article_here_is_refused(desk_client):
    article = ArticleFactory(headline="Live-Fassung")
    photo = PhotoFactory()
    response = desk_client.post(
        reverse("admin:articles_articlephoto_add"),
        {"article": article.pk, "photo": photo.pk, "position": 0, "caption": ""},
    )
    assert response.status_code == 200
    assert "im Bearbeitungsformular des Artikels" in response.content.decode()
    assert not ArticlePhoto.objects.filter(article=article).exists()


def test_an_unpublished_article_s_photo_use_changes_here_at_once(desk_client):
    use = ArticlePhotoFactory(article__draft=True, caption="Alt")
    response = desk_client.post(
        use_url(use),
        {
            "article": use.article_id,
            "photo": use.photo_id,
            "position": 0,
            "caption": "Neu",
        },
    )
    assert response.status_code == 302
    use.refresh_from_db()
    assert use.caption == "Neu"


def test_through_the_edit_form_readers_see_the_change_once_it_is_published(
    client, desk_client, django_capture_on_commit_callbacks
):
    use = ArticlePhotoFactory(article__headline="Live-Fassung", caption="Vorher")
    article = use.article
    data = form_with_inlines(desk_client, article) | {
        "article_photos-0-caption": "Nachher"
    }
    assert desk_client.post(change_url(article), data).status_code == 302
    assert "Vorher" in client.get(article.get_absolute_url()).content.decode()
    use.refresh_from_db()
    assert use.caption == "Vorher"

    article.refresh_from_db()
    publish = reverse("admin:articles_article_publish_changes", args=[article.pk])
    with django_capture_on_commit_callbacks(execute=True):  # the purge
        desk_client.post(publish, {"loaded_version": article.version})
    public = client.get(article.get_absolute_url()).content.decode()
    assert "Nachher" in public and "Vorher" not in public


def test_a_change_here_moves_the_version_on_so_an_open_form_must_merge(
    desk_client,
):
    use = ArticlePhotoFactory(article__draft=True, caption="Alt")
    article = use.article
    form = form_with_inlines(desk_client, article)
    response = desk_client.post(
        use_url(use),
        {"article": article.pk, "photo": use.photo_id, "position": 0, "caption": "Neu"},
    )
    assert response.status_code == 302
    # The form opened before cannot write its photo list over the change.
    form |= {"article_photos-0-caption": "Aus dem Formular", "headline": "Neu"}
    html = desk_client.post(change_url(article), form).content.decode()
    assert 'data-field="photos"' in html
    use.refresh_from_db()
    assert use.caption == "Neu"
