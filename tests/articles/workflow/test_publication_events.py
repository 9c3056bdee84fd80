import pickle
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from articles.models import JobMark
from articles.purging import GENERATION_KEY, current_generation
from articles.workflow import services
from articles.workflow.publication_events import OVERLAP, process_publication_events
from tests.factories import ArticleFactory, RailItemFactory

pytestmark = pytest.mark.django_db


def test_catches_up_on_what_went_live_and_was_withdrawn_once():
    now = timezone.now()
    JobMark.objects.create(
        name="publication_events", done_until=now - timedelta(hours=2)
    )
    scheduled = ArticleFactory(published_at=now - timedelta(hours=1))
    embargoed = ArticleFactory(
        published_at=now - timedelta(hours=5), embargo_until=now - timedelta(minutes=5)
    )
    ArticleFactory(published_at=now - timedelta(hours=3))  # live before the mark
    future = ArticleFactory(published_at=now + timedelta(hours=1))
    withdrawn = ArticleFactory()
    services.withdraw_article(withdrawn, by=None, reason="Fehler")

    events = process_publication_events(at=now + timedelta(seconds=1))
    assert sorted(events.went_live) == sorted([scheduled.pk, embargoed.pk])
    assert events.withdrawn == [withdrawn.pk]

    # The next run looks a few minutes back (late commits) and may repeat a
    # side effect once; after that the events are behind it.
    process_publication_events(at=now + OVERLAP + timedelta(seconds=2))
    again = process_publication_events(at=now + 2 * OVERLAP + timedelta(seconds=3))
    assert (again.went_live, again.withdrawn) == ([], [])
    later = process_publication_events(at=now + timedelta(hours=2))
    assert later.went_live == [future.pk]


def test_publishing_now_with_a_past_time_counts_as_going_live_now():
    now = timezone.now()
    JobMark.objects.create(name="publication_events", done_until=now)
    article = ArticleFactory(draft=True, published_at=now - timedelta(hours=3))
    services.publish_article(article, by=None)
    events = process_publication_events(at=timezone.now() + timedelta(seconds=1))
    assert events.went_live == [article.pk]


def test_a_scheduled_article_going_live_purges_cached_pages(client, count_queries):
    now = timezone.now()
    RailItemFactory(article__published_at=now + timedelta(seconds=30))
    client.get("/")
    assert count_queries(lambda: client.get("/")) == 0  # served from the cache
    events = process_publication_events(at=now + timedelta(seconds=31))
    assert len(events.went_live) == 1
    assert count_queries(lambda: client.get("/")) > 0  # built anew


def test_command_prints_a_summary():
    out = StringIO()
    call_command("process_publication_events", stdout=out)
    assert "live" in out.getvalue()


def test_a_purge_that_cannot_reach_redis_is_made_by_the_next_run(redis_cache, settings):
    now = timezone.now()
    JobMark.objects.create(name="publication_events", done_until=now)
    article = ArticleFactory(published_at=now + timedelta(seconds=30))
    generation = current_generation()
    redis_cache.stop()
    events = process_publication_events(at=now + timedelta(seconds=31))
    assert events.went_live == [article.pk]
    assert events.purge_failed
    assert "page cache unreachable" in events.summary()
    assert JobMark.objects.get(name="publication_events").done_until == now

    redis_cache.start()  # as it was (restored from a snapshot)
    settings.CACHES = {**settings.CACHES}  # the next run is a new process
    redis_cache.client().set(f"test:1:{GENERATION_KEY}", pickle.dumps(generation))
    later = process_publication_events(at=now + timedelta(minutes=1))
    assert later.went_live == [article.pk]
    assert not later.purge_failed
    assert current_generation() not in (None, generation)


def test_the_command_exits_2_while_the_page_cache_is_unreachable(redis_cache):
    ArticleFactory(published_at=timezone.now() - timedelta(seconds=1))
    redis_cache.stop()
    with pytest.raises(CommandError, match="Page cache unreachable") as raised:
        call_command("process_publication_events", stdout=StringIO())
    assert raised.value.returncode == 2
