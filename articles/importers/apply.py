"""The shared upsert of every parser's items (DESIGN.md 3: "apply").

Per item, in its own savepoint (`apply_parsed`): identity (agency, external
id), version order, kill and embargo, local-edit protection, photos; new
stories of a batch may instead be saved together (`create_articles`, see
`batches`) with the same result. Everything goes through the article
services, so revisions, transitions and cache purges happen as for an
editor's change. Re-running an import changes nothing.
"""

import hashlib
import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.importers.detect import ParsedItem
from articles.importers.fetch import fetch_image
from articles.importers.items import AgencyItem, AgencyPhoto, ItemStatus, ParseError
from articles.models import (
    Agency,
    AgencyVersion,
    Article,
    ArticlePhoto,
    CategoryMapping,
    Photo,
    Section,
)
from articles.models.agency import agency_text, version_key
from articles.photos.saving import (
    agencies_by_name,
    check_photo,
    insert_checked_photos,
    resolve_agency,
    save_photo,
)
from articles.workflow import services
from newsroom.perf.bulk_inserts import bulk_insert

logger = logging.getLogger(__name__)

OUTCOMES = (
    "created",
    "updated",
    "unchanged",
    "withdrawn",
    "embargoed",
    "skipped",
    "failed",
)
EPOCH = datetime.min.replace(tzinfo=UTC)
# dpa's notices to newsrooms ("Achtung – Verzögerung", "Hinweis"): for
# editors, never for readers, so an import never publishes them.
NOTICE_GENRES = {"achtung", "hinweis", "redaktioneller hinweis"}


def identity(external_id: str) -> str:
    """Ids as stored: very long ones (feed URLs) become a stable hash."""
    if len(external_id) <= 255:
        return external_id
    return "sha256:" + hashlib.sha256(external_id.encode()).hexdigest()


def is_notice(item: AgencyItem) -> bool:
    return any(genre.casefold() in NOTICE_GENRES for genre in item.genres)


KILL_REASON = gettext_lazy("Von der Agentur zurückgezogen (Kill).")


class RunLookups:
    """Rows an import reads for every item but nobody changes meanwhile:
    agencies by name, category mappings, sections. Read once per run."""

    def __init__(self):
        self._agencies: dict[str, Agency] | None = None
        self._mappings: dict[tuple[int, str], Section] | None = None
        self._sections: dict[str, Section | None] = {}

    def agency(self, name: str) -> Agency:
        if self._agencies is None:
            self._agencies = agencies_by_name()
        if found := self._agencies.get(name.casefold()):
            return found
        # Found by a part of the name, or unknown: then created and flagged
        # for review. Remembered once that is committed (at once outside a
        # transaction, as for the batches' lookups; never if the savepoint
        # it was created in rolls back).
        agency = resolve_agency(name, by_name=self._agencies) or resolve_agency(
            "Web", by_name=self._agencies
        )
        transaction.on_commit(partial(self.remember_agency, name, agency))
        return agency

    def remember_agency(self, name: str, agency: Agency) -> None:
        self._agencies[name.casefold()] = agency

    def mapped_section(self, agency: Agency, names: list[str]) -> Section | None:
        if self._mappings is None:
            self._mappings = {
                (mapping.agency_id, mapping.category): mapping.section
                for mapping in CategoryMapping.objects.select_related("section")
            }
        for name in names:
            if found := self._mappings.get((agency.pk, name)):
                return found
        return None

    # (agency id, external id) of the current batch's stories that exist or
    # are being created in it; None means "unknown, ask the database".
    existing: set | None = None

    def may_exist(self, agency_id: int, external_id: str) -> bool:
        return self.existing is None or (agency_id, external_id) in self.existing

    def section(self, slug: str) -> Section | None:
        if slug not in self._sections:
            self._sections[slug] = Section.objects.filter(slug=slug).first()
        return self._sections[slug]


@dataclass
class ImportOptions:
    publish: bool = False
    section: str = ""
    dry_run: bool = False
    # Where a file's relative photo references are looked up (its folder).
    base_dir: Path | None = None
    lookups: RunLookups = field(default_factory=RunLookups)


@dataclass
class ImportReport:
    counts: Counter = field(default_factory=Counter)
    failures: list[tuple[str, str]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)

    def count(self, outcome: str, reference: str, note: str = "") -> None:
        self.counts[outcome] += 1
        if note:
            self.notes.append((reference, note))

    def fail(self, reference: str, reason: str) -> None:
        self.counts["failed"] += 1
        self.failures.append((reference, reason))

    @property
    def failed(self) -> int:
        return self.counts["failed"]

    def summary(self) -> str:
        return ", ".join(f"{outcome} {self.counts[outcome]}" for outcome in OUTCOMES)

    def as_json(self) -> dict:
        return {
            **{outcome: self.counts[outcome] for outcome in OUTCOMES},
            "failures": [
                {"item": item, "reason": reason} for item, reason in self.failures
            ],
            "notes": [{"item": item, "note": note} for item, note in self.notes],
        }


class Skip(Exception):
    """The item is fine but must not change anything; the message says why."""


def apply_parsed(
    parsed: ParsedItem, *, format: str, options: ImportOptions, report: ImportReport
) -> str:
    if parsed.error:
        report.fail(parsed.reference, parsed.error)
        return "failed"
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                outcome, note = apply_item(
                    parsed.item, payload=parsed.payload, format=format, options=options
                )
                if options.dry_run:
                    transaction.set_rollback(True)
        except Skip as skip:
            report.count("skipped", parsed.reference, str(skip))
            return "skipped"
        except IntegrityError:
            # Another import created the same story a moment ago: the second
            # attempt finds it and treats this as an update or a re-send.
            if attempt == 1:
                options.lookups.existing = None
                continue
            report.fail(parsed.reference, _("Gleichzeitiger Import kollidiert."))
            return "failed"
        except (ValidationError, ParseError) as error:
            messages = getattr(error, "messages", None) or [str(error)]
            report.fail(parsed.reference, " ".join(messages))
            return "failed"
        report.count(outcome, parsed.reference, note)
        return outcome
    return "failed"


def apply_item(
    item: AgencyItem, *, payload: str, format: str, options: ImportOptions
) -> tuple[str, str]:
    """(outcome, note) of one item, inside the caller's transaction."""
    agency = options.lookups.agency(item.provider or format)
    if item.is_photo_only:
        return apply_photo_item(item, agency=agency, options=options)
    external_id = identity(item.external_id)
    article = None
    if options.lookups.may_exist(agency.pk, external_id):
        article = (
            Article.objects.select_for_update().agency_item(agency, external_id).first()
        )
    if article is None:
        return create_article(item, agency, payload, format, options)
    return update_article(article, item, payload, format, options)


def create_article(item, agency, payload, format, options) -> tuple[str, str]:
    article = new_article(item, agency, options)
    services.save_article(article, by=None)
    services.record_revision(article, by=None, note=first_revision_note(item), new=True)
    agency_version(article, item, payload, format, applied=True).save()
    note = attach_photos(article, item, agency, options)
    return finish_new_article(article, item, note, options)


def new_article(item: AgencyItem, agency: Agency, options: ImportOptions) -> Article:
    """The unsaved article for a story we do not have yet."""
    if item.status == ItemStatus.CANCELED:
        raise Skip(_("Kill für eine unbekannte Meldung."))
    article = Article(
        agency=agency,
        external_id=identity(item.external_id),
        section=section_for(item, agency, options),
    )
    fill(article, item)
    return article


def first_revision_note(item: AgencyItem) -> str:
    return _("Import, Agentur-Version %(v)s") % {"v": item.version}


def finish_new_article(article, item, note, options) -> tuple[str, str]:
    """After a new story is saved: publish it if asked; (outcome, note)."""
    if is_notice(item):
        note = "; ".join(
            filter(None, [_("Hinweis an die Redaktion, nicht veröffentlicht"), note])
        )
    elif options.publish and item.status == ItemStatus.USABLE:
        services.publish_article(article, by=None, at=timezone.now())
    return ("embargoed" if is_embargoed(item) else "created"), note


def create_articles(planned, *, format: str, options: ImportOptions) -> list:
    """Save new stories in bulk: articles, first revisions, agency versions,
    new photos and photo links in five inserts; publishing one by one.

    `planned` holds (article, item, payload); returns (outcome, note) for
    each. The caller runs this in a savepoint and, should anything fail,
    applies the items one by one instead.
    """
    articles = [article for article, _item, _payload in planned]
    services.create_articles(
        articles, by=None, notes=[first_revision_note(item) for _a, item, _p in planned]
    )
    bulk_insert(
        [
            agency_version(article, item, payload, format, applied=True)
            for article, item, payload in planned
        ]
    )
    uses, new_photos, notes = [], [], []
    stored = stored_photos(
        (article.agency, photo)
        for article, item, _p in planned
        for photo in item.photos
    )
    for article, item, _payload in planned:
        notes.append(
            attach_photos(
                article,
                item,
                article.agency,
                options,
                uses=uses,
                stored=stored,
                new_photos=new_photos,
            )
        )
    insert_checked_photos(new_photos)
    bulk_insert([ArticlePhoto(**use) for use in uses])
    return [
        finish_new_article(article, item, note, options)
        for (article, item, _payload), note in zip(planned, notes, strict=True)
    ]


def update_article(article, item, payload, format, options) -> tuple[str, str]:
    key = version_key(item.version, item.version_created)
    if AgencyVersion.objects.filter(article=article, version_key=key).exists():
        return "unchanged", ""
    # Every received version is kept, applied or not: one insert once that
    # is known (rather than an insert and an update).
    version = agency_version(article, item, payload, format, applied=False)
    outcome, note = apply_version(article, item, options)
    version.applied = outcome in APPLIED
    version.save()
    return outcome, note


# What update_article returns when it applied the version.
APPLIED = {"updated", "embargoed", "withdrawn"}


def apply_version(article, item, options) -> tuple[str, str]:
    """Apply a version of a stored story unless it is older, the story was
    killed or edited here."""
    current = (article.agency_version, article.agency_version_created or EPOCH)
    if item.version_key <= current:
        return "unchanged", _("ältere Version %(v)s aufbewahrt") % {"v": item.version}
    if article.agency_status == Article.AgencyStatus.CANCELED:
        # Kept for the record, never applied: a kill blocks republication.
        return "skipped", _("Die Agentur hat die Meldung zurückgezogen (Kill).")
    if item.status == ItemStatus.CANCELED:
        kill(article, item)
        return "withdrawn", ""
    if article.locally_edited:
        article.pending_agency_version = item.version
        article.save(update_fields=["pending_agency_version", "modified_at"])
        services.purge_pages_on_commit()
        return "skipped", _(
            "lokal bearbeitet: Agentur-Version %(v)s gespeichert, nicht übernommen"
        ) % {"v": item.version}
    fill(article, item)
    if item.signal in ("update", "correction") and article.first_published_at:
        article.updated_at = timezone.now()
    services.save_article(article, by=None)
    services.record_revision(
        article, by=None, note=_("Agentur-Version %(v)s") % {"v": item.version}
    )
    if item.correction_note and article.first_published_at:
        services.add_correction(article, by=None, text=item.correction_note)
    note = attach_photos(article, item, article.agency, options)
    unpublished = article.status in (Article.Status.DRAFT, Article.Status.APPROVED)
    publishable = item.status == ItemStatus.USABLE and not is_notice(item)
    if options.publish and publishable and unpublished:
        services.publish_article(article, by=None, at=timezone.now())
    return ("embargoed" if is_embargoed(item) else "updated"), note


def is_embargoed(item: AgencyItem) -> bool:
    return item.embargo_time_unknown or bool(
        item.embargo_until and item.embargo_until > timezone.now()
    )


def fill(article: Article, item: AgencyItem) -> None:
    """Copy the agency's fields; the body is sanitised when the article saves."""
    headline = article.headline
    for name, value in agency_text(item.__dict__).items():
        setattr(article, name, value)
    # A version without a headline keeps the one before (or shows the id).
    article.headline = article.headline or headline or item.external_id[:200]
    article.embargo_until = item.embargo_until
    article.embargo_time_unknown = item.embargo_time_unknown
    article.agency_version = item.version
    article.agency_version_created = item.version_created
    article.agency_status = item.status
    article.pending_agency_version = None


def agency_version(article, item, payload, format, *, applied) -> AgencyVersion:
    return AgencyVersion(
        article_id=article.pk,  # saved already; the id skips related checks
        version=item.version,
        version_key=version_key(item.version, item.version_created),
        version_created=item.version_created,
        format=format,
        status=item.status,
        signal=item.signal,
        payload=payload,
        fields=item.as_fields(),
        applied=applied,
    )


def kill(article: Article, item: AgencyItem) -> None:
    """Off every surface now, photos too, and never republished by an import."""
    reason = str(KILL_REASON)
    if item.correction_note:
        reason = f"{reason} {item.correction_note}"
    article.agency_status = Article.AgencyStatus.CANCELED
    article.save(update_fields=["agency_status", "modified_at"])
    if article.status == Article.Status.PUBLISHED:
        services.withdraw_article(article, by=None, reason=reason)
    # The agency's own photos of the story; pictures from elsewhere stay.
    Photo.objects.filter(uses__article=article, agency_id=article.agency_id).exclude(
        external_id=""
    ).kill(reason)
    services.purge_pages_on_commit()


def section_for(item: AgencyItem, agency: Agency, options: ImportOptions) -> Section:
    lookups = options.lookups
    if options.section:
        if found := lookups.section(options.section):
            return found
        raise ValidationError(
            _("Ressort „%(slug)s“ gibt es nicht.") % {"slug": options.section}
        )
    names = [*item.desks, *item.categories]
    if mapped := lookups.mapped_section(agency, names):
        return mapped
    if default := lookups.section(settings.NEWSROOM_IMPORT_DEFAULT_SECTION):
        return default
    raise ValidationError(
        _(
            "Kein Ressort: keine Zuordnung für %(names)s und kein Standard-Ressort "
            "„%(slug)s“ (NEWSROOM_IMPORT_DEFAULT_SECTION)."
        )
        % {
            "names": ", ".join(names) or "–",
            "slug": settings.NEWSROOM_IMPORT_DEFAULT_SECTION,
        }
    )


def attach_photos(
    article, item, agency, options, *, uses=None, stored=None, new_photos=None
) -> str:
    """Attach the item's photos; a photo that cannot be loaded is left out
    (the text still comes) and named in the returned note.

    For a new article, in a batch (see `create_articles`): `uses` collects
    its ArticlePhoto rows and `new_photos` the photos to store, for one
    insert each; `stored` holds the batch's photos found already (see
    `stored_photos`).
    """
    problems = []
    attached = set()
    for position, agency_photo in enumerate(
        sorted(item.photos, key=lambda photo: not photo.is_lead)
    ):
        try:
            # Checked before anything is written: a photo that fails leaves
            # nothing.
            photo = stored_photo(
                agency_photo, agency, options, stored=stored, new_photos=new_photos
            )
        except (ParseError, ValidationError) as error:
            messages = getattr(error, "messages", None) or [str(error)]
            problems.append(
                _("Bild %(id)s nicht übernommen: %(reason)s")
                % {"id": agency_photo.external_id, "reason": " ".join(messages)}
            )
            continue
        if uses is None:
            ArticlePhoto.objects.get_or_create(
                article=article,
                photo=photo,
                defaults={"position": position, "caption": agency_photo.caption},
            )
        elif (external_id := identity(agency_photo.external_id)) not in attached:
            attached.add(external_id)
            uses.append(
                {
                    "article": article,
                    "photo": photo,  # may be saved only with the batch
                    "position": position,
                    "caption": agency_photo.caption,
                }
            )
    return "; ".join(problems)


def apply_photo_item(item: AgencyItem, *, agency, options) -> tuple[str, str]:
    """A picture sent on its own: store it (once) for the photo desk."""
    [agency_photo] = item.photos
    existed = Photo.objects.agency_item(agency, identity(agency_photo.external_id))
    if item.status == ItemStatus.CANCELED:
        updated = existed.kill(str(KILL_REASON))
        services.purge_pages_on_commit()
        return ("withdrawn" if updated else "unchanged"), ""
    if existed.exists():
        return "unchanged", ""
    stored_photo(agency_photo, agency, options, usage_terms=item.usage_terms)
    return "created", ""


def stored_photos(agency_photos) -> dict[tuple[int, str], Photo]:
    """{(agency id, external id): photo} of those (agency, AgencyPhoto) pairs
    that are stored, in a query per agency."""
    wanted = defaultdict(set)
    for agency, agency_photo in agency_photos:
        wanted[agency.pk].add(identity(agency_photo.external_id))
    return {
        (photo.agency_id, photo.external_id): photo
        for agency_id, external_ids in wanted.items()
        for photo in Photo.objects.filter(
            agency_id=agency_id, external_id__in=external_ids
        ).exclude(external_id="")
    }


def fitted(field: str, text: str) -> str:
    """`text` cut to the Photo field's length."""
    return text[: Photo._meta.get_field(field).max_length]


def stored_photo(
    agency_photo: AgencyPhoto,
    agency,
    options,
    usage_terms="",
    *,
    stored=None,
    new_photos=None,
) -> Photo:
    """The photo with this agency id, downloaded and saved the first time.

    `stored`: what `stored_photos` found for the batch (no query then); a
    new photo is added to it, for the next story that uses it.
    `new_photos`: a new photo is checked and added there, to be saved with
    the batch's other new photos (`insert_checked_photos`), not here.
    """
    key = (agency.pk, identity(agency_photo.external_id))
    if stored is None:
        photo = Photo.objects.agency_item(agency, key[1]).first()
    else:
        photo = stored.get(key)
    if photo:
        return photo
    data = photo_bytes(agency_photo, options)
    digest = hashlib.sha256(agency_photo.external_id.encode()).hexdigest()[:12]
    caption = agency_photo.caption
    photo = Photo(
        agency=agency,
        external_id=key[1],
        caption=caption,
        # Agency pictures carry no alt text; the caption's first sentence is
        # the closest description (the photo desk can refine it).
        alt_text=caption.split(". ")[0][:250],
        creator=fitted("creator", agency_photo.creator),
        credit_line=fitted("credit_line", agency_photo.credit_line),
        usage_terms=agency_photo.usage_terms or usage_terms,
        copyright_notice=fitted("copyright_notice", agency_photo.copyright_notice),
        source=agency.short_name,
    )
    photo.image = ContentFile(data, name=f"{digest}.jpg")
    # Looked up by its identity just above, the agency from the run's lookups.
    if new_photos is None:
        save_photo(photo, known_identity=True)
    else:
        check_photo(photo, known_identity=True)
        new_photos.append(photo)
    if stored is not None:
        stored[key] = photo
    return photo


def photo_bytes(agency_photo: AgencyPhoto, options: ImportOptions) -> bytes:
    url = agency_photo.url
    if url.startswith(("http://", "https://")):
        return fetch_image(url)[0]
    if not url or options.base_dir is None:
        raise ParseError(
            _("Bild „%(id)s“ hat keine ladbare Adresse.")
            % {"id": agency_photo.external_id}
        )
    base = options.base_dir.resolve()
    path = (base / url).resolve()
    if base not in path.parents or not path.is_file():
        raise ParseError(
            _("Bilddatei „%(url)s“ liegt nicht neben der Meldung.") % {"url": url[:80]}
        )
    return path.read_bytes()
