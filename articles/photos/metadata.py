"""Credit, copyright and caption embedded in an uploaded photo.

A photo can carry the same field up to three times: as XMP, as IPTC IIM
(Photoshop APP13) and as EXIF. Each field is taken from the first of these
sources that has a non-empty value, in the order XMP, IIM, EXIF. XMP wins
because it is the current IPTC standard, is always Unicode and is not cut
to IIM's byte limits; EXIF comes last because it has the fewest fields and
no declared character set.

A source that is missing or broken contributes nothing; reading never fails
because of one bad metadata block.
"""

import re
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any

from PIL import Image, IptcImagePlugin
from PIL.ExifTags import Base

from articles.sanitising import clean_text


@dataclass(frozen=True)
class PhotoMetadata:
    """Metadata fields as plain text; "" when no source carries the field.

    Repeated values (several creators) are joined with ", ".
    """

    creator: str = ""
    credit_line: str = ""
    copyright_notice: str = ""
    source: str = ""
    caption: str = ""
    headline: str = ""
    usage_terms: str = ""
    web_statement: str = ""
    alt_text: str = ""
    instructions: str = ""
    keywords: str = ""


# Pillow's getxmp() drops namespace prefixes, so properties are looked up by
# local name: "Credit" is photoshop:Credit, "rights" is dc:rights.
XMP_PROPERTIES = {
    "creator": "creator",
    "credit_line": "Credit",
    "copyright_notice": "rights",
    "source": "Source",
    "caption": "description",
    "headline": "Headline",
    "usage_terms": "UsageTerms",
    "web_statement": "WebStatement",
    "alt_text": "AltTextAccessibility",
    "instructions": "Instructions",
    "keywords": "subject",
}
IIM_DATASETS = {
    "creator": (2, 80),
    "credit_line": (2, 110),
    "copyright_notice": (2, 116),
    "source": (2, 115),
    "caption": (2, 120),
    "headline": (2, 105),
    "instructions": (2, 40),
    "keywords": (2, 25),
}
EXIF_TAGS = {
    "creator": Base.Artist,
    "copyright_notice": Base.Copyright,
    "caption": Base.ImageDescription,
}

IIM_CODED_CHARACTER_SET = (1, 90)
IIM_UTF8_MARKER = b"\x1b%G"
LIST_SEPARATOR = ", "
PREFERRED_LANGUAGES = ("x-default", "de")

# Fixed-length IIM and EXIF fields are often padded with NULs or spaces.
_EDGE_PADDING = re.compile(r"^[\s\x00]+|[\s\x00]+$")
_C1_CONTROLS = re.compile("[\x80-\x9f]")

type FieldValues = dict[str, str]


def read_photo_metadata(image: Image.Image) -> PhotoMetadata:
    """Return the credit-related metadata embedded in `image`."""
    sources = [
        _read_safely(_read_xmp, image),
        _read_safely(_read_iim, image),
        _read_safely(_read_exif, image),
    ]
    return PhotoMetadata(
        **{
            field.name: _first_non_empty(
                source.get(field.name, "") for source in sources
            )
            for field in fields(PhotoMetadata)
        }
    )


def _read_safely(
    reader: Callable[[Image.Image], FieldValues], image: Image.Image
) -> FieldValues:
    # Uploads come from arbitrary cameras and tools; a malformed block in one
    # source must not cost us the fields the other sources still provide.
    try:
        return reader(image)
    except Exception:
        return {}


def _first_non_empty(values: Iterable[str]) -> str:
    return next((value for value in values if value), "")


def _tidy(text: str) -> str:
    # Control characters first: a NUL inside a value would fail the insert
    # on PostgreSQL, and removing one may leave padding at an edge.
    return _EDGE_PADDING.sub("", clean_text(text))


def _join(texts: Iterable[str]) -> str:
    return LIST_SEPARATOR.join(text for text in map(_tidy, texts) if text)


# --- XMP -----------------------------------------------------------------


def _read_xmp(image: Image.Image) -> FieldValues:
    # getxmp() warns instead of raising when defusedxml is missing; that is a
    # deployment problem, not something every upload should report.
    with warnings.catch_warnings(action="ignore"):
        xmp = image.getxmp()
    descriptions = _xmp_descriptions(xmp)
    return {
        field: _first_non_empty(
            _xmp_text(description.get(name)) for description in descriptions
        )
        for field, name in XMP_PROPERTIES.items()
    }


def _xmp_descriptions(xmp: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    # Some writers omit the x:xmpmeta wrapper and start at rdf:RDF; IPTC's
    # reference files use one rdf:Description per namespace.
    rdf = (xmp.get("xmpmeta") or xmp).get("RDF") or {}
    description = rdf.get("Description") or []
    candidates = description if isinstance(description, list) else [description]
    return [candidate for candidate in candidates if isinstance(candidate, Mapping)]


def _xmp_text(value: Any) -> str:
    """Flatten a simple property, a Lang Alt or a Seq/Bag into one string."""
    if isinstance(value, str):
        return _tidy(value)
    if isinstance(value, list):
        return _join(map(_xmp_text, value))
    if not isinstance(value, Mapping):
        return ""
    if "Alt" in value:
        return _pick_language(_xmp_list_items(value["Alt"]))
    for container in ("Seq", "Bag"):
        if container in value:
            return _join(map(_xmp_item_text, _xmp_list_items(value[container])))
    return _xmp_item_text(value)


def _xmp_list_items(container: Any) -> list[Any]:
    # Pillow returns a single rdf:li as the item itself, several as a list,
    # and an empty container as None or whitespace.
    items = container.get("li") if isinstance(container, Mapping) else None
    if items is None:
        return []
    return items if isinstance(items, list) else [items]


def _xmp_item_text(item: Any) -> str:
    if isinstance(item, str):
        return _tidy(item)
    if isinstance(item, Mapping) and isinstance(item.get("text"), str):
        return _tidy(item["text"])
    return ""


def _xmp_item_language(item: Any) -> str:
    language = item.get("lang", "") if isinstance(item, Mapping) else ""
    return language.lower() if isinstance(language, str) else ""


def _pick_language(items: list[Any]) -> str:
    texts = [(_xmp_item_language(item), _xmp_item_text(item)) for item in items]
    texts = [(language, text) for language, text in texts if text]
    for preferred in PREFERRED_LANGUAGES:
        for language, text in texts:
            if language == preferred or language.startswith(f"{preferred}-"):
                return text
    return texts[0][1] if texts else ""


# --- IPTC IIM ------------------------------------------------------------


def _read_iim(image: Image.Image) -> FieldValues:
    datasets = IptcImagePlugin.getiptcinfo(image) or {}
    declares_utf8 = datasets.get(IIM_CODED_CHARACTER_SET) == IIM_UTF8_MARKER
    return {
        field: _iim_text(datasets.get(key), declares_utf8=declares_utf8)
        for field, key in IIM_DATASETS.items()
    }


def _iim_text(value: bytes | list[bytes] | None, *, declares_utf8: bool) -> str:
    """Decode one IIM dataset; a repeated dataset becomes a joined list."""
    if value is None:
        return ""
    raw_values = value if isinstance(value, list) else [value]
    return _join(
        decode_iim_bytes(raw, declares_utf8=declares_utf8) for raw in raw_values
    )


def decode_iim_bytes(raw: bytes, *, declares_utf8: bool) -> str:
    """Decode IIM text using dataset 1:90, or guess when it is absent.

    Without 1:90 the IIM standard means ISO 646 (ASCII), but real files
    carry UTF-8 or Windows code pages. Strict UTF-8 almost never accepts
    cp1252 text by accident, so it is tried first.
    """
    if declares_utf8:
        return raw.decode("utf-8", errors="replace")
    for encoding in ("utf-8", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    # latin-1 maps every byte, so this last resort cannot fail.
    return raw.decode("latin-1")


# --- EXIF ----------------------------------------------------------------


def _read_exif(image: Image.Image) -> FieldValues:
    exif = image.getexif()
    return {field: _exif_text(exif.get(tag)) for field, tag in EXIF_TAGS.items()}


def _exif_text(value: Any) -> str:
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    if not isinstance(value, str):
        return ""
    # EXIF Copyright may hold "photographer\0editor" and an empty photographer
    # part means only the editor is named, hence the first non-empty part.
    parts = (part.strip() for part in value.split("\x00"))
    return _tidy(_repair_encoding(_first_non_empty(parts)))


def _repair_encoding(text: str) -> str:
    # Pillow decodes EXIF ASCII as latin-1, but most tools write UTF-8 there;
    # if the bytes form valid UTF-8 that is almost certainly what was meant.
    # Windows tools write cp1252, whose „“…€ latin-1 turns into C1 control
    # characters (which clean_text would then drop).
    try:
        raw = text.encode("latin-1")
    except UnicodeEncodeError:
        return text
    encodings = ["utf-8"]
    if _C1_CONTROLS.search(text):
        encodings.append("cp1252")
    for encoding in encodings:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return text
