"""Views for machine clients: feeds, sitemaps, robots.txt, the ninjs export.

Each is served through the page cache like the front page: built once, kept
until it changes by itself (an article going live, a photo licence ending)
or an editorial write purges it. The cache name carries scheme and host
because these responses spell out absolute addresses.
"""

from django.contrib.sitemaps import views as sitemap_views
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_safe

from articles import feeds, sitemaps
from articles.models import Article, Section
from articles.page_cache import serve_cached_page
from teasers.services import ChangeTimes


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


@require_safe
def sitemap_index(request):
    def build(now):
        instances = {name: cls() for name, cls in sitemaps.SITEMAPS.items()}
        response = sitemap_views.index(
            request,
            instances,
            template_name="sitemaps/index.xml",
            sitemap_url_name="articles:sitemap",
        )
        response.render()
        return response, sitemap_changes_at(instances.values(), now), {}

    return serve_cached_page(request, cache_name(request, "sitemap"), build)[0]


@require_safe
def sitemap(request, section: str):
    if section not in sitemaps.SITEMAPS:
        raise Http404("no such sitemap")

    def build(now):
        instance = sitemaps.SITEMAPS[section]()
        template = "news" if section == "news" else "sitemap"
        response = sitemap_views.sitemap(
            request,
            {section: instance},
            section=section,
            template_name=f"sitemaps/{template}.xml",
        )
        response.render()
        return response, sitemap_changes_at([instance], now), {}

    page = request.GET.get("p", "1")
    name = cache_name(request, "sitemap", section, page)
    return serve_cached_page(request, name, build)[0]


def sitemap_changes_at(instances, now):
    changes = ChangeTimes(now)
    changes.add(Article.objects.next_visibility_change(now))
    for instance in instances:
        if isinstance(instance, sitemaps.NewsSitemap):
            changes.add(instance.changes_at())
    return changes.earliest


@require_safe
def robots_txt(request):
    def build(now):
        text = sitemaps.robots_txt(
            sitemap_urls=[
                request.build_absolute_uri(reverse("articles:sitemap_index")),
                request.build_absolute_uri(reverse("articles:sitemap", args=["news"])),
            ]
        )
        return HttpResponse(text, content_type="text/plain; charset=utf-8"), None, {}

    return serve_cached_page(request, cache_name(request, "robots"), build)[0]
