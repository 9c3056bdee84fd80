"""Article body HTML: what editors and agencies may use, nothing else; and
plain text without control characters (`clean_text`)."""

import re
from functools import cache

import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "em", "figcaption",
    "figure", "h2", "h3", "h4", "hr", "i", "li", "ol", "p", "q", "s", "small", "strong",
    "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    # A photo or gallery in the body (articles/photos/body_uses.py).
    "figure": {"data-block", "data-photo", "data-crop", "data-gallery"},
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
    "data-block": re.compile("photo|gallery"),
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
    return body_cleaner().clean(clean_text(html)).strip()


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
