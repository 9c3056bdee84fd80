"""Serving public pages from the whole-page cache.

A page is stored with the moment it changes by itself and expires then, or
after NEWSROOM_PAGE_CACHE_SECONDS, whichever is sooner; an editorial write
purges every page at once (articles/purging.py, the half writers import).

While a page is built, whatever it renders can add to what the cache must
know (`page_being_built()`): the rails that `teasers` renders under an
article add when they change and which sponsored slots they show, without
this room importing `teasers`.

Only anonymous GET/HEAD requests are served from or stored in the cache;
logged-in users (editors) always see a fresh page that no shared cache keeps.
While the shared cache cannot be reached every page is built (and still
tells a CDN how long it may keep it).
"""

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from time import monotonic

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control

from articles.purging import ChangeTimes, LocalPurges, current_generation
from newsroom.perf.page_copies import PageCopies

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


@dataclass
class PageBuild:
    """What the parts of a page being built add: when it changes by itself
    and facts needed on every serve."""

    at: datetime
    changes: ChangeTimes
    facts: dict = field(default_factory=dict)
    # Neither stored nor kept by a CDN: a page of which a client can ask
    # for more variants than the cache should hold.
    is_kept: bool = True


_page_build: ContextVar[PageBuild | None] = ContextVar("page_build", default=None)


def page_being_built() -> PageBuild | None:
    """The page whose markup is being rendered now, if it is a cached one."""
    return _page_build.get()


def _build_page(build: Callable[[datetime], BuiltPage], now: datetime) -> BuiltPage:
    page = PageBuild(at=now, changes=ChangeTimes(now))
    token = _page_build.set(page)
    try:
        response, changes_at, facts = build(now)
    finally:
        _page_build.reset(token)
    page.changes.add(changes_at)
    earliest = page.changes.earliest if page.is_kept else now
    return response, earliest, {**page.facts, **facts}


# Per request, the generation read once (see PageCacheMiddleware): a list
# holding it once read, None outside a request.
_request_generation: ContextVar[list | None] = ContextVar(
    "request_generation", default=None
)


class PageCacheMiddleware:
    """Reads the cache generation at most once per request.

    A page shows several fragments; one round trip to the shared cache per
    request is enough to see a purge. Outside a request (commands, tests
    calling functions directly) it is read every time.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_generation.set([])
        try:
            return self.get_response(request)
        finally:
            _request_generation.reset(token)


def _generation() -> str | None:
    read = _request_generation.get()
    if read:
        return read[0]
    generation = _recent_generation()
    if read is not None:
        read.append(generation)
    return generation


class KeptGeneration:
    """The generation this process read last, kept for
    NEWSROOM_PAGE_GENERATION_SECONDS: a cached page served from this
    process's copy then needs no round trip to the shared cache at all (the
    round trip was a fifth of such a request). A purge made elsewhere
    reaches this process that much later; one made here at once. Relies on
    nothing of Django's: kept on both paths of NEWSROOM_FAST_PATH; 0
    seconds reads it on every request."""

    # (generation, monotonic time read, LocalPurges.count when read)
    kept: tuple[str, float, int] | None = None

    @classmethod
    def forget(cls) -> None:
        """Read the generation again on the next request (tests clear the
        cache between them, as another machine's purge would)."""
        cls.kept = None


def _recent_generation() -> str | None:
    seconds = settings.NEWSROOM_PAGE_GENERATION_SECONDS
    kept = KeptGeneration.kept
    now = monotonic()
    if (
        kept is not None
        and seconds > 0
        and now - kept[1] < seconds
        and kept[2] == LocalPurges.count
        and not LocalPurges.pending
    ):
        return kept[0]
    purges = LocalPurges.count
    generation = current_generation()
    # Never kept while the cache cannot be reached (None): then every read
    # asks again, and the first one that gets through is a recovery.
    KeptGeneration.kept = (generation, now, purges) if generation else None
    return generation


_local_copies = PageCopies()


def _cached_page(name: str) -> tuple[str | None, "CachedPage | None"]:
    """The current cache key for page `name` and what is stored under it.

    (None, None) while the shared cache cannot be reached: the page is
    built, and neither stored nor read from this process's copies.
    """
    generation = _generation()
    if generation is None:
        return None, None
    prefix = f"pages:{generation}:"
    key = prefix + name
    return key, _local_copies.of_generation(
        generation, prefix, key, lambda: cache.get(key)
    )


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
        response, _changes_at, facts = _build_page(build, now)
        patch_shared_cache_headers(response, 0)
        return response, facts

    # Pages carry absolute URLs: each origin (scheme and allowed host) has
    # its own copy.
    key, page = _cached_page(f"{request.scheme}://{request.get_host()}/{name}")
    if page is None or page.expires_at <= now:
        response, changes_at, facts = _build_page(build, now)
        seconds = settings.NEWSROOM_PAGE_CACHE_SECONDS
        if changes_at is not None:
            seconds = min(seconds, _seconds_until(changes_at, now))
        if (
            key is not None
            and seconds > 0
            and response.status_code == 200
            and not response.cookies
        ):
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


def serve_uncached_page(
    request: HttpRequest, build: Callable[[datetime], BuiltPage]
) -> HttpResponse:
    """A page with a variant per query value, too many to store: built on
    every request. A CDN may keep it as long as it would a stored page."""
    now = timezone.now()
    response, changes_at, _facts = _build_page(build, now)
    seconds = settings.NEWSROOM_PAGE_CACHE_SECONDS if is_cacheable(request) else 0
    if changes_at is not None:
        seconds = min(seconds, _seconds_until(changes_at, now))
    patch_shared_cache_headers(response, seconds)
    return response


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
        if key is not None and seconds > 0:
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
