"""XML from agencies: refused with a reason, and read whatever its namespace.

Files are parsed with defusedxml as they stream (`streams.xml_elements`):
entity declarations (billion laughs, external entities) are refused and
nothing is ever fetched; a DOCTYPE alone is allowed because NITF files carry
one. `xml_errors` names what was refused or broken; the other helpers read
the parsed elements.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from xml.etree.ElementTree import Element, tostring
from xml.etree.ElementTree import ParseError as XMLSyntaxError

from defusedxml import DefusedXmlException
from django.utils.translation import gettext as _

from articles.importers.items import ParseError


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
