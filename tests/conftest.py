import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def counter_dir(settings, tmp_path):
    """Counts go to a file buffer of the test's own (see test_counting)."""
    settings.NEWSROOM_COUNTER_BUFFER = "file"
    settings.NEWSROOM_COUNTER_DIR = tmp_path / "counters"
    settings.NEWSROOM_COUNTER_PUSH_SECONDS = 0
    return settings.NEWSROOM_COUNTER_DIR


@pytest.fixture(autouse=True)
def empty_cache():
    # The local-memory cache outlives a test; cached pages must not.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def count_queries():
    """Run `action` and return how many queries it made."""

    def count(action) -> int:
        with CaptureQueriesContext(connection) as captured:
            action()
        return len(captured.captured_queries)

    return count
