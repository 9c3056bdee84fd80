"""The search page's query: one results page of a full-text match
(articles/fulltext.py) under a time limit, so a common word on a large
archive answers "took too long" instead of holding a worker.
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Page
from django.db import OperationalError, connection, transaction

from articles.public.pagination import CappedPaginator

# Longer input is a form error; it also bounds the work a query can ask for.
MAX_QUERY_LENGTH = 200

# SQLite: how many virtual machine steps pass between two clock checks.
PROGRESS_STEPS = 1000


class SearchTimedOut(Exception):
    """The database took longer than NEWSROOM_SEARCH_TIMEOUT_MS."""


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


def search_articles(articles, *, page_number: str | int | None) -> SearchResults:
    """Page `page_number` of `articles` as teaser rows, under the time limit.

    Raises InvalidPage past the last page (at most NEWSROOM_SEARCH_MAX_PAGES)
    and SearchTimedOut when counting or fetching exceeds
    NEWSROOM_SEARCH_TIMEOUT_MS.
    """
    paginator = CappedPaginator(
        articles.teaser_rows(),
        settings.NEWSROOM_SEARCH_PAGE_SIZE,
        max_pages=settings.NEWSROOM_SEARCH_MAX_PAGES,
    )
    with time_limit(settings.NEWSROOM_SEARCH_TIMEOUT_MS):
        page = paginator.page(page_number or 1)
        page.object_list = list(page.object_list)
    return SearchResults(page=page, is_capped=paginator.is_capped)
