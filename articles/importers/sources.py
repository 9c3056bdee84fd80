"""Where import files come from: files, directories and http(s) URLs.

Directories are walked lazily with os.scandir, one folder at a time: the
files of a folder in name order, a subfolder's files where its name sorts
(hidden files and folders skipped). Only the names of the folders being
walked are held, never the list of all files, however many there are.
Local files are streamed (see `streams`); a URL is downloaded whole, up to
NEWSROOM_IMPORT_MAX_BYTES, like photo downloads.
"""

import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from articles.importers.fetch import fetch_document

FEED_SUFFIXES = {
    ".json", ".jsonl", ".ndjson", ".xml", ".rss", ".atom", ".nitf", ".txt", "",
}  # fmt: skip


class SourceUnavailable(Exception):
    """The command cannot run at all (exit code 1)."""


@dataclass(frozen=True)
class SourceFile:
    name: str
    base_dir: Path | None
    path: Path | None = None
    url: str = ""

    def open(self) -> BinaryIO:
        """The file's bytes as a stream (FetchError if a URL fails)."""
        if self.url:
            return io.BytesIO(fetch_document(self.url))
        return self.path.open("rb")


def walk_files(folder: Path, suffixes: set[str]) -> Iterator[Path]:
    """Files under `folder` with one of `suffixes`, lazily, in name order per
    folder; hidden files and folders are skipped."""
    # Names and kinds only (the scan knows them without a stat per file):
    # a folder of 100,000 files costs a few megabytes while it is walked.
    with os.scandir(folder) as scan:
        entries = sorted(
            (entry.name, entry.is_dir(follow_symlinks=False))
            for entry in scan
            if not entry.name.startswith(".")
            and (
                entry.is_dir(follow_symlinks=False)
                or (entry.is_file() and Path(entry.name).suffix.lower() in suffixes)
            )
        )
    for name, is_dir in entries:
        if is_dir:
            yield from walk_files(folder / name, suffixes)
        else:
            yield folder / name


def source_files(sources: list[str]) -> Iterator[SourceFile]:
    """Every file named by `sources`; SourceUnavailable for a missing one."""
    for source in sources:
        if urlsplit(source).scheme in ("http", "https"):
            yield SourceFile(name=source, base_dir=None, url=source)
            continue
        path = Path(source)
        if path.is_file():
            yield SourceFile(name=str(path), base_dir=path.parent, path=path)
        elif path.is_dir():
            for child in walk_files(path, FEED_SUFFIXES):
                yield SourceFile(name=str(child), base_dir=child.parent, path=child)
        else:
            raise SourceUnavailable(
                _("„%(source)s“ gibt es nicht (weder Datei noch Ordner noch URL).")
                % {"source": source}
            )
