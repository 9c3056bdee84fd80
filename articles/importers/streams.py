"""Reading a feed file item by item, in bounded memory, however large it is.

A concatenated feed (a JSON array, JSON lines, wireQ's {"entries": [...]},
a NewsML-G2 newsMessage, an RSS or Atom feed) can be hundreds of megabytes:
it is never read whole. What is held at any moment is the item being read
(and the batch of items waiting to be applied), so memory is bounded by
NEWSROOM_IMPORT_MAX_BYTES per item, not by the size of the file.

An item over that limit, NUL bytes, invalid UTF-8, a JSON or XML syntax
error or an XML entity declaration stop the file at that point with a
reason (ParseError): the items before it are imported, and the rest of the
file cannot be read reliably anyway.
"""

import codecs
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO
from xml.etree.ElementTree import Element

from defusedxml.ElementTree import iterparse
from django.utils.translation import gettext as _

from articles.importers.items import ParseError
from articles.importers.safe_xml import DECLARED_ENCODING, xml_errors

CHUNK = 1 << 16
WHITESPACE = re.compile(r"[ \t\n\r]*")
# Digits of the longest whole number read from JSON. Python refuses to
# convert more than 4,300 (a ValueError that once stopped a whole run); no
# agency field needs more than a handful.
MAX_DIGITS = 100


@dataclass(frozen=True)
class Unreadable:
    """An entry read to its end, but unusable: it fails alone, for `reason`.
    `value` is what could be read (format detection may still use it)."""

    reason: str
    value: object = None


class ItemTooLarge(ParseError):
    pass


def item_too_large(limit: int) -> ParseError:
    return ItemTooLarge(
        _(
            "Ein Eintrag ist größer als %(limit)s Bytes (NEWSROOM_IMPORT_MAX_BYTES); "
            "der Rest der Datei wurde nicht gelesen."
        )
        % {"limit": limit}
    )


def outside_items_too_large(limit: int) -> ParseError:
    return ItemTooLarge(
        _(
            "Zwischen den Meldungen stehen mehr als %(limit)s Bytes am Stück "
            "(NEWSROOM_IMPORT_MAX_BYTES); der Rest der Datei wurde nicht gelesen."
        )
        % {"limit": limit}
    )


def nul_bytes() -> ParseError:
    return ParseError(_("Die Datei enthält NUL-Bytes."))


class Prepended:
    """A stream whose first bytes were already read (to detect the format)."""

    def __init__(self, head: bytes, stream: BinaryIO):
        self.head, self.stream = head, stream

    def read(self, size: int = -1) -> bytes:
        if self.head:
            data, self.head = self.head, b""
            return data
        return self.stream.read(size)


class Transcoded:
    """A stream in another encoding, read as UTF-8; its XML declaration, if
    any, then says UTF-8 too (expat believes the declaration)."""

    def __init__(self, stream, encoding: str):
        self.stream, self.encoding = stream, encoding
        self.decoder = codecs.getincrementaldecoder(encoding)()
        self.started = False
        self.bytes_read = 0

    def read(self, size: int = CHUNK) -> bytes:
        text = ""
        while not text:
            chunk = self.stream.read(size)
            try:
                text = self.decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as error:
                raise ParseError(
                    _("Kein gültiges %(encoding)s (Byte %(position)s).")
                    % {
                        "encoding": self.encoding.upper(),
                        "position": self.bytes_read + error.start,
                    }
                ) from None
            self.bytes_read += len(chunk)
            if not chunk:
                break
        if not self.started and text:
            self.started = True
            text = DECLARED_ENCODING.sub(r'\1"UTF-8"', text.lstrip("\ufeff"), 1)
        return text.encode("utf-8")


class JsonValues:
    """Top-level JSON values of a byte stream, one item at a time.

    Arrays yield their elements, {"entries": [...]} its entries, any other
    object itself; several top-level values in a row (JSON lines,
    concatenated objects) each count. Every value comes with its own text,
    kept as the item's raw payload.
    """

    def __init__(self, stream, *, limit: int, chunk: int = CHUNK):
        self.stream, self.limit, self.chunk = stream, limit, chunk
        self.undecoded = b""  # the start of a character split by a read
        # A problem found while reading ahead: raised once the text before
        # it is used up, so the items before it still come.
        self.failure: ParseError | None = None
        self.json = json.JSONDecoder(parse_int=self.whole_number)
        # Numbers too long to read in the value being read.
        self.long_numbers = 0
        self.text = ""
        self.pos = 0
        # Start of what must stay in the buffer (the value being read); the
        # item limit counts from here.
        self.anchor = 0
        self.bytes_read = 0
        self.eof = False

    def __iter__(self) -> Iterator[tuple[object, str]]:
        for value, text in self.values():
            if self.long_numbers:
                value = Unreadable(
                    _("Eine Zahl hat mehr als %(digits)s Stellen.")
                    % {"digits": MAX_DIGITS},
                    value,
                )
            yield value, text

    def whole_number(self, digits: str) -> int | None:
        if len(digits.lstrip("-")) > MAX_DIGITS:
            self.long_numbers += 1
            return None  # the entry fails as a whole (see __iter__)
        return int(digits)

    def values(self) -> Iterator[tuple[object, str]]:
        while char := self.next_char(release=True):
            if char == "[":
                self.pos += 1
                yield from self.array()
            elif char == "{":
                yield from self.object_or_entries()
            else:
                yield self.value()

    def more(self) -> bool:
        """Read more into the buffer; False at the end of the stream."""
        if self.failure:
            raise self.failure
        if self.eof:
            return False
        if self.anchor > self.chunk:
            self.text = self.text[self.anchor :]
            self.pos -= self.anchor
            self.anchor = 0
        held = len(self.text) - self.anchor
        if held > self.limit:
            raise item_too_large(self.limit)
        # Read as much again as the value so far (a large value costs a few
        # reads and re-decodes, not one per chunk), but not past the limit.
        chunk = self.stream.read(max(self.chunk, min(held, self.limit + 1 - held)))
        self.eof = not chunk
        if (nul := chunk.find(b"\x00")) >= 0:
            chunk, self.failure = chunk[:nul], nul_bytes()
        self.text += self.decode(chunk)
        self.bytes_read += len(chunk)
        if len(self.text) - self.anchor > self.limit:
            raise item_too_large(self.limit)
        return True

    def decode(self, chunk: bytes) -> str:
        data = self.undecoded + chunk
        if not self.bytes_read:
            data = data.removeprefix(codecs.BOM_UTF8)
        self.undecoded = b""
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as error:
            split = error.end == len(data) and error.reason == "unexpected end of data"
            if split and not self.eof and not self.failure:
                self.undecoded = data[error.start :]
            elif not self.failure:
                self.failure = ParseError(
                    _("Kein gültiges UTF-8 (Byte %(position)s).")
                    % {"position": self.bytes_read + error.start}
                )
            return data[: error.start].decode("utf-8")

    def next_char(self, *, release: bool = False) -> str:
        """The next character after whitespace ("" at the end). `release`:
        nothing read so far is needed any more (between items)."""
        while True:
            if release:
                self.anchor = self.pos
                self.long_numbers = 0
            self.pos = WHITESPACE.match(self.text, self.pos).end()
            if self.pos < len(self.text):
                return self.text[self.pos]
            if not self.more():
                return ""

    def value(self, *, anchored: bool = True) -> tuple[object, str]:
        """The JSON value at the current position, and its text."""
        if anchored:
            self.anchor = self.pos
        offset = self.pos - self.anchor
        while True:
            start = self.anchor + offset
            try:
                value, end = self.json.raw_decode(self.text, start)
            except json.JSONDecodeError as error:
                # Most likely the value goes on past the buffer; at the end
                # of the stream (or of what an item may hold) it is broken.
                try:
                    if self.more():
                        continue
                except ItemTooLarge:
                    raise ParseError(
                        _(
                            "Kein gültiges JSON (%(message)s) oder ein Eintrag "
                            "größer als %(limit)s Bytes; der Rest der Datei wurde "
                            "nicht gelesen."
                        )
                        % {"message": error.msg, "limit": self.limit}
                    ) from None
                raise ParseError(
                    _("Kein gültiges JSON: %(message)s.") % {"message": error.msg}
                ) from None
            except RecursionError:
                # The C decoder counts its own depth and stops cleanly.
                raise ParseError(_("Die Daten sind zu tief verschachtelt.")) from None
            is_number = isinstance(value, int | float) and not isinstance(value, bool)
            if is_number and end == len(self.text) and self.more():
                continue  # a number may go on ("12" + "34")
            self.pos = end
            return value, self.text[start:end]

    def expect(self, *chars: str) -> str:
        char = self.next_char()
        if char not in chars:
            raise ParseError(
                _("Kein gültiges JSON: „%(expected)s“ erwartet, „%(found)s“ gefunden.")
                % {"expected": " ".join(chars), "found": char or "Dateiende"}
            )
        self.pos += 1
        return char

    def array(self) -> Iterator[tuple[object, str]]:
        if self.next_char() == "]":
            self.pos += 1
            return
        while True:
            self.next_char(release=True)
            yield self.value()
            if self.expect(",", "]") == "]":
                return

    def object_or_entries(self) -> Iterator[tuple[object, str]]:
        """A top-level object: wireQ's {"entries": [...]} streams its entries,
        any other object is one item (read member by member)."""
        self.anchor = self.pos
        self.pos += 1
        members, is_wrapper = {}, False
        if self.next_char() == "}":
            self.pos += 1
            yield {}, "{}"
            return
        while True:
            self.next_char()
            key, _text = self.value(anchored=is_wrapper)
            self.expect(":")
            if key == "entries" and self.next_char() == "[" and not is_wrapper:
                is_wrapper = True
                self.pos += 1
                yield from self.array()
            else:
                self.next_char()
                members[key] = self.value(anchored=is_wrapper)[0]
            if self.expect(",", "}") == "}":
                break
        if not is_wrapper:
            # Nothing released the object's start: the anchor still holds it.
            yield members, self.text[self.anchor : self.pos]


def json_values(
    stream, *, limit: int, chunk: int = CHUNK
) -> Iterator[tuple[object, str]]:
    return iter(JsonValues(stream, limit=limit, chunk=chunk))


class LimitedXml:
    """The byte stream an XML parser reads, checked as it goes: no NUL
    bytes, and no more than `limit` bytes since the last item ended."""

    def __init__(self, stream, *, limit: int):
        self.stream, self.limit = stream, limit
        self.bytes_read = 0
        self.mark = 0
        # Whether the parser is inside an item (for the reason of a refusal:
        # a header or a channel description can be oversized too).
        self.in_item = False
        # NUL bytes found: raised on the next read, once the parser has had
        # the bytes before them (and handed out the items they complete).
        self.failure: ParseError | None = None

    def read(self, size: int = CHUNK) -> bytes:
        if self.failure:
            raise self.failure
        chunk = self.stream.read(size)
        if (nul := chunk.find(b"\x00")) >= 0:
            chunk, self.failure = chunk[:nul] or b" ", nul_bytes()
        self.bytes_read += len(chunk)
        if self.bytes_read - self.mark > self.limit:
            if self.in_item:
                raise item_too_large(self.limit)
            raise outside_items_too_large(self.limit)
        return chunk


def too_deep() -> ParseError:
    return ParseError(
        _(
            "Das XML ist tiefer als %(depth)s Ebenen verschachtelt; der Rest der "
            "Datei wurde nicht gelesen."
        )
        % {"depth": MAX_XML_DEPTH}
    )


def too_many_elements(limit: int) -> Unreadable:
    return Unreadable(
        _(
            "Der Eintrag hat mehr als %(limit)s XML-Elemente "
            "(NEWSROOM_IMPORT_MAX_XML_ELEMENTS)."
        )
        % {"limit": limit}
    )


# Open elements are held by the parser until they close: past this depth a
# file stops (an item nested a thousand deep still fails alone, see
# detect.RawItem.parse).
MAX_XML_DEPTH = 10_000


def xml_elements(
    stream,
    *,
    limit: int,
    choose: Callable[[Element], Callable],
    max_elements: int = 100_000,
) -> Iterator[tuple[Element | Unreadable, int]]:
    """The item elements of an XML stream, each when it is complete, as
    (element, bytes read since the item before).

    `choose(root)` sees the root element first and returns the test for
    "is this element an item?" (called with the element and its parent); it
    raises ParseError for a file in no format it knows. Finished
    elements outside items are dropped from the tree as the parser goes, so
    only the open elements and the current item are held. An item of more
    than `max_elements` elements comes as `Unreadable` (the elements past
    the limit are dropped as they close, so it costs no more memory than
    one at the limit): a few bytes per element take a hundred in memory.
    """
    source = LimitedXml(stream, limit=limit)
    events = iterparse(
        source,
        events=("start", "end"),
        forbid_dtd=False,
        forbid_entities=True,
        forbid_external=True,
    )
    path: list[Element] = []
    open_items = 0
    item_elements = 0  # elements of the item being read
    is_item = None
    with xml_errors():
        for event, element in events:
            if event == "start":
                if not path:
                    is_item = choose(element)
                elif len(path) >= MAX_XML_DEPTH:
                    raise too_deep()
                parent = path[-1] if path else None
                path.append(element)
                if open_items or is_item(element, parent):
                    open_items += 1
                    item_elements += 1
                    source.in_item = True
                continue
            path.pop()
            parent = path[-1] if path else None
            if open_items and is_item(element, parent):
                open_items -= 1
                source.in_item = bool(open_items)
                size, source.mark = source.bytes_read - source.mark, source.bytes_read
                item = element
                if item_elements > max_elements:
                    item = too_many_elements(max_elements)
                item_elements = 0
                yield item, size
            elif open_items:
                open_items -= 1
                source.in_item = bool(open_items)
                if item_elements > max_elements:
                    # The item fails; its parts go. Just closed, this is its
                    # parent's last child (remove() would search them all).
                    del parent[-1]
                continue  # part of an item: it stays with the item
            if parent is not None and not open_items:
                parent.remove(element)
