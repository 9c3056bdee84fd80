"""The editorial workflow's records: revisions, transitions, corrections,
and the marks of catch-up jobs."""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from articles.models.articles import SEARCH_AND_SOCIAL_FIELDS, Article
from articles.models.fields import CleanCharField, CleanTextField

REVISION_FIELDS = (
    "kicker",
    "headline",
    "slug",
    "teaser",
    "body",
    "dateline",
    "section",
    "agency",
    *SEARCH_AND_SOCIAL_FIELDS,
)
REVISION_RELATIONS = ("authors", "regions", "tags")


def revision_values(article: Article, names=REVISION_FIELDS) -> dict:
    """The article's fields `names` (default REVISION_FIELDS) as a revision
    stores them: foreign keys as ids, read from the row without loading the
    related objects; times as ISO text (JSON has no datetime)."""
    values = {}
    for name in names:
        value = getattr(article, Article._meta.get_field(name).attname)
        values[name] = value.isoformat() if isinstance(value, datetime) else value
    return values


def decode_revision_value(name: str, stored):
    """One value as a revision stores it (revision_values), as the
    article's field `name` holds it: the one place that reads stored times
    back."""
    try:
        field = Article._meta.get_field(name)
    except FieldDoesNotExist:  # a draft's own keys (photos, corrections)
        return stored
    if isinstance(field, models.DateTimeField) and isinstance(stored, str):
        return parse_datetime(stored)
    return stored


def apply_revision_values(article: Article, data: dict, names=REVISION_FIELDS) -> None:
    """Set the article's fields `names` (default REVISION_FIELDS) from a
    revision's stored values.

    Revisions stored before a field existed leave it as it is."""
    for name in names:
        if name in data:
            setattr(
                article,
                Article._meta.get_field(name).attname,
                decode_revision_value(name, data[name]),
            )


class ArticleRevision(models.Model):
    """One saved state of an article's content; never changed afterwards."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveIntegerField(_("Fassung"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("von"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("gespeichert am"), default=timezone.now)
    data = models.JSONField(_("Inhalt"))
    note = CleanCharField(_("Hinweis"), max_length=200, blank=True)
    # A change to a live article kept back until someone allowed to publish
    # publishes it (Article.pending_revision points at the one waiting).
    is_draft = models.BooleanField(_("unveröffentlichter Entwurf"), default=False)

    class Meta:
        verbose_name = _("Fassung")
        verbose_name_plural = _("Fassungen")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "number"],
                name="one_revision_per_number",
                violation_error_message=_(
                    "Diese Fassungsnummer gibt es für den Artikel schon."
                ),
            )
        ]

    def __str__(self):
        return f"{self.article_id} #{self.number}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("Revisions are immutable.")
        super().save(*args, **kwargs)


class ArticleTransition(models.Model):
    """Who moved an article from one state to another, when and why."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(
        _("von"), max_length=20, choices=Article.Status.choices
    )
    to_status = models.CharField(
        _("nach"), max_length=20, choices=Article.Status.choices
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("durch"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(_("am"), default=timezone.now)
    comment = CleanTextField(_("Kommentar"), blank=True)

    class Meta:
        verbose_name = _("Statuswechsel")
        verbose_name_plural = _("Statuswechsel")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["to_status", "at"])]

    def __str__(self):
        return f"{self.article_id}: {self.from_status} → {self.to_status}"


class CorrectionNote(models.Model):
    """ "Korrektur: …" printed at the end of a published article."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="corrections"
    )
    text = CleanTextField(_("Korrektur"))
    created_at = models.DateTimeField(_("Zeit"), default=timezone.now)

    class Meta:
        verbose_name = _("Korrektur")
        verbose_name_plural = _("Korrekturen")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.text[:60]


class ArticleNoteQuerySet(models.QuerySet):
    def for_thread(self):
        return self.select_related("author").order_by("created_at", "pk")


class ArticleNote(models.Model):
    """An internal note on an article: the desk's and the reporters' thread.

    Never public: no public page, feed, export or search reads this table.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("von"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    text = CleanTextField(_("Notiz"))
    created_at = models.DateTimeField(_("am"), default=timezone.now)

    objects = ArticleNoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("Interne Notiz")
        verbose_name_plural = _("Interne Notizen")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.text[:60]


class NoteMentionQuerySet(models.QuerySet):
    def of(self, user):
        """The mentions of `user` on articles not in the trash."""
        return self.filter(user=user, note__article__deleted_at__isnull=True)

    def unread(self):
        return self.filter(read_at__isnull=True)


class NoteMention(models.Model):
    """A colleague named in a note (`@username`): it shows on their dashboard
    until they open the article or mark it done ("erledigt")."""

    note = models.ForeignKey(
        ArticleNote, on_delete=models.CASCADE, related_name="mentions"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    # The note's time, copied: "notes that mention me, newest first" reads
    # one index range, whatever the number of notes.
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(_("gelesen am"), null=True, blank=True)

    objects = NoteMentionQuerySet.as_manager()

    class Meta:
        verbose_name = _("Erwähnung")
        verbose_name_plural = _("Erwähnungen")
        constraints = [
            models.UniqueConstraint(
                fields=["note", "user"],
                name="one_mention_per_note_and_user",
                violation_error_message=_(
                    "Diese Person ist in der Notiz schon erwähnt."
                ),
            )
        ]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="mention_newest"),
            # The dashboard's unread ones: a short range, however many were read.
            models.Index(
                fields=["user", "-created_at"],
                condition=models.Q(read_at__isnull=True),
                name="mention_unread",
            ),
        ]

    def __str__(self):
        return f"{self.note_id} @{self.user_id}"


class JobMark(models.Model):
    """How far a catch-up job got: it handles (done_until, now] next time."""

    name = models.CharField(max_length=80, unique=True)
    done_until = models.DateTimeField()

    class Meta:
        verbose_name = _("Stand eines Hintergrundjobs")
        verbose_name_plural = _("Stände der Hintergrundjobs")

    def __str__(self):
        return f"{self.name}: {self.done_until:%Y-%m-%d %H:%M:%S}"
