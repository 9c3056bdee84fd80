"""Facts about lists of published articles that their pages need: the
neighbouring days of an archive page."""

from datetime import date, datetime, timedelta

from django.utils import timezone


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
