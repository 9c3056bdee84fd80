"""Running an import over sources: the one function the command calls."""

import dataclasses
from collections.abc import Callable

from django.conf import settings
from django.db import transaction

from articles.importers.apply import (
    ImportOptions,
    ImportReport,
    apply_parsed,
    is_known,
    known_versions,
)
from articles.importers.detect import parse_file
from articles.importers.items import ParseError
from articles.importers.sources import source_files


def import_news(
    sources: list[str],
    *,
    format: str = "auto",
    options: ImportOptions | None = None,
    progress: Callable[[str, str, str], None] = lambda file, item, outcome: None,
) -> ImportReport:
    """Import every item of every source; SourceUnavailable if one is missing.

    Files are read and parsed one at a time (a directory of 100,000 files
    never sits in memory); each item is applied in its own savepoint.
    """
    options = options or ImportOptions()
    report = ImportReport()
    for source in source_files(sources):
        try:
            detected, parsed_items = parse_file(source.read(), format=format)
        except ParseError as error:
            report.fail(source.name, str(error))
            progress(source.name, source.name, "failed")
            continue
        file_options = dataclasses.replace(options, base_dir=source.base_dir)
        known = known_versions(parsed_items, format=detected, lookups=options.lookups)
        batch_size = settings.NEWSROOM_IMPORT_BATCH_SIZE
        for start in range(0, len(parsed_items), batch_size):
            # One transaction per batch, a savepoint per item: a bad item
            # rolls back alone, and commits are few. A crash loses at most
            # the open batch, which a re-run imports again.
            with transaction.atomic():
                for parsed in parsed_items[start : start + batch_size]:
                    if is_known(
                        parsed, known, format=detected, lookups=options.lookups
                    ):
                        report.count("unchanged", parsed.reference)
                        outcome = "unchanged"
                    else:
                        outcome = apply_parsed(
                            parsed, format=detected, options=file_options, report=report
                        )
                    progress(source.name, parsed.reference, outcome)
    return report
