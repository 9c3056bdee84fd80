"""The one off switch of the speed machinery."""

from django.conf import settings


def fast_path() -> bool:
    """Whether the helpers that rely on Django internals serve: prepared
    queries, address formats, the reused Redis client, the admin's rows and
    the memos keyed by what Django's templates read.

    NEWSROOM_FAST_PATH=false (or `settings.NEWSROOM_FAST_PATH = False`) makes
    the plain ORM, reverse() and Django's own Redis client serve instead: the
    way out when a Django upgrade breaks one of the internals this package
    relies on. The other memos and the page copies rely on none and serve
    either way (newsroom/perf/__init__.py).
    """
    return settings.NEWSROOM_FAST_PATH
