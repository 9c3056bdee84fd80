"""Sitemaps for search engines, and robots.txt pointing at them.

`/sitemap.xml` is an index of: the articles' sitemap pages, the section
pages, the site's own pages (Impressum, Datenschutz, Kontakt), the galleries
and the Google News sitemap (`/sitemap-news.xml`: articles that went live in
the last two days). Items are plain rows: a page of thousands of articles
builds no models.

The articles' pages are fixed ranges of article ids (issue #19):
`/sitemap-artikel-3.xml` holds the visible articles with ids 2001–3000 at
the default NEWSROOM_SITEMAP_PAGE_SIZE of 1,000. Ids only grow, so a page
keeps its content as new articles arrive (they land on the last page, the
open one), and every page is one range of the primary key: it costs what
its own thousand rows cost, whatever the archive holds. The monthly
addresses that came before (`/sitemap-artikel.xml`,
`/sitemap-artikel-2024-05.xml`) answer 301 to the index.
"""

import html
import re
from datetime import datetime, timedelta
from functools import cached_property

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Min, OuterRef, Subquery
from django.db.models.functions import Greatest
from django.utils import timezone

from articles.models import Article, Gallery, Section, SitePage
from articles.models.articles import article_urls, last_changed_at
from articles.sanitising import clean_text

ARTICLE_PAGE = re.compile(r"artikel-(?P<number>[1-9][0-9]{0,8})")
# The monthly sitemaps' addresses before the pages (redirected to the index).
MONTH_SITEMAP = re.compile(r"artikel(-(?P<year>[0-9]{4})-(?P<month>0[1-9]|1[0-2]))?")
# The sitemap protocol's limit of addresses in one sitemap.
SITEMAP_MAX_URLS = 50_000
# Google News reads articles of the last two days, at most 1000 of them.
NEWS_WINDOW = timedelta(days=2)
NEWS_LIMIT = 1000
ROW_FIELDS = (
    "pk",
    "slug",
    "section__slug",
    "headline",
    "modified_at",
    "visible_from",
)
# Crawlers have no business in the admin, previews, search results, the
# sponsored click counter or the partners' export.
ROBOTS_DISALLOWED = ("/admin/", "/vorschau/", "/suche/", "/anzeige/", "/api/")


class ArticleRowSitemap(Sitemap):
    """A sitemap of article rows (ROW_FIELDS), written by urlset_xml(); its
    lastmod serves the index."""

    def lastmod(self, row):
        return last_changed_at(row["modified_at"], row["visible_from"])


def article_page_size() -> int:
    return max(1, min(settings.NEWSROOM_SITEMAP_PAGE_SIZE, SITEMAP_MAX_URLS))


def article_page_number(pk: int) -> int:
    """The articles' sitemap page that lists the article with id `pk`."""
    return (pk - 1) // article_page_size() + 1


class ArticleSitemap(ArticleRowSitemap):
    """Page `number` of the articles' sitemap: the visible articles whose
    id lies in the page's fixed range, in id order."""

    def __init__(self, number: int):
        self.number = number
        size = article_page_size()
        self.first_id = (number - 1) * size + 1
        self.end_id = number * size + 1

    @classmethod
    def for_name(cls, name: str) -> "ArticleSitemap | None":
        """ "artikel-3" is page 3; None for other names."""
        if match := ARTICLE_PAGE.fullmatch(name):
            return cls(int(match["number"]))
        return None

    @property
    def name(self) -> str:
        return f"artikel-{self.number}"

    def in_range(self, queryset):
        return queryset.filter(pk__gte=self.first_id, pk__lt=self.end_id)

    def items(self):
        # One range of the primary key, at most a page's size of rows.
        return (
            self.in_range(Article.objects.published())
            .for_search_engines()
            .order_by("pk")
            .values(*ROW_FIELDS)
        )

    def changes_at(self, now: datetime) -> datetime | None:
        """When a scheduled article of this page's range goes live; an old
        id may be a draft published years later."""
        return self.in_range(Article.objects.all()).next_visibility_change(now)

    def newest_change(self, now: datetime) -> datetime | None:
        """The newest `lastmod` of the page's entries (for the index)."""
        return (
            self.in_range(Article.objects.published(now))
            .for_search_engines()
            .aggregate(newest=Max(Greatest("modified_at", "visible_from")))["newest"]
        )


def article_pages(at: datetime | None = None) -> list[ArticleSitemap]:
    """The articles' sitemap pages, from the one holding the lowest id of a
    visible article to the one holding the highest (the open page), newest
    first: two ordered LIMIT 1 on the primary key, whatever the archive's
    size. A page between them whose articles are all hidden is empty."""
    ids = Article.objects.published(at).aggregate(first=Min("pk"), last=Max("pk"))
    if ids["last"] is None:
        return []
    first, last = (article_page_number(ids[end]) for end in ("first", "last"))
    return [ArticleSitemap(number) for number in range(last, first - 1, -1)]


class SectionSitemap(Sitemap):
    @cached_property
    def sections(self) -> list[Section]:
        newest = (
            Article.objects.published()
            .filter(section=OuterRef("pk"))
            .order_by("-visible_from")
            .values("visible_from")[:1]
        )
        return list(Section.objects.annotate(newest_article=Subquery(newest)))

    def items(self):
        return self.sections

    def lastmod(self, section):
        # A section page changes when an article appears on it.
        return section.newest_article

    def get_latest_lastmod(self):
        # Sections without articles have none; the others still count.
        return max(filter(None, map(self.lastmod, self.sections)), default=None)


class SitePageSitemap(Sitemap):
    """Impressum, Datenschutzerklärung, Kontakt (never in a feed)."""

    @cached_property
    def pages(self) -> list[SitePage]:
        return list(SitePage.objects.only("kind", "updated_at"))

    def items(self):
        return self.pages

    def lastmod(self, page):
        return page.updated_at

    def get_latest_lastmod(self):
        return max((page.updated_at for page in self.pages), default=None)


class GallerySitemap(Sitemap):
    """Galleries on their own published page with a picture to show."""

    @cached_property
    def galleries(self) -> list[Gallery]:
        return list(
            Gallery.objects.listed().only("slug", "modified_at", "published_at")
        )

    def items(self):
        return self.galleries

    def lastmod(self, gallery):
        return max(gallery.modified_at, gallery.published_at)

    def get_latest_lastmod(self):
        return max(map(self.lastmod, self.galleries), default=None)

    def changes_at(self) -> datetime | None:
        """When the next gallery's own page goes live."""
        return Gallery.objects.next_publication()


class NewsSitemap(ArticleRowSitemap):
    """Written by urlset_xml() with the Google News (`news:`) elements."""

    @cached_property
    def rows(self) -> list[dict]:
        now = timezone.now()
        # A range on visible_from: the index reads two days, not the archive.
        rows = list(
            Article.objects.published(now)
            .filter(visible_from__gte=now - NEWS_WINDOW)
            .for_search_engines()
            .order_by("-visible_from", "-pk")
            .values(*ROW_FIELDS)[:NEWS_LIMIT]
        )
        # The title goes into the XML: a control character stored before
        # text was cleaned on saving would make the sitemap unreadable.
        for row in rows:
            row["headline"] = clean_text(row["headline"])
        return rows

    def items(self):
        return self.rows

    def changes_at(self) -> datetime | None:
        """When the oldest article shown leaves the two-day window."""
        if not self.rows:
            return None
        return min(row["visible_from"] for row in self.rows) + NEWS_WINDOW


URLSET_START = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"{news}>\n'
)
NEWS_NAMESPACE = ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'


def urlset_xml(rows, *, base: str, news_site: str = "") -> tuple[str, datetime | None]:
    """The `<urlset>` of article rows (ROW_FIELDS) and its newest lastmod.

    Written directly rather than through Django's sitemap view and template:
    a month of 5,000 articles cost 280 ms there and a few here, and the
    output is the same markup (`news_site`: with the Google News elements).
    """
    parts = [URLSET_START.format(news=NEWS_NAMESPACE if news_site else "")]
    newest = None
    # Read once for thousands of rows: the site's time zone and the address
    # format (thread-locals cost more than the rest of an entry), and the
    # standard library's escape (Django's is the same, behind a lazy check).
    site_time = timezone.get_current_timezone()
    address = article_urls()
    escape_text = html.escape
    news_name = escape_text(news_site)
    for row in rows:
        lastmod = last_changed_at(row["modified_at"], row["visible_from"])
        newest = max(newest, lastmod) if newest else lastmod
        location = base + address(row["section__slug"], row["slug"], row["pk"])
        parts.append(
            f"<url><loc>{escape_text(location)}</loc>"
            f"<lastmod>{lastmod.astimezone(site_time).isoformat()}</lastmod>"
        )
        if news_site:
            published = row["visible_from"].astimezone(site_time).isoformat()
            parts.append(
                "<news:news><news:publication>"
                f"<news:name>{news_name}</news:name>"
                "<news:language>de</news:language></news:publication>"
                f"<news:publication_date>{published}</news:publication_date>"
                f"<news:title>{escape_text(row['headline'])}</news:title></news:news>"
            )
        parts.append("</url>\n")
    parts.append("</urlset>\n")
    return "".join(parts), newest


INDEX_START = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
)


def index_xml(entries: list[tuple[str, datetime | None]]) -> str:
    """The `<sitemapindex>` of (address, lastmod or None) pairs.

    Written directly, as the urlsets are: a million articles make a
    thousand pages, and a template would take longer over them than the
    index's queries.
    """
    site_time = timezone.get_current_timezone()
    parts = [INDEX_START]
    for location, lastmod in entries:
        parts.append(f"<sitemap><loc>{html.escape(location)}</loc>")
        if lastmod:
            parts.append(
                f"<lastmod>{lastmod.astimezone(site_time).isoformat()}</lastmod>"
            )
        parts.append("</sitemap>\n")
    parts.append("</sitemapindex>\n")
    return "".join(parts)


# Besides the articles' pages (ArticleSitemap.for_name).
SITEMAPS = {
    "ressorts": SectionSitemap,
    "seiten": SitePageSitemap,
    "galerien": GallerySitemap,
    "news": NewsSitemap,
}


def sitemap_for_name(name: str) -> Sitemap | None:
    if name in SITEMAPS:
        return SITEMAPS[name]()
    return ArticleSitemap.for_name(name)


def robots_txt(*, sitemap_urls: list[str]) -> str:
    lines = ["User-agent: *"]
    lines += [f"Disallow: {path}" for path in ROBOTS_DISALLOWED]
    lines.append("")
    lines += [f"Sitemap: {url}" for url in sitemap_urls]
    return "\n".join(lines) + "\n"
