"""What every parser produces, whatever the wire format: AgencyItem."""

import dataclasses
import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import NamedTuple

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from articles.sanitising import UNWANTED_CHARACTERS, clean_text


class ParseError(ValueError):
    """An item (or a whole file) that cannot be read; the message says why."""


class ItemStatus:
    USABLE = "usable"
    WITHHELD = "withheld"
    CANCELED = "canceled"
    ALL = (USABLE, WITHHELD, CANCELED)


class Signal:
    NONE = ""
    UPDATE = "update"
    CORRECTION = "correction"
    REPEAT = "repeat"


def identity(external_id: str) -> str:
    """Ids as stored: very long ones (feed URLs) become a stable hash."""
    if len(external_id) <= 255:
        return external_id
    return "sha256:" + hashlib.sha256(external_id.encode()).hexdigest()


class ItemVersion(NamedTuple):
    """Who sent which version of which story: enough to tell a re-send."""

    provider: str
    external_id: str
    version: int
    version_created: datetime | None


@dataclass(frozen=True)
class AgencyPhoto:
    external_id: str
    url: str = ""
    caption: str = ""
    credit_line: str = ""
    creator: str = ""
    usage_terms: str = ""
    copyright_notice: str = ""
    mimetype: str = ""
    width: int | None = None
    height: int | None = None
    is_lead: bool = False


@dataclass(frozen=True)
class AgencyItem:
    """One version of one agency story, as plain values."""

    format: str
    external_id: str
    version: int = 0
    version_created: datetime | None = None
    status: str = ItemStatus.USABLE
    embargo_until: datetime | None = None
    # The feed says "embargoed" without a time: keep hidden, ask an editor.
    embargo_time_unknown: bool = False
    signal: str = Signal.NONE
    correction_note: str = ""
    language: str = ""
    headline: str = ""
    kicker: str = ""
    teaser: str = ""
    body_html: str = ""
    byline: str = ""
    dateline: str = ""
    provider: str = ""
    categories: tuple[str, ...] = ()
    desks: tuple[str, ...] = ()
    # dpa sends notices to editors ("Achtung", "Hinweis") as genres.
    genres: tuple[str, ...] = ()
    # 1 = Blitz, 2 = Eil … (dpa; IPTC's scale, 1 most urgent); None: not given.
    urgency: int | None = None
    usage_terms: str = ""
    copyright_notice: str = ""
    photos: tuple[AgencyPhoto, ...] = ()
    # Notes the agency marks as not for publication: for editors only.
    internal_notes: tuple[str, ...] = field(default=(), repr=False)

    @property
    def version_key(self) -> tuple[int, datetime]:
        """Newer versions sort higher: version number, then version time."""
        return (self.version, self.version_created or datetime.min.replace(tzinfo=UTC))

    @property
    def is_photo_only(self) -> bool:
        return not self.body_html and len(self.photos) == 1

    def as_fields(self) -> dict:
        """dataclasses.asdict() without its deep copies: the values are
        immutable already (an import calls this for every item)."""
        fields = dict(self.__dict__)
        fields["photos"] = tuple(dict(photo.__dict__) for photo in self.photos)
        return fields


def has_control_characters(*values: str) -> bool:
    return any(UNWANTED_CHARACTERS.search(value) for value in values if value)


def cleaned_item(item: AgencyItem) -> AgencyItem:
    """`item` with every text without control characters (`clean_text`), so
    every database stores the same; ParseError for an id that holds one
    (an identity is refused, never changed)."""
    ids = [item.external_id, *(photo.external_id for photo in item.photos)]
    for value in ids:
        if has_control_characters(value):
            raise ParseError(
                _("Die Kennung „%(id)s“ enthält Steuerzeichen.")
                % {"id": clean_text(value)[:80]}
            )
    return dataclasses.replace(
        item,
        **_cleaned_texts(item, exclude={"external_id"}),
        photos=tuple(
            dataclasses.replace(photo, **_cleaned_texts(photo, exclude={"external_id"}))
            for photo in item.photos
        ),
    )


def _cleaned_texts(instance, *, exclude: set[str]) -> dict:
    changed = {}
    for name, value in instance.__dict__.items():
        if name in exclude:
            continue
        if isinstance(value, str):
            cleaned = clean_text(value)
        elif isinstance(value, tuple) and all(isinstance(v, str) for v in value):
            cleaned = tuple(clean_text(v) for v in value)
        else:
            continue
        if cleaned != value:
            changed[name] = cleaned
    return changed


# What a PositiveIntegerField holds on every database.
MAX_VERSION = 2_147_483_647


def version_number(value) -> int:
    """Agencies send versions as int (digitalwires, G2) or string (ninjs)."""
    if value is None or value == "":
        return 0
    number = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif not isinstance(value, bool):
        text = str(value).strip()
        # Some send "1.2": the major part counts, the rest breaks ties.
        head = text.split(".", 1)[0]
        # Length first: int() refuses thousands of digits with a ValueError.
        if head.isdigit() and len(head) <= 10:
            number = int(head)
    if number is None or not 0 <= number <= MAX_VERSION:
        raise ParseError(
            _("Version „%(value)s“ ist keine Zahl.") % {"value": str(value)[:40]}
        )
    return number


def aware_datetime(value, *, name: str) -> datetime | None:
    """An ISO 8601 time with offset; naive times are refused (ambiguous)."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ParseError(_("%(name)s ist keine Zeitangabe.") % {"name": name})
    try:
        moment = parse_datetime(value.strip().replace("Z", "+00:00"))
        utc = moment.astimezone(UTC) if moment and moment.tzinfo else None
    except (ValueError, OverflowError):  # year 1 at +01:00 lies before year 1
        moment = None
    if moment is None:
        raise ParseError(
            _("%(name)s „%(value)s“ ist keine gültige Zeit.")
            % {"name": name, "value": value[:40]}
        )
    if moment.tzinfo is None:
        raise ParseError(
            _("%(name)s „%(value)s“ hat keine Zeitzone.")
            % {"name": name, "value": value[:40]}
        )
    return utc


def urgency_of(value) -> int | None:
    """An urgency as the feeds write it (3, "3"), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    value = str(value or "").strip()
    # One or two digits in practice; a 5,000-digit "urgency" is no number
    # to keep (and int() would refuse it).
    return int(value) if value.isdigit() and len(value) <= 3 else None


BREAKING_URGENCIES = (1, 2)


def text(value) -> str:
    """A plain string field: None and non-strings become "" or their text."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float):
        return str(value)
    raise ParseError(_("Ein Textfeld enthält eine Struktur statt Text."))


def status_of(value) -> str:
    status = text(value).removeprefix("stat:").lower() or ItemStatus.USABLE
    if status not in ItemStatus.ALL:
        raise ParseError(_("Unbekannter Status „%(status)s“.") % {"status": status})
    return status


def signal_of(value) -> str:
    signal = text(value).removeprefix("sig:").lower()
    return {
        "update": Signal.UPDATE,
        "correction": Signal.CORRECTION,
        "repeat": Signal.REPEAT,
    }.get(signal, Signal.NONE)
