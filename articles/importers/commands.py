"""What import_news and import_photos share: progress, summary, exit code."""

from collections.abc import Callable
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.importers.apply import ImportReport, write_report
from articles.importers.progress import terminal_progress
from articles.importers.sources import SourceUnavailable


def run_import_command(
    command: BaseCommand,
    run: Callable[[Callable], ImportReport],
    *,
    count_files: Callable[[], int],
    verbosity: int,
    json_report: Path | None,
    noun: str,
    show_file: bool,
) -> None:
    """`run(progress)` with a progress line on a terminal (one line per item
    at verbosity 2), then the summary; exit code 1 when a source cannot be
    read, 2 when some of the `noun`s failed."""
    try:
        # On a terminal, a first walk over the sources counts the files.
        line = terminal_progress(command, verbosity=verbosity, count_files=count_files)

        def progress(file, item, outcome):
            if verbosity >= 2:
                where = f"  ({file})" if show_file else ""
                command.stdout.write(f"{outcome:10} {item}{where}")
            elif line:
                line(file, item, outcome)

        report = run(progress)
    except SourceUnavailable as error:
        raise CommandError(str(error)) from error
    if line:
        line.finish()
    write_report(command, report, json_report=json_report, verbosity=verbosity)
    if report.failed:
        raise CommandError(f"{report.failed} {noun}(s) failed", returncode=2)
