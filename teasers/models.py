import re
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import (
    Article,
    KeepsCounters,
    Photo,
    PhotoUse,
    Region,
    Section,
    Tag,
)
from articles.models.fields import CleanCharField, CleanTextField, CleanURLField


class CropRatio(models.TextChoices):
    WIDE = "16x9", _("16:9")
    CLASSIC = "4x3", _("4:3")
    SQUARE = "1x1", _("1:1")


class Rail(models.Model):
    class Kind(models.TextChoices):
        CURATED = "curated", _("Kuratiert")
        AUTOMATIC = "automatic", _("Automatisch")
        MIXED = "mixed", _("Gemischt (feste Plätze, Rest automatisch)")

    class Fill(models.TextChoices):
        LATEST = "latest", _("Neueste")
        MOST_READ_DAY = "most_read_24h", _("Meistgelesen (24 Stunden)")
        MOST_READ_WEEK = "most_read_7d", _("Meistgelesen (7 Tage)")

    title = CleanCharField(_("Titel"), max_length=120)
    slug = models.SlugField(_("Kurzname"), max_length=120, unique=True)
    order = models.PositiveSmallIntegerField(
        _("Reihenfolge"), default=0, help_text=_("Kleinere Zahlen stehen weiter oben.")
    )
    kind = models.CharField(
        _("Art"), max_length=20, choices=Kind.choices, default=Kind.CURATED
    )
    size = models.PositiveSmallIntegerField(
        _("Anzahl Teaser"),
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("Redaktionelle Teaser; Anzeigen kommen hinzu."),
    )
    fill = models.CharField(
        _("Automatisch füllen mit"),
        max_length=20,
        choices=Fill.choices,
        default=Fill.LATEST,
    )
    section = models.ForeignKey(
        Section,
        verbose_name=_("nur aus Ressort"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rails",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("nur aus Region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rails",
    )
    tag = models.ForeignKey(
        Tag,
        verbose_name=_("nur mit Schlagwort"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rails",
    )
    skips_shown = models.BooleanField(
        _("Keine Dopplungen"),
        default=True,
        help_text=_("Artikel, die eine Leiste weiter oben zeigt, hier auslassen."),
    )
    keeps_top_first = models.BooleanField(
        _("Top-Teaser bleibt auf Platz 1"),
        default=True,
        help_text=_("Eine Anzeige für Platz 1 rückt dann auf Platz 2."),
    )
    crop_ratio = models.CharField(
        _("Bildformat"), max_length=8, choices=CropRatio.choices, default=CropRatio.WIDE
    )

    class Meta:
        verbose_name = _("Teaser-Leiste")
        verbose_name_plural = _("Teaser-Leisten")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(size__gte=1, size__lte=60),
                name="rail_size_1_to_60",
                violation_error_message=_("Eine Leiste hat zwischen 1 und 60 Plätze."),
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return f"{reverse('teasers:front_page')}#leiste-{self.slug}"

    @property
    def has_pins(self) -> bool:
        return self.kind != self.Kind.AUTOMATIC

    @property
    def is_filled_automatically(self) -> bool:
        return self.kind != self.Kind.CURATED

    @property
    def most_read_window(self) -> timedelta | None:
        return {
            self.Fill.MOST_READ_DAY: timedelta(hours=24),
            self.Fill.MOST_READ_WEEK: timedelta(days=7),
        }.get(self.fill)

    def articles_to_fill(self, at: datetime | None = None):
        """Published articles matching this rail's section, region and tag."""
        return rail_articles(at, *self.fill_filters)

    @property
    def fill_filters(self) -> tuple[int | None, int | None, int | None]:
        """(section, region, tag): what the rail's articles must match."""
        return self.section_id, self.region_id, self.tag_id


def rail_articles(
    at: datetime | None,
    section_id: int | None = None,
    region_id: int | None = None,
    tag_id: int | None = None,
):
    """Published articles in the section, region and tag given (if given)."""
    articles = Article.objects.published(at)
    if section_id:
        articles = articles.filter(section_id=section_id)
    if region_id:
        articles = articles.in_region(region_id)
    if tag_id:
        articles = articles.tagged(tag_id)
    return articles


class RailItemQuerySet(models.QuerySet):
    def pinned(self, at: datetime | None = None):
        """Items whose pin holds at `at` and whose article the public may see."""
        at = at or timezone.now()
        return self.filter(
            Q(pinned_until__isnull=True) | Q(pinned_until__gt=at),
            article__in=Article.objects.published(at),
        )


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
    position = models.PositiveSmallIntegerField(
        _("Platz"), default=1, validators=[MinValueValidator(1)]
    )
    is_top = models.BooleanField(
        _("Top"), default=False, help_text=_("Zeigt das Abzeichen „Top“.")
    )
    pinned_until = models.DateTimeField(
        _("Bis"),
        null=True,
        blank=True,
        help_text=_("Danach füllt die Leiste den Platz wieder selbst."),
    )
    kicker = CleanCharField(_("Dachzeile (abweichend)"), max_length=120, blank=True)
    headline = CleanCharField(_("Überschrift (abweichend)"), max_length=200, blank=True)
    teaser = CleanTextField(_("Vorspann (abweichend)"), blank=True)
    crop_ratio = models.CharField(
        _("Bildformat (abweichend)"),
        max_length=8,
        choices=CropRatio.choices,
        blank=True,
    )

    objects = RailItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("Teaser")
        verbose_name_plural = _("Teaser")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rail", "article"],
                name="article_once_per_rail",
                violation_error_message=_(
                    "Dieser Artikel steht schon in der Leiste; jeder Artikel nur "
                    "einmal."
                ),
            ),
            models.CheckConstraint(
                condition=Q(position__gte=1),
                name="rail_item_position_from_one",
                violation_error_message=_("Die Plätze einer Leiste beginnen mit 1."),
            ),
        ]

    def __str__(self):
        return f"{self.rail}: {self.headline or self.article.headline}"


# "Meistgelesen" first ranks this many of the window's most read articles
# per place it fills, then keeps those of the rail's articles (see below).
MOST_READ_CANDIDATES_PER_PLACE = 5


class HourlyViewsQuerySet(models.QuerySet):
    def most_read_article_ids(
        self, articles, *, since: datetime, until: datetime, limit: int
    ) -> list[int]:
        """Ids of up to `limit` of `articles` by views between `since` and
        `until`, most first.

        The window's view rows are summed alone and only the most read few
        (MOST_READ_CANDIDATES_PER_PLACE per place) are looked up among
        `articles` by id: asking "is it in `articles`?" of the whole
        window's rows made the planner join every published article. Only
        when the candidates leave places empty (a rail of a small section)
        is every viewed article of the window ranked.
        """
        ids = list(
            self.most_read_candidates(articles, since=since, until=until, limit=limit)
        )
        if len(ids) == limit:
            return ids
        return self.most_read_of_all(articles, since=since, until=until, limit=limit)

    def most_read_candidates(
        self, articles, *, since: datetime, until: datetime, limit: int
    ):
        """The first try of `most_read_article_ids()`: `articles` among the
        window's most read few, by views (a values_list() of ids)."""
        window = self.filter(hour__gte=since, hour__lte=until)
        by_views = window.values("article").annotate(total=Sum("views"))
        candidates = by_views.order_by("-total", "-article").values("article")
        views_in_window = (
            window.filter(article=OuterRef("pk"))
            .values("article")
            .annotate(total=Sum("views"))
            .values("total")
        )
        return (
            articles.filter(pk__in=candidates[: limit * MOST_READ_CANDIDATES_PER_PLACE])
            .annotate(views_in_window=Subquery(views_in_window))
            .order_by("-views_in_window", "-pk")
            .values_list("pk", flat=True)[:limit]
        )

    def most_read_of_all(
        self, articles, *, since: datetime, until: datetime, limit: int
    ) -> list[int]:
        """The second try: every viewed one of `articles` in the window."""
        by_views = (
            self.filter(hour__gte=since, hour__lte=until)
            .values("article")
            .annotate(total=Sum("views"))
        )
        return list(
            by_views.filter(article__in=articles)
            .order_by("-total", "-article")
            .values_list("article", flat=True)[:limit]
        )


class HourlyViews(models.Model):
    """Public views of one article in one clock hour, for "Meistgelesen"."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="hourly_views"
    )
    hour = models.DateTimeField(_("Stunde"))
    views = models.PositiveIntegerField(_("Aufrufe"), default=0)

    objects = HourlyViewsQuerySet.as_manager()

    class Meta:
        verbose_name = _("Aufrufe pro Stunde")
        verbose_name_plural = _("Aufrufe pro Stunde")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "hour"],
                name="one_views_row_per_article_hour",
                violation_error_message=_(
                    "Für diesen Artikel und diese Stunde gibt es schon Aufrufe."
                ),
            )
        ]
        indexes = [
            # "Meistgelesen" sums a window's views per article: with the
            # views in the index, PostgreSQL reads the window from the index
            # alone (SQLite ignores `include`).
            models.Index(
                fields=["hour", "article"],
                include=["views"],
                name="hourly_views_window",
            )
        ]

    def __str__(self):
        return f"{self.article_id} {self.hour:%Y-%m-%d %H}: {self.views}"


class FlushedCounterBatch(models.Model):
    """A counter batch already added to the database.

    Written in the same transaction as the counts, so a flush that crashed
    after committing never adds the same batch twice.
    """

    key = models.CharField(max_length=200, unique=True)
    flushed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Übertragener Zählerstapel")
        verbose_name_plural = _("Übertragene Zählerstapel")

    def __str__(self):
        return self.key


class SponsoredSlotQuerySet(models.QuerySet):
    def running(self, at: datetime | None = None):
        """Slots whose flight covers `at` (default: now)."""
        at = at or timezone.now()
        return self.filter(starts_at__lte=at, ends_at__gt=at)

    def upcoming(self, at: datetime | None = None):
        return self.filter(starts_at__gt=at or timezone.now())

    def ended(self, at: datetime | None = None):
        return self.filter(ends_at__lte=at or timezone.now())


class SponsoredSlot(KeepsCounters):
    # German law (Landespressegesetze, § 6 TMG/DDG) requires exactly this word
    # on paid content that looks editorial, so it is not translatable, not a
    # form field, and a database constraint keeps it on every row.
    LABEL = "Anzeige"

    class FlightStatus(models.TextChoices):
        UPCOMING = "upcoming", _("geplant")
        RUNNING = "running", _("läuft")
        ENDED = "ended", _("beendet")

    label = models.CharField(
        _("Kennzeichnung"), max_length=20, default=LABEL, editable=False
    )
    advertiser = CleanCharField(_("Werbekunde"), max_length=120)
    kicker = CleanCharField(_("Dachzeile"), max_length=120, blank=True)
    headline = CleanCharField(_("Überschrift"), max_length=200)
    teaser = CleanTextField(_("Vorspann"), blank=True)
    photo = models.ForeignKey(
        Photo,
        verbose_name=_("Bild"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sponsored_slots",
    )
    target_url = CleanURLField(
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
        # A sold slot never disappears with a rail: ad operations move it.
        on_delete=models.PROTECT,
        related_name="sponsored_slots",
    )
    position = models.PositiveSmallIntegerField(
        _("Platz"), default=1, help_text=_("1 = erster Platz der Leiste.")
    )
    every_nth = models.PositiveSmallIntegerField(
        _("Jeder n-te Platz"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2)],
        help_text=_(
            "Statt eines festen Platzes: wiederholt auf Platz n, 2n, 3n … der Leiste."
        ),
    )
    priority = models.PositiveSmallIntegerField(
        _("Gewicht"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "Konkurrieren mehrere Anzeigen um denselben Platz, wechseln sie sich "
            "ab; eine Anzeige mit Gewicht 3 erscheint dreimal so oft wie eine mit 1."
        ),
    )
    impression_count = models.PositiveIntegerField(
        _("Einblendungen"), default=0, editable=False
    )
    click_count = models.PositiveIntegerField(_("Klicks"), default=0, editable=False)
    # Only flush_counts writes them (articles/models/counters.py).
    COUNTER_FIELDS = ("impression_count", "click_count")

    objects = SponsoredSlotQuerySet.as_manager()

    class Meta:
        verbose_name = _("Anzeige")
        verbose_name_plural = _("Anzeigen")
        ordering = ["-starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(label="Anzeige"),
                name="sponsored_slot_labelled_anzeige",
                violation_error_message=_(
                    "Eine Anzeige ist immer als „Anzeige“ gekennzeichnet."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="sponsored_flight_ends_after_start",
                violation_error_message=_(
                    "Das Ende der Laufzeit muss nach ihrem Beginn liegen."
                ),
            ),
            models.CheckConstraint(
                condition=Q(position__gte=1),
                name="sponsored_position_from_one",
                violation_error_message=_("Die Plätze einer Leiste beginnen mit 1."),
            ),
            models.CheckConstraint(
                condition=Q(every_nth__isnull=True) | Q(every_nth__gte=2),
                name="sponsored_every_nth_from_two",
                violation_error_message=_(
                    "„Jeder n-te Platz“ ist 2 oder mehr (oder leer)."
                ),
            ),
            models.CheckConstraint(
                condition=Q(priority__gte=1),
                name="sponsored_priority_from_one",
                violation_error_message=_("Das Gewicht ist mindestens 1."),
            ),
        ]

    def __str__(self):
        return f"{self.LABEL}: {self.headline} ({self.advertiser})"

    def clean(self):
        errors = {}
        if claim := editorial_claim(self.kicker):
            errors["kicker"] = _(
                "Die Dachzeile einer Anzeige darf nicht nach Redaktion klingen: "
                "„%(claim)s“ ist nicht erlaubt (NEWSROOM_SPONSORED_FORBIDDEN_CLAIMS)."
            ) % {"claim": claim}
        photo = self.photo if self.photo_id else None
        if photo is not None and not (photo.credit or photo.copyright_notice.strip()):
            errors["photo"] = _(
                "Das Foto „%(photo)s“ hat keine Bildquelle und keinen "
                "Copyright-Vermerk. Eine Anzeige braucht eine Quellenangabe wie ein "
                "Artikel; bitte beim Foto nachtragen."
            ) % {"photo": photo.label}
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self):
        return self.rail.get_absolute_url()

    def is_running(self, at: datetime | None = None) -> bool:
        at = at or timezone.now()
        return self.starts_at <= at < self.ends_at

    def flight_status(self, at: datetime | None = None) -> "SponsoredSlot.FlightStatus":
        at = at or timezone.now()
        if at < self.starts_at:
            return self.FlightStatus.UPCOMING
        if at < self.ends_at:
            return self.FlightStatus.RUNNING
        return self.FlightStatus.ENDED

    @property
    def click_through_rate(self) -> float | None:
        """Clicks per impression, or None before the first impression."""
        if not self.impression_count:
            return None
        return self.click_count / self.impression_count


def editorial_claim(text: str) -> str:
    """The first editorial claim (NEWSROOM_SPONSORED_FORBIDDEN_CLAIMS) that
    `text` makes, as configured; "" if none. Whole words, any case."""
    for claim in settings.NEWSROOM_SPONSORED_FORBIDDEN_CLAIMS:
        if claim and re.search(rf"\b{re.escape(claim)}\b", text, re.IGNORECASE):
            return claim
    return ""


def sponsored_slot_uses(photo: Photo) -> list[PhotoUse]:
    """The sponsored slots not ended yet that show `photo` (registered with
    articles in TeasersConfig.ready())."""
    slots = SponsoredSlot.objects.filter(photo=photo, ends_at__gt=timezone.now())
    return [
        PhotoUse(
            _("Anzeige „%(headline)s“ (%(advertiser)s)")
            % {"headline": slot.headline, "advertiser": slot.advertiser},
            copyright_notice_suffices=True,
        )
        for slot in slots[:20]
    ]


class DemoSeed(models.Model):
    """Which row the demo loader made for one of its seed objects.

    Editors may change every field of a demo article or section, or delete
    it; the loader finds its rows through these records, never by text, so
    a re-run leaves their changes alone and does not bring a deleted row
    back (only `load_demo --reset` does).
    """

    key = models.CharField(_("Demo-Schlüssel"), max_length=255, unique=True)
    # No foreign key: the record outlives the row an editor deletes.
    object_id = models.PositiveBigIntegerField(_("Objekt-ID"))

    class Meta:
        verbose_name = _("Demo-Objekt")
        verbose_name_plural = _("Demo-Objekte")

    def __str__(self):
        return self.key
