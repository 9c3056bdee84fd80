"""IPTC NITF 3.x → AgencyItem.

Identity is `du-key@key` (stable across versions) or `doc-id@id-string`; a
`canceled` document names the killed one in `management-doc-idref`.
Embargo: `management-status="embargoed"` with `date.release@norm`
(YYYYMMDDTHHMMSS±HHMM). Files are often ISO-8859-1 with a DOCTYPE.
"""

import re
from datetime import UTC, datetime
from xml.etree.ElementTree import Element

from django.utils.translation import gettext as _

from articles.importers.items import (
    AgencyItem,
    AgencyPhoto,
    ItemStatus,
    ParseError,
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

FORMAT = "nitf"
COMPACT_TIME = re.compile(
    r"^(\d{4})-?(\d{2})-?(\d{2})T(\d{2}):?(\d{2}):?(\d{2})?(Z|[+-]\d{2}:?\d{2})?$"
)
# A credit the caption carries at its end: "… New Delhi. Foto: Amit Sharma /
# AP / NTB" (NTB), "(Photo: Karben)".
CAPTION_CREDIT = re.compile(
    r"\s*\(?\b(?:fotos?|photos?|bild|kilde)\s*:\s*((?:(?!\.\s)[^()])+?)\)?\s*$",
    re.I,
)


def looks_like_nitf(root: Element) -> bool:
    return local(root.tag) == "nitf"


def nitf_time(value: str) -> tuple[datetime | None, bool]:
    """(aware time, had a zone); NITF allows the compact ISO form."""
    match = COMPACT_TIME.match(value.strip())
    if not match:
        return None, False
    year, month, day, hour, minute, second, zone = match.groups()
    moment = datetime(
        int(year), int(month), int(day), int(hour), int(minute), int(second or 0)
    )
    if not zone:
        return moment, False
    if zone == "Z":
        return moment.replace(tzinfo=UTC), True
    offset = datetime.strptime(zone.replace(":", ""), "%z").tzinfo
    return moment.replace(tzinfo=offset).astimezone(UTC), True


def parse_nitf_root(root: Element) -> AgencyItem:
    head = child(root, "head")
    docdata = child(head, "docdata")
    body = child(root, "body")
    body_head = child(body, "body.head")
    status = attr(docdata, "management-status") or ItemStatus.USABLE
    embargoed = status == "embargoed"
    du_key = child(docdata, "du-key")
    doc_id = child(docdata, "doc-id")
    external_id = attr(du_key, "key") or attr(doc_id, "id-string")
    if status == ItemStatus.CANCELED and attr(docdata, "management-doc-idref"):
        external_id = attr(docdata, "management-doc-idref")
    if not external_id:
        raise ParseError(_("NITF-Dokument ohne „doc-id“ oder „du-key“."))
    release, release_has_zone = nitf_time(attr(child(docdata, "date.release"), "norm"))
    issued, issued_has_zone = nitf_time(attr(child(docdata, "date.issue"), "norm"))
    headline = text_of(child(child(body_head, "hedline"), "hl1")) or text_of(
        child(head, "title")
    )
    content = child(body, "body.content")
    photos = tuple(photos_of(content))  # before body_html() takes them out
    return AgencyItem(
        format=FORMAT,
        external_id=external_id,
        version=version_number(
            attr(du_key, "version") or attr(du_key, "generation") or None
        ),
        version_created=issued if issued_has_zone else None,
        status=status_of("usable" if embargoed else status),
        embargo_until=release if embargoed and release_has_zone else None,
        # An embargo without a usable time stays hidden until an editor acts.
        embargo_time_unknown=embargoed and not release_has_zone,
        correction_note=attr(child(docdata, "correction"), "info"),
        urgency=urgency_of(attr(child(docdata, "urgency"), "ed-urg")),
        language=attr(root, "baselang"),
        headline=headline,
        teaser=text_of(child(body_head, "abstract")),
        body_html=body_html(content),
        byline=text_of(child(body_head, "byline")),
        dateline=dateline_of(child(body_head, "dateline")),
        provider=provider_of(docdata, body_head),
        categories=tuple(
            attr(keyword, "key") for keyword in descendants(docdata, "keyword")
        ),
        photos=photos,
        internal_notes=tuple(
            note for note in (attr(child(docdata, "ed-msg"), "info"),) if note
        ),
    )


def provider_of(docdata: Element | None, body_head: Element | None) -> str:
    """Who sends the item: the registered source, the distributor, the
    rights owner or the copyright holder ("" if the item names none)."""
    distributor = child(body_head, "distributor")
    return (
        attr(child(docdata, "doc-id"), "regsrc")
        or text_of(child(distributor, "org"))
        or text_of(distributor)
        or text_of(child(child(body_head, "rights"), "rights.owner"))
        or attr(child(docdata, "doc.copyright"), "holder")
    )


def dateline_of(dateline: Element | None) -> str:
    """The place of the dateline: its `location`, else its text without the
    `story.date`; a timestamp is no place (EFE sends only one)."""
    if dateline is None:
        return ""
    if location := text_of(child(dateline, "location")):
        return location
    story_date = text_of(child(dateline, "story.date"))
    place = text_of(dateline)
    if story_date:
        place = place.replace(story_date, "")
    place = place.strip(" ,-–\n\t")
    if nitf_time(place)[0] is not None or re.fullmatch(r"[\d\s:.TZ+-]*", place):
        return ""
    return place


def body_html(content: Element | None) -> str:
    if content is None:
        return ""
    # Pictures become photos of the article, not inline markup.
    for media in children(content, "media"):
        content.remove(media)
    return inner_html(content)


def photos_of(content: Element | None):
    for index, media in enumerate(descendants(content, "media")):
        if attr(media, "media-type") not in ("image", "photo", ""):
            continue
        reference = child(media, "media-reference")
        source = attr(reference, "source")
        if not source:
            continue
        caption, credit = caption_and_credit(text_of(child(media, "media-caption")))
        yield AgencyPhoto(
            external_id=source,
            url=source,
            caption=caption,
            # The credit the item states, never just the provider's name; none
            # found: the photo waits for the photo desk (new_photo()).
            credit_line=text_of(child(media, "media-producer")) or credit,
            mimetype=attr(reference, "mime-type"),
            is_lead=index == 0,
        )


def caption_and_credit(caption: str) -> tuple[str, str]:
    """(caption, credit) of a NITF caption that ends with its credit."""
    match = CAPTION_CREDIT.search(caption)
    if not match:
        return caption, ""
    return caption[: match.start()].strip(), match.group(1).strip()
