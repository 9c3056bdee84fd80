"""The one off switch of the speed machinery."""

from django.conf import settings


def fast_path() -> bool:
    """Whether the per-process copies, memos and prepared queries serve.

    NEWSROOM_FAST_PATH=false (or `settings.NEWSROOM_FAST_PATH = False`) makes
    the plain ORM and template path serve instead: the way out when a Django
    upgrade breaks one of the internals this package relies on.
    """
    return settings.NEWSROOM_FAST_PATH
