"""Writing photos: the admin upload, the importers and the demo share these.

`save_photo` checks the file by content, records the displayed size, fills
empty fields from the embedded metadata (never overwriting an editor's text)
and resolves the agency from the credit (`check_photo`), then saves it.

A photo's file is written when its row is saved, before the transaction
commits; inside `new_photo_files()` the files written are deleted again if
the block fails (its rows rolled back). A process killed before it commits
leaves files behind: `articles.photos.orphans` removes them.
"""

import contextlib
import hashlib
import logging
import re
from collections.abc import Iterator
from contextvars import ContextVar

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.storage import Storage
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q
from PIL import ExifTags, Image

from articles.models import Agency, Photo
from articles.photos.metadata import PhotoMetadata, read_photo_metadata
from articles.photos.upload_checks import check_image_file
from articles.purging import purge_pages_on_commit
from articles.sanitising import clean_text

logger = logging.getLogger(__name__)

# "Foto: dpa", "Fotos: dpa", "Bild: AFP", "Photo: Reuters" …
CREDIT_PREFIX = re.compile(r"^\s*(fotos?|bild(?:er)?|photos?|quelle)\s*:\s*", re.I)
COPYRIGHT_SIGN = re.compile(r"^\s*(©|\(c\)|copyright)\s*", re.I)
# Photo fields pre-filled from the metadata field of the same name.
PREFILLED_FIELDS = [
    "caption",
    "alt_text",
    "creator",
    "credit_line",
    "copyright_notice",
    "source",
    "headline",
    "instructions",
    "usage_terms",
    "keywords",
]


def credit_parts(text: str) -> list[str]:
    """Candidate agency names in a credit, the likeliest (the last) first."""
    # Cleaned here too: the agency's name is looked up and stored from it
    # before the photo's own fields are cleaned.
    text = COPYRIGHT_SIGN.sub("", CREDIT_PREFIX.sub("", clean_text(text or "")))
    return [part.strip() for part in reversed(text.split("/")) if part.strip()]


def agencies_by_name() -> dict[str, Agency]:
    """Every agency under each of its names (casefolded)."""
    return {name: agency for agency in Agency.objects.all() for name in agency.names}


def resolve_agency(
    *credits: str, by_name: dict[str, Agency] | None = None
) -> Agency | None:
    """The known agency named in the first credit that names one, else None.

    Never creates one: free text in a file's metadata ("Foto: privat",
    a photographer's name) is no agency; the credit line keeps the text.
    `by_name` is agencies_by_name(), if the caller has read it already.
    """
    if by_name is None:
        by_name = agencies_by_name()
    for credit in credits:
        for part in credit_parts(credit):
            if agency := by_name.get(part.casefold()):
                return agency
    return None


def provider_agency(
    provider: str, *, by_name: dict[str, Agency] | None = None
) -> Agency:
    """The agency an agency item names as its provider.

    A known one by any of its names; a provider named for the first time
    is created and flagged for review (the photo desk checks it); items
    that name none share the one "Unbekannte Quelle", flagged too.
    """
    name = clean_text(provider or "").strip()
    if name and (agency := resolve_agency(name, by_name=by_name)):
        return agency
    name = name[:40] or Agency.UNKNOWN_SOURCE
    agency, _ = Agency.objects.get_or_create(
        short_name=name, defaults={"name": name, "needs_review": True}
    )
    return agency


def content_hash(file) -> str:
    """SHA-256 of a file's bytes (read from the start, left at the start)."""
    file.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: file.read(1 << 20), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def stored_copy(digest: str, *, exclude_pk: int | None = None) -> Photo | None:
    """The stored photo with exactly these bytes: same content hash, or
    imported by `import_photos` before photos kept their hash."""
    photos = Photo.objects.filter(
        Q(content_hash=digest) | Q(external_id=f"sha256:{digest}")
    )
    if exclude_pk is not None:
        photos = photos.exclude(pk=exclude_pk)
    return photos.order_by("pk").first()


def prepare_photo(photo: Photo) -> PhotoMetadata:
    """Check the file and fill size and empty fields from it (no save)."""
    file = photo.image.file
    check_image_file(file)
    photo.content_hash = content_hash(file)
    with Image.open(file) as image:
        width, height = image.size
        if image.getexif().get(ExifTags.Base.Orientation, 1) in (5, 6, 7, 8):
            width, height = height, width
        metadata = read_photo_metadata(image)
    file.seek(0)
    photo.width, photo.height = width, height
    for field in PREFILLED_FIELDS:
        limit = Photo._meta.get_field(field).max_length
        if not getattr(photo, field).strip() and getattr(metadata, field):
            setattr(photo, field, getattr(metadata, field)[:limit])
    if not photo.web_statement and metadata.web_statement:
        try:
            URLValidator(schemes=["http", "https"])(metadata.web_statement)
            photo.web_statement = metadata.web_statement[:500]
        except ValidationError:
            pass  # Not a link we would show; the rest is still worth keeping.
    return metadata


def check_photo(photo: Photo, *, known_identity: bool = False) -> None:
    """Check, pre-fill and validate `photo` as `save_photo` does, without
    saving it; raises ValidationError naming the problem.

    `known_identity`: the caller has just looked the photo up by its agency
    identity and took the agency from the database (imports), so the
    queries that check both again are skipped; the database's constraints
    still guard.
    """
    image_is_new = photo.pk is None or not getattr(photo.image, "_committed", True)
    if image_is_new or photo.width is None:
        metadata = prepare_photo(photo)
        if photo.agency_id is None:
            photo.agency = resolve_agency(photo.credit_line, metadata.source)
    # The file itself was checked by prepare_photo(); decoding it once is enough.
    photo.full_clean(
        exclude=["image", "agency"] if known_identity else ["image"],
        validate_constraints=not known_identity,
    )


@transaction.atomic
def save_photo(
    photo: Photo,
    *,
    known_identity: bool = False,
    by: AbstractBaseUser | None = None,
) -> Photo:
    """Check, pre-fill and save `photo`, a new one as uploaded `by`; raises
    ValidationError naming the problem (see `check_photo`)."""
    check_photo(photo, known_identity=known_identity)
    if photo.pk is None and by is not None:
        photo.uploaded_by = by
    writes_file = not getattr(photo.image, "_committed", True)
    photo.save()
    if writes_file:
        record_new_files([photo])
    # Credits, captions, licence and kill all show on public pages.
    purge_pages_on_commit()
    return photo


def insert_checked_photos(photos: list[Photo]) -> list[Photo]:
    """Save new photos that passed `check_photo`, files and rows, in one
    insert (imports save a batch's new photos together)."""
    Photo.objects.bulk_create(photos)
    record_new_files(photos)
    if photos:
        purge_pages_on_commit()
    return photos


class NewFiles:
    """Photo files written for rows that are not committed yet."""

    def __init__(self):
        self.names: list[tuple[Storage, str]] = []

    def remove(self) -> None:
        """Delete them: their rows were rolled back (or never written)."""
        for storage, name in self.names:
            # A cleanup must not hide the failure that called for it.
            try:
                storage.delete(name)
            except Exception:
                logger.exception("could not delete %s", name)
        self.names = []


_new_files: ContextVar[NewFiles | None] = ContextVar("new_photo_files", default=None)


@contextlib.contextmanager
def new_photo_files(*, discard: bool = False) -> Iterator[None]:
    """Collect the files that photos saved inside the block write; if the
    block raises (its transaction or savepoint rolls back), delete them. On
    success they pass to the enclosing block, if any; `discard`: delete
    them anyway (a dry run, whose transaction rolls back without raising)."""
    files = NewFiles()
    token = _new_files.set(files)
    try:
        yield
    except BaseException:
        files.remove()
        raise
    finally:
        _new_files.reset(token)
    if discard:
        files.remove()
    elif (outer := _new_files.get()) is not None:
        outer.names += files.names


def record_new_files(photos: list[Photo]) -> None:
    if (files := _new_files.get()) is not None:
        files.names += [(photo.image.storage, photo.image.name) for photo in photos]
