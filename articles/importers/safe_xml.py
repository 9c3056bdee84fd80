"""XML from agencies: refused with a reason, and read whatever its namespace.

Files are parsed with defusedxml as they stream (`streams.xml_elements`):
entity declarations (billion laughs, external entities) are refused and
nothing is ever fetched; a DOCTYPE alone is allowed because NITF files carry
one. `xml_errors` names what was refused or broken; `file_encoding` finds
what a file must be decoded from (UTF-16 and UTF-32 with or without a byte
order mark, or what its XML declaration names); the other helpers read the
parsed elements.
"""

import codecs
import re
from collections.abc import Iterator
from contextlib import contextmanager
from xml.etree.ElementTree import Element, tostring
from xml.etree.ElementTree import ParseError as XMLSyntaxError

from defusedxml import DefusedXmlException
from django.utils.translation import gettext as _

from articles.importers.items import ParseError

# Byte order marks, longest first (UTF-32 LE starts like UTF-16 LE). The
# codecs named consume the mark themselves.
BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, None),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# How "<?" (or "<") starts without a mark (XML 1.0, appendix F).
UNMARKED = (
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00?", "utf-16-be"),
    (b"<\x00?\x00", "utf-16-le"),
    (b"Lo\xa7\x94", "cp037"),  # "<?xm" in EBCDIC: the declaration says which
)
# The encoding an XML declaration names (group 3), after what precedes it
# (group 1): read here, replaced by streams.Transcoded.
DECLARED_ENCODING = re.compile(
    r"""^(\s*<\?xml[^>]*?\sencoding\s*=\s*)(["'])([^"']*)\2"""
)
# What expat reads itself; everything else is decoded to UTF-8 first.
NATIVE = {"utf-8", "ascii", "latin-1", "iso8859-1"}
# Known to Python, but no way to write a feed: they turn escapes or
# punycode into text (UTF-7 smuggles markup past filters).
REFUSED = {"utf-7", "unicode-escape", "raw-unicode-escape", "idna", "punycode"}


def file_encoding(head: bytes) -> str | None:
    """The codec a file starting with `head` must be decoded with, or None
    when it is UTF-8 (or something expat reads itself); ParseError naming
    an encoding that is unknown or refused."""
    for mark, encoding in BYTE_ORDER_MARKS:
        if head.startswith(mark):
            return encoding
    for start, encoding in UNMARKED:
        if head.startswith(start):
            if encoding != "cp037":
                return encoding
            declared = declared_encoding(head[:200].decode("cp037"))
            return checked_encoding(declared or "cp037")
    declared = declared_encoding(head[:200].decode("latin-1"))
    if not declared:
        return None
    encoding = checked_encoding(declared)
    # 8-bit bytes that claim UTF-16 or UTF-32: expat names the mismatch.
    if encoding in NATIVE or encoding.startswith(("utf-16", "utf-32")):
        return None
    return encoding


def declared_encoding(start: str) -> str:
    found = DECLARED_ENCODING.match(start)
    return found[3].strip() if found else ""


def checked_encoding(name: str) -> str:
    """Python's name for the encoding `name`, if it is one we read."""
    try:
        info = codecs.lookup(name)
    except LookupError:
        raise ParseError(
            _("Die Zeichenkodierung „%(encoding)s“ ist unbekannt.")
            % {"encoding": name[:40]}
        ) from None
    canonical = info.name.replace("_", "-")
    if canonical in REFUSED or not getattr(info, "_is_text_encoding", True):
        raise ParseError(
            _("Die Zeichenkodierung „%(encoding)s“ wird nicht angenommen.")
            % {"encoding": name[:40]}
        )
    return canonical


@contextmanager
def xml_errors() -> Iterator[None]:
    """Refused or broken XML as a ParseError naming the problem."""
    try:
        yield
    except DefusedXmlException as error:
        raise ParseError(
            _("Unsicheres XML abgelehnt (%(what)s).") % {"what": type(error).__name__}
        ) from None
    except XMLSyntaxError as error:
        raise ParseError(
            _("Kein gültiges XML: %(message)s.") % {"message": error}
        ) from None


def local(tag: str) -> str:
    """ "{namespace}name" → "name"."""
    return tag.rsplit("}", 1)[-1]


def children(element: Element | None, name: str) -> list[Element]:
    if element is None:
        return []
    return [child for child in element if local(child.tag) == name]


def child(element: Element | None, name: str) -> Element | None:
    found = children(element, name)
    return found[0] if found else None


def descendants(element: Element | None, name: str) -> list[Element]:
    if element is None:
        return []
    return [node for node in element.iter() if local(node.tag) == name]


def text_of(element: Element | None) -> str:
    if element is None:
        return ""
    return " ".join("".join(element.itertext()).split())


def inner_html(element: Element) -> str:
    """The element's content as HTML without namespace prefixes."""
    for node in element.iter():
        node.tag = local(node.tag)
        node.attrib = {local(key): value for key, value in node.attrib.items()}
    parts = [element.text or ""]
    parts += [tostring(node, encoding="unicode", method="html") for node in element]
    return "".join(parts).strip()


def attr(element: Element | None, name: str) -> str:
    # Not `element or …`: an element without children is falsy.
    return "" if element is None else element.get(name, "")
