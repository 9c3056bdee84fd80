"""The "Eilmeldung" banner across every public page.

Part of what the page cache knows: a page showing the banner expires when
the flag runs out, and a page without it when a flagged article goes live,
so the banner appears and disappears on time without a purge. The banner
is part of the frame every page shares (articles/public/site_frame.py).
"""

from dataclasses import dataclass
from datetime import datetime

from articles.models import Article, article_url
from articles.purging import ChangeTimes


@dataclass(frozen=True)
class BreakingNews:
    headline: str
    url: str


def current_breaking_news(
    at: datetime,
) -> tuple[BreakingNews | None, datetime | None]:
    """The newest article flagged as "Eilmeldung" at `at`, and when that
    changes by itself."""
    rows = Article.objects.breaking_news(at)
    changes = ChangeTimes(at)
    shown = []
    for row in rows:
        if row["visible_from"] <= at:
            shown.append(row)
            changes.add(row["breaking_until"])
        else:
            changes.add(row["visible_from"])
    if not shown:
        return None, changes.earliest
    row = max(shown, key=lambda row: (row["visible_from"], row["pk"]))
    news = BreakingNews(
        headline=row["headline"],
        url=article_url(row["section__slug"], row["slug"], row["pk"]),
    )
    return news, changes.earliest
