"""Running an import over sources: the one function the command calls."""

from collections.abc import Callable

from articles.importers.apply import ImportOptions, ImportReport, apply_parsed
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
    never sits in memory); each item is applied in its own transaction.
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
        file_options = ImportOptions(
            publish=options.publish,
            section=options.section,
            dry_run=options.dry_run,
            base_dir=source.base_dir,
        )
        for parsed in parsed_items:
            outcome = apply_parsed(
                parsed, format=detected, options=file_options, report=report
            )
            progress(source.name, parsed.reference, outcome)
    return report
