"""The trash in the admin: "Löschen" moves to the trash, the trash page
lists it with "Wiederherstellen" and, for administrators, "Endgültig
löschen"; every role is checked on the server."""

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Photo
from tests.articles.admin.staff import client_for, user_in
from tests.factories import (
    ArticleFactory,
    ArticlePhotoFactory,
    PhotoFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ROLES = ["Redakteur", "Chef vom Dienst", "Bildredaktion", "Anzeigen"]


def superuser():
    return UserFactory(username="admin", password="!", is_superuser=True)


def test_deleting_an_article_asks_then_moves_it_to_the_trash():
    client = client_for(user_in("Chef vom Dienst", "cvd"))
    article = ArticleFactory(headline="Stadtrat tagt")
    delete_url = reverse("admin:articles_article_delete", args=[article.pk])
    page = client.get(delete_url).content.decode()
    assert "„Stadtrat tagt“ kommt in den Papierkorb" in page
    assert "30 Tage" in page
    assert Article.objects.get(pk=article.pk).deleted_at is None  # only asked
    response = client.post(delete_url)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:articles_article_changelist")
    assert Article.objects.get(pk=article.pk).deleted_at is not None
    client.get(reverse("admin:articles_article_changelist"))  # the message
    changelist = client.get(reverse("admin:articles_article_changelist"))
    assert "Stadtrat tagt" not in changelist.content.decode()
    change = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert change.status_code == 302  # "does not exist", back to the list
    history = reverse("admin:articles_article_revisions", args=[article.pk])
    assert client.get(history).status_code == 404


@pytest.mark.parametrize("role", ["Redakteur", "Bildredaktion", "Anzeigen"])
def test_roles_without_the_delete_right_cannot_trash_articles(role):
    client = client_for(user_in(role, "jemand"))
    article = ArticleFactory()
    delete_url = reverse("admin:articles_article_delete", args=[article.pk])
    assert client.post(delete_url).status_code in (403, 302)
    assert Article.objects.get(pk=article.pk).deleted_at is None


def test_the_bulk_action_moves_to_the_trash_instead_of_deleting():
    client = client_for(user_in("Chef vom Dienst", "cvd"))
    articles = ArticleFactory.create_batch(2)
    changelist = reverse("admin:articles_article_changelist")
    page = client.get(changelist).content.decode()
    assert 'value="move_to_trash"' in page
    assert 'value="delete_selected"' not in page
    client.post(
        changelist,
        {"action": "move_to_trash", "_selected_action": [a.pk for a in articles]},
    )
    assert Article.objects.in_trash().count() == 2


def test_a_photo_a_public_article_shows_is_refused_in_german():
    client = client_for(user_in("Bildredaktion", "bild"))
    photo = PhotoFactory()
    ArticlePhotoFactory(photo=photo, article=ArticleFactory(headline="Hafen feiert"))
    delete_url = reverse("admin:articles_photo_delete", args=[photo.pk])
    page = client.get(delete_url).content.decode()
    assert "kann nicht in den Papierkorb" in page
    assert "Hafen feiert" in page
    assert "<form" not in page.split('id="content-main"')[1]
    client.post(delete_url)
    assert Photo.objects.get(pk=photo.pk).deleted_at is None


def test_a_photo_without_public_use_goes_to_the_trash():
    client = client_for(user_in("Bildredaktion", "bild"))
    photo = PhotoFactory()
    client.post(reverse("admin:articles_photo_delete", args=[photo.pk]))
    assert Photo.objects.in_trash().filter(pk=photo.pk).exists()
    client.get(reverse("admin:articles_photo_changelist"))  # the message
    changelist = client.get(reverse("admin:articles_photo_changelist"))
    assert photo.caption not in changelist.content.decode()


@pytest.mark.parametrize(
    ("role", "articles_shown", "photos_shown"),
    [
        ("Redakteur", None, None),
        ("Anzeigen", None, None),
        ("Chef vom Dienst", True, False),
        ("Bildredaktion", False, True),
        ("superuser", True, True),
    ],
)
def test_the_trash_page_per_role(role, articles_shown, photos_shown):
    user = superuser() if role == "superuser" else user_in(role, "jemand")
    client = client_for(user)
    ArticleFactory(headline="Gelöschter Bericht", deleted_at=timezone.now())
    PhotoFactory(caption="Gelöschtes Bild", deleted_at=timezone.now())
    response = client.get(reverse("admin:trash"))
    if articles_shown is None:
        assert response.status_code == 403
        return
    page = response.content.decode()
    assert ("Gelöschter Bericht" in page) is articles_shown
    assert ("Gelöschtes Bild" in page) is photos_shown
    assert ("endgueltig-loeschen" in page) is (role == "superuser")


def test_restore_from_the_trash_page():
    client = client_for(user_in("Chef vom Dienst", "cvd"))
    article = ArticleFactory(deleted_at=timezone.now())
    url = reverse("admin:trash_restore", args=["artikel", article.pk])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response["Location"] == reverse("admin:trash")
    assert Article.objects.published().filter(pk=article.pk).exists()
    # Gone from the trash: a second click finds nothing.
    assert client.post(url).status_code == 404


def test_restoring_photos_needs_the_photo_right():
    client = client_for(user_in("Chef vom Dienst", "cvd"))
    photo = PhotoFactory(deleted_at=timezone.now())
    url = reverse("admin:trash_restore", args=["fotos", photo.pk])
    assert client.post(url).status_code == 403
    assert Photo.objects.get(pk=photo.pk).deleted_at is not None


@pytest.mark.parametrize("role", ["Chef vom Dienst", "Bildredaktion", "superuser"])
def test_only_administrators_delete_for_good_on_the_trash_page(role):
    user = superuser() if role == "superuser" else user_in(role, "jemand")
    client = client_for(user)
    article = ArticleFactory(deleted_at=timezone.now())
    photo = PhotoFactory(deleted_at=timezone.now())
    for kind, obj in (("artikel", article), ("fotos", photo)):
        response = client.post(reverse("admin:trash_delete", args=[kind, obj.pk]))
        assert response.status_code == (302 if role == "superuser" else 403)
    exists = Article.objects.filter(pk=article.pk).exists()
    assert exists is (role != "superuser")
    assert Photo.objects.filter(pk=photo.pk).exists() is (role != "superuser")


def test_unknown_kinds_and_ids_answer_404():
    client = client_for(superuser())
    live = ArticleFactory()
    for url in (
        reverse("admin:trash_restore", args=["nutzer", 1]),
        reverse("admin:trash_restore", args=["artikel", live.pk]),
        reverse("admin:trash_delete", args=["artikel", 4711]),
    ):
        assert client.post(url).status_code == 404
    assert Article.objects.filter(pk=live.pk).exists()


@pytest.mark.parametrize("count", [2, 20])
def test_the_trash_page_takes_the_same_queries_at_any_size(
    count, django_assert_max_num_queries
):
    client = client_for(superuser())
    deleter = user_in("Chef vom Dienst", "cvd")
    for _ in range(count):
        ArticleFactory(deleted_at=timezone.now(), deleted_by=deleter)
        PhotoFactory(deleted_at=timezone.now(), deleted_by=deleter)
    # session, user, articles in the trash (with section and who deleted),
    # photos in the trash (with who deleted), and the admin's own reads
    with django_assert_max_num_queries(6):
        response = client.get(reverse("admin:trash"))
    assert response.content.decode().count("Wiederherstellen") == 2 * count
