"""Whole-page cache for public pages that knows when a page stops being true.

A page is stored with the moment it changes by itself (a scheduled article
going live, a pin or a badge expiring, a flight starting or ending) and
expires then, or after NEWSROOM_PAGE_CACHE_SECONDS, whichever is sooner.
Editorial writes purge every page at once by moving the cache generation:
cheap, and nothing can be forgotten when a write touches several pages.

Only anonymous GET/HEAD requests are served from or stored in the cache;
logged-in users (editors) always see a fresh page that no shared cache keeps.
"""

import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from weakref import WeakKeyDictionary

from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control

from articles.lru import LeastRecentlyUsed

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


def _cached_page(name: str) -> tuple[str, "CachedPage | None"]:
    """The current cache key for page `name` and what is stored under it."""
    generation = _current_generation()
    key = f"pages:{generation}:{name}"
    return key, _local_copies.of_generation(generation, key, lambda: cache.get(key))


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

    # Pages carry absolute URLs: each origin (scheme and allowed host) has
    # its own copy.
    key, page = _cached_page(f"{request.scheme}://{request.get_host()}/{name}")
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
            _local_copies.put(key, page)
        patch_shared_cache_headers(response, seconds)
        return response, facts

    response = HttpResponse(page.content, content_type=page.content_type)
    patch_shared_cache_headers(response, page.seconds_left(now))
    return response, page.facts


class _LocalCopies(LeastRecentlyUsed):
    """This process's copies of pages and fragments of the current generation.

    The rails under articles are some 60 KB, a page some 80; fetching and
    unpickling them from Redis on every request was a third of an uncached
    article page and most of a cached one. Each request still asks the
    shared cache for the generation (a few bytes), so a purge reaches every
    process at once; a copy is used only while its generation is current.
    The least recently used copies go first beyond
    NEWSROOM_PAGE_COPIES_PER_PROCESS.
    """

    def __init__(self):
        super().__init__(lambda: settings.NEWSROOM_PAGE_COPIES_PER_PROCESS)
        self.generation: str | None = None

    def of_generation(self, generation: str, key: str, fetch: Callable[[], object]):
        """The copy under `key`, else `fetch()`'s value, kept if not None."""
        if self.generation != generation:
            self.clear()
            self.generation = generation
        value = self.get(key)
        if value is None and (value := fetch()) is not None:
            self.put(key, value)
        return value

    def put(self, key: str, value) -> None:
        # Keys carry their generation: a copy of an older one is dropped.
        if key.startswith(f"pages:{self.generation}:"):
            super().put(key, value)


_local_copies = _LocalCopies()


class _RequestGeneration(threading.local):
    """The generation read during the request this thread is serving.

    A page shows several fragments; one round trip to the shared cache per
    request is enough to see a purge. Outside a request (commands, tests
    calling functions directly) it is read every time.
    """

    in_request = False
    generation: str | None = None


_request_generation = _RequestGeneration()


@receiver(request_started)
def _request_begins(**kwargs):
    _request_generation.in_request = True
    _request_generation.generation = None


@receiver(request_finished)
def _request_ends(**kwargs):
    _request_generation.in_request = False
    _request_generation.generation = None


def _current_generation() -> str:
    if _request_generation.generation is not None:
        return _request_generation.generation
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        generation = cache.get(GENERATION_KEY)
    if _request_generation.in_request:
        _request_generation.generation = generation
    return generation


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
    if stored is None or stored[1] <= now:
        value, changes_at = build(now)
        if changes_at is not None:
            seconds = min(seconds, _seconds_until(changes_at, now))
        stored = (value, now + timedelta(seconds=seconds))
        if seconds > 0:
            cache.set(key, stored, seconds)
            _local_copies.put(key, stored)
    return stored[0]


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
