"""Where articles belong and who makes them: sections, regions, tags,
agencies, authors."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from articles.models.fields import CleanCharField, CleanTextField
from newsroom.perf.url_formats import UrlFormat

# Section slugs become the first URL segment, so they must not shadow the
# site's own paths.
RESERVED_SECTION_SLUGS = frozenset(
    {
        "admin",
        "anzeige",
        "api",
        "archiv",
        "autor",
        "bild",
        "datenschutz",
        "feed",
        "feeds",
        "galerie",
        "impressum",
        "kontakt",
        "media",
        "region",
        "robots.txt",
        "sitemap",
        "static",
        "suche",
        "thema",
        "vorschau",
    }
)


GERMAN_TRANSLITERATION = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)


# Punctuation between digits ("4,2 Millionen", "12.500 Euro", "24/7").
DIGIT_SEPARATOR = re.compile(r"(\d)[^\w\s-]+(?=\d)", re.ASCII)


def german_slugify(text: str) -> str:
    """Readable ASCII slugs: "Geld für Bürger" → "geld-fuer-buerger",
    "4,2 Millionen" → "4-2-millionen".

    The one slug function for articles, sections, regions, tags and
    authors; the admin's prefill (static/articles/slugs.js) is its twin.
    """
    text = DIGIT_SEPARATOR.sub(r"\1-", text.translate(GERMAN_TRANSLITERATION))
    return slugify(text)


class SlugFromName(models.Model):
    """Fills an empty slug from the name, as the admin's prefill would
    (rows made in code or by imports, not only in the admin)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self.slug:
            max_length = self._meta.get_field("slug").max_length
            self.slug = german_slugify(self.name)[:max_length].strip("-")
        super().save(*args, **kwargs)


def validate_section_slug(value: str) -> None:
    if value in RESERVED_SECTION_SLUGS:
        raise ValidationError(
            _("„%(slug)s“ ist für die Website reserviert."), params={"slug": value}
        )


SECTION_ADDRESS = UrlFormat("articles:section", "slug")
AUTHOR_ADDRESS = UrlFormat("articles:author", "slug")
REGION_ADDRESS = UrlFormat("articles:region", "slug")
TAG_ADDRESS = UrlFormat("articles:tag", "slug")


class Section(SlugFromName):
    name = CleanCharField(_("Name"), max_length=80)
    slug = models.SlugField(
        _("Kurzname (URL)"),
        max_length=80,
        unique=True,
        validators=[validate_section_slug],
    )
    order = models.PositiveSmallIntegerField(
        _("Reihenfolge"), default=0, help_text=_("Kleinere Zahlen stehen vorn.")
    )
    # Section-limited desk rights (issue #17): a group or user listed on
    # any section may approve, publish and send back only in the sections
    # that list it; one listed nowhere is not limited. Read by
    # articles.workflow.services.desk_sections().
    desk_groups = models.ManyToManyField(
        "auth.Group",
        verbose_name=_("Desk-Gruppen dieses Ressorts"),
        blank=True,
        related_name="desk_sections",
        help_text=_(
            "Gruppen, deren Desk-Rechte (Freigeben, Veröffentlichen, "
            "Zurückgeben) auf die Ressorts beschränkt sind, die sie hier "
            "nennen, z. B. ein Sport-Desk nur für Sport."
        ),
    )
    desk_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Desk-Personen dieses Ressorts"),
        blank=True,
        related_name="desk_sections",
        help_text=_(
            "Einzelne Personen, deren Desk-Rechte auf die Ressorts beschränkt "
            "sind, die sie hier nennen."
        ),
    )

    class Meta:
        verbose_name = _("Ressort")
        verbose_name_plural = _("Ressorts")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return SECTION_ADDRESS(self.slug)


def agency_credit(short_name: str, credit_format: str, creator: str) -> str:
    """A credit written an agency's way (for Agency rows and plain values)."""
    if not creator:
        return short_name
    # Plain replacement, not str.format: the pattern is editor input.
    return credit_format.replace("{creator}", creator).replace("{agency}", short_name)


class AgencyQuerySet(models.QuerySet):
    def offered_publicly(self):
        """Agencies a reader may filter by: not the unknown source."""
        return self.exclude(short_name=Agency.UNKNOWN_SOURCE)


class Agency(models.Model):
    # Where items that name no provider go, one agency for all of them,
    # flagged for review: never an agency named after the wire format.
    UNKNOWN_SOURCE = "Unbekannte Quelle"

    name = CleanCharField(_("Name"), max_length=120)
    short_name = CleanCharField(
        _("Kürzel"),
        max_length=40,
        unique=True,
        help_text=_("So erscheint die Agentur in Quellenangaben, z. B. „dpa“."),
    )
    credit_format = CleanCharField(
        _("Format der Bildquelle"),
        max_length=80,
        default="{creator}/{agency}",
        help_text=_(
            "Wie eine Bildquelle aus Fotograf und Agentur gebildet wird, "
            "wenn die Agentur keine fertige liefert. Platzhalter: {creator}, "
            "{agency}. Beispiel: „{creator}/{agency}“ → „Peter Kneffel/dpa“."
        ),
    )
    aliases = CleanTextField(
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
        help_text=_("Automatisch beim Import angelegt: bitte prüfen."),
    )

    objects = AgencyQuerySet.as_manager()

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
        return agency_credit(self.short_name, self.credit_format, creator)


def validate_profile_links(value: str) -> None:
    validate = URLValidator(schemes=["http", "https"])
    for line in value.splitlines():
        if line.strip():
            try:
                validate(line.strip())
            except ValidationError:
                raise ValidationError(
                    _("„%(line)s“ ist keine Web-Adresse (https://…)."),
                    params={"line": line.strip()},
                ) from None


class Author(SlugFromName):
    """Whoever an article is by: a staff member (then `user`) or an agency's
    or a freelancer's author, who has no login."""

    name = CleanCharField(_("Name"), max_length=120)
    slug = models.SlugField(_("Kurzname (URL)"), max_length=120, unique=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Benutzerkonto"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author_profile",
        help_text=_("Leer bei Agentur- und freien Autoren ohne Anmeldung."),
    )
    role = CleanCharField(
        _("Funktion"),
        max_length=120,
        blank=True,
        help_text=_("z. B. „Lokalredakteurin“"),
    )
    bio = CleanTextField(
        _("Kurzbiografie"),
        max_length=600,
        blank=True,
        help_text=_("Höchstens 600 Zeichen."),
    )
    photo = models.ForeignKey(
        "articles.Photo",
        verbose_name=_("Foto"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author_portraits",
    )
    links = CleanTextField(
        _("Links"),
        blank=True,
        validators=[validate_profile_links],
        help_text=_("Eine Web-Adresse pro Zeile (Website, Mastodon, LinkedIn …)."),
    )

    class Meta:
        verbose_name = _("Autor")
        verbose_name_plural = _("Autoren")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return AUTHOR_ADDRESS(self.slug)

    @property
    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]


class Region(SlugFromName):
    """A place the site reports on ("Köln", "Rhein-Sieg-Kreis")."""

    name = CleanCharField(_("Name"), max_length=80)
    slug = models.SlugField(_("Kurzname (URL)"), max_length=80, unique=True)
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Region")
        verbose_name_plural = _("Regionen")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return REGION_ADDRESS(self.slug)


class Tag(SlugFromName):
    name = CleanCharField(_("Name"), max_length=80)
    slug = models.SlugField(_("Kurzname (URL)"), max_length=80, unique=True)

    class Meta:
        verbose_name = _("Schlagwort")
        verbose_name_plural = _("Schlagwörter")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return TAG_ADDRESS(self.slug)
