"""Where import files come from: files, directories (streamed, one file at a
time, in name order) and http(s) URLs (bounded like photo downloads)."""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from articles.importers.fetch import fetch_document
from articles.importers.items import too_large

FEED_SUFFIXES = {".json", ".xml", ".rss", ".atom", ".nitf", ".txt", ""}


class SourceUnavailable(Exception):
    """The command cannot run at all (exit code 1)."""


@dataclass(frozen=True)
class SourceFile:
    name: str
    base_dir: Path | None
    path: Path | None = None
    url: str = ""

    def read(self) -> bytes:
        if self.url:
            return fetch_document(self.url)
        size = self.path.stat().st_size
        if size > settings.NEWSROOM_IMPORT_MAX_BYTES:
            raise too_large()
        return self.path.read_bytes()


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
            for child in sorted(path.rglob("*")):
                hidden = any(part.startswith(".") for part in child.parts)
                if (
                    child.is_file()
                    and not hidden
                    and child.suffix.lower() in FEED_SUFFIXES
                ):
                    yield SourceFile(name=str(child), base_dir=child.parent, path=child)
        else:
            raise SourceUnavailable(
                _("„%(source)s“ gibt es nicht (weder Datei noch Ordner noch URL).")
                % {"source": source}
            )
