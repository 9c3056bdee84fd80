from django.conf import settings

from articles.models import Section
from articles.page_cache import cached_fragment


def navigation_links() -> list[tuple[str, str, str]]:
    """(slug, name, address) of every section, for the site navigation."""
    # Shared by every page and purged with them when a section changes.
    # Plain tuples: read from the cache on every page, they cost a fraction
    # of model instances.
    return cached_fragment(
        "navigation-links",
        lambda now: (
            [
                (section.slug, section.name, section.get_absolute_url())
                for section in Section.objects.only("slug", "name", "order")
            ],
            None,
        ),
    )


def site(request):
    """Site name for every public template (navigation: {% site_navigation %})."""
    return {"site_name": settings.NEWSROOM_SITE_NAME}
