"""The one off switch of the speed machinery."""

from django.conf import settings


def fast_path() -> bool:
    """Whether the helpers that rely on Django internals serve (which they
    are, and which serve either way: newsroom/perf/__init__.py).

    NEWSROOM_FAST_PATH=false (or `settings.NEWSROOM_FAST_PATH = False`) makes
    Django's own code serve instead: the way out when a Django upgrade breaks
    one of the internals this package relies on.
    """
    return settings.NEWSROOM_FAST_PATH
