"""Galleries' state changes: saving one, and who may.

A gallery the public sees (its own page published or scheduled, or shown
by a published article's body) is published content: only whoever may
publish articles (Chef vom Dienst) changes it, as only they change a
published article. Reporters make and edit galleries until then.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from articles.models import Article, Gallery, Photo, publication_problems
from articles.purging import purge_pages_on_commit
from articles.workflow.services import may_publish


def is_public_gallery(gallery: Gallery) -> bool:
    """Its own page published or scheduled, or shown by a published (also
    a scheduled) article."""
    if gallery.published_at is not None:
        return True
    return gallery.pk is not None and (
        Article.objects.filter(
            status=Article.Status.PUBLISHED, body_galleries__gallery=gallery
        ).exists()
    )


def may_edit_gallery(user: AbstractBaseUser | None, gallery: Gallery | None) -> bool:
    if may_publish(user):
        return True
    if not user.has_perm("articles.change_gallery"):
        return False
    return gallery is None or not is_public_gallery(gallery)


def check_gallery_photos_ready(photos: list[Photo], *, gallery: Gallery) -> None:
    """Every picture of a gallery the public sees has credit and alt text."""
    if problems := publication_problems(photos):
        raise ValidationError(
            [
                _(
                    "Die Galerie „%(title)s“ ist öffentlich; jedes Bild braucht "
                    "Bildquelle und Alternativtext."
                )
                % {"title": gallery.title},
                *problems,
            ]
        )


@transaction.atomic
def save_gallery(
    gallery: Gallery,
    *,
    by: AbstractBaseUser | None,
    was_public: bool,
    publication_changed: bool,
) -> Gallery:
    """Save `gallery`'s own fields; `was_public`: as loaded (is_public_gallery),
    `publication_changed`: its own page's time was set, moved or cleared."""
    if (was_public or publication_changed) and not may_publish(by):
        raise PermissionDenied(
            _(
                "Öffentliche Galerien und ihre Veröffentlichung ändert nur, wer "
                "Artikel veröffentlichen darf."
            )
        )
    gallery.full_clean()
    gallery.save()
    purge_pages_on_commit()
    return gallery
