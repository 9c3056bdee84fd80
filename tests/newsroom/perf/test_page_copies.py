import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.cache import cache

from articles.models import Article
from articles.public.page_cache import _local_copies
from articles.purging import GENERATION_KEY, purge_pages
from newsroom.perf.page_copies import PageCopies
from tests.factories import ArticleFactory


@pytest.mark.parametrize("fast_path", [True, False])
def test_a_copy_serves_while_its_generation_is_current(settings, fast_path):
    """On both paths: the copies rely on no Django internal."""
    settings.NEWSROOM_FAST_PATH = fast_path
    copies, fetched = PageCopies(), []

    def fetch():
        fetched.append(1)
        return "page"

    for _ in range(2):
        assert copies.of_generation("g1", "pages:g1:", "pages:g1:a", fetch) == "page"
    assert copies.of_generation("g2", "pages:g2:", "pages:g2:a", fetch) == "page"
    assert len(fetched) == 2
    copies.put("pages:g1:b", "older")  # of a generation gone: not kept
    assert list(copies.entries) == ["pages:g2:a"]


def test_without_copies_every_read_goes_to_the_cache(settings):
    settings.NEWSROOM_PAGE_COPIES_PER_PROCESS = 0
    copies, fetched = PageCopies(), []

    def fetch():
        fetched.append(1)
        return "page"

    for _ in range(3):
        assert copies.of_generation("g1", "pages:g1:", "pages:g1:a", fetch) == "page"
    copies.put("pages:g1:a", "page")
    assert len(fetched) == 3 and not copies.entries


@pytest.mark.django_db
def test_a_process_copy_of_a_cached_page_ends_with_a_purge(
    client, settings, count_queries
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 300
    article = ArticleFactory(headline="Die erste Fassung")
    url = article.get_absolute_url()
    assert "Die erste Fassung" in client.get(url).content.decode()
    # The shared copy is gone but the generation stays: the process's own
    # copy serves the page without a query.
    generation = cache.get(GENERATION_KEY)
    assert cache.delete(f"pages:{generation}:http://testserver/article:{article.pk}")
    assert count_queries(lambda: client.get(url)) == 0

    Article.objects.filter(pk=article.pk).update(headline="Die zweite Fassung")
    purge_pages()
    html = client.get(url).content.decode()
    assert "Die zweite Fassung" in html


@pytest.mark.django_db
def test_process_copies_are_bounded(client, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 300
    settings.NEWSROOM_PAGE_COPIES_PER_PROCESS = 3
    for article in ArticleFactory.create_batch(5):
        assert client.get(article.get_absolute_url()).status_code == 200
    assert len(_local_copies.entries) == 3


@pytest.mark.django_db
def test_a_purge_by_another_machine_ends_this_process_copy(
    client, settings, redis_cache, count_queries
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 300
    article = ArticleFactory(headline="Die erste Fassung")
    url = article.get_absolute_url()
    assert "Die erste Fassung" in client.get(url).content.decode()
    assert count_queries(lambda: client.get(url)) == 0  # this process's copy
    # Written on another machine: nothing in this process hears of it.
    Article.objects.filter(pk=article.pk).update(headline="Die zweite Fassung")
    assert "Die erste Fassung" in client.get(url).content.decode()
    # That machine's purge, from a process of its own on the same Redis.
    other_machine = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from articles.purging import purge_pages; print(purge_pages())",
        ],
        cwd=Path(__file__).resolve().parents[3],
        env={
            **os.environ,
            "DEBUG": "true",
            "REDIS_URL": redis_cache.url,
            "NEWSROOM_CACHE_PREFIX": settings.CACHES["default"]["KEY_PREFIX"],
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert other_machine.stdout.split()[-1:] == ["True"], other_machine.stderr
    # It reaches this process once the generation it keeps is due again.
    time.sleep(settings.NEWSROOM_PAGE_GENERATION_SECONDS)
    assert "Die zweite Fassung" in client.get(url).content.decode()
