"""An editor's unsaved input in an edit form, kept on the server."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models.articles import Article


class WorkingCopy(models.Model):
    """What one person has typed into one article's form and not saved yet.

    Neither the article nor a revision: nobody else sees it, nothing public
    reads it. The form stores it every NEWSROOM_AUTOSAVE_SECONDS and offers
    it back when its owner reopens the form (after a crash, a closed tab,
    another computer); saving the article or discarding the offer deletes
    it. `article` is empty for a new article's form.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Benutzer"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    article = models.ForeignKey(
        Article,
        verbose_name=_("Artikel"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    # The form's values by input name, as static/articles/article_form.js
    # reads and restores them.
    data = models.JSONField(_("Eingaben"))
    # The article's version the form was loaded from: an offer of input
    # typed into an older version says so.
    version = models.PositiveIntegerField(_("Fassung"), default=0)
    saved_at = models.DateTimeField(_("gespeichert am"), default=timezone.now)

    class Meta:
        verbose_name = _("Arbeitskopie")
        verbose_name_plural = _("Arbeitskopien")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "article"],
                condition=models.Q(article__isnull=False),
                name="one_working_copy_per_user_and_article",
                violation_error_message=_(
                    "Für diesen Artikel gibt es schon eine Arbeitskopie dieser Person."
                ),
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(article__isnull=True),
                name="one_new_article_working_copy_per_user",
                violation_error_message=_(
                    "Für einen neuen Artikel gibt es schon eine Arbeitskopie "
                    "dieser Person."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.user_id}: {self.article_id or 'neu'}"
