"""Which format a file is in, from its content (never its name), and its
items one by one: a bad item is reported on its own, the others still come.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from xml.etree.ElementTree import tostring

from django.utils.translation import gettext as _

from articles.importers import digitalwires, feeds, newsml, ninjs, nitf
from articles.importers.items import AgencyItem, ParseError
from articles.importers.safe_json import load_json
from articles.importers.safe_xml import load_xml

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


def parse_file(raw: bytes, *, format: str = "auto") -> tuple[str, list[ParsedItem]]:
    """(format, items) of a file; ParseError if the file as a whole is unusable."""
    start = raw.lstrip()[:1]
    if start in (b"{", b"["):
        data = load_json(raw)
        if format in ("auto", "digitalwires") and digitalwires.looks_like_digitalwires(
            data
        ):
            return "digitalwires", each(
                digitalwires.entries_of(data), digitalwires.parse_entry, json_payload
            )
        if format in ("auto", "ninjs") and ninjs.looks_like_ninjs(data):
            entries = data if isinstance(data, list) else [data]
            return "ninjs", each(entries, ninjs.parse_item, json_payload)
    elif start == b"<":
        root = load_xml(raw)
        if format in ("auto", "newsml") and newsml.looks_like_newsml(root):
            return "newsml", each(
                newsml.news_items(root), newsml.parse_news_item, xml_payload
            )
        if format in ("auto", "nitf") and nitf.looks_like_nitf(root):
            return "nitf", each([root], nitf.parse_nitf_root, xml_payload)
        if format in ("auto", "rss") and feeds.looks_like_feed(root):
            return "rss", each(feeds.entries(root), feeds.parse_entry, xml_payload)
    if format != "auto":
        raise ParseError(
            _("Die Datei ist nicht im Format „%(format)s“.") % {"format": format}
        )
    raise ParseError(_("Unbekanntes Format."))


def each(entries, parse: Callable, payload: Callable) -> list[ParsedItem]:
    parsed = []
    for position, entry in enumerate(entries, start=1):
        text = payload(entry)
        try:
            parsed.append(ParsedItem(position, text, item=parse(entry)))
        except ParseError as error:
            parsed.append(ParsedItem(position, text, error=str(error)))
    return parsed


def json_payload(entry) -> str:
    return json.dumps(entry, ensure_ascii=False, sort_keys=True)


def xml_payload(element) -> str:
    return tostring(element, encoding="unicode")
