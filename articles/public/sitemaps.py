"""Sitemaps for search engines, and robots.txt pointing at them.

`/sitemap.xml` is an index of: the article sitemaps, one per month in which
articles went live (`/sitemap-artikel.xml` this month's,
`/sitemap-artikel-2024-05.xml` an earlier one; each with `lastmod`, read
through the index on `visible_from`, so a month's content stays put and it
costs what its own articles cost, not what the archive holds), the section
pages, the site's own pages (Impressum, Datenschutz, Kontakt), and the Google
News sitemap (`/sitemap-news.xml`: articles that went live in the last two
days). Items are plain rows: a page of thousands of articles builds no
models.
"""

import html
import re
from datetime import date, datetime, timedelta
from functools import cached_property

from django.contrib.sitemaps import Sitemap
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from articles.models import Article, Gallery, Section, SitePage
from articles.models.articles import article_urls, last_changed_at, start_of_day
from articles.sanitising import clean_text

MONTH_SITEMAP = re.compile(r"artikel-(?P<year>[0-9]{4})-(?P<month>0[1-9]|1[0-2])")
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


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return (month + timedelta(days=32)).replace(day=1)


class ArticleSitemap(ArticleRowSitemap):
    """The articles that went live in one month (Europe/Berlin): one page
    (a regional site publishes a few thousand a month; the protocol allows
    50,000)."""

    def __init__(self, month: date | None = None):
        self.month = month_start(month or timezone.localdate())

    @classmethod
    def for_name(cls, name: str) -> "ArticleSitemap | None":
        """ "artikel" (this month) or "artikel-2024-05"; None for others."""
        if name == "artikel":
            return cls()
        if match := MONTH_SITEMAP.fullmatch(name):
            return cls(date(int(match["year"]), int(match["month"]), 1))
        return None

    @property
    def name(self) -> str:
        if self.month == month_start(timezone.localdate()):
            return "artikel"
        return f"artikel-{self.month:%Y-%m}"

    def items(self):
        return (
            Article.objects.published()
            .filter(
                visible_from__gte=start_of_day(self.month),
                visible_from__lt=start_of_day(next_month(self.month)),
            )
            .for_search_engines()
            .order_by("visible_from", "pk")
            .values(*ROW_FIELDS)
        )

    def changes_by_itself(self) -> bool:
        """Only this month's sitemap grows as articles go live; an earlier
        one changes by editorial writes only, which purge it."""
        return self.month >= month_start(timezone.localdate())


def article_months(at: datetime | None = None) -> list[date]:
    """The months from the first article that went live to now, newest
    first: one ordered LIMIT 1 on the index, whatever the archive's size.
    A month without articles has an empty sitemap."""
    at = at or timezone.now()
    first = (
        Article.objects.published(at)
        .order_by("visible_from")
        .values_list("visible_from", flat=True)
        .first()
    )
    this_month = month_start(timezone.localdate(at))
    month = month_start(timezone.localdate(first)) if first else this_month
    months = []
    while month <= this_month:
        months.append(month)
        month = next_month(month)
    return months[::-1]


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


# Besides the articles' months (ArticleSitemap.for_name).
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
