"""Files in storage that no row refers to: stray renditions, and originals
left by an import or upload that wrote a photo's file and then never
committed its row (killed between the two, or rolled back).

Storage is walked through Django's storage API (`listdir`, `delete`,
`get_modified_time`), one folder at a time, so it works the same on any
backend and holds only one folder's names at a time.
"""

from collections.abc import Callable, Iterator
from datetime import timedelta

from django.core.files.storage import Storage
from django.utils import timezone

from articles.models import Photo

# A new original is written a moment before its row is committed (a batch
# of an import may take a while): younger files are never removed.
ORIGINALS_MIN_AGE = timedelta(days=1)


def walk_storage(storage: Storage, folder: str) -> Iterator[tuple[str, list[str]]]:
    """(folder, names of its files) for `folder` and every folder below."""
    # Not exists(folder): an object store has no folders, only keys sharing
    # a prefix, and says a folder does not exist while it holds files.
    try:
        directories, files = storage.listdir(folder)
    except FileNotFoundError:  # the file system, before the first file
        return
    yield folder, [f"{folder}/{name}" for name in files]
    for directory in directories:
        yield from walk_storage(storage, f"{folder}/{directory}")


def remove_unreferenced_files(
    storage: Storage,
    folder: str,
    referenced: Callable[[str], set[str]],
    *,
    dry_run: bool = False,
    min_age: timedelta | None = None,
) -> list[str]:
    """Delete the files under `folder` that `referenced(folder)` (the names
    rows refer to in that folder) does not name, and that are at least
    `min_age` old; return their names."""
    removed = []
    cutoff = timezone.now() - min_age if min_age else None
    for directory, names in walk_storage(storage, folder):
        if not names:
            continue
        known = referenced(directory)
        for name in names:
            if name in known:
                continue
            if cutoff and storage.get_modified_time(name) > cutoff:
                continue
            removed.append(name)
            if not dry_run:
                storage.delete(name)
    return removed


def remove_orphaned_originals(*, dry_run: bool = False) -> list[str]:
    """Delete original photo files no photo refers to (older than a day)."""
    field = Photo._meta.get_field("image")

    def referenced(directory: str) -> set[str]:
        # One query per folder (photos/<year>/<month>): a month's names.
        return set(
            Photo.objects.filter(image__startswith=f"{directory}/").values_list(
                "image", flat=True
            )
        )

    return remove_unreferenced_files(
        field.storage,
        "photos",
        referenced,
        dry_run=dry_run,
        min_age=ORIGINALS_MIN_AGE,
    )
