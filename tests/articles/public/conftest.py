import pytest


@pytest.fixture(autouse=True)
def on_both_paths(both_paths):
    """Public pages must come out the same with and without the speed
    helpers (NEWSROOM_FAST_PATH), so that switching them off is safe."""
    return both_paths
