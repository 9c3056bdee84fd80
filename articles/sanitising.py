"""Article body HTML: what editors and agencies may use, nothing else; and
plain text without control characters (`clean_text`)."""

import re
from functools import cache

import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "div", "em",
    "figcaption", "figure", "h2", "h3", "h4", "hr", "i", "li", "ol", "p", "q", "s",
    "small", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
    "tr", "u", "ul",
}  # fmt: skip
# Body elements (info box, quote, fact list, embed): an element with
# data-block="KIND" and exactly the data attributes its kind needs
# (`BLOCKS`); articles/public/body_blocks.py renders them for readers.
BLOCKS = {
    "infobox": ("div", frozenset()),
    "factlist": ("div", frozenset()),
    "quote": ("figure", frozenset()),
    # Provider and id as recognised from the address (articles/embeds.py).
    "embed": ("div", frozenset({"data-provider", "data-id", "data-url"})),
    # A photo or gallery in the body (articles/photos/body_uses.py), their
    # values checked in FIGURE_ATTRIBUTE_VALUES.
    "photo": ("figure", frozenset({"data-photo", "data-crop"})),
    "gallery": ("figure", frozenset({"data-gallery"})),
}
BLOCK_ATTRIBUTES = {
    tag: {"data-block"}.union(
        *(attributes for kind_tag, attributes in BLOCKS.values() if kind_tag == tag)
    )
    for tag, _attributes in BLOCKS.values()
}
ALLOWED_ATTRIBUTES = {
    **BLOCK_ATTRIBUTES,
    "a": {"href", "title"},
    "abbr": {"title"},
    # A numbered list that starts at 3 (the body editor keeps it from a paste).
    "ol": {"start"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}


@cache
def body_cleaner() -> nh3.Cleaner:
    # Built once: building the allow-lists costs about as much as cleaning
    # a 3 KB body, and every saved or imported article is cleaned.
    return nh3.Cleaner(
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        strip_comments=True,
        attribute_filter=drop_empty_and_default,
    )


# The values a photo or gallery block's attributes may take; anything else
# is dropped with the attribute.
BODY_PHOTO_CROPS = ("orig", "16x9", "4x3", "1x1")
FIGURE_ATTRIBUTE_VALUES = {
    "data-photo": re.compile("[1-9][0-9]{0,17}"),
    "data-gallery": re.compile("[1-9][0-9]{0,17}"),
    "data-crop": re.compile("|".join(BODY_PHOTO_CROPS)),
}


def drop_empty_and_default(element: str, attribute: str, value: str) -> str | None:
    """Attributes that say nothing go: the body editor's link dialog sends
    an empty title, and its tables and lists their defaults (colspan 1,
    start 1); a block's data attribute goes unless its value is one the
    block may have."""
    if not value.strip():
        return None
    if attribute == "data-block" and BLOCKS.get(value, ("",))[0] != element:
        return None
    if attribute == "data-url" and not value.startswith(("https://", "http://")):
        return None
    if element == "figure" and attribute in FIGURE_ATTRIBUTE_VALUES:
        return value if FIGURE_ATTRIBUTE_VALUES[attribute].fullmatch(value) else None
    if value == "1" and attribute in {"colspan", "rowspan", "start"}:
        return None
    return value


def sanitise_body_html(html: str) -> str:
    """Remove every element, attribute and URL scheme not explicitly allowed,
    and every control character (`clean_text`)."""
    if not html:
        return ""
    # Cleaned first: nh3 cannot even read a lone surrogate.
    cleaned = body_cleaner().clean(clean_text(html)).strip()
    if "data-" in cleaned:
        cleaned = BLOCK_START_TAG.sub(_block_attributes_only, cleaned)
    return cleaned


# A start tag as nh3 writes it: double-quoted values without a raw quote.
BLOCK_START_TAG = re.compile(r'<(div|figure)((?:\s+[\w-]+="[^"]*")*)\s*>')
ATTRIBUTE = re.compile(r'\s+([\w-]+)="([^"]*)"')


def _block_attributes_only(match: re.Match) -> str:
    """Each kind keeps its own data attributes; an element without a kind
    none (nh3 allows attributes per element, not per kind)."""
    tag, attributes = match.group(1), ATTRIBUTE.findall(match.group(2))
    kind = dict(attributes).get("data-block")
    allowed = {"data-block", *BLOCKS[kind][1]} if kind in BLOCKS else set()
    kept = "".join(
        f' {name}="{value}"'
        for name, value in attributes
        if not name.startswith("data-") or name in allowed
    )
    return f"<{tag}{kept}>"


# Characters no stored or shown text may contain: the C0 controls but tab,
# line feed and carriage return; DEL and the C1 controls; surrogates (not
# encodable as UTF-8, so no database takes them) and U+FFFE/U+FFFF (not
# characters at all). XML 1.0 forbids most of them: one in a feed makes
# Django's feed writer raise, one in a sitemap makes it unreadable.
UNWANTED_CHARACTERS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]"
)
# What clean_text() puts in their place: nothing, except where the control
# character separated words or lines (vertical tab and form feed from word
# processors, the information separators, NEL from old mainframe feeds);
# deleting those would glue two words together.
WORD_SEPARATORS = "\x0b\x0c\x1c\x1d\x1e\x1f\x85"
CLEANING_TABLE = {
    code: " " if chr(code) in WORD_SEPARATORS else None
    for code in [*range(0x00, 0x20), *range(0x7F, 0xA0), 0xFFFE, 0xFFFF]
    if chr(code) not in "\t\n\r"
}
# A carriage return is a line break from Windows (CRLF, which browsers send
# for every line of a textarea) or old Macs (CR, common in IPTC captions).
CLEANING_TABLE[ord("\r")] = "\n"
SURROGATES = re.compile("[\ud800-\udfff]")


def clean_text(value: str) -> str:
    """`value` without control characters; every line break a line feed.

    The one cleaning for text from editors, ad operations, photo metadata
    and agencies, and for whatever a page or feed shows.
    """
    if not UNWANTED_CHARACTERS.search(value):
        return value
    value = value.replace("\r\n", "\n").translate(CLEANING_TABLE)
    # Surrogates are too many for the table; they come rarely (JSON escapes).
    return SURROGATES.sub("", value)
