from datetime import date, datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from newsroom.perf.url_formats import UrlFormat

FRONT_PAGE_ADDRESS = UrlFormat("teasers:front_page")
FRONT_FEED_ADDRESS = UrlFormat("teasers:front_feed")
SEARCH_ADDRESS = UrlFormat("articles:search")


def site(request):
    """Site name and addresses for every public template. Address formats:
    every page shows them, and {% url %} costs a reverse() each time."""
    return {
        "site_name": settings.NEWSROOM_SITE_NAME,
        "front_page_url": FRONT_PAGE_ADDRESS(),
        "front_feed_url": FRONT_FEED_ADDRESS(),
    }


def frame_context(now: datetime) -> dict:
    """What the frame every page shares shows at `now`
    (articles/public/site_frame.py, rendered without a request)."""
    today = timezone.localdate(now)
    return {
        **site(None),
        "search_url": SEARCH_ADDRESS(),
        # This month's archive (from it, the calendar leads further back).
        "archive_url": archive_month_url(today),
        "year": str(today.year),  # a string: no thousands separator
    }


def archive_month_url(day: date) -> str:
    # reverse(): the archive's converters refuse UrlFormat's stand-ins.
    return reverse("articles:archive_month", args=[day.year, day.month])
