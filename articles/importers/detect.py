"""Which format a file is in, from its content (never its name), and its
items one by one: a bad item is reported on its own, the others still come.

Files are streamed (see `streams`): `read_items` hands out raw items as the
file is read, and each is parsed only when it is needed, so a re-sent item
whose version is already stored need not be parsed at all.
"""

import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import chain
from typing import BinaryIO
from xml.etree.ElementTree import Element, tostring

from django.conf import settings
from django.utils.translation import gettext as _

from articles.importers import digitalwires, newsml, ninjs, nitf
from articles.importers import rss as feeds
from articles.importers.items import (
    AgencyItem,
    ItemVersion,
    ParseError,
    cleaned_item,
    has_control_characters,
)
from articles.importers.safe_xml import file_encoding
from articles.importers.streams import (
    CHUNK,
    Prepended,
    Transcoded,
    Unreadable,
    json_values,
    xml_elements,
)

logger = logging.getLogger(__name__)

FORMATS = ("digitalwires", "ninjs", "newsml", "nitf", "rss")


@dataclass(frozen=True)
class ParsedItem:
    """One item of a file: parsed, or the reason it could not be."""

    position: int
    payload: str  # this item's own text, kept with every stored version
    item: AgencyItem | None = None
    error: str = ""

    @property
    def reference(self) -> str:
        return self.item.external_id if self.item else f"#{self.position}"


def json_payload(entry) -> str:
    return json.dumps(entry, ensure_ascii=False, sort_keys=True)


def xml_payload(element) -> str:
    return tostring(element, encoding="unicode")


@dataclass(frozen=True)
class Reader:
    """How one format's entries become items."""

    format: str
    parse: Callable[[object], AgencyItem]
    payload: Callable[[object], str]
    # Provider, id and version of an entry without parsing all of it, where
    # the format allows (a re-run then skips stored versions cheaply).
    peek: Callable[[object], ItemVersion] | None = None
    # Streaming XML: is this element (with this parent) one item?
    is_item: Callable[[Element, Element | None], bool] | None = None


DIGITALWIRES = Reader(
    "digitalwires",
    digitalwires.parse_entry,
    json_payload,
    peek=digitalwires.version_of,
)
NINJS = Reader("ninjs", ninjs.parse_item, json_payload)
NEWSML = Reader(
    "newsml", newsml.parse_news_item, xml_payload, is_item=newsml.is_news_item
)
NITF = Reader(
    "nitf",
    nitf.parse_nitf_root,
    xml_payload,
    is_item=lambda element, parent: parent is None,  # the document is the item
)
RSS = Reader("rss", feeds.parse_entry, xml_payload, is_item=feeds.is_entry)


@dataclass(frozen=True)
class RawItem:
    """One entry of a file as read, not parsed yet."""

    position: int
    entry: object
    reader: Reader
    text: str = ""  # the entry's own text, where the reader kept it
    size: int = 0  # about as many bytes as it took in the file

    def peek(self) -> ItemVersion | None:
        if self.reader.peek is None or isinstance(self.entry, Unreadable):
            return None
        try:
            version = self.reader.peek(self.entry)
        except Exception:  # parse() names the problem
            return None
        if has_control_characters(version.provider, version.external_id):
            return None  # parse() refuses the item
        return version

    def parse(self) -> ParsedItem:
        """The item, or why it cannot be read: whatever goes wrong with one
        entry (a parser bug too) fails that entry alone."""
        payload = self.text
        try:
            if isinstance(self.entry, Unreadable):
                raise ParseError(self.entry.reason)
            payload = payload or self.reader.payload(self.entry)
            item = cleaned_item(self.reader.parse(self.entry))
        except ParseError as error:
            return ParsedItem(self.position, payload, error=str(error))
        except RecursionError:
            return ParsedItem(
                self.position,
                payload,
                error=_("Der Eintrag ist zu tief verschachtelt."),
            )
        except Exception as error:
            logger.exception("%s entry #%s", self.reader.format, self.position)
            return ParsedItem(
                self.position,
                payload,
                error=_("Der Eintrag ließ sich nicht lesen (%(error)s).")
                % {"error": f"{type(error).__name__}: {str(error)[:200]}"},
            )
        return ParsedItem(self.position, payload, item=item)


def read_items(stream: BinaryIO, *, format: str = "auto") -> tuple[str, Iterator]:
    """(format, raw items) of a stream; ParseError if the file is unusable.

    UTF-16 and UTF-32 (with a byte order mark, or recognised by how the XML
    declaration starts) and encodings an XML declaration names are decoded
    to UTF-8 as the file is read; an encoding that is unknown or refused
    fails the file, naming it.

    The items come as the stream is read; a problem later in the file
    (an item over the size limit, broken syntax) raises ParseError then.
    """
    head = stream.read(CHUNK)
    if encoding := file_encoding(head):
        stream = Transcoded(Prepended(head, stream), encoding)
        head = stream.read(CHUNK)
    start = head.removeprefix(b"\xef\xbb\xbf").lstrip()[:1]
    stream = Prepended(head, stream)
    limit = settings.NEWSROOM_IMPORT_MAX_BYTES
    if start in (b"{", b"["):
        return read_json(stream, format=format, limit=limit)
    if start == b"<":
        return read_xml(stream, format=format, limit=limit)
    raise unknown_format(format)


def read_json(stream, *, format: str, limit: int) -> tuple[str, Iterator]:
    values = json_values(stream, limit=limit)
    first = next(values, None)
    if first is None:
        # An empty array or {"entries": []}: a queue with nothing new.
        return format, iter(())
    # The first entry tells the format; an entry further on that does not
    # fit fails on its own.
    entry = first[0]
    if isinstance(entry, Unreadable):
        entry = entry.value
    if format in ("auto", "digitalwires") and digitalwires.looks_like_digitalwires(
        entry
    ):
        reader = DIGITALWIRES
    elif format in ("auto", "ninjs") and ninjs.looks_like_ninjs(entry):
        reader = NINJS
    else:
        raise unknown_format(format)
    return reader.format, raw_items(chain([first], values), reader)


def raw_items(values, reader: Reader) -> Iterator[RawItem]:
    for position, (entry, text) in enumerate(values, start=1):
        yield RawItem(position, entry, reader, text, size=len(text))


def read_xml(stream, *, format: str, limit: int) -> tuple[str, Iterator]:
    chosen = []

    def choose(root: Element):
        for reader, looks_like in (
            (NEWSML, newsml.looks_like_newsml),
            (NITF, nitf.looks_like_nitf),
            (RSS, feeds.looks_like_feed),
        ):
            if format in ("auto", reader.format) and looks_like(root):
                chosen.append(reader)
                return reader.is_item
        raise unknown_format(format)

    elements = xml_elements(
        stream,
        limit=limit,
        choose=choose,
        max_elements=settings.NEWSROOM_IMPORT_MAX_XML_ELEMENTS,
    )
    first = next(elements, None)
    if not chosen:
        raise unknown_format(format)
    reader = chosen[0]
    found = elements if first is None else chain([first], elements)
    return reader.format, (
        RawItem(position, element, reader, size=size)
        for position, (element, size) in enumerate(found, start=1)
    )


def unknown_format(format: str) -> ParseError:
    if format != "auto":
        return ParseError(
            _("Die Datei ist nicht im Format „%(format)s“.") % {"format": format}
        )
    return ParseError(_("Unbekanntes Format."))
