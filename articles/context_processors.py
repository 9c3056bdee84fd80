from django.conf import settings
from django.utils.functional import SimpleLazyObject

from articles.models import Section
from articles.page_cache import cached_fragment


def navigation_sections() -> list[Section]:
    # Shared by every page and purged with them when a section changes.
    return cached_fragment(
        "navigation", lambda now: (list(Section.objects.all()), None)
    )


def site(request):
    """Site name and navigation for every public template."""
    return {
        "site_name": settings.NEWSROOM_SITE_NAME,
        # Lazy: looked up only by templates that show navigation.
        "nav_sections": SimpleLazyObject(navigation_sections),
    }
