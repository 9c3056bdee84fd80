"""Views for machine clients: feeds, sitemaps, robots.txt, the ninjs export.

Each is served through the page cache like the front page: built once, kept
until it changes by itself (an article going live, a photo licence ending)
or an editorial write purges it. The cache name carries scheme and host
because these responses spell out absolute addresses.
"""

from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from articles import feeds
from articles.models import Section
from articles.page_cache import serve_cached_page


def cache_name(request, *parts: str) -> str:
    return ":".join(["machine", request.scheme, request.get_host(), *parts])


@require_safe
def front_page_feed(request, feed_class=feeds.RssFeed):
    def build(now):
        content = feeds.front_page_feed(now)
        return feed_class(content)(request), content.changes_at, {}

    name = cache_name(request, "feed", feed_class.__name__)
    return serve_cached_page(request, name, build)[0]


@require_safe
def section_feed(request, section: str, feed_class=feeds.RssFeed):
    def build(now):
        content = feeds.section_feed(get_object_or_404(Section, slug=section), now)
        return feed_class(content)(request), content.changes_at, {}

    name = cache_name(request, "feed", feed_class.__name__, section)
    return serve_cached_page(request, name, build)[0]
