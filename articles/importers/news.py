"""Importing agency news from sources: the one function the command calls."""

from collections.abc import Iterator

from django.conf import settings

from articles.importers.batches import apply_batch
from articles.importers.detect import read_items
from articles.importers.fetch import FetchError
from articles.importers.items import ParseError
from articles.importers.report import ImportReport
from articles.importers.runs import (
    Batch,
    ImportOptions,
    ImportRun,
    Progress,
    no_progress,
)
from articles.importers.sources import SourceUnavailable, source_files


def import_news(
    sources: list[str],
    *,
    format: str = "auto",
    options: ImportOptions | None = None,
    progress: Progress = no_progress,
) -> ImportReport:
    """Import every item of every source; SourceUnavailable if one is missing
    or cannot be fetched (the sources before it are imported).

    Directories are walked lazily and files streamed item by item, so
    neither a directory of 100,000 files nor a 500 MB feed sits in memory.
    Items are applied in batches of NEWSROOM_IMPORT_BATCH_SIZE, one
    transaction each (a savepoint per item where an item is applied on its
    own): a crash loses at most the open batch, which a re-run imports again.
    """
    run = ImportRun(options, progress=progress)
    for source in source_files(sources):
        try:
            opened = source.open()
        except FetchError as error:
            # An unreachable URL: the command cannot do what it was asked.
            raise SourceUnavailable(str(error)) from error
        try:
            with opened as stream:
                detected, items = read_items(stream, format=format)
                for raw_items in batches(
                    items,
                    settings.NEWSROOM_IMPORT_BATCH_SIZE,
                    budget=settings.NEWSROOM_IMPORT_MAX_BYTES,
                ):
                    batch = Batch(
                        run, format=detected, file=source.name, base_dir=source.base_dir
                    )
                    apply_batch(raw_items, batch)
        except (ParseError, OSError) as error:
            # The file as a whole, or what is left of it after a problem
            # (the items before it are imported).
            run.record(source.name, source.name, "failed", str(error))
    return run.report


def batches(items: Iterator, size: int, *, budget: int) -> Iterator[list]:
    """`items` in lists of `size`, or fewer where their sizes would pass
    `budget` bytes (an item larger than that comes alone): applying a batch
    takes about 25 times its size in memory (measured, docs/operations.md).
    When reading fails part-way, the items read so far come first, then the
    error."""
    chunk, held = [], 0
    try:
        for item in items:
            if chunk and held + item.size > budget:
                yield chunk
                chunk, held = [], 0
            chunk.append(item)
            held += item.size
            if len(chunk) == size:
                yield chunk
                chunk, held = [], 0
    except ParseError:
        if chunk:
            yield chunk
        raise
    if chunk:
        yield chunk
