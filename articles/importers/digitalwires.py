"""dpa-digitalwires JSON (wireQ entries, s3push files, webhooks) → AgencyItem.

A file holds one entry, a list of entries, or wireQ's {"entries": [...]}.
Field mapping: ../shared/samples/FORMATS.md, sections 2 and 3.
"""

import html
import re

from django.utils.html import format_html, strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.embeds import EmbedRefused, embed_block, recognise
from articles.importers.items import (
    AgencyItem,
    AgencyPhoto,
    ItemVersion,
    ParseError,
    aware_datetime,
    signal_of,
    status_of,
    text,
    urgency_of,
    version_number,
)

FORMAT = "digitalwires"


def looks_like_digitalwires(data) -> bool:
    entries = entries_of(data)
    return bool(entries) and all(
        isinstance(entry, dict)
        and ("urn" in entry)
        and str(entry.get("format", "digitalwires")).startswith("digitalwires")
        for entry in entries
    )


def entries_of(data) -> list:
    if isinstance(data, dict) and isinstance(data.get("entries"), list):
        return data["entries"]
    if isinstance(data, list):
        return data
    return [data]


def version_of(entry) -> ItemVersion:
    """Provider, urn and version of an entry, without reading its text."""
    if not isinstance(entry, dict):
        raise ParseError(_("Ein Eintrag ist kein JSON-Objekt."))
    urn = text(entry.get("urn"))
    if not urn:
        raise ParseError(_("Eintrag ohne „urn“."))
    providers = (
        text(c.get("name"))
        for c in entry.get("categories") or []
        if isinstance(c, dict) and c.get("type") == "dnltype:provider" and c.get("name")
    )
    return ItemVersion(
        provider=next(providers, "dpa"),
        external_id=urn,
        version=version_number(entry.get("version")),
        version_created=aware_datetime(
            entry.get("version_created") or entry.get("updated"), name="version_created"
        ),
    )


def parse_entry(entry) -> AgencyItem:
    provider, urn, version, version_created = version_of(entry)
    categories = [c for c in entry.get("categories") or [] if isinstance(c, dict)]

    def names(kind: str) -> tuple[str, ...]:
        return tuple(
            text(c.get("name"))
            for c in categories
            if c.get("type") == kind and c.get("name")
        )

    ednotes = [n for n in entry.get("ednotes") or [] if isinstance(n, dict)]
    notepad = entry.get("notepad") if isinstance(entry.get("notepad"), dict) else {}
    internal = [
        text(note.get("ednote"))
        for note in ednotes
        if note.get("is_publishable") is False
    ]
    if nonpublic := strip_tags(text(notepad.get("nonpublic_html"))).strip():
        internal.append(nonpublic)
    corrections = [
        text(note.get("ednote"))
        for note in ednotes
        if note.get("role") == "dpaednoterole:correction" and note.get("is_publishable")
    ]
    return AgencyItem(
        format=FORMAT,
        external_id=urn,
        version=version,
        version_created=version_created,
        status=status_of(entry.get("pubstatus")),
        urgency=urgency_of(entry.get("urgency")),
        embargo_until=aware_datetime(entry.get("embargoed"), name="embargoed"),
        signal=signal_of(entry.get("signal")),
        correction_note=" ".join(corrections),
        language=text(entry.get("language")),
        headline=text(entry.get("headline")),
        kicker=text(entry.get("kicker")),
        teaser=text(entry.get("teaser")),
        body_html=translate_dnl_elements(
            text(entry.get("article_html")) + text(entry.get("infobox_html"))
        ),
        byline=text(entry.get("byline")),
        dateline=text(entry.get("dateline")).rstrip(" -–").strip(),
        provider=provider,
        categories=names("dnltype:dpasubject") + names("dnltype:keyword"),
        desks=names("dnltype:desk"),
        genres=names("dnltype:genre"),
        usage_terms=text(entry.get("usageterms")),
        copyright_notice=text(entry.get("copyrightnotice")),
        photos=tuple(
            photo_of(association)
            for association in entry.get("associations") or []
            if isinstance(association, dict) and association.get("type") == "image"
        ),
        internal_notes=tuple(note for note in internal if note),
    )


def photo_of(association: dict) -> AgencyPhoto:
    renditions = [
        r
        for r in association.get("renditions") or []
        if isinstance(r, dict) and r.get("url")
    ]
    largest = max(renditions, key=lambda r: r.get("width") or 0, default={})
    urn = text(association.get("urn"))
    if not urn:
        raise ParseError(_("Bild ohne „urn“."))
    return AgencyPhoto(
        external_id=urn,
        url=text(largest.get("url")),
        caption=text(association.get("caption")),
        credit_line=text(association.get("creditline")),
        mimetype=text(largest.get("mimetype")),
        width=largest.get("width") if isinstance(largest.get("width"), int) else None,
        height=largest.get("height")
        if isinstance(largest.get("height"), int)
        else None,
        is_lead=bool(association.get("is_featureimage")),
    )


DNL_ELEMENT = re.compile(r"<dnl-([a-z]+)\b([^>]*)>(.*?)</dnl-\1>", re.S)
DNL_ATTRIBUTE = re.compile(r'([a-z-]+)="([^"]*)"')
# Embeds become the body's embeds (two-click consent on the page) when their
# address is one of a known provider's (articles/embeds.py); any other stays
# a plain link.
EMBED_LINKS = {
    "youtubeembed": gettext_lazy("Video bei YouTube ansehen"),
    "twitterembed": gettext_lazy("Beitrag auf X ansehen"),
    "wgchart": gettext_lazy("Grafik ansehen"),
    "dwchart": gettext_lazy("Grafik ansehen"),
}


def translate_dnl_elements(body: str) -> str:
    """dpa's custom elements: embeds → embed blocks (or links, if no
    provider is known for the address); inline images → out of the text
    (the picture comes as the article's photo, from `associations`)."""

    def replace(match: re.Match) -> str:
        kind, attributes = match.group(1), dict(DNL_ATTRIBUTE.findall(match.group(2)))
        src = html.unescape(attributes.get("src", ""))
        if kind in EMBED_LINKS and src.startswith(("https://", "http://")):
            try:
                return embed_block(recognise(src))
            except EmbedRefused:
                pass
            return format_html('<p><a href="{}">{}</a></p>', src, EMBED_LINKS[kind])
        return ""

    return DNL_ELEMENT.sub(replace, body)
