from datetime import datetime

from django.core.validators import URLValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Photo


class Rail(models.Model):
    title = models.CharField(_("Titel"), max_length=120)
    slug = models.SlugField(_("Kurzname"), max_length=120, unique=True)
    order = models.PositiveSmallIntegerField(
        _("Reihenfolge"), default=0, help_text=_("Kleinere Zahlen stehen weiter oben.")
    )

    class Meta:
        verbose_name = _("Teaser-Leiste")
        verbose_name_plural = _("Teaser-Leisten")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return f"{reverse('teasers:front_page')}#leiste-{self.slug}"


class RailItem(models.Model):
    rail = models.ForeignKey(
        Rail, verbose_name=_("Leiste"), on_delete=models.CASCADE, related_name="items"
    )
    article = models.ForeignKey(
        Article,
        verbose_name=_("Artikel"),
        on_delete=models.CASCADE,
        related_name="rail_items",
    )
    position = models.PositiveSmallIntegerField(_("Position"), default=0)
    is_top = models.BooleanField(
        _("Top"), default=False, help_text=_("Zeigt das Abzeichen „Top“.")
    )
    kicker = models.CharField(_("Dachzeile (abweichend)"), max_length=120, blank=True)
    headline = models.CharField(
        _("Überschrift (abweichend)"), max_length=200, blank=True
    )
    teaser = models.TextField(_("Vorspann (abweichend)"), blank=True)

    class Meta:
        verbose_name = _("Teaser")
        verbose_name_plural = _("Teaser")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rail", "article"], name="article_once_per_rail"
            )
        ]

    def __str__(self):
        return f"{self.rail}: {self.headline or self.article.headline}"


class SponsoredSlotQuerySet(models.QuerySet):
    def running(self, at: datetime | None = None):
        """Slots whose flight covers `at` (default: now)."""
        at = at or timezone.now()
        return self.filter(starts_at__lte=at, ends_at__gt=at)


class SponsoredSlot(models.Model):
    # Not a field: nobody can edit or remove the label (legal requirement for
    # advertising that looks like editorial content).
    LABEL = _("Anzeige")

    advertiser = models.CharField(_("Werbekunde"), max_length=120)
    kicker = models.CharField(_("Dachzeile"), max_length=120, blank=True)
    headline = models.CharField(_("Überschrift"), max_length=200)
    teaser = models.TextField(_("Vorspann"), blank=True)
    photo = models.ForeignKey(
        Photo,
        verbose_name=_("Bild"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sponsored_slots",
    )
    target_url = models.URLField(
        _("Ziel-URL"),
        max_length=500,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("Nur http- und https-Adressen."),
    )
    starts_at = models.DateTimeField(_("Laufzeit ab"))
    ends_at = models.DateTimeField(_("Laufzeit bis"))
    rail = models.ForeignKey(
        Rail,
        verbose_name=_("Leiste"),
        on_delete=models.CASCADE,
        related_name="sponsored_slots",
    )
    position = models.PositiveSmallIntegerField(
        _("Position"), default=1, help_text=_("1 = erster Platz der Leiste.")
    )
    view_count = models.PositiveIntegerField(_("Aufrufe"), default=0, editable=False)

    objects = SponsoredSlotQuerySet.as_manager()

    class Meta:
        verbose_name = _("Anzeige")
        verbose_name_plural = _("Anzeigen")
        ordering = ["-starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="sponsored_flight_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(position__gte=1), name="sponsored_position_from_one"
            ),
        ]

    def __str__(self):
        return f"{self.LABEL}: {self.headline} ({self.advertiser})"

    def get_absolute_url(self):
        return self.rail.get_absolute_url()

    def is_running(self, at: datetime | None = None) -> bool:
        at = at or timezone.now()
        return self.starts_at <= at < self.ends_at
