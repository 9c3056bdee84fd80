"""Sitemaps for search engines, and robots.txt pointing at them.

`/sitemap.xml` is an index of: the article sitemap (every visible article
with `lastmod`, in pages of ARTICLES_PER_SITEMAP by id, so a page's content
stays put as new articles arrive), the section pages, and the Google News
sitemap (`/sitemap-news.xml`: articles first seen in the last two days).
Items are plain rows: a page of thousands of articles builds no models.
"""

from datetime import datetime, timedelta
from functools import cached_property

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone

from articles.models import Article, Section, article_url
from articles.models.articles import last_changed_at
from articles.sanitising import clean_text

ARTICLES_PER_SITEMAP = 5000
# Google News reads articles of the last two days, at most 1000 of them.
NEWS_WINDOW = timedelta(days=2)
NEWS_LIMIT = 1000
ROW_FIELDS = ("pk", "slug", "section__slug", "headline", "modified_at", "first_seen")
# Crawlers have no business in the admin, previews, search results, the
# sponsored click counter or the partners' export.
ROBOTS_DISALLOWED = ("/admin/", "/vorschau/", "/suche/", "/anzeige/", "/api/")


class ArticleRowSitemap(Sitemap):
    """A sitemap of article rows (ROW_FIELDS)."""

    def location(self, row):
        return article_url(row["section__slug"], row["slug"], row["pk"])

    def lastmod(self, row):
        return last_changed_at(row["modified_at"], row["first_seen"])


class ArticleSitemap(ArticleRowSitemap):
    limit = ARTICLES_PER_SITEMAP

    def items(self):
        return (
            Article.objects.published()
            .with_first_seen()
            .order_by("pk")
            .values(*ROW_FIELDS)
        )

    def get_latest_lastmod(self):
        # One aggregate instead of Django's default of reading every row.
        latest = (
            Article.objects.published()
            .with_first_seen()
            .aggregate(modified=Max("modified_at"), seen=Max("first_seen"))
        )
        return max(filter(None, latest.values()), default=None)


class SectionSitemap(Sitemap):
    @cached_property
    def sections(self) -> list[Section]:
        newest = (
            Article.objects.published()
            .with_first_seen()
            .filter(section=OuterRef("pk"))
            .order_by("-first_seen")
            .values("first_seen")[:1]
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


class NewsSitemap(ArticleRowSitemap):
    """Rendered with `sitemaps/news.xml`, which adds the `news:` elements."""

    limit = NEWS_LIMIT

    @cached_property
    def rows(self) -> list[dict]:
        now = timezone.now()
        rows = list(
            Article.objects.published(now)
            .with_first_seen()
            .filter(first_seen__gte=now - NEWS_WINDOW)
            .order_by("-first_seen", "-pk")
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
        return min(row["first_seen"] for row in self.rows) + NEWS_WINDOW


SITEMAPS = {
    "artikel": ArticleSitemap,
    "ressorts": SectionSitemap,
    "news": NewsSitemap,
}


def robots_txt(*, sitemap_urls: list[str]) -> str:
    lines = ["User-agent: *"]
    lines += [f"Disallow: {path}" for path in ROBOTS_DISALLOWED]
    lines.append("")
    lines += [f"Sitemap: {url}" for url in sitemap_urls]
    return "\n".join(lines) + "\n"
