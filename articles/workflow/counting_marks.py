"""VG Wort counting marks: reading the CSV VG Wort issues, handing one mark
to each eligible text on its first publication, and the yearly report.

Eligible is an article of our own (no agency copy: agencies report their
authors' texts themselves) whose teaser and body together reach METIS's
threshold (NEWSROOM_VG_WORT_MIN_CHARS, 1,800 characters). The mark is given
when the article is first published and kept for ever: METIS counts under
it, so it is never handed to another text, not even after a withdrawal.
"""

import csv
import io
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from html import unescape

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from articles.models import Article, CountingMark
from articles.purging import purge_pages_on_commit

logger = logging.getLogger(__name__)

# Both identifiers are 32 hexadecimal digits.
IDENTIFIER = re.compile(r"[0-9a-f]{32}")
# The pixel as METIS writes it into the CSV's "Zählmarke für HTML Texte":
# <img src="https://vg08.met.vgwort.de/na/<public id>" width="1" ...>
PIXEL_URL = re.compile(
    r"https?://(?P<host>[a-z0-9.-]+\.met\.vgwort\.de)/na/(?P<public_id>[0-9a-f]{32})",
    re.IGNORECASE,
)
# The CSV stays small (a batch is a few thousand marks); a bigger upload is
# not a mark list.
MAX_CSV_BYTES = 10 * 1024 * 1024


def text_length(article: Article) -> int:
    """Characters METIS counts: teaser and body as readers see them."""
    text = unescape(strip_tags(f"{article.teaser} {article.body}"))
    return len(" ".join(text.split()))


def is_eligible(article: Article) -> bool:
    return (
        bool(settings.NEWSROOM_VG_WORT_HOST)
        and article.agency_id is None
        and text_length(article) >= settings.NEWSROOM_VG_WORT_MIN_CHARS
    )


def assign_counting_mark(article: Article, *, now: datetime | None = None):
    """Give `article` the oldest free mark if it is eligible and has none.

    Runs inside the publishing transaction; the free mark's row is locked
    (skipping rows another publication holds), so two articles published at
    once never get the same mark. Without a free mark the article is
    published all the same, and a warning says marks must be ordered.
    """
    if not is_eligible(article):
        return None
    if existing := CountingMark.objects.filter(article=article).first():
        return existing
    mark = (
        CountingMark.objects.free()
        .filter(host=settings.NEWSROOM_VG_WORT_HOST)
        .order_by("id")
        .select_for_update(skip_locked=True)
        .first()
    )
    if mark is None:
        logger.warning(
            "No free VG Wort counting mark for article %s: import new marks "
            "(manage.py import_counting_marks).",
            article.pk,
        )
        return None
    mark.article, mark.assigned_at = article, now or timezone.now()
    mark.save(update_fields=["article", "assigned_at"])
    purge_pages_on_commit()
    return mark


def assign_missing(*, since: datetime, now: datetime | None = None) -> int:
    """Marks for published articles first published since `since` that have
    none (published while no mark was free). Returns how many got one."""
    candidates = (
        Article.objects.filter(
            status=Article.Status.PUBLISHED,
            agency__isnull=True,
            first_published_at__gte=since,
            counting_mark__isnull=True,
        )
        .order_by("first_published_at", "id")
        .only("id", "teaser", "body", "agency_id")
    )
    given = 0
    for article in candidates.iterator(chunk_size=500):
        if not is_eligible(article):
            continue
        with transaction.atomic():
            if assign_counting_mark(article, now=now) is None:
                break
        given += 1
    return given


@dataclass
class MarkImport:
    """What one CSV brought: new marks, marks known already, bad rows."""

    created: int = 0
    known: int = 0
    failures: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class MarkRow:
    line: int
    public_id: str
    private_id: str
    host: str


def read_csv(data: bytes) -> Iterator[MarkRow | str]:
    """The marks of a METIS CSV, or for a bad row a German message naming
    its line.

    METIS exports differ by year: ';' or ',' separated, UTF-8 (with or
    without BOM) or Windows-1252, columns "Öffentlicher
    Identifikationscode" and "Privater Identifikationscode", and often
    "Zählmarke für HTML Texte" with the whole pixel tag, which names the
    counting server. Without that column the server is the configured one.
    """
    if len(data) > MAX_CSV_BYTES:
        yield _(
            "Die Datei ist größer als %(mb)s MB; das ist keine Zählmarken-Liste."
        ) % {"mb": MAX_CSV_BYTES // (1024 * 1024)}
        return
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    lines = text.splitlines()
    header_at = next(
        (
            number
            for number, line in enumerate(lines)
            if "öffentlich" in line.lower() and "privat" in line.lower()
        ),
        None,
    )
    if header_at is None:
        yield _(
            "Keine Kopfzeile mit „Öffentlicher Identifikationscode“ und "
            "„Privater Identifikationscode“ gefunden: Ist das die CSV-Datei "
            "der VG Wort?"
        )
        return
    delimiter = (
        ";" if lines[header_at].count(";") >= lines[header_at].count(",") else ","
    )
    rows = csv.reader(io.StringIO("\n".join(lines[header_at:])), delimiter=delimiter)
    header = [name.strip().lower() for name in next(rows)]
    public_column = _column(header, "öffentlich")
    private_column = _column(header, "privat")
    pixel_column = _column(header, "html")
    for line, row in enumerate(rows, start=header_at + 2):
        if not any(cell.strip() for cell in row):
            continue
        yield _mark_row(line, row, public_column, private_column, pixel_column)


def _column(header: list[str], word: str) -> int | None:
    return next((i for i, name in enumerate(header) if word in name), None)


def _cell(row: list[str], column: int | None) -> str:
    if column is None or column >= len(row):
        return ""
    return row[column].strip()


def _mark_row(line, row, public_column, private_column, pixel_column):
    public_id = _cell(row, public_column).lower()
    private_id = _cell(row, private_column).lower()
    host = settings.NEWSROOM_VG_WORT_HOST
    if pixel := PIXEL_URL.search(_cell(row, pixel_column)):
        host = pixel["host"].lower()
        public_id = public_id or pixel["public_id"].lower()
        if pixel["public_id"].lower() != public_id:
            return _(
                "Zeile %(line)s: Die Zählmarke im HTML-Code passt nicht zum "
                "öffentlichen Identifikationscode."
            ) % {"line": line}
    for name, value in (
        (_("öffentlicher Identifikationscode"), public_id),
        (_("privater Identifikationscode"), private_id),
    ):
        if not IDENTIFIER.fullmatch(value):
            return _(
                "Zeile %(line)s: %(name)s „%(value)s“ ist keine 32-stellige "
                "Hexadezimalzahl."
            ) % {"line": line, "name": name, "value": value[:40]}
    if host != settings.NEWSROOM_VG_WORT_HOST:
        return _(
            "Zeile %(line)s: Die Zählmarke gehört zum Zählserver %(host)s, "
            "eingestellt ist %(configured)s (NEWSROOM_VG_WORT_HOST)."
        ) % {"line": line, "host": host, "configured": settings.NEWSROOM_VG_WORT_HOST}
    return MarkRow(line, public_id, private_id, host)


def import_marks(data: bytes) -> MarkImport:
    """Store the CSV's marks; a mark known already (by either identifier)
    stays as it is, so importing the same file twice changes nothing and an
    assigned mark is never reset."""
    result = MarkImport()
    if not settings.NEWSROOM_VG_WORT_HOST:
        result.failures.append(
            _(
                "NEWSROOM_VG_WORT_HOST ist nicht gesetzt: Ohne den Zählserver "
                "des Verlagskontos werden keine Zählmarken eingelesen."
            )
        )
        return result
    for item in read_csv(data):
        if isinstance(item, str):
            result.failures.append(item)
            continue
        _store(item, result)
    return result


def _store(row: MarkRow, result: MarkImport) -> None:
    known = CountingMark.objects.filter(public_id=row.public_id).first()
    if known is not None:
        if known.private_id != row.private_id:
            result.failures.append(
                _(
                    "Zeile %(line)s: Die Zählmarke %(public)s ist schon mit "
                    "einem anderen privaten Identifikationscode gespeichert."
                )
                % {"line": row.line, "public": row.public_id}
            )
        else:
            result.known += 1
        return
    try:
        with transaction.atomic():
            CountingMark.objects.create(
                public_id=row.public_id, private_id=row.private_id, host=row.host
            )
    except IntegrityError:
        result.failures.append(
            _(
                "Zeile %(line)s: Der private Identifikationscode gehört schon "
                "zu einer anderen Zählmarke."
            )
            % {"line": row.line}
        )
        return
    result.created += 1


REPORT_COLUMNS = (
    "Privater Identifikationscode",
    "Öffentlicher Identifikationscode",
    "Titel",
    "Adresse",
    "Autoren",
    "Zeichen",
    "Zugewiesen am",
)


def report_rows(marks: Iterable[CountingMark], *, site_url: str) -> Iterator[list]:
    """One row per assigned mark for the yearly METIS notification.

    `marks` comes with select_related("article") and the articles' authors
    prefetched (CountingMarkAdmin), so the rows cost no further queries."""
    for mark in marks:
        article = mark.article
        yield [
            mark.private_id,
            mark.public_id,
            article.headline if article else "",
            f"{site_url}{article.get_absolute_url()}" if article else "",
            ", ".join(author.name for author in article.authors.all())
            if article
            else "",
            text_length(article) if article else "",
            timezone.localtime(mark.assigned_at).strftime("%d.%m.%Y")
            if mark.assigned_at
            else "",
        ]
