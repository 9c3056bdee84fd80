"""This process's copies of cached pages and fragments.

The rails under articles are some 60 KB, a page some 80; fetching and
unpickling them from Redis on every request was a third of an uncached
article page and most of a cached one. The generation (a few bytes) comes
from the shared cache, kept by the process for at most
NEWSROOM_PAGE_GENERATION_SECONDS (articles/public/page_cache.py), so a purge
reaches every process within that time; a copy is used only while its
generation is current. The least
recently used copies go first beyond NEWSROOM_PAGE_COPIES_PER_PROCESS.

The copies rely on nothing of Django's (the cache's get() and the
settings), so they serve on both paths of NEWSROOM_FAST_PATH;
NEWSROOM_PAGE_COPIES_PER_PROCESS=0 keeps none.
"""

from collections.abc import Callable

from django.conf import settings

from newsroom.perf.lru import LeastRecentlyUsed


class PageCopies(LeastRecentlyUsed):
    """Cache key → value, for the keys of one generation at a time."""

    def __init__(self):
        super().__init__(self._size)
        self.generation: str | None = None
        self.prefix = ""

    @staticmethod
    def _size() -> int:
        return settings.NEWSROOM_PAGE_COPIES_PER_PROCESS

    def of_generation(
        self, generation: str, prefix: str, key: str, fetch: Callable[[], object]
    ):
        """The copy under `key`, else `fetch()`'s value, kept if not None.

        `prefix` is what every key of `generation` starts with.
        """
        if self.generation != generation:
            self.clear()
            self.generation, self.prefix = generation, prefix
        value = self.get(key)
        if value is None and (value := fetch()) is not None:
            self.put(key, value)
        return value

    def put(self, key: str, value) -> None:
        # Keys carry their generation: a copy of an older one is dropped.
        if self.prefix and key.startswith(self.prefix):
            super().put(key, value)
