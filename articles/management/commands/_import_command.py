"""What import_news and import_photos share: the progress line, the report
and the exit code.

On a terminal the progress line is one line, rewritten in place a few
times a second: files done of the total, items done, the rate and the
failures so far. Cron mails and logs get the summary alone.
"""

import json
import time
from collections.abc import Callable
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from articles.importers.report import ImportReport
from articles.importers.runs import Progress
from articles.importers.sources import SourceUnavailable


def run_import_command(
    command: BaseCommand,
    run: Callable[[Progress], ImportReport],
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


def write_report(
    command: BaseCommand,
    report: ImportReport,
    *,
    json_report: Path | None,
    verbosity: int,
) -> None:
    """The summary, failures and notes for a command's output (and JSON file)."""
    if json_report:
        json_report.write_text(
            json.dumps(report.as_json(), ensure_ascii=False, indent=2)
        )
    if not verbosity:
        return
    command.stdout.write(report.summary())
    for item, reason in report.failures:
        command.stderr.write(command.style.ERROR(f"{item}: {reason}"))
    for item, note in report.notes:
        command.stdout.write(command.style.WARNING(f"{item}: {note}"))
    for line in report.omitted():
        command.stderr.write(line)


def terminal_progress(
    command: BaseCommand, *, verbosity: int, count_files: Callable[[], int]
):
    """A ProgressLine for `command`'s output, or None when that is no terminal
    (or `verbosity` is not 1: 0 is silent, 2 prints a line per item)."""
    if verbosity != 1 or not command.stdout.isatty():
        return None

    def write(text: str) -> None:
        command.stdout.write(text, ending="")
        command.stdout.flush()

    return ProgressLine(write, total_files=count_files())


def grouped(number: float) -> str:
    return f"{number:,.0f}".replace(",", ".")


class ProgressLine:
    """Call it as the importers' `progress(file, item, outcome)` callback."""

    def __init__(
        self,
        write: Callable[[str], None],
        *,
        total_files: int | None = None,
        interval: float = 0.2,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.write, self.total_files = write, total_files
        self.interval, self.clock = interval, clock
        self.started = self.shown = clock()
        # Items of a file come together: counting changes of the file name
        # needs no list of names (a run may read 100,000 files).
        self.last_file = None
        self.files = self.items = self.failed = 0

    def __call__(self, file: str, item: str, outcome: str) -> None:
        if file != self.last_file:
            self.last_file = file
            self.files += 1
        self.items += 1
        self.failed += outcome == "failed"
        if self.clock() - self.shown >= self.interval:
            self.show()

    def line(self) -> str:
        seconds = max(self.clock() - self.started, 1e-9)
        files = grouped(self.files)
        if self.total_files is not None:
            files = f"{files}/{grouped(self.total_files)}"
        return _(
            "Dateien %(files)s · %(items)s Meldungen · %(rate)s/s · %(failed)s Fehler"
        ) % {
            "files": files,
            "items": grouped(self.items),
            "rate": grouped(self.items / seconds),
            "failed": grouped(self.failed),
        }

    def show(self) -> None:
        self.shown = self.clock()
        # Back to the start of the line, then clear what is left of it.
        self.write(f"\r{self.line()}\x1b[K")

    def finish(self) -> None:
        self.show()
        self.write("\n")
