"""The photo chooser's search: filters and pages that stay flat however
large the archive grows.

Pages are cut by keys, not by offsets: newest first by (created_at, id),
and the next page starts below the last row shown (`PageKey`). Each page is
one query that reads the `photo_newest_first` index from that key on, so
page 500 costs what page 1 costs and nothing is counted.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from articles.models import Photo, PhotoQuerySet


@dataclass(frozen=True)
class PageKey:
    """Where a page ends: the last photo's upload time and id."""

    created_at: datetime
    pk: int

    def __str__(self) -> str:
        return f"{self.created_at.isoformat()}~{self.pk}"

    @classmethod
    def parse(cls, text: str) -> "PageKey | None":
        """The key in `text`, or None for anything else (a start page)."""
        stamp, _sep, pk = (text or "").partition("~")
        try:
            created_at = datetime.fromisoformat(stamp)
            number = int(pk)
        except ValueError:
            return None
        if timezone.is_naive(created_at) or number < 1:
            return None
        return cls(created_at, number)


@dataclass(frozen=True)
class ChooserFilters:
    text: str = ""
    agency_id: int | None = None
    since: date | None = None
    until: date | None = None
    usable_now: bool = False


@dataclass(frozen=True)
class ChooserPage:
    photos: list[Photo]
    next_key: PageKey | None


def day_start(day: date) -> datetime:
    """Midnight of `day` in the newsroom's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


def filter_photos(
    photos: PhotoQuerySet, filters: ChooserFilters, *, at: datetime | None = None
) -> PhotoQuerySet:
    if filters.text:
        photos = photos.matching(filters.text)
    if filters.agency_id:
        photos = photos.filter(agency_id=filters.agency_id)
    if filters.since:
        photos = photos.filter(created_at__gte=day_start(filters.since))
    if filters.until:
        photos = photos.filter(
            created_at__lt=day_start(filters.until + timedelta(days=1))
        )
    if filters.usable_now:
        photos = photos.ready_to_use(at)
    return photos


def choose_photos(
    photos: PhotoQuerySet,
    filters: ChooserFilters,
    *,
    after: PageKey | None = None,
    size: int | None = None,
) -> ChooserPage:
    """One page of `photos` matching `filters`, newest first, from `after`
    on; one query, with each photo's agency and whether a published article
    shows it (`in_published_article`)."""
    size = size or settings.NEWSROOM_PHOTO_CHOOSER_PAGE_SIZE
    photos = filter_photos(photos, filters)
    if after is not None:
        photos = photos.filter(
            Q(created_at__lt=after.created_at)
            | Q(created_at=after.created_at, pk__lt=after.pk)
        )
    rows = list(
        photos.select_related("agency")
        .with_published_flag()
        .order_by("-created_at", "-pk")[: size + 1]
    )
    next_key = None
    if len(rows) > size:
        rows = rows[:size]
        next_key = PageKey(rows[-1].created_at, rows[-1].pk)
    return ChooserPage(rows, next_key)
