"""A bounded, thread-safe mapping for what a web process keeps in memory."""

import threading
from collections import OrderedDict
from collections.abc import Callable


class LeastRecentlyUsed:
    """Key → value; beyond `size` entries the least recently used go.

    `size` may be a callable, read on every insert (a setting that tests
    change). A size of 0 or less keeps nothing.
    """

    def __init__(self, size: int | Callable[[], int]):
        self.size = size if callable(size) else lambda: size
        self.entries: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key, default=None):
        with self.lock:
            if key not in self.entries:
                return default
            self.entries.move_to_end(key)
            return self.entries[key]

    def put(self, key, value) -> None:
        size = self.size()
        with self.lock:
            if size <= 0:
                return
            self.entries[key] = value
            self.entries.move_to_end(key)
            while len(self.entries) > size:
                self.entries.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
