"""When cached public pages stop being true: purges and change times.

The low half of the page cache, the half that writers need. Every editorial
write purges every cached page at once by moving the cache generation:
cheap, and nothing can be forgotten when a write touches several pages.
Pages also expire by themselves at the moment they change without a write
(a scheduled article going live, a badge or pin running out); `ChangeTimes`
collects those moments while a page is built.

Services, importers and the admin import this module only; serving pages
from the cache is the public room's business (articles/public/page_cache.py).
"""

import threading
import uuid
from datetime import datetime
from weakref import WeakKeyDictionary

from django.core.cache import cache
from django.db import transaction

GENERATION_KEY = "pages:generation"


class ChangeTimes:
    """Collects the future moments at which a page stops being true."""

    def __init__(self, at: datetime):
        self.at = at
        self.earliest: datetime | None = None

    def add(self, moment: datetime | None) -> None:
        if moment and moment > self.at:
            self.earliest = min(self.earliest or moment, moment)


def current_generation() -> str | None:
    """The generation cached pages are stored under; a purge moves it.

    None while the shared cache cannot be reached: then no page may be read
    from or stored in any cache (not even this process's copies), since a
    purge may be waiting for Redis to come back (see `purge_after_outage`).
    """
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        generation = cache.get(GENERATION_KEY)
    return generation


class LocalPurges:
    """Counts this process's purges: a process that keeps the generation it
    read for a moment (articles/public/page_cache.py) reads it again after
    a purge of its own, reached or not. Counted before and after the new
    generation is written, so that a generation read in between is not
    kept under the count of the purge that replaced it. While a purge of
    this process has not reached Redis (`pending`), no generation is kept:
    every request asks, so that the thread that owes the purge after the
    outage (each thread has its own cache connection) meets Redis soon."""

    count = 0
    pending = False
    _lock = threading.Lock()

    @classmethod
    def note(cls, *, reached: bool | None = None) -> None:
        with cls._lock:
            cls.count += 1
            if reached is not None:
                cls.pending = not reached


def purge_pages() -> bool:
    """Forget every cached page (after an editorial write).

    False if the shared cache could not be reached: the backend then purges
    when it reaches Redis again (`purge_after_outage`), in this process.
    """
    LocalPurges.note()
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)
    # Any generation read back is a purge: a newer one is another's purge.
    reached = cache.get(GENERATION_KEY) is not None
    LocalPurges.note(reached=reached)
    return reached


def purge_after_outage(sender, **kwargs) -> None:
    """Receiver of newsroom.cache.reachable_again.

    A Redis back from an outage may still hold the old generation and its
    pages (thawed, or restarted from a snapshot) while the purges of the
    writes made meanwhile never reached it; every process that saw the
    outage purges before it reads anything from the cache again.
    """
    purge_pages()


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
