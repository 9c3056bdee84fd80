"""IPTC ninjs 1.x, 2.x and 3.x (and Superdesk's dialect) → AgencyItem.

1.x uses `headline`, `body_*`, `description_*` and objects for
`associations`/`renditions`; 2.x uses arrays with roles (`headlines`,
`bodies`, `descriptions`) and `by`; 3.x is 2.x in camelCase. Superdesk
sends `guid` instead of `uri`. Field mapping: ../shared/samples/FORMATS.md.
"""

from django.utils.html import escape, strip_tags
from django.utils.translation import gettext as _

from articles.importers.items import (
    AgencyItem,
    AgencyPhoto,
    ParseError,
    aware_datetime,
    status_of,
    text,
    urgency_of,
    version_number,
)

FORMAT = "ninjs"
PICTURE_TYPES = {"picture", "image", "graphic"}
TEASER_ROLES = ("summary", "teaser", "description", "text", "")


def looks_like_ninjs(data) -> bool:
    items = data if isinstance(data, list) else [data]
    return bool(items) and all(
        isinstance(item, dict)
        and ("uri" in item or "guid" in item)
        and any(
            key in item
            for key in ("headline", "headlines", "body_html", "bodies", "type")
        )
        for item in items
    )


def field(item: dict, *names: str):
    """The first of `names` present: 2.x and 3.x spell the same field apart."""
    for name in names:
        if item.get(name) not in (None, "", [], {}):
            return item[name]
    return None


def with_role(entries, roles, *, exclude=()) -> dict | None:
    entries = [e for e in entries or [] if isinstance(e, dict) and e.get("value")]
    for role in roles:
        for entry in entries:
            if (entry.get("role") or "") == role:
                return entry
    rest = [e for e in entries if (e.get("role") or "") not in exclude]
    return rest[0] if rest else None


def parse_item(item) -> AgencyItem:
    if not isinstance(item, dict):
        raise ParseError(_("Ein Eintrag ist kein JSON-Objekt."))
    uri = text(field(item, "uri", "guid"))
    if not uri:
        raise ParseError(_("Eintrag ohne „uri“."))
    is_picture = text(item.get("type")) in PICTURE_TYPES
    embargo_value = field(item, "embargoed", "embargoedUntil")
    photos = tuple(
        photo_of(association, is_lead=index == 0)
        for index, association in enumerate(associations_of(item))
        if text(association.get("type")) in PICTURE_TYPES
    )
    if is_picture:
        photos = (photo_of(item, is_lead=True),)
    names = [
        text(entry.get("name"))
        for key in ("subjects", "subject")
        for entry in item.get(key) or []
        if isinstance(entry, dict) and entry.get("name")
    ]
    located = field(item, "located")
    return AgencyItem(
        format=FORMAT,
        external_id=uri,
        version=version_number(item.get("version")),
        version_created=aware_datetime(
            field(item, "versioncreated", "versionCreated"), name="versioncreated"
        ),
        status=status_of(field(item, "pubstatus", "pubStatus")),
        urgency=urgency_of(item.get("urgency")),
        embargo_until=aware_datetime(embargo_value, name="embargoed"),
        language=text(item.get("language")),
        headline=headline_of(item),
        teaser="" if is_picture else teaser_of(item),
        body_html="" if is_picture else body_of(item),
        byline=text(field(item, "by", "byline")),
        dateline=text(located) if isinstance(located, str) else "",
        provider=text(field(item, "copyrightholder", "copyrightHolder")),
        categories=tuple(names),
        usage_terms=text(item.get("usageterms") or item.get("usageTerms")),
        copyright_notice=text(field(item, "copyrightnotice", "copyrightNotice")),
        photos=photos,
        # ninjs' edNote is an editorial note to the receiver, not for print.
        internal_notes=tuple(
            note for note in (text(field(item, "ednote", "edNote")),) if note
        ),
    )


def headline_of(item: dict) -> str:
    if headlines := item.get("headlines"):
        main = with_role(headlines, ("main",))
        return text(main.get("value")) if main else ""
    return text(item.get("headline"))


def teaser_of(item: dict) -> str:
    if descriptions := item.get("descriptions"):
        found = with_role(descriptions, TEASER_ROLES, exclude=("caption", "creditline"))
        return strip_tags(text(found.get("value"))) if found else ""
    return text(item.get("description_text")) or strip_tags(
        text(item.get("description_html"))
    )


def body_of(item: dict) -> str:
    if bodies := item.get("bodies"):
        entries = [b for b in bodies if isinstance(b, dict) and b.get("value")]
        html = [
            b
            for b in entries
            if "html" in text(b.get("contenttype") or b.get("contentType"))
        ]
        if html:
            return text(html[0]["value"])
        if entries:
            return paragraphs(text(entries[0]["value"]))
        return ""
    return (
        text(item.get("body_html"))
        or text(item.get("body_xhtml"))
        or paragraphs(text(item.get("body_text")))
    )


def paragraphs(plain: str) -> str:
    return "".join(
        f"<p>{escape(line)}</p>" for line in plain.splitlines() if line.strip()
    )


def associations_of(item: dict) -> list[dict]:
    associations = item.get("associations") or []
    if isinstance(associations, dict):  # ninjs 1.x: keyed by name
        associations = list(associations.values())
    return [a for a in associations if isinstance(a, dict)]


def photo_of(item: dict, *, is_lead: bool) -> AgencyPhoto:
    uri = text(field(item, "uri", "guid"))
    if not uri:
        raise ParseError(_("Bild ohne „uri“."))
    renditions = item.get("renditions") or []
    if isinstance(renditions, dict):  # 1.x
        renditions = list(renditions.values())
    renditions = [r for r in renditions if isinstance(r, dict) and r.get("href")]
    largest = max(renditions, key=lambda r: r.get("width") or 0, default={})
    descriptions = item.get("descriptions") or []
    caption = with_role(descriptions, ("caption",), exclude=("creditline",))
    # The credit is the agency's credit line, never a caption: a
    # description with the role "creditline" (AP), else the photographer
    # `by` (TT, 1.x `byline`), else the copyright holder. No credit found:
    # the photo waits for the photo desk (agency_photos.new_photo).
    credit = next(
        (
            text(entry.get("value"))
            for entry in descriptions
            if isinstance(entry, dict) and entry.get("role") == "creditline"
        ),
        "",
    )
    by = text(field(item, "by", "byline"))
    holder = text(field(item, "copyrightholder", "copyrightHolder"))
    notice = text(field(item, "copyrightnotice", "copyrightNotice"))
    return AgencyPhoto(
        external_id=uri,
        url=text(largest.get("href")),
        caption=(
            strip_tags(text(caption.get("value")))
            if caption
            else text(item.get("description_text"))
        ),
        credit_line=credit or by or holder,
        creator=by,
        usage_terms=text(item.get("usageterms") or item.get("usageTerms"))
        or linked_rights(item),
        copyright_notice=notice or (f"© {holder}" if holder else ""),
        mimetype=text(largest.get("contenttype") or largest.get("mimetype")),
        width=largest.get("width") if isinstance(largest.get("width"), int) else None,
        height=largest.get("height")
        if isinstance(largest.get("height"), int)
        else None,
        is_lead=is_lead,
    )


def linked_rights(item: dict) -> str:
    """ninjs 2.x `rightsinfo.linkedrights`: the address of the terms."""
    rights = field(item, "rightsinfo", "rightsInfo")
    if isinstance(rights, dict):
        return text(field(rights, "linkedrights", "linkedRights"))
    return ""
