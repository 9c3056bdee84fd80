"""The trash ("Papierkorb") of articles and photos.

Deleting an article or a photo in the admin moves it here: `deleted_at`
hides it from readers (an article's visible_from, a photo's
usable_photo_q) and from the admin's lists, and nothing else of it changes,
so restoring brings it back with its revisions, photos and state. After
NEWSROOM_TRASH_DAYS, `empty_trash` (cron) deletes it for good; before that
only administrators (superusers or the permission articles.empty_trash) may.
Every move into and out of the trash is in the history: an article's
transitions, the admin log for photos and for what is deleted for good.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.admin.models import CHANGE, DELETION, LogEntry
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import Article, ArticlePhoto, ArticleTransition, Photo
from articles.purging import purge_pages_on_commit
from articles.workflow.services import check_may_publish, lock, save_workflow_fields

logger = logging.getLogger(__name__)

TRASHED = "In den Papierkorb gelegt"
RESTORED = "Aus dem Papierkorb wiederhergestellt"
DELETED = "Endgültig aus dem Papierkorb gelöscht"


def may_trash_articles(user: AbstractBaseUser | None) -> bool:
    """Whoever may delete articles moves them to the trash and back."""
    return user is None or user.has_perm("articles.delete_article")


def may_trash_photos(user: AbstractBaseUser | None) -> bool:
    return user is None or user.has_perm("articles.delete_photo")


def may_empty_trash(user: AbstractBaseUser | None) -> bool:
    """Administrators only: superusers (who hold every permission) and
    whoever is given articles.empty_trash."""
    return user is None or user.has_perm("articles.empty_trash")


def check_may_empty_trash(user: AbstractBaseUser | None) -> None:
    if not may_empty_trash(user):
        raise PermissionDenied(
            _("Nur Administratoren dürfen endgültig aus dem Papierkorb löschen.")
        )


def _log(by, obj, flag: int, message: str) -> None:
    # The system (cron, user None) has no admin log; its runs are logged.
    if by is not None:
        LogEntry.objects.log_actions(
            by.pk, [obj], flag, change_message=message, single_object=True
        )


def _record(article: Article, *, by, comment: str) -> None:
    """A line in the article's history; the state stays as it was."""
    ArticleTransition.objects.create(
        article=article,
        from_status=article.status,
        to_status=article.status,
        by=by,
        comment=comment,
    )


@transaction.atomic
def trash_article(article: Article, *, by: AbstractBaseUser | None) -> Article:
    """Move `article` to the trash: off every public surface and out of the
    admin's lists at once, restorable until empty_trash."""
    if not may_trash_articles(by):
        raise PermissionDenied(_("Sie dürfen keine Artikel löschen."))
    lock(article, whole_row=True)
    if article.deleted_at is not None:
        raise ValidationError(
            _("„%(headline)s“ liegt schon im Papierkorb.")
            % {"headline": article.headline}
        )
    article.deleted_at, article.deleted_by = timezone.now(), by
    # The version moves on: an edit form still open refuses to save.
    save_workflow_fields(article, ("deleted_at", "deleted_by"))
    _record(article, by=by, comment=TRASHED)
    _log(by, article, CHANGE, TRASHED)
    purge_pages_on_commit()
    return article


@transaction.atomic
def restore_article(article: Article, *, by: AbstractBaseUser | None) -> Article:
    """Take `article` out of the trash in the state it had, with its
    revisions; a published one is public again at once."""
    if not may_trash_articles(by):
        raise PermissionDenied(_("Sie dürfen keine Artikel wiederherstellen."))
    lock(article, whole_row=True)
    if article.deleted_at is None:
        raise ValidationError(
            _("„%(headline)s“ liegt nicht im Papierkorb.")
            % {"headline": article.headline}
        )
    if article.status == Article.Status.PUBLISHED:
        # Restoring it publishes it again.
        check_may_publish(by)
    article.deleted_at, article.deleted_by = None, None
    save_workflow_fields(article, ("deleted_at", "deleted_by"))
    _record(article, by=by, comment=RESTORED)
    _log(by, article, CHANGE, RESTORED)
    purge_pages_on_commit()
    return article


def photo_shown_at(photo: Photo) -> list[str]:
    """The public places that show `photo` now or will: published articles
    (live or scheduled), sponsored slots not ended, author portraits."""
    places = [use.where for use in photo.public_uses()]
    places += [
        _("Autorenporträt „%(name)s“") % {"name": name}
        for name in photo.author_portraits.values_list("name", flat=True)
    ]
    return places


def _lock_photo(photo: Photo) -> None:
    try:
        photo.refresh_from_db(from_queryset=Photo.objects.select_for_update())
    except Photo.DoesNotExist:
        raise ValidationError(
            _("Das Foto „%(photo)s“ wurde inzwischen gelöscht.")
            % {"photo": photo.label}
        ) from None


@transaction.atomic
def trash_photo(photo: Photo, *, by: AbstractBaseUser | None) -> Photo:
    """Move `photo` to the trash; refused while a public page shows it."""
    if not may_trash_photos(by):
        raise PermissionDenied(_("Sie dürfen keine Fotos löschen."))
    _lock_photo(photo)
    if photo.deleted_at is not None:
        raise ValidationError(
            _("Das Foto „%(photo)s“ liegt schon im Papierkorb.")
            % {"photo": photo.label}
        )
    if places := photo_shown_at(photo):
        shown = ", ".join(places[:5])
        if len(places) > 5:
            shown += _(" und %(count)s weitere") % {"count": len(places) - 5}
        raise ValidationError(
            _(
                "Das Foto „%(photo)s“ kann nicht in den Papierkorb: Es erscheint "
                "in %(shown)s. Bitte es zuerst dort entfernen oder ersetzen."
            )
            % {"photo": photo.label, "shown": shown}
        )
    photo.deleted_at, photo.deleted_by = timezone.now(), by
    photo.save(update_fields=["deleted_at", "deleted_by"])
    _log(by, photo, CHANGE, TRASHED)
    purge_pages_on_commit()
    return photo


@transaction.atomic
def restore_photo(photo: Photo, *, by: AbstractBaseUser | None) -> Photo:
    if not may_trash_photos(by):
        raise PermissionDenied(_("Sie dürfen keine Fotos wiederherstellen."))
    _lock_photo(photo)
    if photo.deleted_at is None:
        raise ValidationError(
            _("Das Foto „%(photo)s“ liegt nicht im Papierkorb.")
            % {"photo": photo.label}
        )
    photo.deleted_at, photo.deleted_by = None, None
    photo.save(update_fields=["deleted_at", "deleted_by"])
    _log(by, photo, CHANGE, RESTORED)
    purge_pages_on_commit()
    return photo


@transaction.atomic
def delete_article_for_good(article: Article, *, by: AbstractBaseUser | None) -> None:
    """Delete an article in the trash with its revisions and history."""
    check_may_empty_trash(by)
    lock(article, whole_row=True)
    if article.deleted_at is None:
        raise ValidationError(
            _("„%(headline)s“ liegt nicht im Papierkorb.")
            % {"headline": article.headline}
        )
    _log(by, article, DELETION, DELETED)
    article.delete()
    purge_pages_on_commit()


@transaction.atomic
def delete_photo_for_good(photo: Photo, *, by: AbstractBaseUser | None) -> None:
    """Delete a photo in the trash; articles not public that still name it
    lose it. Its files go with remove_orphaned_originals/_renditions."""
    check_may_empty_trash(by)
    _lock_photo(photo)
    if photo.deleted_at is None:
        raise ValidationError(
            _("Das Foto „%(photo)s“ liegt nicht im Papierkorb.")
            % {"photo": photo.label}
        )
    _log(by, photo, DELETION, DELETED)
    ArticlePhoto.objects.filter(photo=photo).delete()
    try:
        photo.delete()
    except ProtectedError as error:
        # A sponsored slot (an ended one: a running one refused the trash).
        raise ValidationError(
            _(
                "Das Foto „%(photo)s“ kann nicht endgültig gelöscht werden: "
                "%(count)s Anzeigenplatz/-plätze verwenden es noch."
            )
            % {"photo": photo.label, "count": len(error.protected_objects)}
        ) from None
    purge_pages_on_commit()


@dataclass
class TrashReport:
    articles: int = 0
    photos: int = 0
    failed: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = f"{self.articles} Artikel und {self.photos} Fotos endgültig gelöscht"
        if self.failed:
            text += f", {len(self.failed)} nicht gelöscht"
        return text + "."


def empty_trash(at: datetime | None = None, *, dry_run: bool = False) -> TrashReport:
    """Delete for good what has been in the trash for NEWSROOM_TRASH_DAYS.

    One transaction per item: one that cannot go (a photo an ended
    sponsored slot still names) is reported and the rest carry on.
    """
    report = TrashReport()
    jobs = (
        (Article.objects.trash_expired(at), delete_article_for_good, "articles"),
        (Photo.objects.trash_expired(at), delete_photo_for_good, "photos"),
    )
    for expired, delete, counter in jobs:
        # The ids first: each deletion commits on its own.
        for pk in list(expired.order_by("pk").values_list("pk", flat=True)):
            item = expired.model.objects.filter(pk=pk).first()
            if item is None:
                continue  # deleted meanwhile (by an administrator)
            if not dry_run:
                try:
                    delete(item, by=None)
                except ValidationError as error:
                    logger.warning("empty_trash: %s", " ".join(error.messages))
                    report.failed.extend(error.messages)
                    continue
            setattr(report, counter, getattr(report, counter) + 1)
    return report
