"""Turn rails, pins, automatic fills and sponsored slots into plain teasers.

Templates only render what this module decides for a moment `at`: what is
visible, what is sponsored, which badge applies, that no article appears
twice on one page, and when the page will change by itself next.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from articles.models import (
    TEASER_FIELDS,
    Article,
    ArticlePhoto,
    ShownPhoto,
    article_url,
)
from articles.purging import ChangeTimes
from newsroom.perf.prepared import PreparedQueries, PreparedQuery
from teasers.badges import Badge, badge_for, row_badge_changes_at
from teasers.models import (
    CropRatio,
    HourlyViews,
    Rail,
    RailItem,
    SponsoredSlot,
    rail_articles,
)

CLICK_SALT = "teasers.sponsored-click"


@dataclass(frozen=True)
class Teaser:
    headline: str
    url: str
    kicker: str = ""
    teaser: str = ""
    photo: ShownPhoto | None = None
    crop_ratio: str = CropRatio.WIDE
    badge: Badge | None = None
    view_count: int = 0
    is_sponsored: bool = False
    advertiser: str = ""
    label: str = ""
    article_id: int | None = None
    slot_id: int | None = None
    # A sponsored teaser's flight start (its date in feeds).
    starts_at: datetime | None = None
    # When the article went live (lists and search results show it).
    published_at: datetime | None = None

    @property
    def shows_view_count(self) -> bool:
        """Readers see the count of articles only, never of advertisements."""
        return not self.is_sponsored

    @property
    def published_datetime(self) -> str:
        """`published_at` for `<time datetime>`: whole seconds (HTML allows
        at most three digits of fractions), an offset that browsers read."""
        if self.published_at is None:
            return ""
        moment = timezone.localtime(self.published_at).replace(microsecond=0)
        return moment.isoformat()

    @property
    def link_rel(self) -> str:
        # Search engines must not count paid links; the target gets no opener.
        return "sponsored noopener" if self.is_sponsored else ""

    @classmethod
    def from_article(
        cls,
        row: dict,
        *,
        photo: ShownPhoto | None,
        at: datetime,
        item: RailItem | None = None,
        crop_ratio: str = CropRatio.WIDE,
    ) -> "Teaser":
        """A teaser from an article's `teaser_rows()` row and its lead photo."""
        return cls(
            kicker=(item and item.kicker) or row["kicker"],
            headline=(item and item.headline) or row["headline"],
            teaser=(item and item.teaser) or row["teaser"],
            url=article_url(row["section__slug"], row["slug"], row["id"]),
            photo=photo,
            crop_ratio=(item and item.crop_ratio) or crop_ratio,
            badge=badge_for(
                is_top=bool(item and item.is_top) or row["is_top"],
                first_published_at=row["first_published_at"],
                updated_at=row["updated_at"],
                at=at,
                breaking_until=row.get("breaking_until"),
                is_live_ticker=row.get("is_live_ticker", False),
                live_ended_at=row.get("live_ended_at"),
            ),
            view_count=row["view_count"],
            article_id=row["id"],
            published_at=row["first_published_at"],
        )

    @classmethod
    def from_sponsored_slot(
        cls, slot: SponsoredSlot, *, at: datetime, crop_ratio: str = CropRatio.WIDE
    ) -> "Teaser":
        photo = slot.photo if slot.photo and slot.photo.is_usable(at) else None
        return cls(
            kicker=slot.kicker,
            headline=slot.headline,
            teaser=slot.teaser,
            url=sponsored_click_url(slot),
            photo=photo.shown(copyright_notice_suffices=True) if photo else None,
            crop_ratio=crop_ratio,
            # No public count: clicks labelled like an article's readers
            # would pass the advertisement off as read editorial content.
            view_count=0,
            is_sponsored=True,
            advertiser=slot.advertiser,
            label=slot.label,
            slot_id=slot.pk,
            starts_at=slot.starts_at,
        )


def sponsored_click_url(slot: SponsoredSlot) -> str:
    """Our own click-counting address for `slot`, signed against tampering."""
    token = signing.Signer(salt=CLICK_SALT).sign(str(slot.pk))
    return reverse("teasers:sponsored_click", args=[token])


def sponsored_slot_for_click(token: str) -> SponsoredSlot | None:
    """The slot behind a click token, or None for a forged or unknown one."""
    try:
        slot_id = int(signing.Signer(salt=CLICK_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None
    return SponsoredSlot.objects.filter(pk=slot_id).first()


@dataclass
class AssembledRail:
    rail: Rail
    teasers: list[Teaser] = field(default_factory=list)


@dataclass
class AssembledPage:
    rails: list[AssembledRail]
    at: datetime
    # The next moment this page changes by itself; None if nothing is due.
    changes_at: datetime | None = None

    @property
    def sponsored_slot_ids(self) -> list[int]:
        """Each slot shown once or more: one impression per page view."""
        return list(
            dict.fromkeys(
                teaser.slot_id
                for assembled in self.rails
                for teaser in assembled.teasers
                if teaser.is_sponsored
            )
        )


@dataclass(frozen=True)
class RailDraft:
    """A rail as the editor has it in the form, not saved: for the live preview."""

    rail: Rail
    items: list[RailItem]


# The page's first queries, compiled once per process (newsroom/perf/).
RAILS = PreparedQuery(lambda: Rail.objects.all())
PINS = PreparedQuery(lambda at: RailItem.objects.pinned(at), at=datetime)
SLOTS_NOT_ENDED = PreparedQuery(
    lambda at: (
        SponsoredSlot.objects.filter(ends_at__gt=at)
        .select_related("photo__agency")
        .order_by("pk")
    ),
    at=datetime,
)


def assemble_page(
    *,
    at: datetime | None = None,
    exclude_article_ids: Iterable[int] = (),
    draft: RailDraft | None = None,
) -> AssembledPage:
    """All rails in page order as they look at `at`.

    Queries: rails, pins, sponsored slots, the next scheduled publication,
    one per automatically filled rail, then the shown articles and their
    photos. None of these grows with the number of items or articles.
    An article shown in a rail higher up (or excluded, like the article a
    reader is on) is skipped further down where the rail asks for it.
    A `draft` replaces its saved rail (one more query: which of its pinned
    articles are visible).
    """
    at = at or timezone.now()
    changes = ChangeTimes(at)
    rails = RAILS()
    if draft:
        rails = sorted(
            [r for r in rails if r.pk != draft.rail.pk] + [draft.rail],
            key=lambda rail: (rail.order, rail.pk or 0),
        )
    pins_by_rail = defaultdict(list)
    slots_by_rail = defaultdict(list)
    # Every pin and slot belongs to a rail: their queries need no list of
    # rails (and so are prepared once). Without rails (a site still being
    # set up) there is nothing to ask.
    if rails:
        for item in PINS(at=at):
            pins_by_rail[item.rail_id].append(item)
            changes.add(item.pinned_until)
        for slot in SLOTS_NOT_ENDED(at=at):
            if slot.is_running(at):
                slots_by_rail[slot.rail_id].append(slot)
                changes.add(slot.ends_at)
            else:
                changes.add(slot.starts_at)
    if draft:
        pins_by_rail[draft.rail.pk] = draft_pins(draft, at=at)
    changes.add(Article.objects.next_visibility_change(at))

    excluded = set(exclude_article_ids)
    shown: set[int] = set()
    plans = []
    for rail in rails:
        entries = plan_rail(
            rail, pins_by_rail[rail.pk], shown=shown, excluded=excluded, at=at
        )
        shown.update(article_id for article_id, _item in entries)
        plans.append((rail, entries))

    rows = {
        row["id"]: row
        for row in Article.objects.filter(pk__in=shown).values(*TEASER_FIELDS)
    }
    photos = ArticlePhoto.objects.lead_photos(shown, at)
    assembled = []
    for rail, entries in plans:
        teasers = []
        for article_id, item in entries:
            if row := rows.get(article_id):
                teasers.append(
                    Teaser.from_article(
                        row,
                        photo=photos.get(article_id),
                        at=at,
                        item=item,
                        crop_ratio=rail.crop_ratio,
                    )
                )
                changes.add(row_badge_changes_at(row, at))
        teasers = place_sponsored(rail, teasers, slots_by_rail[rail.pk], changes)
        for teaser in teasers:
            if teaser.photo:
                changes.add(teaser.photo.usable_until)
        if teasers:
            assembled.append(AssembledRail(rail=rail, teasers=teasers))
    return AssembledPage(rails=assembled, at=at, changes_at=changes.earliest)


def draft_pins(draft: RailDraft, *, at: datetime) -> list[RailItem]:
    """The draft's items whose pin holds and whose article is visible at `at`."""
    visible = set(
        Article.objects.published(at)
        .filter(pk__in=[item.article_id for item in draft.items])
        .values_list("pk", flat=True)
    )
    return sorted(
        (
            item
            for item in draft.items
            if item.article_id in visible
            and (item.pinned_until is None or item.pinned_until > at)
        ),
        key=lambda item: item.position,
    )


def plan_rail(
    rail: Rail,
    pins: list[RailItem],
    *,
    shown: set[int],
    excluded: set[int],
    at: datetime,
) -> list[tuple[int, RailItem | None]]:
    """(article id, pin or None) pairs in rail order, at most `rail.size`.

    `excluded` (the article a reader is on) is always skipped; `shown` (what
    rails above show) only when the rail asks for it.
    """
    skipped = (shown | excluded) if rail.skips_shown else excluded
    pins = [item for item in pins if item.article_id not in skipped]
    if not rail.has_pins:
        pins = []
    if not rail.is_filled_automatically:
        return [(item.article_id, item) for item in pins[: rail.size]]

    places: list[tuple[int, RailItem | None] | None] = [None] * rail.size
    for item in pins:  # ordered by position, then age
        wanted = min(item.position, rail.size) - 1
        # A taken place pushes the pin down, never up past the pins above.
        free = [i for i in range(wanted, rail.size) if places[i] is None] or [
            i for i in range(wanted, -1, -1) if places[i] is None
        ]
        if free:
            places[free[0]] = (item.article_id, item)

    taken = {place[0] for place in places if place}
    limit = rail.size + len(skipped) + len(taken)
    fill = (
        article_id
        for article_id in automatic_article_ids(rail, at=at, limit=limit)
        if article_id not in taken and article_id not in skipped
    )
    for index, place in enumerate(places):
        if place is None:
            article_id = next(fill, None)
            places[index] = (article_id, None) if article_id else None
    return [place for place in places if place]


# The automatic rails' queries, built and compiled once per process for each
# rail filter and LIMIT (the shape: section, region, tag, limit), then run
# with the moment (newsroom/perf/prepared.py), as the rails, pins and slots
# above: building and compiling the same queries on every request was most
# of the front page's own Python time.
NEWEST_ARTICLE_IDS = PreparedQueries(
    lambda shape, at: (
        rail_articles(at, *shape[:3])
        .newest_first()
        .values_list("pk", flat=True)[: shape[3]]
    ),
    at=datetime,
)
MOST_READ_CANDIDATES = PreparedQueries(
    lambda shape, at, since: HourlyViews.objects.most_read_candidates(
        rail_articles(at, *shape[:3]), since=since, until=at, limit=shape[3]
    ),
    at=datetime,
    since=datetime,
)


def automatic_article_ids(rail: Rail, *, at: datetime, limit: int) -> list[int]:
    """Candidates for a rail's free places: latest or most read in a window.

    The same as `HourlyViews.objects.most_read_article_ids()` and
    `newest_first()` over `rail.articles_to_fill(at)`, from prepared queries.
    """
    shape = (*rail.fill_filters, limit)
    if window := rail.most_read_window:
        # Hourly buckets: the window starts at the full hour it falls in.
        since = (at - window).replace(minute=0, second=0, microsecond=0)
        ids = MOST_READ_CANDIDATES(shape, at=at, since=since)
        if len(ids) == limit:
            return ids
        return HourlyViews.objects.most_read_of_all(
            rail.articles_to_fill(at), since=since, until=at, limit=limit
        )
    return NEWEST_ARTICLE_IDS(shape, at=at)


def place_sponsored(
    rail: Rail,
    teasers: list[Teaser],
    running_slots: list[SponsoredSlot],
    changes: ChangeTimes,
) -> list[Teaser]:
    """The rail with its running sponsored slots at their places.

    Places count in the finished rail. A slot for a fixed place wins over a
    repeating one ("every n-th") that would land on the same place; slots
    competing for the same fixed place, or repeating at the same interval,
    take turns (`rotation_winner`). Repeating slots only go between
    editorial teasers, never after the last one.
    """
    fixed_groups, repeating_groups = defaultdict(list), defaultdict(list)
    for slot in running_slots:
        if slot.every_nth:
            repeating_groups[slot.every_nth].append(slot)
        else:
            fixed_groups[slot.position].append(slot)

    def winner(group):
        slot, rotation_ends = rotation_winner(group, at=changes.at)
        changes.add(rotation_ends)
        return Teaser.from_sponsored_slot(
            slot, at=changes.at, crop_ratio=rail.crop_ratio
        )

    fixed = {position: winner(group) for position, group in fixed_groups.items()}
    if 1 in fixed and rail.keeps_top_first and is_editorial_top(teasers):
        # Never push an editorial "Top" off the first place.
        place = 2
        while place in fixed:
            place += 1
        fixed[place] = fixed.pop(1)
    repeating = [
        (every_nth, winner(group))
        for every_nth, group in sorted(repeating_groups.items())
    ]

    placed: list[Teaser] = []
    editorial = iter(teasers)
    remaining = len(teasers)
    while remaining:
        place = len(placed) + 1
        if place in fixed:
            placed.append(fixed.pop(place))
            continue
        due = next((t for n, t in repeating if place % n == 0), None)
        if due is not None:
            placed.append(due)
            continue
        placed.append(next(editorial))
        remaining -= 1
    # Fixed places beyond the rail's end come last, in their order.
    placed.extend(teaser for _place, teaser in sorted(fixed.items()))
    return placed


def is_editorial_top(teasers: list[Teaser]) -> bool:
    return (
        bool(teasers) and teasers[0].badge == Badge.TOP and not teasers[0].is_sponsored
    )


def rotation_winner(
    slots: list[SponsoredSlot], *, at: datetime
) -> tuple[SponsoredSlot, datetime | None]:
    """The slot whose turn it is at `at`, and when its turn ends.

    Time is cut into rotation windows; over `sum(priority)` windows each slot
    gets `priority` of them. Deterministic, so a cached page and a fresh one
    agree, and the cache knows when the next turn starts.
    """
    if len(slots) == 1:
        return slots[0], None
    period = settings.NEWSROOM_SPONSORED_ROTATION_SECONDS
    window = int(at.timestamp()) // period
    ticket = window % sum(slot.priority for slot in slots)
    ordered = sorted(slots, key=lambda slot: slot.pk)
    winner = ordered[-1]
    for slot in ordered:
        ticket -= slot.priority
        if ticket < 0:
            winner = slot
            break
    ends = datetime.fromtimestamp((window + 1) * period, tz=UTC)
    return winner, ends


def article_teasers(rows: list[dict], *, at: datetime) -> list[Teaser]:
    """Teasers for `teaser_rows()` rows, in order (section pages, lists)."""
    photos = ArticlePhoto.objects.lead_photos([row["id"] for row in rows], at)
    return [
        Teaser.from_article(row, photo=photos.get(row["id"]), at=at) for row in rows
    ]
