from datetime import date

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from articles.models import Section
from articles.public.page_cache import cached_fragment
from newsroom.perf.url_formats import UrlFormat


def navigation_links() -> tuple[tuple[str, str, str], ...]:
    """(slug, name, address) of every section, for the site navigation."""
    # Shared by every page and purged with them when a section changes.
    # Plain tuples: read from the cache on every page, they cost a fraction
    # of model instances.
    return cached_fragment(
        "navigation-links",
        lambda now: (
            tuple(
                (section.slug, section.name, section.get_absolute_url())
                for section in Section.objects.only("slug", "name", "order")
            ),
            None,
        ),
    )


FRONT_PAGE_ADDRESS = UrlFormat("teasers:front_page")
FRONT_FEED_ADDRESS = UrlFormat("teasers:front_feed")
SEARCH_ADDRESS = UrlFormat("articles:search")


def site(request):
    """Site name and addresses for every public template (the navigation:
    {% site_navigation %}). Address formats: every page shows them, and
    {% url %} costs a reverse() each time."""
    return {
        "site_name": settings.NEWSROOM_SITE_NAME,
        "front_page_url": FRONT_PAGE_ADDRESS(),
        "front_feed_url": FRONT_FEED_ADDRESS(),
        "search_url": SEARCH_ADDRESS(),
        # This month's archive (from it, the calendar leads further back).
        "archive_url": archive_month_url(timezone.localdate()),
    }


def archive_month_url(day: date) -> str:
    # reverse(): the archive's converters refuse UrlFormat's stand-ins.
    return reverse("articles:archive_month", args=[day.year, day.month])
