"""A live ticker's entries and the history of every change to them.

A live ticker is an article (`Article.is_live_ticker`) plus timestamped
entries, newest first. The article's visibility is the entries' visibility:
nothing here is public by itself (articles/public/live_ticker.py starts from
`Article.objects.published()`).

Entries are ordered by their id, the order they were written in, so that
"newest first", "the next page before entry 812" and "what is new since
change 4711" are each one range over one index, at any ticker length.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from articles.models.articles import Article
from articles.models.fields import CleanCharField, CleanTextField
from articles.models.taxonomy import Author
from articles.sanitising import sanitise_body_html


class LiveEntryQuerySet(models.QuerySet):
    def of_ticker(self, article_id: int):
        return self.filter(article_id=article_id)

    def newest_first(self):
        return self.order_by("-pk")

    def for_display(self):
        return self.select_related("author")

    def page(self, article_id: int, *, before: int | None, size: int) -> list:
        """`size` + 1 entries of the ticker, newest first, older than entry
        `before` (None: from the newest): the extra one says whether an
        older page follows. One range over (article, id), however long the
        ticker."""
        entries = self.of_ticker(article_id)
        if before is not None:
            entries = entries.filter(pk__lt=before)
        return list(entries.for_display().newest_first()[: size + 1])


class LiveEntry(models.Model):
    article = models.ForeignKey(
        Article,
        verbose_name=_("Liveticker"),
        on_delete=models.CASCADE,
        related_name="live_entries",
    )
    at = models.DateTimeField(_("Zeit"), default=timezone.now, editable=False)
    title = CleanCharField(_("Kurztitel"), max_length=200, blank=True)
    body = CleanTextField(
        _("Text"), help_text=_("Unerlaubte Elemente und Attribute werden entfernt.")
    )
    author = models.ForeignKey(
        Author,
        verbose_name=_("Autor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="live_entries",
    )
    is_key_event = models.BooleanField(
        _("Wichtiges Ereignis"),
        default=False,
        help_text=_("Erscheint in der Zusammenfassung über dem Ticker."),
    )
    is_pinned = models.BooleanField(
        _("Oben angeheftet"),
        default=False,
        help_text=_("Steht über allen anderen Einträgen, bis es gelöst wird."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Angelegt von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    modified_at = models.DateTimeField(_("Zuletzt geändert"), auto_now=True)

    objects = LiveEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("Liveticker-Eintrag")
        verbose_name_plural = _("Liveticker-Einträge")
        ordering = ["-pk"]
        indexes = [
            # Pages, "since" and the newest entry: one range each.
            models.Index(fields=["article", "-id"], name="live_entry_newest"),
            # The summary of key events and the pinned entries: a few rows
            # each, found without reading past the ticker's other entries.
            models.Index(
                fields=["article", "-id"],
                condition=models.Q(is_key_event=True),
                name="live_entry_key_events",
            ),
            models.Index(
                fields=["article", "-id"],
                condition=models.Q(is_pinned=True),
                name="live_entry_pinned",
            ),
        ]

    def __str__(self):
        return self.title or self.body_text[:60]

    def save(self, *args, **kwargs):
        self.body = sanitise_body_html(self.body)
        super().save(*args, **kwargs)

    @property
    def body_text(self) -> str:
        return strip_tags(self.body).strip()

    @property
    def anchor(self) -> str:
        return f"eintrag-{self.pk}"


class LiveEntryChange(models.Model):
    """One addition, correction or deletion of an entry: the ticker's history,
    and, by its increasing id, what readers' pages fetch since their last
    poll (a deletion must reach them too, and the entry is gone then)."""

    class Action(models.TextChoices):
        ADDED = "added", _("hinzugefügt")
        CORRECTED = "corrected", _("korrigiert")
        DELETED = "deleted", _("gelöscht")
        ENDED = "ended", _("Ticker beendet")
        REOPENED = "reopened", _("Ticker fortgesetzt")

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="live_entry_changes"
    )
    # Not a foreign key: the history outlives a deleted entry.
    entry_id = models.PositiveBigIntegerField(_("Eintrag"), null=True, blank=True)
    action = models.CharField(_("Änderung"), max_length=20, choices=Action.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("durch"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(_("am"), default=timezone.now)
    # The entry as it was after the change (before it, for a deletion).
    data = models.JSONField(_("Inhalt"), default=dict)

    class Meta:
        verbose_name = _("Änderung am Liveticker")
        verbose_name_plural = _("Änderungen am Liveticker")
        ordering = ["-pk"]
        indexes = [
            models.Index(fields=["article", "-id"], name="live_change_newest"),
        ]

    def __str__(self):
        return f"{self.article_id}: {self.get_action_display()} {self.entry_id or ''}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("The ticker's history is never changed.")
        super().save(*args, **kwargs)
