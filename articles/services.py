"""The only writers of an article's editorial state.

The admin (form buttons and bulk actions), the demo loader and, later, the
importers call these; none of them sets `status` itself.
"""

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import Article
from articles.page_cache import purge_pages_on_commit


def check_may_publish(user: AbstractBaseUser | None) -> None:
    # `None` is the system itself (demo loader, importers).
    if user is not None and not user.has_perm("articles.publish_article"):
        raise PermissionDenied(_("Sie dürfen keine Artikel veröffentlichen."))


def check_photos_ready(article: Article) -> None:
    """Every photo of a published article carries a credit and an alt text.

    The one check behind the admin form, the bulk action and imports.
    """
    problems = []
    for use in article.article_photos.select_related("photo__agency"):
        if missing := use.photo.missing_for_publication:
            problems.append(
                _("Foto „%(photo)s“ fehlt: %(missing)s")
                % {"photo": use.photo.label, "missing": ", ".join(missing)}
            )
    if problems:
        raise ValidationError(
            [
                _("„%(headline)s“ kann nicht veröffentlicht werden.")
                % {"headline": article.headline},
                *problems,
            ]
        )


@transaction.atomic
def publish_article(
    article: Article, *, by: AbstractBaseUser | None, at: datetime | None = None
) -> Article:
    """Publish `article` at `at` (default: its set time, else now)."""
    check_may_publish(by)
    if article.status == Article.Status.WITHDRAWN:
        raise ValidationError(
            _("„%(headline)s“ ist zurückgezogen und kann nicht veröffentlicht werden.")
            % {"headline": article.headline}
        )
    check_photos_ready(article)
    now = timezone.now()
    article.published_at = at or article.published_at or now
    if article.first_published_at is None:
        article.first_published_at = article.published_at
    article.status = Article.Status.PUBLISHED
    article.full_clean()
    article.save()
    purge_pages_on_commit()
    return article


@transaction.atomic
def unpublish_article(article: Article, *, by: AbstractBaseUser | None) -> Article:
    """Take `article` off the site and back into draft for rework."""
    check_may_publish(by)
    article.status = Article.Status.DRAFT
    article.save(update_fields=["status", "modified_at"])
    purge_pages_on_commit()
    return article


@transaction.atomic
def mark_article_updated(
    article: Article, *, by: AbstractBaseUser | None, at: datetime | None = None
) -> Article:
    """Record a substantial update: the teaser shows "Update" for a while."""
    check_may_publish(by)
    if article.first_published_at is None:
        raise ValidationError(
            _("„%(headline)s“ war noch nicht veröffentlicht.")
            % {"headline": article.headline}
        )
    article.updated_at = at or timezone.now()
    article.save(update_fields=["updated_at", "modified_at"])
    purge_pages_on_commit()
    return article
