"""Who may change which fields of a stored photo.

- The photo desk (`articles.set_photo_rights`) changes everything.
- Whoever may change photos (`articles.change_photo`: the desk) changes the
  texts and the focal point, never credit, licence, kill or the agency's
  instructions (RIGHTS_FIELDS).
- Whoever uploaded a photo (a reporter) changes its alt text, caption and
  focal point until a published article shows it (issue #17): then it is on
  a public page and further changes are the desk's.

The admin's photo form, the photo chooser's edit dialog and any other writer
ask `editable_photo_fields` and save through `change_photo`, which checks
again on the server.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from articles.models import RIGHTS_FIELDS, Photo
from articles.photos.saving import save_photo

# What the uploader may change until a published article shows the photo.
UPLOADER_FIELDS = frozenset({"alt_text", "caption", "focal_x", "focal_y"})
# The photo's own editable fields, the file among them.
PHOTO_FIELDS = frozenset(
    field.name
    for field in Photo._meta.get_fields()
    if getattr(field, "editable", False) and field.concrete and not field.auto_created
)


def is_in_published_article(photo: Photo) -> bool:
    """`photo.in_published_article` if the query annotated it, else asked."""
    known = getattr(photo, "in_published_article", None)
    if known is not None:
        return known
    return Photo.objects.filter(pk=photo.pk).in_published_articles().exists()


def editable_photo_fields(user: AbstractBaseUser, photo: Photo) -> frozenset[str]:
    """The fields of the stored `photo` that `user` may change (none: read
    only)."""
    if not user.is_active:
        return frozenset()
    if user.has_perm("articles.change_photo"):
        if user.has_perm("articles.set_photo_rights"):
            return PHOTO_FIELDS
        return PHOTO_FIELDS - set(RIGHTS_FIELDS)
    if (
        photo.pk is not None
        and photo.uploaded_by_id == user.pk
        and user.has_perm("articles.add_photo")
        and not is_in_published_article(photo)
    ):
        return UPLOADER_FIELDS
    return frozenset()


def check_may_change(
    user: AbstractBaseUser, photo: Photo, fields: set[str] | frozenset[str]
) -> None:
    """Raise PermissionDenied naming what `user` may not change."""
    refused = set(fields) - editable_photo_fields(user, photo)
    if not refused:
        return
    if refused & set(RIGHTS_FIELDS):
        raise PermissionDenied(
            _("Bildquelle, Lizenz und Anweisungen der Agentur setzt die Bildredaktion.")
        )
    if photo.uploaded_by_id == user.pk:
        raise PermissionDenied(
            _(
                "Ein veröffentlichter Artikel zeigt dieses Foto: Änderungen "
                "übernimmt jetzt der Desk oder die Bildredaktion."
            )
        )
    raise PermissionDenied(_("Sie dürfen dieses Foto nicht ändern."))


@transaction.atomic
def change_photo(photo: Photo, *, by: AbstractBaseUser, **changes) -> Photo:
    """Set `changes` on the stored `photo` if `by` may change those fields;
    raises PermissionDenied or ValidationError naming the problem."""
    # The row as it is now: a published article may show it since the
    # caller loaded it.
    photo.in_published_article = None
    check_may_change(by, photo, set(changes))
    for name, value in changes.items():
        setattr(photo, name, value)
    return save_photo(photo, by=by)
