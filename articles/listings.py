"""Facts about lists of published articles that their pages need."""

from datetime import date, datetime, timedelta

from django.utils import timezone

from articles.badges import badge_changes_at
from articles.models import Article
from articles.page_cache import ChangeTimes
from teasers.services import Teaser


def listing_changes_at(
    rows: list[dict], teasers: list[Teaser], *, at: datetime
) -> datetime | None:
    """When a list of these teasers, shown at `at`, changes by itself.

    Any article going live (it may join the list), a badge running out, a
    photo's licence ending: the page cache keeps the list until then.
    """
    changes = ChangeTimes(at)
    changes.add(Article.objects.next_visibility_change(at))
    for row in rows:
        changes.add(
            badge_changes_at(
                first_published_at=row["first_published_at"],
                updated_at=row["updated_at"],
                at=at,
            )
        )
    for teaser in teasers:
        if teaser.photo:
            changes.add(teaser.photo.usable_until)
    return changes.earliest


def publication_days_around(
    articles, first_day: date, last_day: date
) -> tuple[date | None, date | None]:
    """The nearest days before `first_day` and after `last_day` on which
    one of `articles` was published (site time), or None."""
    before = (
        articles.published_between(last_day=first_day - timedelta(days=1))
        .order_by("-published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    after = (
        articles.published_between(first_day=last_day + timedelta(days=1))
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    return site_date(before), site_date(after)


def site_date(moment: datetime | None) -> date | None:
    """The day `moment` falls on in Europe/Berlin."""
    if moment is None:
        return None
    return timezone.localtime(moment, timezone.get_default_timezone()).date()
