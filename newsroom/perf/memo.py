"""One memo for pure markup: a function's result kept per argument value.

Markup that is a pure function of plain values (a frozen teaser, a photo's
figure, the navigation, every field of every row an article element is
rendered from) is rendered once per process and value; a changed value is
a new key, so the memo cannot be stale. Like `functools.lru_cache`, but the
size is read when used (a setting; 0 renders every time).

A memo relies on nothing of Django's, so it serves on both paths of
NEWSROOM_FAST_PATH, unless its key does: a key that lists what one of
Django's own templates reads (the admin's sidebar) is marked
`uses_django_internals`, and NEWSROOM_FAST_PATH=false renders every time.
"""

from collections.abc import Callable
from functools import wraps

from newsroom.perf.lru import LeastRecentlyUsed
from newsroom.perf.switch import fast_path

_MISSING = object()


def memoize[**P, T](
    size: int | Callable[[], int],
    key: Callable[P, object] | None = None,
    *,
    uses_django_internals: bool = False,
) -> Callable[[Callable[P, T]], Callable[P, T]]:
    """Decorator: keep `size` results, by `key(*args)` (default: the args)."""

    def decorate(render: Callable[P, T]) -> Callable[P, T]:
        memo = LeastRecentlyUsed(size)

        @wraps(render)
        def memoized(*args: P.args, **kwargs: P.kwargs) -> T:
            if uses_django_internals and not fast_path():
                return render(*args, **kwargs)
            memo_key = key(*args, **kwargs) if key else (args, tuple(kwargs.items()))
            value = memo.get(memo_key, _MISSING)
            if value is _MISSING:
                value = render(*args, **kwargs)
                memo.put(memo_key, value)
            return value

        memoized.memo = memo
        return memoized

    return decorate
