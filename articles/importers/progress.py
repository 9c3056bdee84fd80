"""A progress line for import commands run in a terminal.

One line, rewritten in place a few times a second: files done of the total,
items done, the rate and the failures so far. Commands show it only when
their output is a terminal (cron mails and logs get the summary alone).
"""

import time
from collections.abc import Callable

from django.utils.translation import gettext as _


def terminal_progress(command, *, verbosity: int, count_files: Callable[[], int]):
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
