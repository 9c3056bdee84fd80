import os
import re
import uuid
from collections import Counter
from datetime import UTC, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from teasers.counting import (
    FileCounterBuffer,
    RedisCounterBuffer,
    flush_counts,
    push_pending_counts,
)
from teasers.models import HourlyViews
from tests.factories import (
    ArticleFactory,
    RailItemFactory,
    SponsoredSlotFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

READER = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"}


def later():
    # File batches close with their minute; a flush two minutes on takes them.
    return timezone.now() + timedelta(minutes=2)


def current_hour():
    return timezone.now().astimezone(UTC).strftime("%Y%m%d%H")


def read(client, article, headers=READER):
    return client.get(article.get_absolute_url(), headers=headers)


def test_article_views_wait_in_the_buffer_until_the_flush(client):
    article = ArticleFactory(view_count=10)
    for _ in range(3):
        assert read(client, article).status_code == 200
    article.refresh_from_db()
    assert article.view_count == 10
    report = flush_counts(at=later())
    article.refresh_from_db()
    assert (article.view_count, report.views) == (13, 3)
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    assert HourlyViews.objects.get(article=article).hour == hour


def test_a_view_costs_no_database_write(client):
    article = ArticleFactory()
    with CaptureQueriesContext(connection) as captured:
        read(client, article)
    statements = [q["sql"].lstrip().split()[0].upper() for q in captured]
    assert set(statements) == {"SELECT"}


def test_bots_and_logged_in_editors_do_not_count(client):
    article = ArticleFactory(view_count=0)
    read(client, article, headers={"User-Agent": "Googlebot/2.1"})
    read(client, article, headers={"User-Agent": ""})
    read(client, article, headers={"User-Agent": "curl/8.5.0"})
    client.force_login(UserFactory())
    read(client, article)
    flush_counts(at=later())
    article.refresh_from_db()
    assert article.view_count == 0


def test_a_batch_is_never_counted_twice(client, counter_dir):
    article = ArticleFactory(view_count=0)
    read(client, article)
    read(client, article)

    class CrashAfterCommit(FileCounterBuffer):
        def discard(self, batch):
            raise KeyboardInterrupt("killed between commit and cleanup")

    with pytest.raises(KeyboardInterrupt):
        flush_counts(buffer=CrashAfterCommit(counter_dir), at=later())
    assert list(counter_dir.iterdir())  # the batch is still in the buffer
    report = flush_counts(at=later())
    article.refresh_from_db()
    assert article.view_count == 2
    assert (report.batches, report.skipped_batches) == (0, 1)
    assert not list(counter_dir.iterdir())


def test_the_running_minute_stays_in_the_buffer(client):
    article = ArticleFactory(view_count=0)
    read(client, article)
    assert flush_counts().views == 0
    assert flush_counts(at=later()).views == 1


def test_impressions_and_clicks_reach_the_slot(client):
    item = RailItemFactory()
    slot = SponsoredSlotFactory(rail=item.rail, impression_count=0, click_count=0)
    client.get("/", headers=READER)
    client.get("/", headers=READER)  # served from the page cache, still counted
    page = client.get("/", headers=READER).content.decode()
    [click_url] = re.findall(r'href="(/anzeige/[^"]+)"', page)
    response = client.get(click_url, headers=READER)
    assert response.status_code == 302
    flush_counts(at=later())
    slot.refresh_from_db()
    assert (slot.impression_count, slot.click_count) == (3, 1)
    assert slot.click_through_rate == pytest.approx(1 / 3)


def test_unreadable_buffer_lines_are_reported_not_fatal(counter_dir):
    article = ArticleFactory(view_count=0)
    counter_dir.mkdir()
    (counter_dir / "202611241000-1.counts").write_text(
        f"view:{article.pk}:2026112410 2\nview:kaputt 1\ngibtsnicht:1 1\n\x00\x01\n"
    )
    report = flush_counts(at=later())
    article.refresh_from_db()
    assert (article.view_count, report.ignored) == (2, 3)


def test_a_process_sums_increments_before_handing_them_on(
    client, settings, counter_dir
):
    settings.NEWSROOM_COUNTER_PUSH_SECONDS = 60
    article = ArticleFactory(view_count=0)
    for _ in range(3):
        read(client, article)
    assert not counter_dir.exists()  # nothing written per request
    push_pending_counts()
    [written] = counter_dir.iterdir()
    assert written.read_text() == f"view:{article.pk}:{current_hour()} 3\n"
    flush_counts(at=later())
    article.refresh_from_db()
    assert article.view_count == 3


def test_flush_command_prints_a_summary(client):
    read(client, ArticleFactory())
    out = StringIO()
    call_command("flush_counts", stdout=out)
    assert "views" in out.getvalue()


@pytest.fixture
def redis_buffer(settings):
    url = os.environ.get("NEWSROOM_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    buffer = RedisCounterBuffer(url, prefix=f"test-{uuid.uuid4().hex}:")
    try:
        buffer.client.ping()
    except Exception as error:
        message = f"Redis at {url} unreachable ({error}); set NEWSROOM_TEST_REDIS_URL"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    yield buffer
    for key in buffer.client.scan_iter(f"{buffer.pending_key.rsplit(':', 1)[0]}*"):
        buffer.client.delete(key)


def test_redis_buffer_renames_pending_counts_into_a_batch(redis_buffer):
    article = ArticleFactory(view_count=5)
    hour = timezone.now().strftime("%Y%m%d%H")
    redis_buffer.add(Counter({f"view:{article.pk}:{hour}": 2}))
    batches = list(redis_buffer.batches(timezone.now()))
    redis_buffer.add(Counter([f"view:{article.pk}:{hour}"]))  # during the flush
    assert [b.counts.total() for b in batches] == [2]
    for batch in batches:
        redis_buffer.discard(batch)
    flush_counts(buffer=redis_buffer)
    article.refresh_from_db()
    assert article.view_count == 6


def test_redis_batch_left_by_a_crash_is_flushed_once(redis_buffer):
    article = ArticleFactory(view_count=0)
    redis_buffer.add(Counter({f"view:{article.pk}:2026112410": 4}))

    class CrashAfterCommit(RedisCounterBuffer):
        def discard(self, batch):
            raise KeyboardInterrupt

    crashing = CrashAfterCommit.__new__(CrashAfterCommit)
    crashing.__dict__.update(redis_buffer.__dict__)
    with pytest.raises(KeyboardInterrupt):
        flush_counts(buffer=crashing)
    flush_counts(buffer=redis_buffer)
    flush_counts(buffer=redis_buffer)
    article.refresh_from_db()
    assert article.view_count == 4
