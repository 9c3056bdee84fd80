"""Views for machine clients: feeds, sitemaps, robots.txt, the ninjs export.

Each is served through the page cache like the front page: built once, kept
until it changes by itself (an article going live, a photo licence ending)
or an editorial write purges it. The cache name carries scheme and host
because these responses spell out absolute addresses.
"""

import re

from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.core.paginator import InvalidPage
from django.http import (
    Http404,
    HttpResponse,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from articles.models import Article, Section
from articles.public import feeds, ninjs_export, sitemaps
from articles.public.page_cache import serve_cached_page, serve_uncached_page
from articles.purging import ChangeTimes


def cache_name(*parts: str) -> str:
    # Scheme and host are added by serve_cached_page, as for every page.
    return ":".join(["machine", *parts])


# A page number or an id as the cache key takes it: one spelling each, so
# that "01", "+1" or " 1" (which int() reads as 1) store no second copy.
NUMBER = re.compile(r"[1-9][0-9]{0,8}")


@require_safe
def section_feed(request, section: str, feed_class=feeds.RssFeed):
    def build(now):
        content = feeds.section_feed(get_object_or_404(Section, slug=section), now)
        return feed_class(content)(request), content.changes_at, {}

    name = cache_name("feed", feed_class.__name__, section)
    return serve_cached_page(request, name, build)[0]


@require_safe
def sitemap_index(request):
    """The articles' sitemap pages, newest first, then the other sitemaps."""

    def build(now):
        pages = sitemaps.article_pages(now)
        others = {name: cls() for name, cls in sitemaps.SITEMAPS.items()}
        # One reverse() and absolute address for a thousand pages (each
        # cost more than writing its entry).
        before, after = sitemap_location(request, PLACEHOLDER).split(PLACEHOLDER)
        entries = [
            # Only the open page's lastmod: the closed pages' would read
            # every article of the archive (a crawler reads each page's own
            # entries' lastmod and the page's Last-Modified).
            (
                f"{before}{page.name}{after}",
                page.newest_change(now) if index == 0 else None,
            )
            for index, page in enumerate(pages)
        ] + [
            (sitemap_location(request, name), site.get_latest_lastmod())
            for name, site in others.items()
        ]
        response = HttpResponse(
            sitemaps.index_xml(entries), content_type="application/xml"
        )
        return response, sitemap_changes_at(others.values(), now), {}

    return serve_cached_page(request, cache_name("sitemap"), build)[0]


# A sitemap name no sitemap has, to cut the index's addresses from.
PLACEHOLDER = "artikel-0"


def sitemap_location(request, name: str) -> str:
    return request.build_absolute_uri(reverse("articles:sitemap", args=[name]))


@require_safe
def sitemap(request, section: str):
    if sitemaps.MONTH_SITEMAP.fullmatch(section):
        # The monthly sitemaps that came before the pages: a crawler that
        # kept such an address finds the pages in the index.
        return HttpResponsePermanentRedirect(reverse("articles:sitemap_index"))
    if sitemaps.sitemap_for_name(section) is None:
        raise Http404("no such sitemap")

    def build(now):
        instance = sitemaps.sitemap_for_name(section)
        if isinstance(instance, sitemaps.ArticleSitemap):
            return article_page(request, instance, now)
        if isinstance(instance, sitemaps.NewsSitemap):
            return (
                article_urlset(request, instance.items(), is_news=True),
                sitemap_changes_at([instance], now),
                {},
            )
        response = sitemap_views.sitemap(
            request,
            {section: instance},
            section=section,
            template_name="sitemaps/sitemap.xml",
        )
        response.render()
        return response, sitemap_changes_at([instance], now), {}

    page = request.GET.get("p", "1")
    if not NUMBER.fullmatch(page):
        raise Http404("no such sitemap page")
    if page != "1" and section != "ressorts":
        raise Http404("an articles' page and the news sitemap are one page each")
    name = cache_name("sitemap", section, page)
    return serve_cached_page(request, name, build)[0]


def article_page(request, page: sitemaps.ArticleSitemap, now):
    rows = list(page.items())
    if not rows and not any(
        known.number == page.number for known in sitemaps.article_pages(now)
    ):
        # Not stored: any number could be asked for. A page past the open
        # one appears once its first article goes live.
        raise Http404("no such articles' sitemap page")
    return article_urlset(request, rows), page.changes_at(now), {}


def article_urlset(request, rows, *, is_news: bool = False) -> HttpResponse:
    """An articles' sitemap (a page, the news), as Django's view would
    answer it: X-Robots-Tag, Last-Modified of the newest entry."""
    xml, newest = sitemaps.urlset_xml(
        rows,
        base=f"{request.scheme}://{request.get_host()}",
        news_site=settings.NEWSROOM_SITE_NAME if is_news else "",
    )
    response = HttpResponse(xml, content_type="application/xml")
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"
    if newest:
        response["Last-Modified"] = http_date(newest.timestamp())
    return response


def sitemap_changes_at(instances, now):
    changes = ChangeTimes(now)
    changes.add(Article.objects.next_visibility_change(now))
    for instance in instances:
        if isinstance(instance, sitemaps.NewsSitemap | sitemaps.GallerySitemap):
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

    return serve_cached_page(request, cache_name("robots"), build)[0]


def json_response(data: dict, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


@require_safe
def ninjs_list(request):
    """The newest articles as ninjs, a page at a time, with `next` links."""
    try:
        since = ninjs_export.parse_since(request.GET.get("since"))
    except ninjs_export.InvalidSince:
        return json_response({"error": "since: ISO 8601 date or time"}, status=400)
    number = request.GET.get("page", "1")
    if not NUMBER.fullmatch(number):
        return json_response({"error": "no such page"}, status=404)

    def build(now):
        try:
            page = ninjs_export.export_page(now, since=since, number=number)
        except InvalidPage:
            return json_response({"error": "no such page"}, status=404), None, {}
        data = ninjs_export.page_as_json(page, since=since, request=request)
        return json_response(data), ninjs_export.export_changes_at(page, now), {}

    if since is not None:
        # Every moment is a `since` of its own: not stored, or a client
        # counting the seconds up would fill the cache.
        return serve_uncached_page(request, build)
    return serve_cached_page(request, cache_name("ninjs", "page", number), build)[0]


@require_safe
def ninjs_item(request, item_id: str):
    """One visible article as ninjs; a withdrawn one answers 410 with its
    withdrawal, a withheld one 404 with its status; anything else is a
    JSON 404."""

    def build(now):
        if not NUMBER.fullmatch(item_id):
            return json_response({"error": "not found"}, status=404), None, {}
        pk = int(item_id)
        article = ninjs_export.exported_articles(now).filter(pk=pk).first()
        if article is not None:
            data = ninjs_export.article_as_ninjs(article, request=request)
            changes = ninjs_export.export_changes_at([article], now)
            return json_response(data), changes, {}
        gone = Article.objects.taken_down(now).filter(pk=pk).first()
        if gone is not None:
            status = 410 if gone.pubstatus == "canceled" else 404
            data = ninjs_export.taken_down_as_ninjs(gone)
            return json_response(data, status=status), None, {}
        response = json_response({"error": "not found"}, status=404)
        # Not stored; a cache may keep the answer until an article goes live.
        return response, Article.objects.next_visibility_change(now), {}

    return serve_cached_page(request, cache_name("ninjs", item_id), build)[0]
