"""Reading a file's bytes as an import does, for tests of what the parsers
make of it (the import streams files through `detect.read_items`)."""

import io

from articles.importers.detect import ParsedItem, read_items
from articles.importers.items import AgencyItem, ParseError


def read_file(raw: bytes, *, format: str = "auto") -> tuple[str, list[ParsedItem]]:
    detected, raw_items = read_items(io.BytesIO(raw), format=format)
    return detected, [raw_item.parse() for raw_item in raw_items]


def agency_items(raw: bytes, *, format: str = "auto") -> list[AgencyItem]:
    """The file's items; ParseError with the reason of the first that fails."""
    _format, parsed = read_file(raw, format=format)
    for item in parsed:
        if item.error:
            raise ParseError(item.error)
    return [item.item for item in parsed]
