"""Server-side autosave: each editor's unsaved form input, per article.

The edit form (static/articles/article_form.js) sends its input every
NEWSROOM_AUTOSAVE_SECONDS while it differs from what was loaded; reopening
the form offers it back ("Ungespeicherte Änderungen vom … wiederherstellen
/ verwerfen"). A successful save of the article deletes it. It is never the
article and never a revision: no page, feed or other person reads it.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import Article, WorkingCopy

# A form value is text, a list of texts (multiple choice) or a ticked box.
Value = str | bool | list


def check_form_values(data: object) -> dict:
    """`data` as the form script sends it, or a ValidationError naming
    what is wrong (a forged or broken request)."""
    if not isinstance(data, dict):
        raise ValidationError(_("Die Arbeitskopie ist kein Formularinhalt."))
    for name, value in data.items():
        ok = isinstance(value, str | bool) or (
            isinstance(value, list) and all(isinstance(item, str) for item in value)
        )
        if not ok:
            raise ValidationError(
                _("Das Feld „%(name)s“ der Arbeitskopie hat keinen Formularwert.")
                % {"name": name[:80]}
            )
    return data


def save_working_copy(
    user: AbstractBaseUser, article: Article | None, *, data: object, version: int
) -> WorkingCopy:
    """Keep `data` as `user`'s working copy of `article` (None: a new one),
    replacing the previous one. One upsert, no read first."""
    copy, _created = WorkingCopy.objects.update_or_create(
        user=user,
        article=article,
        defaults={
            "data": check_form_values(data),
            "version": version,
            "saved_at": timezone.now(),
        },
    )
    return copy


def working_copy_of(
    user: AbstractBaseUser, article: Article | None
) -> WorkingCopy | None:
    return WorkingCopy.objects.filter(user=user, article=article).first()


def discard_working_copy(user: AbstractBaseUser, article: Article | None) -> None:
    WorkingCopy.objects.filter(user=user, article=article).delete()
