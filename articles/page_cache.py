"""Whole-page cache for public pages that knows when a page stops being true.

A page is stored with the moment it changes by itself (a scheduled article
going live, a pin or a badge expiring, a flight starting or ending) and
expires then, or after NEWSROOM_PAGE_CACHE_SECONDS, whichever is sooner.
Editorial writes purge every page at once by moving the cache generation:
cheap, and nothing can be forgotten when a write touches several pages.

Only anonymous GET/HEAD requests are served from or stored in the cache;
logged-in users (editors) always see a fresh page that no shared cache keeps.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from weakref import WeakKeyDictionary

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control

GENERATION_KEY = "pages:generation"

# What a page builder returns: the response, when the page changes by itself
# (None: not by itself), and facts the view needs on every serve (such as
# the sponsored slots shown, whose impressions count on cache hits too).
type BuiltPage = tuple[HttpResponse, datetime | None, dict]


@dataclass(frozen=True)
class CachedPage:
    content: bytes
    content_type: str
    expires_at: datetime
    facts: dict = field(default_factory=dict)

    def seconds_left(self, at: datetime) -> int:
        return max(0, int((self.expires_at - at).total_seconds()))


class ChangeTimes:
    """Collects the future moments at which a page stops being true."""

    def __init__(self, at: datetime):
        self.at = at
        self.earliest: datetime | None = None

    def add(self, moment: datetime | None) -> None:
        if moment and moment > self.at:
            self.earliest = min(self.earliest or moment, moment)


def purge_pages() -> None:
    """Forget every cached page (after an editorial write)."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


class PagePurge:
    """The purge of one transaction's writes: every write schedules it for
    the commit, and it purges once, when the first of them runs."""

    def __init__(self):
        self.done = False

    def __call__(self) -> None:
        if not self.done:
            self.done = True
            purge_pages()


# Per connection, the purge its current transaction's writes share.
_shared_purges: WeakKeyDictionary = WeakKeyDictionary()


def purge_pages_on_commit() -> None:
    """Purge every page once the current transaction commits.

    Once however many writes the transaction holds (an import batch saves
    hundreds of stories in one): they all schedule the same `PagePurge`.
    Nothing is decided while scheduling, so a rollback leaves no flag
    behind: Django drops the callbacks of a part that rolled back, a purge
    is `done` only once it has run, and a done one is never shared again.
    """
    connection = transaction.get_connection()
    purge = _shared_purges.get(connection)
    if purge is None or purge.done:
        purge = _shared_purges[connection] = PagePurge()
    transaction.on_commit(purge)


class _Generation:
    # The generation this process saw last: usually still current, so the
    # page can be fetched in the same round trip as the generation itself.
    last_seen: str | None = None


def _cached_page(name: str) -> tuple[str, "CachedPage | None"]:
    """The current cache key for page `name` and what is stored under it."""
    guess = _Generation.last_seen
    keys = [GENERATION_KEY]
    if guess:
        keys.append(f"pages:{guess}:{name}")
    found = cache.get_many(keys)
    generation = found.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        generation = cache.get(GENERATION_KEY)
    _Generation.last_seen = generation
    key = f"pages:{generation}:{name}"
    if generation == guess:
        return key, found.get(key)
    return key, cache.get(key)


def is_cacheable(request: HttpRequest) -> bool:
    return (
        settings.NEWSROOM_PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
    )


def serve_cached_page(
    request: HttpRequest, name: str, build: Callable[[datetime], BuiltPage]
) -> tuple[HttpResponse, dict]:
    """The page `name` from the cache, or built by `build(now)` and stored.

    Returns the response with its Cache-Control set and the page's facts.
    """
    now = timezone.now()
    if not is_cacheable(request):
        response, _changes_at, facts = build(now)
        patch_shared_cache_headers(response, 0)
        return response, facts

    # Pages carry absolute URLs: each (allowed) host has its own copy.
    key, page = _cached_page(f"{request.get_host()}/{name}")
    if page is None or page.expires_at <= now:
        response, changes_at, facts = build(now)
        seconds = settings.NEWSROOM_PAGE_CACHE_SECONDS
        if changes_at is not None:
            seconds = min(seconds, _seconds_until(changes_at, now))
        if seconds > 0 and response.status_code == 200 and not response.cookies:
            page = CachedPage(
                content=response.content,
                content_type=response["Content-Type"],
                expires_at=now + timedelta(seconds=seconds),
                facts=facts,
            )
            cache.set(key, page, seconds)
        patch_shared_cache_headers(response, seconds)
        return response, facts

    response = HttpResponse(page.content, content_type=page.content_type)
    patch_shared_cache_headers(response, page.seconds_left(now))
    return response, page.facts


def cached_fragment[T](
    name: str, build: Callable[[datetime], tuple[T, datetime | None]]
) -> T:
    """What `build(now)` returns, shared by every page that shows it.

    Stored like pages (purged by every editorial write, expiring when it
    changes by itself) but for NEWSROOM_FRAGMENT_CACHE_SECONDS at most, so a
    shared part such as the rails under articles is built once for all the
    pages that show it, also while the pages themselves are not cached.
    """
    now = timezone.now()
    seconds = settings.NEWSROOM_FRAGMENT_CACHE_SECONDS
    if seconds <= 0:
        return build(now)[0]
    key, stored = _cached_page(f"fragment/{name}")
    if stored is not None and stored[1] > now:
        return stored[0]
    value, changes_at = build(now)
    if changes_at is not None:
        seconds = min(seconds, _seconds_until(changes_at, now))
    if seconds > 0:
        cache.set(key, (value, now + timedelta(seconds=seconds)), seconds)
    return value


def _seconds_until(moment: datetime, now: datetime) -> int:
    return max(0, int((moment - now).total_seconds()))


def patch_shared_cache_headers(response: HttpResponse, shared_seconds: int) -> None:
    """Let a CDN keep the response `shared_seconds` (0: nobody may keep it)."""
    if shared_seconds > 0:
        # Browsers revalidate; a CDN may keep the page until it changes.
        patch_cache_control(response, public=True, max_age=0, s_maxage=shared_seconds)
    else:
        patch_cache_control(response, private=True, no_store=True)


class PurgesPageCacheAdmin:
    """ModelAdmin mixin: every admin write purges the public page cache."""

    # Not in save_model: the admin calls save_related after it on every save
    # (forms and list_editable alike), and once per save is enough.
    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        purge_pages_on_commit()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        purge_pages_on_commit()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        purge_pages_on_commit()
