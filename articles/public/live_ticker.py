"""What readers get of a live ticker: its entries on the article page (the
newest first, older ones page by page) and the small endpoint the page
polls for what changed since it was built.

Nothing here decides visibility by itself: every read starts from the
article as `Article.objects.published()` finds it (an embargoed ticker has
no entries for anyone, a withdrawn one answers 410), and each part costs a
fixed number of queries at any ticker length: entries are read as one range
over (article, id), changes as one range over the history's ids.
"""

import hashlib
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseNotModified, JsonResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import quote_etag
from django.views.decorators.http import require_safe

from articles.models import Article, LiveEntry, LiveEntryChange
from articles.public.page_meta import (
    live_blog_changes,
    live_blog_update,
    live_blog_update_id,
    page_url,
)

# An entry or change id as a query value: one spelling each (cache keys).
ID_VALUE = re.compile(r"[1-9][0-9]{0,17}")


def parse_id(value: str | None) -> int | None:
    """A `?vor=`/`?seit=` value as an id; None when absent; 404 when not one."""
    if value is None:
        return None
    if value == "0":
        return 0
    if not ID_VALUE.fullmatch(value):
        raise Http404("not an entry id")
    return int(value)


@dataclass
class TickerPage:
    """One page of a ticker as readers see it."""

    article_id: int
    entries: list[LiveEntry]
    pinned: list[LiveEntry] = field(default_factory=list)
    key_events: list[LiveEntry] = field(default_factory=list)
    latest_change: int = 0
    before: int | None = None
    older_than: int | None = None  # the next page's `vor`, if there is one

    @property
    def newest_shown(self) -> int:
        return self.entries[0].pk if self.entries else 0


def latest_change_id(article_id: int) -> int:
    return (
        LiveEntryChange.objects.filter(article_id=article_id)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
        or 0
    )


def pinned_entries(article_id: int) -> list[LiveEntry]:
    return list(
        LiveEntry.objects.of_ticker(article_id)
        .filter(is_pinned=True)
        .for_display()
        .newest_first()[: settings.NEWSROOM_LIVE_TICKER_PAGE_SIZE]
    )


def key_events(article_id: int) -> list[LiveEntry]:
    return list(
        LiveEntry.objects.of_ticker(article_id)
        .filter(is_key_event=True)
        .newest_first()
        .only("pk", "article_id", "at", "title", "body")[
            : settings.NEWSROOM_LIVE_TICKER_KEY_EVENTS
        ]
    )


def entries_page(article_id: int, before: int | None) -> tuple[list, int | None]:
    """A page of entries older than entry `before` (None: the newest) and
    the next page's `before`. Raises Http404 for a `before` that is no
    entry of this ticker: each page is a cached copy, and only the
    ticker's own entries make pages."""
    size = settings.NEWSROOM_LIVE_TICKER_PAGE_SIZE
    if before is not None and (
        not LiveEntry.objects.of_ticker(article_id).filter(pk=before).exists()
    ):
        raise Http404("no such entry in this ticker")
    entries = LiveEntry.objects.page(article_id, before=before, size=size)
    older_than = entries[size - 1].pk if len(entries) > size else None
    return entries[:size], older_than


def ticker_page(article_id: int, *, before: int | None = None) -> TickerPage:
    """The entries older than entry `before` (None: the newest), with the
    pinned entries and key events on the first page. Five queries at most."""
    entries, older_than = entries_page(article_id, before)
    page = TickerPage(
        article_id=article_id,
        entries=entries,
        before=before,
        older_than=older_than,
        latest_change=latest_change_id(article_id),
    )
    if before is None:
        page.pinned = pinned_entries(article_id)
        page.key_events = key_events(article_id)
    return page


def ticker_html(article: Article, ticker: TickerPage) -> str:
    """The ticker's section under its article: summary, pinned entries and
    this page of entries (static/js/live_ticker.js adds new ones)."""
    return render_to_string(
        "articles/_live_ticker.html",
        {
            "article": article,
            "ticker": ticker,
            "ticker_updates_url": updates_url(article),
            "ticker_poll_seconds": settings.NEWSROOM_LIVE_TICKER_POLL_SECONDS,
        },
    )


def entry_html(entry: LiveEntry, *, pinned: bool = False) -> str:
    return render_to_string(
        "articles/_live_entry.html", {"entry": entry, "pinned": pinned}
    )


def pinned_html(entries: list[LiveEntry]) -> str:
    return "".join(entry_html(entry, pinned=True) for entry in entries)


def summary_html(entries: list[LiveEntry]) -> str:
    return render_to_string("articles/_live_summary.html", {"key_events": entries})


def entry_item(entry: LiveEntry, *, url: str) -> dict:
    """An entry for a reader's page: its markup, and its `liveBlogUpdate`
    for the page's JSON-LD (at `url`, the page's address for machines)."""
    return {
        "id": entry.pk,
        "html": entry_html(entry),
        "update": live_blog_update(entry, url=url),
    }


def changes_since(article: Article, since: int, latest: int, *, url: str) -> dict:
    """What changed after change `since`, for a reader's page: entries new
    or corrected (their markup and JSON-LD), entries removed, what the
    page's `LiveBlogPosting` says anew (`json_ld`), and, when anything
    changed, the pinned entries and the summary anew. At most five queries;
    more changes than a page holds ask the page to reload instead."""
    article_id = article.pk
    answer = {
        "latest": latest,
        "entries": [],
        "removed": [],
        "reload": False,
        "json_ld": {"set": live_blog_changes(article), "removed": []},
    }
    if since >= latest:
        return answer
    limit = settings.NEWSROOM_LIVE_TICKER_PAGE_SIZE
    changes = list(
        LiveEntryChange.objects.filter(article_id=article_id, pk__gt=since)
        .order_by("pk")
        .values_list("entry_id", flat=True)[: limit + 1]
    )
    if len(changes) > limit:
        answer["reload"] = True
        return answer
    entry_ids = list(dict.fromkeys(i for i in changes if i is not None))
    entries = {
        entry.pk: entry
        for entry in LiveEntry.objects.of_ticker(article_id)
        .filter(pk__in=entry_ids)
        .for_display()
    }
    for entry_id in sorted(entry_ids):
        if entry_id in entries:
            answer["entries"].append(entry_item(entries[entry_id], url=url))
        else:
            answer["removed"].append(entry_id)
            gone = live_blog_update_id(LiveEntry(pk=entry_id), url=url)
            answer["json_ld"]["removed"].append(gone)
    answer["pinned_html"] = pinned_html(pinned_entries(article_id))
    answer["summary_html"] = summary_html(key_events(article_id))
    return answer


def older_entries(article_id: int, before: int, *, url: str) -> dict:
    entries, older_than = entries_page(article_id, before)
    return {
        "entries": [entry_item(entry, url=url) for entry in entries],
        "older_than": older_than,
    }


def updates_url(article: Article) -> str:
    return reverse(
        "articles:live_ticker_updates",
        args=[article.section.slug, article.slug or "artikel", article.pk],
    )


def _cacheable(response: HttpResponse) -> HttpResponse:
    # Browsers and a CDN may keep it a few seconds: thousands of readers
    # polling one ticker cost the origin one request per few seconds.
    seconds = settings.NEWSROOM_LIVE_TICKER_CACHE_SECONDS
    if seconds > 0:
        patch_cache_control(response, public=True, max_age=seconds, s_maxage=seconds)
    else:
        patch_cache_control(response, no_cache=True)
    return response


def _etag(*parts) -> str:
    text = ":".join(str(part) for part in parts)
    return quote_etag(hashlib.sha256(text.encode()).hexdigest()[:32])


def _matches(request, etag: str) -> bool:
    sent = request.headers.get("If-None-Match", "")
    return any(tag.strip() in (etag, f"W/{etag}") for tag in sent.split(","))


# What the endpoint reads of the ticker: its state, its JSON-LD's dates
# (Article.content_modified_at) and its page's address.
TICKER_FIELDS = (
    "live_ended_at",
    "updated_at",
    "first_published_at",
    "published_at",
    "embargo_until",
    "canonical_url",
    "slug",
    "section__slug",
)


@require_safe
def live_ticker_updates(request, section: str, slug: str, pk: int):
    """JSON for a ticker page: `?seit=<change>` what changed since, or
    `?vor=<entry>` the page of entries before that one.

    Two queries when nothing changed (the article, its latest change), and
    304 Not Modified to a client that holds this answer already.
    """
    now = timezone.now()
    since = parse_id(request.GET.get("seit"))
    before = parse_id(request.GET.get("vor"))
    if (since is None) == (before is None) or before == 0:
        raise Http404("give ?seit= or ?vor=")
    article = (
        Article.objects.published(now)
        .filter(pk=pk, is_live_ticker=True)
        .select_related("section")
        .only(*TICKER_FIELDS)
        .first()
    )
    if article is None:
        if Article.objects.withdrawn().filter(pk=pk).exists():
            return _cacheable(JsonResponse({"gone": True}, status=410))
        return _cacheable(JsonResponse({"found": False}, status=404))
    url = page_url(article, request)
    latest = latest_change_id(pk)
    # Everything the answer is built from besides the entries, whose every
    # change moves `latest`: the JSON-LD's dates and the entries' @ids.
    etag = _etag(
        pk,
        latest,
        *live_blog_changes(article).values(),
        url,
        since,
        before,
        settings.LANGUAGE_CODE,
    )
    if _matches(request, etag):
        response = HttpResponseNotModified()
    else:
        if since is not None:
            answer = changes_since(article, since, latest, url=url)
        else:
            answer = older_entries(pk, before, url=url)
        answer["ended"] = article.live_ended_at is not None
        response = JsonResponse(answer)
    response["ETag"] = etag
    return _cacheable(response)
