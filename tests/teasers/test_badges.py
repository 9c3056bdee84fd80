from datetime import timedelta

import pytest
from django.utils import timezone

from teasers.badges import Badge, badge_for

NOW = timezone.now()


@pytest.mark.parametrize(
    ("is_top", "first_published", "updated", "expected"),
    [
        (True, NOW - timedelta(days=3), None, Badge.TOP),
        (True, NOW - timedelta(hours=1), NOW, Badge.TOP),
        (False, NOW - timedelta(hours=5, minutes=59), None, Badge.NEW),
        (False, NOW - timedelta(hours=6), None, None),
        (False, NOW - timedelta(days=2), NOW - timedelta(hours=1), Badge.UPDATE),
        (False, NOW - timedelta(days=2), NOW - timedelta(hours=7), None),
        (False, NOW - timedelta(hours=2), NOW - timedelta(hours=1), Badge.UPDATE),
        (False, None, None, None),
        (False, NOW + timedelta(hours=1), None, None),
    ],
    ids=[
        "top-wins",
        "top-wins-over-update",
        "new-within-window",
        "new-window-ends",
        "update-within-window",
        "update-window-ends",
        "update-beats-new",
        "never-published",
        "future",
    ],
)
def test_badge_rules(settings, is_top, first_published, updated, expected):
    settings.NEWSROOM_NEW_BADGE_HOURS = 6
    settings.NEWSROOM_UPDATE_BADGE_HOURS = 6
    badge = badge_for(
        is_top=is_top, first_published_at=first_published, updated_at=updated, at=NOW
    )
    assert badge == expected


def test_new_window_is_configurable(settings):
    settings.NEWSROOM_NEW_BADGE_HOURS = 1
    badge = badge_for(
        is_top=False,
        first_published_at=NOW - timedelta(hours=2),
        updated_at=None,
        at=NOW,
    )
    assert badge is None
