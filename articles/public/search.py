"""The search page's query: one results page of a full-text match
(articles/fulltext.py) under a time limit, so a common word on a large
archive answers "took too long" instead of holding a worker; and how many
searches one anonymous client may send.
"""

import contextlib
import enum
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import OperationalError, connection, transaction
from django.http import HttpRequest

from articles.public.rate_limits import retry_after, running_at_once
from newsroom.pagination import CappedPaginator

# Longer input is a form error; it also bounds the work a query can ask for.
MAX_QUERY_LENGTH = 200

# SQLite: how many virtual machine steps pass between two clock checks.
PROGRESS_STEPS = 1000


class SearchTimedOut(Exception):
    """The database took longer than the search's time limit."""


def search_time_limit_ms(request: HttpRequest) -> int:
    """Readers' searches hold a web worker at most this long; staff, who
    search the archive for their work, may wait longer."""
    if request.user.is_staff:
        return settings.NEWSROOM_SEARCH_STAFF_TIMEOUT_MS
    return settings.NEWSROOM_SEARCH_TIMEOUT_MS


class SearchSlot(enum.Enum):
    GRANTED = "granted"
    # The client's own earlier search still runs.
    CLIENT_BUSY = "client busy"
    # NEWSROOM_SEARCH_CONCURRENCY readers' searches run already.
    SITE_BUSY = "site busy"


@contextmanager
def search_slot(request: HttpRequest) -> Iterator[SearchSlot]:
    """A block in which the request may search, if it is GRANTED.

    An anonymous client may have NEWSROOM_SEARCH_CLIENT_CONCURRENCY searches
    running, and all of them together NEWSROOM_SEARCH_CONCURRENCY, so that
    searches never occupy every web worker; staff search freely.
    """
    if request.user.is_authenticated:
        yield SearchSlot.GRANTED
        return
    # Well after any search has ended (time limit plus rendering).
    expires = max(10, 2 * settings.NEWSROOM_SEARCH_TIMEOUT_MS // 1000)
    with contextlib.ExitStack() as slots:
        if not slots.enter_context(
            running_at_once(
                "search",
                limit=settings.NEWSROOM_SEARCH_CLIENT_CONCURRENCY,
                expires=expires,
                request=request,
            )
        ):
            yield SearchSlot.CLIENT_BUSY
        # Only a client within its own limit takes a place among all, so
        # that one client's flood cannot crowd the others out.
        elif not slots.enter_context(
            running_at_once(
                "search", limit=settings.NEWSROOM_SEARCH_CONCURRENCY, expires=expires
            )
        ):
            yield SearchSlot.SITE_BUSY
        else:
            yield SearchSlot.GRANTED


def search_retry_after(request: HttpRequest) -> int:
    """0 when the request may search; else the seconds its (anonymous)
    client must wait, having sent NEWSROOM_SEARCH_RATE searches in the
    current NEWSROOM_SEARCH_RATE_SECONDS."""
    if request.user.is_authenticated:
        return 0
    return retry_after(
        request,
        "search",
        limit=settings.NEWSROOM_SEARCH_RATE,
        seconds=settings.NEWSROOM_SEARCH_RATE_SECONDS,
    )


@contextmanager
def time_limit(milliseconds: int) -> Iterator[None]:
    """Stop the block's queries after `milliseconds`; raise SearchTimedOut."""
    if connection.vendor == "postgresql":
        try:
            # SET LOCAL ends with the transaction, so the block gets its own.
            # Inside an outer transaction (tests, ATOMIC_REQUESTS) it is a
            # savepoint, and the limit lasts until the outer one ends.
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute(f"SET LOCAL statement_timeout = {int(milliseconds)}")
                    # One search, one core: parallel workers would take the
                    # cores the pages need (and, measured on 2 cores, made
                    # a search two to three times slower, not faster).
                    cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
                yield
        except OperationalError as error:
            if getattr(error.__cause__, "sqlstate", None) == "57014":
                raise SearchTimedOut from error
            raise
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        sqlite = connection.connection
        deadline = time.monotonic() + milliseconds / 1000
        stopped = False

        def stop_when_late() -> int:
            nonlocal stopped
            stopped = time.monotonic() >= deadline
            return stopped  # non-zero interrupts the running statement

        sqlite.set_progress_handler(stop_when_late, PROGRESS_STEPS)
        try:
            yield
        except OperationalError as error:
            if stopped:
                raise SearchTimedOut from error
            raise
        finally:
            sqlite.set_progress_handler(None, PROGRESS_STEPS)
    else:
        yield


@dataclass(frozen=True)
class SearchResults:
    page: Page
    # More articles matched than the pages may show.
    is_capped: bool

    @property
    def rows(self) -> list[dict]:
        return self.page.object_list

    @property
    def count(self) -> int:
        return self.page.paginator.count


def search_articles(
    articles, *, page_number: str | int | None, time_limit_ms: int, ranked: bool
) -> SearchResults:
    """Page `page_number` of `articles` as teaser rows, under the time limit.

    `ranked`: `articles` is a full-text match, which holds at most
    NEWSROOM_SEARCH_CANDIDATES rows (ArticleQuerySet.matching): they are
    read in one query and paged here, so the database finds the candidates
    once, not again for a count. Otherwise (filters only) the page is read
    and counted up to NEWSROOM_SEARCH_MAX_PAGES.

    Raises InvalidPage past the last page and SearchTimedOut when counting
    and fetching take longer than `time_limit_ms`.
    """
    page_size = settings.NEWSROOM_SEARCH_PAGE_SIZE
    max_pages = settings.NEWSROOM_SEARCH_MAX_PAGES
    with time_limit(time_limit_ms):
        if ranked:
            limit = page_size * max_pages
            rows = list(articles.teaser_rows()[: limit + 1])
            page = Paginator(rows[:limit], page_size).page(page_number or 1)
            return SearchResults(page=page, is_capped=len(rows) > limit)
        paginator = CappedPaginator(
            articles.teaser_rows(), page_size, max_pages=max_pages
        )
        page = paginator.page(page_number or 1)
        page.object_list = list(page.object_list)
    return SearchResults(page=page, is_capped=paginator.is_capped)
