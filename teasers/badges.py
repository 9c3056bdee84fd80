"""Teaser badges ("Eil", "Live", "Top", "Neu", "Update"), decided by rules in one place.

Rails, section pages and (later) feeds all ask `badge_for`; templates only
print the result.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Badge(models.TextChoices):
    BREAKING = "breaking", _("Eil")
    LIVE = "live", _("Live")
    TOP = "top", _("Top")
    UPDATE = "update", _("Update")
    NEW = "new", _("Neu")


def badge_for(
    *,
    is_top: bool,
    first_published_at: datetime | None,
    updated_at: datetime | None,
    at: datetime,
    breaking_until: datetime | None = None,
    is_live_ticker: bool = False,
    live_ended_at: datetime | None = None,
) -> Badge | None:
    """The one badge a teaser shows at `at`: a running "Eilmeldung" first,
    then a running live ticker, then editorial "Top", then the rules."""
    if breaking_until and at < breaking_until:
        return Badge.BREAKING
    # Ended by the desk (a write, which purges): no moment to expire at.
    if is_live_ticker and (live_ended_at is None or live_ended_at > at):
        return Badge.LIVE
    if is_top:
        return Badge.TOP
    update_window = timedelta(hours=settings.NEWSROOM_UPDATE_BADGE_HOURS)
    if (
        updated_at
        and first_published_at
        and first_published_at < updated_at <= at
        and at - updated_at < update_window
    ):
        return Badge.UPDATE
    new_window = timedelta(hours=settings.NEWSROOM_NEW_BADGE_HOURS)
    if (
        first_published_at
        and first_published_at <= at < first_published_at + new_window
    ):
        return Badge.NEW
    return None


def badge_changes_at(
    *,
    first_published_at: datetime | None,
    updated_at: datetime | None,
    at: datetime,
    breaking_until: datetime | None = None,
) -> datetime | None:
    """When a rule badge shown at `at` ends by itself (for cache expiry)."""
    ends = [breaking_until] if breaking_until else []
    if first_published_at:
        ends.append(
            first_published_at + timedelta(hours=settings.NEWSROOM_NEW_BADGE_HOURS)
        )
    if updated_at:
        ends.append(updated_at + timedelta(hours=settings.NEWSROOM_UPDATE_BADGE_HOURS))
    return min((end for end in ends if end > at), default=None)


def row_badge_changes_at(row: dict, at: datetime) -> datetime | None:
    """`badge_changes_at` of a teaser row (`ArticleQuerySet.teaser_rows()`)."""
    return badge_changes_at(
        first_published_at=row["first_published_at"],
        updated_at=row["updated_at"],
        at=at,
        breaking_until=row.get("breaking_until"),
    )
