import pytest
from django.core.cache import cache
from django.db import transaction

from articles.models import Article
from articles.purging import GENERATION_KEY, PagePurge, purge_pages
from articles.workflow import services
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


class Abandoned(Exception):
    pass


def purges(callbacks) -> set[PagePurge]:
    return {callback for callback in callbacks if isinstance(callback, PagePurge)}


def test_several_writes_in_one_transaction_purge_once(
    django_capture_on_commit_callbacks,
):
    article, other = ArticleFactory(draft=True), ArticleFactory()
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        services.submit_for_review(article, by=None)
        services.approve_article(article, by=None)
        services.publish_article(article, by=None)
        services.add_correction(other, by=None, text="Falscher Vorname")
        # Items of an import batch each have a savepoint of their own.
        with transaction.atomic():
            services.withdraw_article(other, by=None, reason="Kill")
    assert len(purges(callbacks)) == 1  # one purge, scheduled by every write
    first, *others = callbacks
    first()  # the commit runs them in order
    cache.set(GENERATION_KEY, "after the purge")
    for callback in others:
        callback()
    assert cache.get(GENERATION_KEY) == "after the purge"


def test_a_purge_scheduled_in_a_rolled_back_savepoint_is_scheduled_again(
    django_capture_on_commit_callbacks,
):
    abandoned, kept = ArticleFactory(draft=True), ArticleFactory(draft=True)
    before = cache.get(GENERATION_KEY)
    committed = django_capture_on_commit_callbacks(execute=True)
    with committed as callbacks, transaction.atomic():
        with pytest.raises(Abandoned), transaction.atomic():
            services.publish_article(abandoned, by=None)  # schedules a purge
            raise Abandoned
        services.publish_article(kept, by=None)
    assert len(purges(callbacks)) == 1
    assert cache.get(GENERATION_KEY) != before
    abandoned.refresh_from_db()
    assert abandoned.status == Article.Status.DRAFT


def test_a_write_before_the_captured_one_does_not_swallow_its_purge(
    django_capture_on_commit_callbacks,
):
    # Tests share one transaction: the setup's purge is still waiting.
    article = ArticleFactory(draft=True)
    services.submit_for_review(article, by=None)
    before = cache.get(GENERATION_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_article(article, by=None)
    purged = cache.get(GENERATION_KEY)
    assert purged != before
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.unpublish_article(article, by=None)
    assert len(purges(callbacks)) == 1
    assert cache.get(GENERATION_KEY) not in (before, purged)


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_leaves_nothing_that_stops_the_next_purge():
    article = ArticleFactory(draft=True)
    before = cache.get(GENERATION_KEY)
    with pytest.raises(Abandoned), transaction.atomic():
        services.publish_article(article, by=None)
        raise Abandoned
    assert cache.get(GENERATION_KEY) == before  # nothing written, nothing purged
    services.publish_article(article, by=None)  # a transaction of its own
    published = cache.get(GENERATION_KEY)
    assert published != before
    services.unpublish_article(article, by=None)
    assert cache.get(GENERATION_KEY) not in (before, published)


@pytest.fixture
def generation_reads(monkeypatch) -> list:
    """One item per read of the cache generation from the shared cache."""
    from articles.public import page_cache

    reads = []
    real = page_cache.current_generation

    def counted():
        reads.append(1)
        return real()

    monkeypatch.setattr(page_cache, "current_generation", counted)
    return reads


def test_a_request_reads_the_cache_generation_once(client, generation_reads, settings):
    from articles.public import page_cache

    settings.NEWSROOM_PAGE_GENERATION_SECONDS = 60
    article = ArticleFactory()
    # The page, the rails under it and the navigation are three entries
    # of the same generation; PageCacheMiddleware reads it once.
    assert client.get(article.get_absolute_url()).status_code == 200
    assert len(generation_reads) == 1
    # Then the process keeps it for a moment, inside a request or not (on
    # both paths: keeping it relies on no Django internal).
    assert client.get(article.get_absolute_url()).status_code == 200
    page_cache.cached_fragment("a", lambda now: ("A", None))
    assert len(generation_reads) == 1
    # Without that moment, every read outside a request asks the shared cache.
    settings.NEWSROOM_PAGE_GENERATION_SECONDS = 0
    reads_before = len(generation_reads)
    page_cache.cached_fragment("a", lambda now: ("A", None))
    page_cache.cached_fragment("b", lambda now: ("B", None))
    assert len(generation_reads) == reads_before + 2


def test_no_generation_is_kept_while_a_purge_has_not_reached_redis(
    generation_reads, settings, monkeypatch
):
    from articles import purging
    from articles.public import page_cache

    def read_twice() -> int:
        before = len(generation_reads)
        for _ in range(2):
            page_cache.cached_fragment("a", lambda now: ("A", None))
        return len(generation_reads) - before

    settings.NEWSROOM_PAGE_GENERATION_SECONDS = 60
    assert read_twice() == 1  # kept
    with monkeypatch.context() as outage:
        outage.setattr(purging.cache, "get", lambda *args, **kwargs: None)
        assert purge_pages() is False  # owed until Redis answers again
    assert read_twice() == 2  # asked every time
    assert purge_pages() is True
    assert read_twice() == 1


class FakeMonotonic:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def changed_behind_a_cached_page(client, settings, kept_seconds: float) -> str:
    """The address of a cached article page whose headline then changed
    without a purge; the process keeps the generation `kept_seconds`."""
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 300
    settings.NEWSROOM_PAGE_GENERATION_SECONDS = kept_seconds
    article = ArticleFactory(headline="Die erste Fassung")
    url = article.get_absolute_url()
    assert "Die erste Fassung" in client.get(url).content.decode()
    Article.objects.filter(pk=article.pk).update(headline="Die zweite Fassung")
    assert "Die erste Fassung" in client.get(url).content.decode()
    return url


def test_another_machines_purge_reaches_this_process_after_the_kept_moment(
    client, settings, monkeypatch
):
    from articles.public import page_cache

    clock = FakeMonotonic()
    monkeypatch.setattr(page_cache, "monotonic", clock)
    url = changed_behind_a_cached_page(client, settings, kept_seconds=60)
    # Another machine's purge: it moves the generation in the shared cache.
    cache.set(GENERATION_KEY, "moved-elsewhere", None)
    clock.now += 59
    assert "Die erste Fassung" in client.get(url).content.decode()
    clock.now += 1
    assert "Die zweite Fassung" in client.get(url).content.decode()


def test_a_purge_of_this_process_reaches_it_at_once(client, settings):
    url = changed_behind_a_cached_page(client, settings, kept_seconds=60)
    purge_pages()
    assert "Die zweite Fassung" in client.get(url).content.decode()
