"""IPTC NewsML-G2 (news messages and news items, dpa's G2 profile) → AgencyItem.

Text items carry their body as XHTML in `contentSet/inlineXML`; picture
items a `remoteContent` per rendition and the credit in
`contentMeta/creditline`. Packages only point at other items and are
skipped. An empty `<embargoed/>` means "embargoed, time unknown".
"""

from xml.etree.ElementTree import Element

from django.utils.translation import gettext as _

from articles.importers.items import (
    AgencyItem,
    AgencyPhoto,
    ParseError,
    aware_datetime,
    signal_of,
    status_of,
    urgency_of,
    version_number,
)
from articles.importers.safe_xml import (
    attr,
    child,
    children,
    descendants,
    inner_html,
    local,
    text_of,
)

FORMAT = "newsml"
ROOTS = {"newsMessage", "newsItem", "packageItem", "conceptItem", "knowledgeItem"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def looks_like_newsml(root: Element) -> bool:
    return local(root.tag) in ROOTS and "iptc.org/std/nar" in root.tag


def is_news_item(element: Element, parent: Element | None) -> bool:
    return local(element.tag) == "newsItem"


def parse_news_item(item: Element) -> AgencyItem:
    guid = item.get("guid", "").strip()
    if not guid:
        raise ParseError(_("newsItem ohne „guid“."))
    meta = child(item, "itemMeta")
    content = child(item, "contentMeta")
    rights = child(item, "rightsInfo")
    embargo = child(meta, "embargoed")
    signals = [node.get("qcode", "") for node in children(meta, "signal")]
    notes = children(meta, "edNote")
    is_picture = "picture" in attr(child(meta, "itemClass"), "qcode")
    provider = attr(child(meta, "provider"), "qcode")
    desks = tuple(
        subject.get("qcode", "").split(":", 1)[1]
        for subject in children(content, "subject")
        if subject.get("type") == "dpatype:category" and ":" in subject.get("qcode", "")
    )
    categories = tuple(
        text_of(child(subject, "name"))
        for subject in children(content, "subject")
        if subject.get("type") in ("dpatype:dpasubject", "cpnat:abstract")
    ) + tuple(text_of(keyword) for keyword in children(content, "keyword"))
    photo = picture_of(item, content, rights, guid) if is_picture else None
    return AgencyItem(
        format=FORMAT,
        external_id=guid,
        version=version_number(item.get("version")),
        version_created=aware_datetime(
            text_of(child(meta, "versionCreated")), name="versionCreated"
        ),
        status=status_of(attr(child(meta, "pubStatus"), "qcode")),
        urgency=urgency_of(text_of(child(content, "urgency"))),
        embargo_until=aware_datetime(text_of(embargo), name="embargoed")
        if embargo is not None
        else None,
        embargo_time_unknown=embargo is not None and not text_of(embargo),
        signal=next((signal_of(s) for s in signals if signal_of(s)), ""),
        correction_note=" ".join(
            text_of(note)
            for note in notes
            if note.get("role", "").endswith("correction")
        ),
        language=item.get(XML_LANG, "") or attr(child(content, "language"), "tag"),
        headline=headline_of(content),
        teaser=description_of(content, ("drol:teaser", "drol:summary")),
        body_html="" if is_picture else body_of(item),
        byline=text_of(child(content, "by")),
        dateline=text_of(child(content, "dateline")).rstrip(" -–").strip()
        or text_of(child(child(content, "located"), "name")),
        provider=provider.split(":", 1)[-1] if provider else "",
        categories=tuple(name for name in categories if name),
        desks=desks,
        genres=tuple(
            text_of(child(genre, "name"))
            for genre in children(content, "genre")
            if text_of(child(genre, "name"))
        ),
        usage_terms=first_text(children(rights, "usageTerms")),
        copyright_notice=first_text(children(rights, "copyrightNotice")),
        photos=(photo,) if photo else (),
        internal_notes=tuple(
            text_of(note)
            for note in notes
            if not note.get("role", "").endswith("correction") and text_of(note)
        ),
    )


def first_text(elements: list[Element]) -> str:
    """Prefer German, else the first."""
    for element in elements:
        if element.get(XML_LANG, "").startswith("de"):
            return text_of(element)
    return text_of(elements[0]) if elements else ""


def headline_of(content: Element | None) -> str:
    headlines = children(content, "headline")
    ranked = sorted(headlines, key=lambda h: int(h.get("rank", "1") or 1))
    return text_of(ranked[0]) if ranked else ""


def description_of(content: Element | None, roles: tuple[str, ...]) -> str:
    descriptions = children(content, "description")
    for role in roles:
        for description in descriptions:
            if description.get("role") == role:
                return text_of(description)
    return ""


def body_of(item: Element) -> str:
    for inline in descendants(child(item, "contentSet"), "inlineXML"):
        for node in inline.iter():
            if local(node.tag) == "section" and "main" in node.get("class", "").split():
                return inner_html(node)
        body = next((n for n in inline.iter() if local(n.tag) == "body"), None)
        if body is not None:
            return inner_html(body)
    return ""


def picture_of(item, content, rights, guid) -> AgencyPhoto:
    remote = [
        node
        for node in descendants(child(item, "contentSet"), "remoteContent")
        if node.get("href")
    ]
    largest = max(remote, key=lambda node: int(node.get("width") or 0), default=None)
    creator = child(content, "creator")
    return AgencyPhoto(
        external_id=guid,
        url=attr(largest, "href"),
        caption=description_of(content, ("drol:caption", "dpadrol:caption-extended")),
        credit_line=text_of(child(content, "creditline")),
        creator=text_of(child(creator, "name")) if creator is not None else "",
        usage_terms=first_text(children(rights, "usageTerms")),
        copyright_notice=first_text(children(rights, "copyrightNotice")),
        mimetype=attr(largest, "contenttype"),
        width=int(largest.get("width"))
        if largest is not None and largest.get("width", "").isdigit()
        else None,
        height=int(largest.get("height"))
        if largest is not None and largest.get("height", "").isdigit()
        else None,
        is_lead=True,
    )
