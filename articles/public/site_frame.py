"""The frame every public page shares: the header with the sections'
navigation and the search form, the "Eilmeldung" banner, and the footer.

It is the same markup on every page (but for the section marked as the
current one), so it is rendered once and shared as a fragment
(`cached_fragment`): purged with the pages by every editorial write (a
section renamed, an article flagged as breaking news) and expiring by
itself when the banner changes or the month does (the footer links this
month's archive and names the year). Rendering it on every page, with its
dozen translations and addresses, was about a third of an uncached article
page's template work. Nothing in it is per reader: no user, no CSRF token,
no CSP nonce. The addresses of the style sheet and the scripts (hashed by
collectstatic) are in it too: after a deploy, a frame of the previous
release may be shown for NEWSROOM_FRAGMENT_CACHE_SECONDS at most, as
cached pages are for their time.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from articles.models import Section
from articles.public.breaking_news import BreakingNews, current_breaking_news
from articles.public.context_processors import frame_context
from articles.public.page_cache import cached_fragment, page_being_built
from articles.purging import ChangeTimes


@dataclass(frozen=True)
class SiteFrame:
    head_links: SafeString  # the icon and the style sheet
    header: SafeString  # from the skip link to the banner
    footer: SafeString  # and the script every page loads
    # When it changes by itself (the banner, the month); None: not by itself.
    changes_at: datetime | None


def site_frame(current_section_slug: str | None = None) -> SiteFrame:
    """The frame of a page in the section `current_section_slug` (None: in
    none); the page being built learns when it changes."""
    frame = cached_fragment(
        f"site-frame/{get_language()}/{current_section_slug or ''}",
        lambda now: _built_frame(now, current_section_slug),
    )
    if page := page_being_built():
        page.changes.add(frame.changes_at)
    return frame


def _built_frame(
    now: datetime, current_section_slug: str | None
) -> tuple[SiteFrame, datetime | None]:
    news, news_changes_at = current_breaking_news(now)
    changes = ChangeTimes(now)
    changes.add(news_changes_at)
    changes.add(_next_month_starts(now))
    links = tuple(
        (section.slug, section.name, section.get_absolute_url())
        for section in Section.objects.only("slug", "name", "order")
    )
    context = {
        **frame_context(now),
        "navigation": navigation_html(links, current_section_slug),
        "footer_sections": navigation_html(links, None),
        "banner": banner_html(news),
    }
    frame = SiteFrame(
        head_links=render_to_string("site/frame.html#head_links", context),
        header=render_to_string("site/frame.html#header", context),
        footer=render_to_string("site/frame.html#footer", context),
        changes_at=changes.earliest,
    )
    return frame, frame.changes_at


def _next_month_starts(now: datetime) -> datetime:
    today = timezone.localdate(now)
    first = date(today.year + today.month // 12, today.month % 12 + 1, 1)
    return timezone.make_aware(datetime.combine(first, time.min))


def navigation_html(links: tuple[tuple[str, str, str], ...], current) -> SafeString:
    """The sections' links, the current section's marked for screen readers."""
    return mark_safe(
        "".join(
            format_html('<li><a href="{}" aria-current="page">{}</a></li>', url, name)
            if slug == current
            else format_html('<li><a href="{}">{}</a></li>', url, name)
            for slug, name, url in links
        )
    )


def banner_html(news: BreakingNews | None) -> SafeString:
    """The "Eilmeldung" banner, while an article is flagged as one."""
    if news is None:
        return mark_safe("")
    return format_html(
        '<aside class="breaking-news" aria-label="{}"><div class="wrap">'
        '<a href="{}"><strong class="breaking-news__label">{}</strong> {}</a>'
        "</div></aside>",
        _("Eilmeldung"),
        news.url,
        _("Eilmeldung"),
        news.headline,
    )
