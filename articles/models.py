import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Min, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from articles.photo_checks import validate_photo_file
from articles.sanitising import sanitise_body_html

# Section slugs become the first URL segment, so they must not shadow the
# site's own paths.
RESERVED_SECTION_SLUGS = frozenset(
    {
        "admin",
        "anzeige",
        "api",
        "bild",
        "feeds",
        "media",
        "robots.txt",
        "sitemap",
        "static",
        "suche",
        "vorschau",
    }
)


GERMAN_TRANSLITERATION = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)


def german_slugify(text: str) -> str:
    """Readable ASCII slugs: "Geld für Bürger" → "geld-fuer-buerger"."""
    return slugify(text.translate(GERMAN_TRANSLITERATION))


def validate_section_slug(value: str) -> None:
    if value in RESERVED_SECTION_SLUGS:
        raise ValidationError(
            _("„%(slug)s“ ist für die Website reserviert."), params={"slug": value}
        )


class Section(models.Model):
    name = models.CharField(_("Name"), max_length=80)
    slug = models.SlugField(
        _("Kurzname (URL)"),
        max_length=80,
        unique=True,
        validators=[validate_section_slug],
    )
    order = models.PositiveSmallIntegerField(
        _("Reihenfolge"), default=0, help_text=_("Kleinere Zahlen stehen vorn.")
    )

    class Meta:
        verbose_name = _("Ressort")
        verbose_name_plural = _("Ressorts")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:section", args=[self.slug])


class Agency(models.Model):
    name = models.CharField(_("Name"), max_length=120)
    short_name = models.CharField(
        _("Kürzel"),
        max_length=40,
        unique=True,
        help_text=_("So erscheint die Agentur in Quellenangaben, z. B. „dpa“."),
    )
    credit_format = models.CharField(
        _("Format der Bildquelle"),
        max_length=80,
        default="{creator}/{agency}",
        help_text=_(
            "Wie eine Bildquelle aus Fotograf und Agentur gebildet wird, "
            "wenn die Agentur keine fertige liefert. Platzhalter: {creator}, "
            "{agency}. Beispiel: „{creator}/{agency}“ → „Peter Kneffel/dpa“."
        ),
    )
    aliases = models.TextField(
        _("Andere Schreibweisen"),
        blank=True,
        help_text=_(
            "Eine pro Zeile, z. B. „Deutsche Presse-Agentur“ oder „picture "
            "alliance“. Groß-/Kleinschreibung spielt keine Rolle."
        ),
    )
    needs_review = models.BooleanField(
        _("Prüfen"),
        default=False,
        help_text=_("Automatisch aus Bildmetadaten angelegt: bitte prüfen."),
    )

    class Meta:
        verbose_name = _("Agentur")
        verbose_name_plural = _("Agenturen")
        ordering = ["short_name"]

    def __str__(self):
        return self.short_name

    def clean(self):
        unknown = set(re.findall(r"{([^}]*)}", self.credit_format)) - {
            "creator",
            "agency",
        }
        if unknown:
            raise ValidationError(
                {
                    "credit_format": _("Unbekannte Platzhalter: %(names)s")
                    % {"names": ", ".join(sorted(unknown))}
                }
            )

    @property
    def names(self) -> set[str]:
        """Every lower-cased spelling that identifies this agency."""
        names = {self.short_name, self.name, *self.aliases.splitlines()}
        return {name.strip().casefold() for name in names if name.strip()}

    def compose_credit(self, creator: str) -> str:
        """The credit for a photo by `creator`, written the agency's way."""
        return agency_credit(self.credit_format, self.short_name, creator)


def agency_credit(credit_format: str, short_name: str, creator: str) -> str:
    if not creator:
        return short_name
    # Plain replacement, not str.format: the pattern is editor input.
    return credit_format.replace("{creator}", creator).replace("{agency}", short_name)


class Author(models.Model):
    name = models.CharField(_("Name"), max_length=120)
    slug = models.SlugField(_("Kurzname (URL)"), max_length=120, unique=True)

    class Meta:
        verbose_name = _("Autor")
        verbose_name_plural = _("Autoren")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Region(models.Model):
    """A place the site reports on ("Köln", "Rhein-Sieg-Kreis")."""

    name = models.CharField(_("Name"), max_length=80)
    slug = models.SlugField(_("Kurzname (URL)"), max_length=80, unique=True)
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Region")
        verbose_name_plural = _("Regionen")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class Tag(models.Model):
    name = models.CharField(_("Name"), max_length=80)
    slug = models.SlugField(_("Kurzname (URL)"), max_length=80, unique=True)

    class Meta:
        verbose_name = _("Schlagwort")
        verbose_name_plural = _("Schlagwörter")
        ordering = ["name"]

    def __str__(self):
        return self.name


def photo_upload_to(photo: "Photo", filename: str) -> str:
    # Nothing of the uploaded name reaches the path: it may be hostile.
    extension = PurePath(filename).suffix.lower()
    if extension not in {".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif"}:
        extension = ".img"
    return f"photos/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"


def usable_photo_q(at: datetime, prefix: str = "") -> Q:
    """Licence valid and not killed at `at`; `prefix` reaches through a FK."""
    return (
        Q(**{f"{prefix}licence_expires_at__isnull": True})
        | Q(**{f"{prefix}licence_expires_at__gt": at})
    ) & (
        Q(**{f"{prefix}killed_at__isnull": True}) | Q(**{f"{prefix}killed_at__gt": at})
    )


class PhotoQuerySet(models.QuerySet):
    def usable(self, at: datetime | None = None):
        """Photos the public may see at `at`: licensed and not killed."""
        return self.filter(usable_photo_q(at or timezone.now()))

    def licence_ending(self, within: timedelta, at: datetime | None = None):
        """Photos whose licence has ended or ends within `within`."""
        at = at or timezone.now()
        return self.filter(licence_expires_at__lte=at + within)


class Photo(models.Model):
    image = models.ImageField(
        _("Bilddatei"),
        upload_to=photo_upload_to,
        validators=[validate_photo_file],
    )
    # As displayed, i.e. after EXIF orientation; filled by articles.photos.
    width = models.PositiveIntegerField(_("Breite (px)"), null=True, editable=False)
    height = models.PositiveIntegerField(_("Höhe (px)"), null=True, editable=False)
    caption = models.TextField(_("Bildunterschrift"), blank=True)
    alt_text = models.CharField(
        _("Alternativtext"),
        max_length=300,
        blank=True,
        help_text=_("Beschreibt das Bild für Menschen, die es nicht sehen."),
    )
    creator = models.CharField(_("Fotograf/in"), max_length=120, blank=True)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("Agentur"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="photos",
    )
    credit_line = models.CharField(
        _("Bildquelle (wörtlich)"),
        max_length=200,
        blank=True,
        help_text=_(
            "Von der Agentur gelieferte Quellenangabe, z. B. „Peter Kneffel/dpa“. "
            "Leer lassen, um sie aus Fotograf/in und Agentur zu bilden."
        ),
    )
    copyright_notice = models.CharField(
        _("Copyright-Vermerk"), max_length=300, blank=True
    )
    source = models.CharField(_("Quelle (Lieferant)"), max_length=120, blank=True)
    headline = models.CharField(_("Bildtitel"), max_length=300, blank=True)
    instructions = models.TextField(_("Anweisungen der Agentur"), blank=True)
    usage_terms = models.TextField(_("Nutzungsbedingungen"), blank=True)
    web_statement = models.URLField(
        _("Rechte-Information (URL)"), max_length=500, blank=True
    )
    restrictions = models.CharField(
        _("Einschränkungen"),
        max_length=300,
        blank=True,
        help_text=_("Z. B. „nur redaktionelle Nutzung“, „keine Archivierung“."),
    )
    licence_expires_at = models.DateTimeField(
        _("Lizenz gültig bis"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Danach erscheint das Foto auf keiner öffentlichen Seite mehr."),
    )
    killed_at = models.DateTimeField(
        _("Gesperrt seit"),
        null=True,
        blank=True,
        help_text=_(
            "Von der Agentur zurückgezogen (Kill): ab diesem Zeitpunkt nirgends "
            "mehr öffentlich."
        ),
    )
    kill_reason = models.CharField(_("Grund der Sperre"), max_length=300, blank=True)
    focal_x = models.FloatField(
        _("Bildmittelpunkt waagerecht"),
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("0 = linker Rand, 1 = rechter Rand; Ausschnitte zentrieren hier."),
    )
    focal_y = models.FloatField(
        _("Bildmittelpunkt senkrecht"),
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("0 = oberer Rand, 1 = unterer Rand."),
    )
    created_at = models.DateTimeField(_("Hochgeladen am"), auto_now_add=True)

    objects = PhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("Foto")
        verbose_name_plural = _("Fotos")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.label} ({self.credit})" if self.credit else self.label

    @property
    def label(self) -> str:
        """How an editor recognises the photo: caption, else alt text, else id."""
        text = self.caption or self.alt_text or self.headline
        return text[:60] if text else f"Foto {self.pk or 'neu'}"

    @property
    def credit(self) -> str:
        """The credit shown with every rendering of this photo."""
        if self.credit_line:
            return self.credit_line
        if self.agency_id:
            return self.agency.compose_credit(self.creator)
        return self.creator

    def shown(self) -> "ShownPhoto":
        return ShownPhoto(
            pk=self.pk,
            image_name=self.image.name,
            width=self.width,
            height=self.height,
            focal_x=self.focal_x,
            focal_y=self.focal_y,
            alt_text=self.alt_text,
            credit=self.credit,
            licence_expires_at=self.licence_expires_at,
            killed_at=self.killed_at,
        )

    @property
    def usable_until(self) -> datetime | None:
        """When the photo stops being shown: licence end or a set kill time."""
        return min(
            filter(None, (self.licence_expires_at, self.killed_at)), default=None
        )

    def is_usable(self, at: datetime | None = None) -> bool:
        """Python twin of `PhotoQuerySet.usable()` for one loaded row."""
        at = at or timezone.now()
        licensed = self.licence_expires_at is None or self.licence_expires_at > at
        return licensed and (self.killed_at is None or self.killed_at > at)

    @property
    def missing_for_publication(self) -> list[str]:
        """What an editor must add before an article with this photo goes live."""
        missing = []
        if not self.credit:
            missing.append(str(_("Bildquelle")))
        if not self.alt_text.strip():
            missing.append(str(_("Alternativtext")))
        return missing

    @property
    def credit_source(self) -> str:
        """Who the article's closing photo line names: the agency if known."""
        return self.agency.short_name if self.agency_id else self.credit


@dataclass(frozen=True)
class ShownPhoto:
    """A photo as pages show it: plain values, no model, no query.

    Teasers carry these instead of Photo rows (DESIGN.md 4), and being
    hashable by value they key the memoised figure markup.
    """

    pk: int
    image_name: str
    width: int | None
    height: int | None
    focal_x: float
    focal_y: float
    alt_text: str
    credit: str
    licence_expires_at: datetime | None = None
    killed_at: datetime | None = None

    # ArticlePhoto.values() fields that from_row() reads.
    ROW_FIELDS = (
        "photo_id",
        "photo__image",
        "photo__width",
        "photo__height",
        "photo__focal_x",
        "photo__focal_y",
        "photo__alt_text",
        "photo__creator",
        "photo__credit_line",
        "photo__agency__short_name",
        "photo__agency__credit_format",
        "photo__licence_expires_at",
        "photo__killed_at",
    )

    @classmethod
    def from_row(cls, row: dict) -> "ShownPhoto":
        credit = row["photo__credit_line"]
        if not credit and row["photo__agency__short_name"]:
            credit = agency_credit(
                row["photo__agency__credit_format"],
                row["photo__agency__short_name"],
                row["photo__creator"],
            )
        return cls(
            pk=row["photo_id"],
            image_name=row["photo__image"],
            width=row["photo__width"],
            height=row["photo__height"],
            focal_x=row["photo__focal_x"],
            focal_y=row["photo__focal_y"],
            alt_text=row["photo__alt_text"],
            credit=credit or row["photo__creator"],
            licence_expires_at=row["photo__licence_expires_at"],
            killed_at=row["photo__killed_at"],
        )

    @property
    def usable_until(self) -> datetime | None:
        """When the photo stops being shown: licence end or a set kill time."""
        return min(
            filter(None, (self.licence_expires_at, self.killed_at)), default=None
        )


class Rendition(models.Model):
    photo = models.ForeignKey(
        Photo,
        verbose_name=_("Foto"),
        on_delete=models.CASCADE,
        related_name="renditions",
    )
    version = models.CharField(_("Version"), max_length=16)
    spec = models.CharField(_("Format"), max_length=40)
    file = models.FileField(_("Datei"), max_length=200)
    width = models.PositiveIntegerField(_("Breite (px)"))
    height = models.PositiveIntegerField(_("Höhe (px)"))
    created_at = models.DateTimeField(_("Erzeugt am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Bildvariante")
        verbose_name_plural = _("Bildvarianten")
        constraints = [
            models.UniqueConstraint(
                fields=["photo", "version", "spec"], name="one_rendition_per_spec"
            )
        ]

    def __str__(self):
        return f"{self.photo_id}/{self.version}/{self.spec}"


TEASER_FIELDS = (
    "id",
    "kicker",
    "headline",
    "slug",
    "teaser",
    "section__slug",
    "first_published_at",
    "updated_at",
    "view_count",
    "is_top",
)


def article_url(section_slug: str, slug: str, pk: int) -> str:
    return reverse("articles:detail", args=[section_slug, slug or "artikel", pk])


class ArticleQuerySet(models.QuerySet):
    def published(self, at: datetime | None = None):
        """Articles the public may see at `at` (default: now).

        The one visibility rule: every public page, rail and feed starts here.
        """
        at = at or timezone.now()
        return self.filter(
            Q(embargo_until__isnull=True) | Q(embargo_until__lte=at),
            status=Article.Status.PUBLISHED,
            published_at__lte=at,
        )

    def next_visibility_change(self, at: datetime | None = None) -> datetime | None:
        """The next moment after `at` when a published article goes live."""
        at = at or timezone.now()
        moments = self.filter(status=Article.Status.PUBLISHED).aggregate(
            publication=Min("published_at", filter=Q(published_at__gt=at)),
            embargo=Min("embargo_until", filter=Q(embargo_until__gt=at)),
        )
        return min(filter(None, moments.values()), default=None)

    def withdrawn(self):
        return self.filter(status=Article.Status.WITHDRAWN)

    def scheduled(self, at: datetime | None = None):
        """Published, but their publication time is still to come."""
        return self.filter(
            status=Article.Status.PUBLISHED, published_at__gt=at or timezone.now()
        )

    def embargoed(self, at: datetime | None = None):
        return self.filter(embargo_until__gt=at or timezone.now())

    def in_section(self, section: Section):
        return self.filter(section=section)

    def in_region(self, region: "Region"):
        return self.filter(regions=region)

    def tagged(self, tag: "Tag"):
        return self.filter(tags=tag)

    def latest(self):
        return self.order_by("-published_at", "-pk")

    def teaser_rows(self):
        """Plain rows with what a teaser shows (no body, no model instances).

        Listings show dozens of teasers; rows cost a fraction of models.
        """
        return self.values(*TEASER_FIELDS)

    def for_listing(self, at: datetime | None = None):
        """Section and the photos the public may see, in a fixed query count."""
        return (
            self.select_related("section")
            # Listings never show the body; it is the largest column by far.
            .defer("body")
            .prefetch_related(
                Prefetch(
                    "article_photos",
                    queryset=ArticlePhoto.objects.usable(at),
                    to_attr="usable_photo_uses",
                )
            )
        )

    def for_detail(self, at: datetime | None = None):
        return (
            self.for_listing(at)
            .defer(None)
            .select_related("agency")
            .prefetch_related("authors", "corrections")
        )


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        REVIEW = "review", _("In Prüfung")
        APPROVED = "approved", _("Freigegeben")
        # Published with a future publication time shows as "Geplant".
        PUBLISHED = "published", _("Veröffentlicht")
        WITHDRAWN = "withdrawn", _("Zurückgezogen")

    kicker = models.CharField(_("Dachzeile"), max_length=120, blank=True)
    headline = models.CharField(_("Überschrift"), max_length=200)
    slug = models.SlugField(
        _("Kurzname (URL)"),
        max_length=200,
        blank=True,
        help_text=_("Wird aus der Überschrift gebildet, wenn leer."),
    )
    teaser = models.TextField(_("Vorspann"), blank=True)
    body = models.TextField(
        _("Text"),
        blank=True,
        help_text=_("HTML; unerlaubte Elemente und Attribute werden entfernt."),
    )
    dateline = models.CharField(
        _("Ortsmarke"),
        max_length=100,
        blank=True,
        help_text=_("Erscheint vor dem ersten Absatz, z. B. „Mountain View“."),
    )
    section = models.ForeignKey(
        Section,
        verbose_name=_("Ressort"),
        on_delete=models.PROTECT,
        related_name="articles",
    )
    authors = models.ManyToManyField(
        Author, verbose_name=_("Autoren"), blank=True, related_name="articles"
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("Agentur"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
    )
    regions = models.ManyToManyField(
        Region, verbose_name=_("Regionen"), blank=True, related_name="articles"
    )
    tags = models.ManyToManyField(
        Tag, verbose_name=_("Schlagwörter"), blank=True, related_name="articles"
    )
    is_top = models.BooleanField(
        _("Top-Thema"),
        default=False,
        help_text=_(
            "Zeigt das Abzeichen „Top“ überall, wo der Artikel angeteasert wird."
        ),
    )
    status = models.CharField(
        _("Status"),
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        editable=False,
    )
    first_published_at = models.DateTimeField(
        _("Erstmals veröffentlicht"), null=True, blank=True, editable=False
    )
    published_at = models.DateTimeField(
        _("Veröffentlichungszeit"),
        null=True,
        blank=True,
        help_text=_("Liegt sie in der Zukunft, geht der Artikel dann online."),
    )
    updated_at = models.DateTimeField(
        _("Aktualisiert am"),
        null=True,
        blank=True,
        help_text=_(
            "Zeit der letzten inhaltlichen Aktualisierung (zeigt „Update“); "
            "Tippfehler-Korrekturen setzen sie nicht."
        ),
    )
    embargo_until = models.DateTimeField(
        _("Sperrfrist bis"),
        null=True,
        blank=True,
        help_text=_("Bis zu diesem Zeitpunkt ist der Artikel nirgends öffentlich."),
    )
    withdrawn_at = models.DateTimeField(
        _("Zurückgezogen am"), null=True, blank=True, editable=False
    )
    withdrawal_reason = models.TextField(
        _("Grund für das Zurückziehen"), blank=True, editable=False
    )
    view_count = models.PositiveIntegerField(_("Aufrufe"), default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Angelegt von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    # Counts content saves; the edit form carries it to refuse overwriting a
    # newer version (optimistic locking).
    version = models.PositiveIntegerField(_("Fassung"), default=0, editable=False)
    created_at = models.DateTimeField(_("Angelegt am"), auto_now_add=True)
    modified_at = models.DateTimeField(_("Zuletzt gespeichert"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("Artikel")
        verbose_name_plural = _("Artikel")
        ordering = ["-published_at", "-pk"]
        permissions = [("publish_article", _("Kann Artikel veröffentlichen"))]
        indexes = [models.Index(fields=["status", "published_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="published_article_has_publication_time",
            )
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = german_slugify(self.headline)[:200].strip("-") or "artikel"
        self.body = sanitise_body_html(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return article_url(self.section.slug, self.slug, self.pk)

    def clean(self):
        if self.status == self.Status.PUBLISHED and not self.published_at:
            raise ValidationError(
                {
                    "published_at": _(
                        "Ein veröffentlichter Artikel braucht eine "
                        "Veröffentlichungszeit."
                    )
                }
            )
        if (
            self.embargo_until
            and self.published_at
            and self.embargo_until < self.published_at
        ):
            raise ValidationError(
                {
                    "embargo_until": _(
                        "Die Sperrfrist endet vor der Veröffentlichungszeit und "
                        "hätte keine Wirkung. Bitte eine spätere Sperrfrist oder "
                        "keine angeben."
                    )
                }
            )

    @property
    def is_scheduled(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    @property
    def is_embargoed(self) -> bool:
        return self.embargo_until is not None and self.embargo_until > timezone.now()

    def is_live(self, at: datetime | None = None) -> bool:
        """Python twin of `ArticleQuerySet.published()` for one loaded row."""
        at = at or timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= at
            and (self.embargo_until is None or self.embargo_until <= at)
        )

    @property
    def photo_uses(self) -> list["ArticlePhoto"]:
        """The photos the public may see now, in order."""
        # for_listing()/for_detail() prefetch them: then this is no query.
        if not hasattr(self, "usable_photo_uses"):
            self.usable_photo_uses = list(
                ArticlePhoto.objects.usable().filter(article=self)
            )
        return self.usable_photo_uses

    @property
    def lead_photo_use(self) -> "ArticlePhoto | None":
        uses = self.photo_uses
        return uses[0] if uses else None

    @property
    def photo_credit_line(self) -> str:
        """'Foto: dpa' or 'Fotos: dpa, AFP': sources in order, without repeats."""
        uses = self.photo_uses
        sources = [s for s in dict.fromkeys(u.photo.credit_source for u in uses) if s]
        if not sources:
            return ""
        label = _("Foto") if len(uses) == 1 else _("Fotos")
        return f"{label}: {', '.join(sources)}"

    @property
    def body_html(self) -> SafeString:
        """The sanitised body with the dateline opening its first paragraph."""
        body = self.body
        if self.dateline and body.startswith("<p>"):
            first_text = strip_tags(body[3:200]).lstrip()
            # Agency copy sometimes carries the dateline already.
            if not first_text.startswith(self.dateline):
                body = (
                    f'<p><span class="dateline">{escape(self.dateline)}</span> - '
                    f"{body[3:]}"
                )
        return mark_safe(body)


class ArticlePhotoQuerySet(models.QuerySet):
    def usable(self, at: datetime | None = None):
        """Uses of photos the public may see at `at`, with what credits need."""
        return self.filter(
            usable_photo_q(at or timezone.now(), prefix="photo__")
        ).select_related("photo__agency")

    def lead_photos(self, article_ids, at: datetime | None = None):
        """{article id: ShownPhoto} of each article's first usable photo."""
        rows = (
            self.usable(at)
            .filter(article__in=article_ids)
            .order_by("article_id", "-position", "-pk")
            .values("article_id", *ShownPhoto.ROW_FIELDS)
        )
        # Ordered last to first, so the first photo is the one kept.
        return {row["article_id"]: ShownPhoto.from_row(row) for row in rows}


class ArticlePhoto(models.Model):
    article = models.ForeignKey(
        Article,
        verbose_name=_("Artikel"),
        on_delete=models.CASCADE,
        related_name="article_photos",
    )
    photo = models.ForeignKey(
        Photo, verbose_name=_("Foto"), on_delete=models.PROTECT, related_name="uses"
    )
    position = models.PositiveSmallIntegerField(
        _("Position"), default=0, help_text=_("Das erste Foto ist das Aufmacherbild.")
    )
    caption = models.TextField(
        _("Bildunterschrift in diesem Artikel"),
        blank=True,
        help_text=_("Leer lassen, um die Bildunterschrift des Fotos zu verwenden."),
    )

    objects = ArticlePhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("Artikelfoto")
        verbose_name_plural = _("Artikelfotos")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "photo"], name="photo_used_once_per_article"
            )
        ]

    def __str__(self):
        return f"{self.article} – {self.photo}"

    @property
    def display_caption(self) -> str:
        return self.caption or self.photo.caption


# The fields a revision keeps: what an editor writes, not workflow state.
REVISION_FIELDS = (
    "kicker",
    "headline",
    "slug",
    "teaser",
    "body",
    "dateline",
    "section",
    "agency",
)
REVISION_RELATIONS = ("authors", "regions", "tags")


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
    note = models.CharField(_("Hinweis"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("Fassung")
        verbose_name_plural = _("Fassungen")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "number"], name="one_revision_per_number"
            )
        ]

    def __str__(self):
        return f"{self.article_id} #{self.number}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("Revisions are immutable.")
        super().save(*args, **kwargs)

    def field_texts(self) -> dict[str, str]:
        """Each content field as text, for diffs."""
        return {name: str(self.data.get(name) or "") for name in self.data}


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
    comment = models.TextField(_("Kommentar"), blank=True)

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
    text = models.TextField(_("Korrektur"))
    created_at = models.DateTimeField(_("Zeit"), default=timezone.now)

    class Meta:
        verbose_name = _("Korrektur")
        verbose_name_plural = _("Korrekturen")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.text[:60]


class JobMark(models.Model):
    """How far a catch-up job got: it handles (done_until, now] next time."""

    name = models.CharField(max_length=80, unique=True)
    done_until = models.DateTimeField()

    class Meta:
        verbose_name = _("Stand eines Hintergrundjobs")
        verbose_name_plural = _("Stände der Hintergrundjobs")

    def __str__(self):
        return f"{self.name}: {self.done_until:%Y-%m-%d %H:%M:%S}"
