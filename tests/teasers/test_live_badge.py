"""A running live ticker's teaser says "Live" (teasers/badges.py), on the
front page's rails and in lists; "Ticker beendet" ends it at once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.workflow import live_ticker
from teasers.badges import Badge, badge_for
from tests.factories import ArticleFactory, RailFactory, RailItemFactory

NOW = timezone.now()
LIVE = '<span class="badge badge--live">Live</span>'


def test_live_comes_after_eil_and_before_top():
    old = NOW - timedelta(days=2)
    common = {"first_published_at": old, "updated_at": NOW, "at": NOW}
    assert badge_for(is_top=True, is_live_ticker=True, **common) == Badge.LIVE
    assert (
        badge_for(
            is_top=False,
            is_live_ticker=True,
            breaking_until=NOW + timedelta(minutes=5),
            **common,
        )
        == Badge.BREAKING
    )
    ended = badge_for(
        is_top=True, is_live_ticker=True, live_ended_at=NOW - timedelta(1), **common
    )
    assert ended == Badge.TOP
    assert badge_for(is_top=False, is_live_ticker=False, **common) == Badge.UPDATE


@pytest.mark.django_db
def test_front_page_and_section_show_live_until_the_ticker_ends(
    client, settings, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 3600
    ticker = ArticleFactory(is_live_ticker=True, is_top=True)
    RailItemFactory(rail=RailFactory(slug="top"), article=ticker)
    pages = ["/", ticker.section.get_absolute_url()]
    for page in pages:
        assert LIVE in client.get(page).content.decode(), page
    with django_capture_on_commit_callbacks(execute=True):
        live_ticker.end_live_ticker(ticker, by=None)
    for page in pages:
        html = client.get(page).content.decode()
        assert LIVE not in html and "badge--top" in html, page
