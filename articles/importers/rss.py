"""RSS 2.0 and Atom 1.0 (the web fallback) → AgencyItem.

Feeds carry no status, embargo or version: every item is usable and
unversioned; its update time orders versions (FORMATS.md, "RSS/Atom").
"""

from email.utils import parsedate_to_datetime
from xml.etree.ElementTree import Element

from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from articles.importers.items import (
    AgencyItem,
    AgencyPhoto,
    ParseError,
    aware_datetime,
    text,
)
from articles.importers.safe_xml import attr, child, children, local, text_of

FORMAT = "rss"
ATOM = "http://www.w3.org/2005/Atom"
CONTENT_ENCODED = "{http://purl.org/rss/1.0/modules/content/}encoded"
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
MEDIA = "http://search.yahoo.com/mrss/"


def looks_like_feed(root: Element) -> bool:
    return local(root.tag) == "rss" or root.tag == f"{{{ATOM}}}feed"


def is_entry(element: Element, parent: Element | None) -> bool:
    """An RSS channel's item or an Atom feed's entry (for streaming)."""
    if parent is None:
        return False
    if local(element.tag) == "item":
        return local(parent.tag) == "channel"
    return element.tag == f"{{{ATOM}}}entry" and parent.tag == f"{{{ATOM}}}feed"


def parse_entry(entry: Element) -> AgencyItem:
    if local(entry.tag) == "item":
        return rss_item(entry)
    return atom_entry(entry)


def rss_time(value: str):
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        raise ParseError(
            _("pubDate „%(value)s“ ist keine gültige Zeit.") % {"value": value[:40]}
        ) from None
    if moment.tzinfo is None:
        raise ParseError(
            _("pubDate „%(value)s“ hat keine Zeitzone.") % {"value": value}
        )
    return moment


def rss_item(item: Element) -> AgencyItem:
    guid = text_of(child(item, "guid")) or text_of(child(item, "link"))
    if not guid:
        raise ParseError(_("RSS-Eintrag ohne „guid“ und „link“."))
    body = item.find(CONTENT_ENCODED)
    creator = item.find(DC_CREATOR)
    return AgencyItem(
        format=FORMAT,
        external_id=guid,
        version_created=rss_time(text_of(child(item, "pubDate"))),
        headline=text_of(child(item, "title")),
        teaser=strip_tags(text(child(item, "description").text))
        if child(item, "description") is not None
        else "",
        body_html=text(body.text) if body is not None else "",
        byline=text_of(creator) or text_of(child(item, "author")),
        categories=tuple(text_of(c) for c in children(item, "category") if text_of(c)),
        photos=tuple(media_photos(item)),
    )


def atom_entry(entry: Element) -> AgencyItem:
    entry_id = text_of(child(entry, "id"))
    if not entry_id:
        raise ParseError(_("Atom-Eintrag ohne „id“."))
    content = child(entry, "content")
    summary = child(entry, "summary")
    return AgencyItem(
        format=FORMAT,
        external_id=entry_id,
        version_created=aware_datetime(
            text_of(child(entry, "updated")) or text_of(child(entry, "published")),
            name="updated",
        ),
        headline=text_of(child(entry, "title")),
        teaser=strip_tags(text(summary.text)) if summary is not None else "",
        body_html=text(content.text) if content is not None else "",
        byline=", ".join(
            text_of(child(author, "name")) for author in children(entry, "author")
        ),
        categories=tuple(
            attr(category, "term") for category in children(entry, "category")
        ),
        photos=tuple(
            AgencyPhoto(
                external_id=attr(link, "href"),
                url=attr(link, "href"),
                mimetype=attr(link, "type"),
                is_lead=index == 0,
            )
            for index, link in enumerate(children(entry, "link"))
            if attr(link, "rel") == "enclosure"
            and attr(link, "type").startswith("image/")
        ),
    )


def media_photos(item: Element):
    found = [
        node
        for node in item
        if (node.tag == f"{{{MEDIA}}}content" and attr(node, "medium") in ("image", ""))
        or (local(node.tag) == "enclosure" and attr(node, "type").startswith("image/"))
    ]
    for index, node in enumerate(found):
        url = attr(node, "url")
        if not url:
            continue
        yield AgencyPhoto(
            external_id=url,
            url=url,
            caption=text_of(node.find(f"{{{MEDIA}}}description")),
            credit_line=text_of(node.find(f"{{{MEDIA}}}credit"))
            or text_of(item.find(f"{{{MEDIA}}}credit")),
            mimetype=attr(node, "type"),
            is_lead=index == 0,
        )
