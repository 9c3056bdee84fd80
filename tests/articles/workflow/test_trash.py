"""The trash: moving articles and photos in and out, who may, and emptying
it (articles/workflow/trash.py, the empty_trash command)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from articles.models import Article, ArticlePhoto, ArticleRevision, Photo
from articles.workflow import services, trash
from tests.articles.admin.staff import user_in
from tests.factories import (
    ArticleFactory,
    ArticlePhotoFactory,
    AuthorFactory,
    PhotoFactory,
    RailFactory,
    SponsoredSlotFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ROLES = ["Redakteur", "Chef vom Dienst", "Bildredaktion", "Anzeigen"]
# Who may move what to the trash and back (the delete permission).
TRASHES_ARTICLES = {"Chef vom Dienst"}
TRASHES_PHOTOS = {"Bildredaktion"}


def edited_article(by=None, **fields) -> Article:
    """An article with three revisions, as the admin leaves one."""
    article = ArticleFactory(**fields)
    for headline in ("Erste Fassung", "Zweite Fassung", "Dritte Fassung"):
        article.headline = headline
        services.save_article(article, by=by)
        services.record_revision(article, by=by)
    return article


@pytest.mark.parametrize("role", ROLES)
def test_who_may_trash_and_restore_an_article(role):
    user = user_in(role, "jemand")
    article = ArticleFactory()
    if role not in TRASHES_ARTICLES:
        with pytest.raises(PermissionDenied):
            trash.trash_article(article, by=user)
        assert Article.objects.get(pk=article.pk).deleted_at is None
        return
    trash.trash_article(article, by=user)
    article.refresh_from_db()
    assert article.deleted_at and article.deleted_by == user
    trash.restore_article(article, by=user)
    assert Article.objects.get(pk=article.pk).deleted_at is None


@pytest.mark.parametrize("role", ROLES)
def test_who_may_trash_and_restore_a_photo(role):
    user = user_in(role, "jemand")
    photo = PhotoFactory()
    if role not in TRASHES_PHOTOS:
        with pytest.raises(PermissionDenied):
            trash.trash_photo(photo, by=user)
        assert Photo.objects.get(pk=photo.pk).deleted_at is None
        return
    trash.trash_photo(photo, by=user)
    assert Photo.objects.in_trash().filter(pk=photo.pk).exists()
    trash.restore_photo(photo, by=user)
    assert Photo.objects.not_in_trash().filter(pk=photo.pk).exists()


@pytest.mark.parametrize("role", [*ROLES, "superuser", "empty_trash permission"])
def test_only_administrators_delete_for_good(role):
    if role == "superuser":
        user = UserFactory(username="admin", password="!", is_superuser=True)
    elif role == "empty_trash permission":
        user = UserFactory(username="technik", password="!")
        user.user_permissions.add(Permission.objects.get(codename="empty_trash"))
    else:
        user = user_in(role, "jemand")
    article = ArticleFactory(deleted_at=timezone.now())
    photo = PhotoFactory(deleted_at=timezone.now())
    if role in ROLES:
        for item, delete in (
            (article, trash.delete_article_for_good),
            (photo, trash.delete_photo_for_good),
        ):
            with pytest.raises(PermissionDenied, match="Nur Administratoren"):
                delete(item, by=user)
        assert Article.objects.filter(pk=article.pk).exists()
        assert Photo.objects.filter(pk=photo.pk).exists()
        return
    trash.delete_article_for_good(article, by=user)
    trash.delete_photo_for_good(photo, by=user)
    assert not Article.objects.filter(pk=article.pk).exists()
    assert not Photo.objects.filter(pk=photo.pk).exists()
    assert LogEntry.objects.filter(user=user, change_message=trash.DELETED).count() == 2


def test_only_what_is_in_the_trash_is_deleted_for_good():
    article, photo = ArticleFactory(), PhotoFactory()
    with pytest.raises(ValidationError, match="liegt nicht im Papierkorb"):
        trash.delete_article_for_good(article, by=None)
    with pytest.raises(ValidationError, match="liegt nicht im Papierkorb"):
        trash.delete_photo_for_good(photo, by=None)


def test_a_trashed_article_is_hidden_and_comes_back_with_its_revisions(
    django_capture_on_commit_callbacks,
):
    desk = user_in("Chef vom Dienst", "cvd")
    article = edited_article(by=desk)
    assert Article.objects.published().filter(pk=article.pk).exists()
    version = Article.objects.get(pk=article.pk).version
    with django_capture_on_commit_callbacks() as purges:
        trash.trash_article(article, by=desk)
    assert purges, "the page cache is purged on commit"
    assert not Article.objects.published().filter(pk=article.pk).exists()
    assert Article.objects.get(pk=article.pk).visible_from is None
    # An edit form opened before refuses to save over the trash.
    assert Article.objects.get(pk=article.pk).version == version + 1
    trash.restore_article(article, by=desk)
    restored = Article.objects.get(pk=article.pk)
    assert restored.status == Article.Status.PUBLISHED
    assert Article.objects.published().filter(pk=article.pk).exists()
    assert [r.data["headline"] for r in restored.revisions.all()] == [
        "Dritte Fassung",
        "Zweite Fassung",
        "Erste Fassung",
    ]
    # ... and an old revision can be made current again.
    oldest = restored.revisions.get(data__headline="Erste Fassung")
    services.restore_revision(restored, oldest, by=desk)
    assert Article.objects.get(pk=article.pk).headline == "Erste Fassung"


def test_trash_and_restore_are_in_the_articles_history():
    desk = user_in("Chef vom Dienst", "cvd")
    article = ArticleFactory()
    trash.trash_article(article, by=desk)
    trash.restore_article(article, by=desk)
    history = list(article.transitions.order_by("at", "pk"))
    assert [(t.comment, t.by, t.from_status, t.to_status) for t in history] == [
        (trash.TRASHED, desk, "published", "published"),
        (trash.RESTORED, desk, "published", "published"),
    ]


def test_restoring_a_published_article_needs_the_right_to_publish():
    article = ArticleFactory(deleted_at=timezone.now())
    deleting_only = UserFactory(username="loescher", password="!")
    deleting_only.user_permissions.add(
        *Permission.objects.filter(codename__in=["delete_article", "change_article"])
    )
    with pytest.raises(PermissionDenied):
        trash.restore_article(article, by=deleting_only)
    draft = ArticleFactory(draft=True, deleted_at=timezone.now())
    trash.restore_article(draft, by=deleting_only)
    assert Article.objects.get(pk=draft.pk).deleted_at is None


def test_trashing_twice_or_restoring_what_is_not_there_is_refused():
    article = ArticleFactory()
    with pytest.raises(ValidationError, match="liegt nicht im Papierkorb"):
        trash.restore_article(article, by=None)
    trash.trash_article(article, by=None)
    with pytest.raises(ValidationError, match="liegt schon im Papierkorb"):
        trash.trash_article(article, by=None)


def test_a_photo_a_public_article_shows_cannot_go_to_the_trash():
    photo = PhotoFactory(caption="Hafenfest")
    ArticlePhotoFactory(photo=photo, article=ArticleFactory(headline="Hafen feiert"))
    with pytest.raises(ValidationError, match="Artikel „Hafen feiert“") as refused:
        trash.trash_photo(photo, by=None)
    assert "kann nicht in den Papierkorb" in refused.value.messages[0]
    assert Photo.objects.get(pk=photo.pk).deleted_at is None


@pytest.mark.parametrize("where", ["scheduled", "sponsored slot", "author portrait"])
def test_a_photo_shown_elsewhere_cannot_go_to_the_trash(where):
    photo = PhotoFactory()
    if where == "scheduled":
        ArticlePhotoFactory(photo=photo, article=ArticleFactory(scheduled=True))
    elif where == "sponsored slot":
        SponsoredSlotFactory(rail=RailFactory(), photo=photo)
    else:
        AuthorFactory(photo=photo, name="Anna Schmidt")
    with pytest.raises(ValidationError, match="kann nicht in den Papierkorb"):
        trash.trash_photo(photo, by=None)


def test_a_photo_of_a_draft_goes_to_the_trash_and_disappears_from_it():
    photo = PhotoFactory()
    draft = ArticleFactory(draft=True)
    ArticlePhotoFactory(photo=photo, article=draft)
    trash.trash_photo(photo, by=None)
    assert not Photo.objects.usable().filter(pk=photo.pk).exists()
    assert not Photo.objects.get(pk=photo.pk).is_usable()
    # Published later, the draft shows no trashed photo.
    services.publish_article(draft, by=None)
    assert Article.objects.get(pk=draft.pk).photo_uses == []
    assert ArticlePhoto.objects.usable().filter(article=draft).count() == 0


def test_photo_trash_and_restore_are_in_the_admin_log():
    desk = user_in("Bildredaktion", "bild")
    photo = PhotoFactory()
    trash.trash_photo(photo, by=desk)
    trash.restore_photo(photo, by=desk)
    messages = LogEntry.objects.filter(object_id=str(photo.pk)).order_by("pk")
    assert [e.change_message for e in messages] == [trash.TRASHED, trash.RESTORED]


class TestEmptyTrash:
    def test_deletes_what_is_older_than_the_setting(self, settings):
        settings.NEWSROOM_TRASH_DAYS = 30
        old = timezone.now() - timedelta(days=30, minutes=1)
        recent = timezone.now() - timedelta(days=29)
        expired_article = edited_article(deleted_at=old)
        kept_article = ArticleFactory(deleted_at=recent)
        live_article = ArticleFactory()
        expired_photo = PhotoFactory(deleted_at=old)
        # A draft still names the photo: the use goes with it.
        ArticlePhotoFactory(photo=expired_photo, article=ArticleFactory(draft=True))
        kept_photo = PhotoFactory(deleted_at=recent)
        out = StringIO()
        call_command("empty_trash", stdout=out)
        assert "1 Artikel und 1 Fotos endgültig gelöscht" in out.getvalue()
        assert set(Article.objects.values_list("pk", flat=True)) >= {
            kept_article.pk,
            live_article.pk,
        }
        assert not Article.objects.filter(pk=expired_article.pk).exists()
        assert not ArticleRevision.objects.filter(article_id=expired_article.pk)
        assert set(Photo.objects.values_list("pk", flat=True)) >= {kept_photo.pk}
        assert not Photo.objects.filter(pk=expired_photo.pk).exists()

    def test_the_setting_moves_the_cutoff(self, settings):
        settings.NEWSROOM_TRASH_DAYS = 7
        ArticleFactory(deleted_at=timezone.now() - timedelta(days=8))
        call_command("empty_trash", stdout=StringIO())
        assert not Article.objects.exists()

    def test_dry_run_deletes_nothing(self, settings):
        settings.NEWSROOM_TRASH_DAYS = 1
        ArticleFactory(deleted_at=timezone.now() - timedelta(days=2))
        out = StringIO()
        call_command("empty_trash", "--dry-run", stdout=out)
        assert out.getvalue().startswith("Probelauf: 1 Artikel")
        assert Article.objects.count() == 1

    def test_an_item_that_cannot_go_is_reported_and_the_rest_goes(self, settings):
        settings.NEWSROOM_TRASH_DAYS = 1
        old = timezone.now() - timedelta(days=2)
        photo = PhotoFactory(caption="Werbebild")
        slot = SponsoredSlotFactory(
            rail=RailFactory(),
            photo=photo,
            starts_at=timezone.now() - timedelta(days=5),
            ends_at=timezone.now() - timedelta(days=3),
        )
        Photo.objects.filter(pk=photo.pk).update(deleted_at=old)
        article = ArticleFactory(deleted_at=old)
        with pytest.raises(CommandError, match="Anzeigenplatz") as failed:
            call_command("empty_trash", stdout=StringIO())
        assert failed.value.returncode == 2
        assert not Article.objects.filter(pk=article.pk).exists()
        assert Photo.objects.filter(pk=photo.pk).exists() and slot.photo_id
