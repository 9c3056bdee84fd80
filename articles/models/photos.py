"""Photos, their credits and licences, and their stored renditions."""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import PurePath

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, ExpressionWrapper, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models.fields import CleanCharField, CleanTextField, CleanURLField
from articles.models.taxonomy import Agency, agency_credit
from articles.photos.upload_checks import validate_photo_file
from articles.sanitising import clean_text

# Credit, licence and kill: what the photo desk answers for (permission
# articles.set_photo_rights); everyone else sees them read-only, filled from
# the file's metadata on upload.
RIGHTS_FIELDS = (
    "creator",
    "agency",
    "credit_line",
    "copyright_notice",
    "source",
    "usage_terms",
    "restrictions",
    "instructions",
    "web_statement",
    "credit_needs_review",
    "licence_expires_at",
    "killed_at",
    "kill_reason",
)


def photo_upload_to(photo: "Photo", filename: str) -> str:
    # Nothing of the uploaded name reaches the path: it may be hostile.
    extension = PurePath(filename).suffix.lower()
    if extension == ".mpo":
        # A multi-picture JPEG is a JPEG to every program that opens it.
        extension = ".jpg"
    if extension not in {".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif"}:
        extension = ".img"
    return f"photos/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"


def usable_photo_q(at: datetime, prefix: str = "") -> Q:
    """Licence valid, not killed at `at`, its credit not waiting for the
    photo desk and not in the trash; `prefix` reaches through a FK."""
    return (
        Q(**{f"{prefix}deleted_at__isnull": True})
        & (
            Q(**{f"{prefix}licence_expires_at__isnull": True})
            | Q(**{f"{prefix}licence_expires_at__gt": at})
        )
        & (
            Q(**{f"{prefix}killed_at__isnull": True})
            | Q(**{f"{prefix}killed_at__gt": at})
        )
        & Q(**{f"{prefix}credit_needs_review": False})
    )


# Where a photo is shown to the public, asked before its credit may go.
# Each finder takes a saved photo and returns PhotoUse values; articles
# registers its own below the Article model, teasers its sponsored slots in
# TeasersConfig.ready() (articles never imports teasers).
PHOTO_USE_FINDERS: list = []


@dataclass(frozen=True)
class PhotoUse:
    """A public place that shows a photo, as an editor recognises it."""

    where: str
    # A sponsored slot may credit with the copyright notice alone.
    copyright_notice_suffices: bool = False


def register_photo_use_finder(finder) -> None:
    """Add `finder(photo) -> Iterable[PhotoUse]` (once)."""
    if finder not in PHOTO_USE_FINDERS:
        PHOTO_USE_FINDERS.append(finder)


def photo_credit(credit_line: str, creator: str, agency: "Agency | None") -> str:
    """The credit line as given, else the agency's way of crediting the creator,
    else the creator (for Photo rows and ShownPhoto values alike)."""
    if credit_line:
        return credit_line
    if agency is not None:
        return agency.compose_credit(creator)
    return creator


def credit_line_for(photos) -> str:
    """'Foto: dpa' or 'Fotos: dpa, AFP': the sources of `photos` (Photo rows
    as a reader meets them), in order, without repeats."""
    photos = list(photos)
    sources = [s for s in dict.fromkeys(p.credit_source for p in photos) if s]
    if not sources:
        return ""
    label = _("Foto") if len(photos) == 1 else _("Fotos")
    return f"{label}: {', '.join(sources)}"


def usable_until(
    licence_expires_at: datetime | None, killed_at: datetime | None
) -> datetime | None:
    """When a photo stops being shown: its licence end or a set kill time."""
    return min(filter(None, (licence_expires_at, killed_at)), default=None)


def in_articles(articles):
    """The condition "one of `articles` shows the photo OuterRef("pk")": as
    a lead or closing photo, in the body, or in a gallery in the body. Three
    subqueries, each along one index, rather than one over three joins."""
    photo = OuterRef("pk")
    return (
        Exists(articles.filter(article_photos__photo=photo))
        | Exists(articles.filter(body_photos__photo=photo))
        | Exists(articles.filter(body_galleries__gallery__pictures__photo=photo))
    )


class PhotoQuerySet(models.QuerySet):
    def usable(self, at: datetime | None = None):
        """Photos the public may see at `at`: licensed and not killed."""
        return self.filter(usable_photo_q(at or timezone.now()))

    def public(self, at: datetime | None = None):
        """Usable photos that a public page shows at `at`: used by a published
        article (as its lead or closing photo, in its body or in a gallery
        its body shows), by a published gallery's own page, by a running
        sponsored slot or as an author's portrait. A photo bought for an
        embargoed or unpublished story stays out of reach until the story is.
        """
        at = at or timezone.now()
        slots = self.model._meta.get_field("sponsored_slots").related_model
        # By name: the article and gallery models import this module.
        Article = apps.get_model("articles", "Article")
        Gallery = apps.get_model("articles", "Gallery")
        return self.usable(at).filter(
            in_articles(Article.objects.published(at))
            # Galleries on their own published page (those in published
            # articles' bodies are the last part of in_articles()).
            | Exists(
                Gallery.objects.published(at).filter(pictures__photo=OuterRef("pk"))
            )
            | Exists(slots.objects.running(at).filter(photo=OuterRef("pk")))
            | Exists(
                apps.get_model("articles", "Author").objects.filter(
                    photo=OuterRef("pk")
                )
            )
        )

    def taken_down(self, at: datetime | None = None):
        """Photos of a withdrawn or withheld story that no public page shows
        any more: their addresses must stop answering, as the story's do."""
        at = at or timezone.now()
        Article = apps.get_model("articles", "Article")
        gone = Article.objects.taken_down(at)
        return self.filter(in_articles(gone)).exclude(pk__in=self.public(at))

    def in_unpublished_stories(self, at: datetime | None = None):
        """Photos used by an article the public may not see at `at` (a
        draft, a story in review, scheduled, embargoed, withheld, withdrawn),
        also in its body or a gallery its body shows.
        """
        at = at or timezone.now()
        Article = apps.get_model("articles", "Article")
        hidden = Article.objects.exclude(pk__in=Article.objects.published(at))
        return self.filter(in_articles(hidden))

    def for_sponsored_slots(self, user, at: datetime | None = None):
        """Photos `user` may put on a sponsored slot: public ones and their
        own uploads, never one an unpublished story uses (a running slot
        would show it before the story)."""
        at = at or timezone.now()
        own = self.uploads_of(user).exclude(pk__in=self.in_unpublished_stories(at))
        return self.filter(Q(pk__in=self.public(at)) | Q(pk__in=own))

    def not_in_trash(self):
        return self.filter(deleted_at__isnull=True)

    def in_trash(self):
        return self.filter(deleted_at__isnull=False)

    def trash_expired(self, at: datetime | None = None):
        """In the trash for longer than NEWSROOM_TRASH_DAYS."""
        cutoff = (at or timezone.now()) - timedelta(days=settings.NEWSROOM_TRASH_DAYS)
        return self.filter(deleted_at__lte=cutoff)

    def uploads_of(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(uploaded_by=user)

    def visible_to(self, user, at: datetime | None = None):
        """Photos `user` may see in the admin.

        Whoever may read articles sees every photo. Everyone else (ad
        operations) sees public photos, their own uploads, and the pictures
        of sponsored slots that no unpublished story uses: never a photo
        that gives an unpublished story away. Photos in the trash are in
        the trash only.
        """
        if user.has_perm("articles.view_article"):
            return self.not_in_trash()
        at = at or timezone.now()
        slots = self.model._meta.get_field("sponsored_slots").related_model
        sponsored = self.filter(
            Exists(slots.objects.filter(photo=OuterRef("pk")))
        ).exclude(pk__in=self.in_unpublished_stories(at))
        return self.not_in_trash().filter(
            Q(pk__in=self.public(at))
            | Q(pk__in=self.uploads_of(user))
            | Q(pk__in=sponsored)
        )

    def in_published_articles(self):
        """Photos a published article (live or scheduled) shows: as its lead
        or closing photo, in its body or in a gallery in its body."""
        Article = apps.get_model("articles", "Article")
        return self.filter(in_articles(Article.objects.filter(status="published")))

    def with_published_flag(self):
        """Annotate `in_published_article` (a published article, live or
        scheduled, shows the photo) in the same query."""
        Article = apps.get_model("articles", "Article")
        return self.annotate(
            in_published_article=ExpressionWrapper(
                in_articles(Article.objects.filter(status="published")),
                output_field=models.BooleanField(),
            )
        )

    def ready_to_use(self, at: datetime | None = None):
        """Usable at `at` and with a credit: an article may go live with
        them as far as the photo desk is concerned."""
        return self.usable(at).exclude(credit_line="", creator="", agency__isnull=True)

    def matching(self, text: str):
        """Photos whose caption, title, creator, credit, source, agency or
        keywords contain every word of `text` (any order, any case)."""
        photos = self
        for word in text.split()[:8]:
            photos = photos.filter(
                Q(caption__icontains=word)
                | Q(headline__icontains=word)
                | Q(creator__icontains=word)
                | Q(credit_line__icontains=word)
                | Q(source__icontains=word)
                | Q(keywords__icontains=word)
                | Q(agency__short_name__icontains=word)
                | Q(agency__name__icontains=word)
            )
        return photos

    def kill(self, reason: str) -> int:
        """Take these photos off every surface now (those not killed yet)."""
        return self.filter(killed_at__isnull=True).update(
            killed_at=timezone.now(), kill_reason=clean_text(reason)
        )

    def without_credit(self):
        """Photos whose credit would be empty: no credit line, creator or
        agency (an agency alone makes a credit, its short name)."""
        return self.filter(credit_line="", creator="", agency__isnull=True)

    def credit_to_check(self):
        """What the photo desk must look at: photos without a credit and
        imports whose agency stated none ("Bildquelle prüfen")."""
        return self.without_credit() | self.filter(credit_needs_review=True)

    def licence_ending(self, within: timedelta, at: datetime | None = None):
        """Photos whose licence has ended or ends within `within`."""
        at = at or timezone.now()
        return self.filter(licence_expires_at__lte=at + within)

    def agency_item(self, agency, external_id: str):
        """The photo with this agency identity, found through the unique index.

        The index covers non-empty ids only, and SQLite uses such a partial
        index only when the query states its condition itself; without it,
        every lookup reads all of the agency's photos.
        """
        return self.filter(agency=agency, external_id=external_id).exclude(
            external_id=""
        )


def publication_problems(photos) -> list[str]:
    """One message per photo that lacks what publication needs (credit, alt
    text), naming the photo and what is missing; empty when all are ready."""
    return [
        _("Foto „%(photo)s“ fehlt: %(missing)s")
        % {"photo": photo.label, "missing": ", ".join(missing)}
        for photo in photos
        if (missing := photo.missing_for_publication)
    ]


class Photo(models.Model):
    image = models.ImageField(
        _("Bilddatei"),
        upload_to=photo_upload_to,
        validators=[validate_photo_file],
    )
    external_id = models.CharField(
        _("Agentur-Kennung"), max_length=255, blank=True, editable=False
    )
    # As displayed, i.e. after EXIF orientation; filled by articles.photos.saving.
    width = models.PositiveIntegerField(_("Breite (px)"), null=True, editable=False)
    height = models.PositiveIntegerField(_("Höhe (px)"), null=True, editable=False)
    caption = CleanTextField(_("Bildunterschrift"), blank=True)
    alt_text = CleanCharField(
        _("Alternativtext"),
        max_length=300,
        blank=True,
        help_text=_("Beschreibt das Bild für Menschen, die es nicht sehen."),
    )
    creator = CleanCharField(_("Fotograf/in"), max_length=120, blank=True)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("Agentur"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="photos",
    )
    credit_line = CleanCharField(
        _("Bildquelle (wörtlich)"),
        max_length=200,
        blank=True,
        help_text=_(
            "Von der Agentur gelieferte Quellenangabe, z. B. „Peter Kneffel/dpa“. "
            "Leer lassen, um sie aus Fotograf/in und Agentur zu bilden."
        ),
    )
    copyright_notice = CleanCharField(
        _("Copyright-Vermerk"), max_length=300, blank=True
    )
    source = CleanCharField(_("Quelle (Lieferant)"), max_length=120, blank=True)
    headline = CleanCharField(_("Bildtitel"), max_length=300, blank=True)
    instructions = CleanTextField(
        _("Anweisungen der Agentur"),
        blank=True,
        help_text=_("Z. B. „ONE TIME USE ONLY“, Sperrvermerke."),
    )
    # IPTC keywords (XMP dc:subject, IIM 2:25), for the photo chooser's search.
    keywords = CleanTextField(_("Stichwörter"), blank=True)
    usage_terms = CleanTextField(_("Nutzungsbedingungen"), blank=True)
    web_statement = CleanURLField(
        _("Rechte-Information (URL)"), max_length=500, blank=True
    )
    restrictions = CleanCharField(
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
    kill_reason = CleanCharField(_("Grund der Sperre"), max_length=300, blank=True)
    credit_needs_review = models.BooleanField(
        _("Bildquelle prüfen"),
        default=False,
        help_text=_(
            "Beim Import wurde keine Bildquelle gefunden: Das Foto erscheint auf "
            "keiner öffentlichen Seite, bis die Bildredaktion die Quelle einträgt "
            "und diesen Haken entfernt."
        ),
    )
    # SHA-256 of the file's bytes: an upload or import_photos recognises a
    # file that is stored already (articles/photos/saving.py).
    content_hash = models.CharField(
        _("Prüfsumme"), max_length=64, blank=True, editable=False, db_index=True
    )
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
    # Ad operations may use their own uploads before they are public.
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Hochgeladen von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    # Set by generate_renditions once every rendition of the current file and
    # focal point is stored; any save clears it, so the next run checks the
    # photo again. A run with nothing to do reads no photo at all.
    renditions_complete = models.BooleanField(
        _("Alle Bildvarianten erzeugt"), default=False, editable=False
    )
    # In the trash since: no public page shows it (usable_photo_q), the
    # admin lists it only in the trash (articles/workflow/trash.py).
    deleted_at = models.DateTimeField(
        _("Im Papierkorb seit"), null=True, blank=True, editable=False
    )
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Gelöscht von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = PhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("Foto")
        verbose_name_plural = _("Fotos")
        ordering = ["-created_at", "-pk"]
        permissions = [
            (
                "set_photo_rights",
                _("Kann Bildquelle, Lizenz und Sperre von Fotos setzen"),
            )
        ]
        indexes = [
            # The photo chooser pages newest first by (created_at, id) keys.
            models.Index(fields=["-created_at", "-id"], name="photo_newest_first"),
            # import_photos finds a file's photo by the hash of its bytes
            # alone (the unique index below starts with the agency).
            models.Index(fields=["external_id"]),
            models.Index(
                fields=["id"],
                condition=Q(renditions_complete=False),
                name="photo_missing_renditions",
            ),
            models.Index(
                fields=["deleted_at"],
                condition=Q(deleted_at__isnull=False),
                name="photo_in_trash",
            ),
        ]
        constraints = [
            # An agency photo is stored once however many articles use it.
            models.UniqueConstraint(
                fields=["agency", "external_id"],
                condition=~Q(external_id=""),
                name="one_photo_per_agency_item",
                violation_error_message=_(
                    "Dieses Agenturfoto ist schon gespeichert (gleiche Agentur "
                    "und Kennung)."
                ),
            )
        ]

    def __str__(self):
        return f"{self.label} ({self.credit})" if self.credit else self.label

    def save(self, *args, **kwargs):
        # A new file or focal point needs new renditions; other changes are
        # checked once more, which costs a query.
        self.renditions_complete = False
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "renditions_complete"}
        super().save(*args, **kwargs)

    def clean(self):
        self.check_credit_kept()

    def check_credit_kept(self) -> None:
        """A photo that a public page shows keeps a credit (§ 13 UrhG)."""
        if self.pk is None or self.credit:
            return
        uses = self.public_uses()
        if self.copyright_notice.strip():
            uses = [use for use in uses if not use.copyright_notice_suffices]
        if not uses:
            return
        shown = ", ".join(use.where for use in uses[:5])
        if len(uses) > 5:
            shown += _(" und %(count)s weitere") % {"count": len(uses) - 5}
        raise ValidationError(
            _(
                "Ohne Bildquelle kann dieses Foto nicht gespeichert werden: "
                "Es erscheint in %(shown)s. Bitte Fotograf/in, Bildquelle oder "
                "Agentur angeben."
            )
            % {"shown": shown}
        )

    def public_uses(self) -> list[PhotoUse]:
        """The public places that show this photo now or will (a published
        article, a sponsored slot not ended)."""
        return [use for finder in PHOTO_USE_FINDERS for use in finder(self)]

    @property
    def label(self) -> str:
        """How an editor recognises the photo: caption, else alt text, else id."""
        text = self.caption or self.alt_text or self.headline
        return text[:60] if text else f"Foto {self.pk or 'neu'}"

    @property
    def credit(self) -> str:
        """The credit shown with every rendering of this photo."""
        agency = self.agency if self.agency_id else None
        return photo_credit(self.credit_line, self.creator, agency)

    @property
    def copyright_line(self) -> str:
        """The copyright notice as given, else one made from the credit."""
        if self.copyright_notice:
            return self.copyright_notice
        return f"© {self.credit}" if self.credit else ""

    def shown(self, *, copyright_notice_suffices: bool = False) -> "ShownPhoto":
        """`copyright_notice_suffices`: credit a photo without one with its
        copyright notice (sponsored slots)."""
        credit = self.credit
        if not credit and copyright_notice_suffices:
            credit = self.copyright_notice.strip()
        return ShownPhoto(
            pk=self.pk,
            image_name=self.image.name,
            width=self.width,
            height=self.height,
            focal_x=self.focal_x,
            focal_y=self.focal_y,
            alt_text=self.alt_text,
            credit=credit,
            licence_expires_at=self.licence_expires_at,
            killed_at=self.killed_at,
        )

    @property
    def usable_until(self) -> datetime | None:
        return usable_until(self.licence_expires_at, self.killed_at)

    def is_usable(self, at: datetime | None = None) -> bool:
        """Python twin of `PhotoQuerySet.usable()` for one loaded row."""
        if self.credit_needs_review or self.deleted_at is not None:
            return False
        until = self.usable_until
        return until is None or until > (at or timezone.now())

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
    def restriction_notes(self) -> list[str]:
        """The agency's conditions an editor must see before using the
        photo: special instructions ("ONE TIME USE ONLY", Sperrvermerk) and
        restrictions."""
        return [text for text in (self.instructions, self.restrictions) if text]

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
        # As photo_credit(), from plain values.
        credit = row["photo__credit_line"] or row["photo__creator"]
        if not row["photo__credit_line"] and row["photo__agency__short_name"]:
            credit = agency_credit(
                row["photo__agency__short_name"],
                row["photo__agency__credit_format"],
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
            credit=credit,
            licence_expires_at=row["photo__licence_expires_at"],
            killed_at=row["photo__killed_at"],
        )

    @property
    def usable_until(self) -> datetime | None:
        return usable_until(self.licence_expires_at, self.killed_at)


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
                fields=["photo", "version", "spec"],
                name="one_rendition_per_spec",
                violation_error_message=_(
                    "Diese Bildvariante gibt es für das Foto schon."
                ),
            )
        ]

    def __str__(self):
        return f"{self.photo_id}/{self.version}/{self.spec}"
