"""Running an import over sources: the one function the command calls."""

import dataclasses
from collections.abc import Callable, Iterator

from django.conf import settings

from articles.importers.apply import ImportOptions, ImportReport
from articles.importers.batches import apply_batch
from articles.importers.detect import read_items
from articles.importers.fetch import FetchError
from articles.importers.items import ParseError
from articles.importers.sources import SourceUnavailable, source_files


def import_news(
    sources: list[str],
    *,
    format: str = "auto",
    options: ImportOptions | None = None,
    progress: Callable[[str, str, str], None] = lambda file, item, outcome: None,
) -> ImportReport:
    """Import every item of every source; SourceUnavailable if one is missing
    or cannot be fetched (the sources before it are imported).

    Directories are walked lazily and files streamed item by item, so
    neither a directory of 100,000 files nor a 500 MB feed sits in memory.
    Items are applied in batches of NEWSROOM_IMPORT_BATCH_SIZE, one
    transaction each (a savepoint per item where an item is applied on its
    own): a crash loses at most the open batch, which a re-run imports again.
    """
    options = options or ImportOptions()
    report = ImportReport()
    for source in source_files(sources):
        file_options = dataclasses.replace(options, base_dir=source.base_dir)

        def item_done(reference: str, outcome: str, name=source.name) -> None:
            progress(name, reference, outcome)

        try:
            opened = source.open()
        except FetchError as error:
            # An unreachable URL: the command cannot do what it was asked.
            raise SourceUnavailable(str(error)) from error
        try:
            with opened as stream:
                detected, items = read_items(stream, format=format)
                for batch in batches(items, settings.NEWSROOM_IMPORT_BATCH_SIZE):
                    apply_batch(
                        batch,
                        format=detected,
                        options=file_options,
                        report=report,
                        progress=item_done,
                    )
        except (ParseError, OSError) as error:
            # The file as a whole, or what is left of it after a problem
            # (the items before it are imported).
            report.fail(source.name, str(error))
            progress(source.name, source.name, "failed")
    return report


def batches(items, size: int) -> Iterator[list]:
    """`items` in lists of `size`. When reading fails part-way, the items
    read so far come first, then the error."""
    batch = []
    try:
        for item in items:
            batch.append(item)
            if len(batch) == size:
                yield batch
                batch = []
    except ParseError:
        if batch:
            yield batch
        raise
    if batch:
        yield batch
