"""Importing photo files: credits and captions from their embedded metadata.

Each file is one item in its own transaction; its identity is a hash of its
bytes, so a re-run (or the same picture under another name) changes nothing.
"""

import hashlib
from collections.abc import Iterator
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from articles.importers.report import ImportReport
from articles.importers.runs import ImportOptions, ImportRun, Progress, no_progress
from articles.importers.sources import SourceUnavailable, walk_files
from articles.models import Photo
from articles.photos.saving import new_photo_files, save_photo, stored_copy
from articles.photos.upload_checks import read_image_file

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".tif", ".tiff"}


def photo_files(sources: list[str]) -> Iterator[Path]:
    for source in sources:
        path = Path(source)
        if path.is_file():
            yield path
        elif path.is_dir():
            yield from walk_files(path, IMAGE_SUFFIXES)
        else:
            raise SourceUnavailable(
                _("„%(source)s“ gibt es nicht.") % {"source": source}
            )


def import_photos(
    sources: list[str], *, dry_run: bool = False, progress: Progress = no_progress
) -> ImportReport:
    run = ImportRun(ImportOptions(dry_run=dry_run), progress=progress)
    for path in photo_files(sources):
        outcome, text = import_photo_file(path, dry_run=dry_run)
        run.record(str(path), str(path), outcome, text)
    return run.report


def import_photo_file(path: Path, *, dry_run: bool) -> tuple[str, str]:
    """(outcome, note or reason) of one file, in a transaction of its own."""
    try:
        data = read_image_file(path)
    except ValidationError as error:
        return "failed", " ".join(error.messages)
    digest = hashlib.sha256(data).hexdigest()
    # The same bytes uploaded in the admin or imported before: one photo.
    if existing := stored_copy(digest):
        return "unchanged", _("Dieses Bild gibt es schon (Foto %(pk)s).") % {
            "pk": existing.pk
        }
    external_id = f"sha256:{digest}"
    try:
        with new_photo_files(discard=dry_run), transaction.atomic():
            photo = Photo(external_id=external_id)
            photo.image = ContentFile(data, name=path.name)
            save_photo(photo)
            if dry_run:
                transaction.set_rollback(True)
    except ValidationError as error:
        return "failed", " ".join(error.messages)
    missing = photo.missing_for_publication
    note = _("fehlt: %(missing)s") % {"missing": ", ".join(missing)} if missing else ""
    return "created", note
