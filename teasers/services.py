"""Turn rails, rail items and sponsored slots into plain teasers.

Templates only render what this module decides: what is visible at `at`,
what is sponsored, which badge applies, and that no article appears twice on
one page.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Prefetch
from django.utils import timezone

from articles.badges import Badge, badge_for
from articles.models import Article, ArticlePhoto, Photo
from teasers.models import Rail, RailItem, SponsoredSlot


@dataclass(frozen=True)
class Teaser:
    headline: str
    url: str
    kicker: str = ""
    teaser: str = ""
    photo: Photo | None = None
    photo_caption: str = ""
    badge: Badge | None = None
    view_count: int = 0
    is_sponsored: bool = False
    advertiser: str = ""
    article_id: int | None = None

    @property
    def label(self) -> str:
        return str(SponsoredSlot.LABEL) if self.is_sponsored else ""

    @property
    def link_rel(self) -> str:
        # Search engines must not count paid links; the target gets no opener.
        return "sponsored noopener" if self.is_sponsored else ""

    @classmethod
    def from_article(
        cls, article: Article, *, at: datetime, item: RailItem | None = None
    ) -> "Teaser":
        lead = article.lead_photo_use
        return cls(
            kicker=(item and item.kicker) or article.kicker,
            headline=(item and item.headline) or article.headline,
            teaser=(item and item.teaser) or article.teaser,
            url=article.get_absolute_url(),
            photo=lead.photo if lead else None,
            photo_caption=lead.display_caption if lead else "",
            badge=badge_for(
                is_top=bool(item and item.is_top),
                first_published_at=article.first_published_at,
                updated_at=article.updated_at,
                at=at,
            ),
            view_count=article.view_count,
            article_id=article.pk,
        )

    @classmethod
    def from_sponsored_slot(cls, slot: SponsoredSlot, *, at: datetime) -> "Teaser":
        photo = slot.photo if slot.photo and slot.photo.is_usable(at) else None
        return cls(
            kicker=slot.kicker,
            headline=slot.headline,
            teaser=slot.teaser,
            url=slot.target_url,
            photo=photo,
            photo_caption=photo.caption if photo else "",
            view_count=slot.view_count,
            is_sponsored=True,
            advertiser=slot.advertiser,
        )


@dataclass
class AssembledRail:
    rail: Rail
    teasers: list[Teaser] = field(default_factory=list)


def assemble_rails(
    *, at: datetime | None = None, exclude_article_ids: Iterable[int] = ()
) -> list[AssembledRail]:
    """All rails in page order as they look at `at`, in a fixed number of queries.

    An article shown in a rail higher up (or excluded, like the article a
    reader is on) is skipped further down.
    """
    at = at or timezone.now()
    rails = list(Rail.objects.all())
    items_by_rail = defaultdict(list)
    for item in (
        RailItem.objects.filter(
            rail__in=rails, article__in=Article.objects.published(at)
        )
        .select_related("article__section")
        .prefetch_related(
            Prefetch(
                "article__article_photos", queryset=ArticlePhoto.objects.usable(at)
            )
        )
    ):
        items_by_rail[item.rail_id].append(item)
    slots_by_rail = defaultdict(list)
    for slot in (
        SponsoredSlot.objects.running(at)
        .filter(rail__in=rails)
        .select_related("photo__agency")
        .order_by("position", "pk")
    ):
        slots_by_rail[slot.rail_id].append(slot)

    shown = set(exclude_article_ids)
    assembled = []
    for rail in rails:
        teasers = []
        for item in items_by_rail[rail.pk]:
            if item.article_id in shown:
                continue
            shown.add(item.article_id)
            teasers.append(Teaser.from_article(item.article, at=at, item=item))
        for slot in slots_by_rail[rail.pk]:
            teasers.insert(
                min(slot.position - 1, len(teasers)),
                Teaser.from_sponsored_slot(slot, at=at),
            )
        if teasers:
            assembled.append(AssembledRail(rail=rail, teasers=teasers))
    return assembled
