"""The frame every public page shares (articles/public/site_frame.py)."""

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Section
from articles.purging import purge_pages
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def new_years_eve(clock):
    """The shared clock one minute before the year (and month) turns."""
    clock.now = timezone.make_aware(datetime(2026, 12, 31, 23, 59))
    return clock


@pytest.fixture
def caches_on(settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 3600
    settings.NEWSROOM_FRAGMENT_CACHE_SECONDS = 3600


def test_the_footer_turns_to_the_new_month_and_year_at_midnight(
    client, new_years_eve, caches_on, both_paths
):
    article = ArticleFactory(published_at=new_years_eve.now - timedelta(hours=1))
    december = reverse("articles:archive_month", args=[2026, 12])
    january = reverse("articles:archive_month", args=[2027, 1])
    for page in ("/", article.get_absolute_url()):
        html = client.get(page).content.decode()
        assert f'href="{december}"' in html and "© 2026 " in html, page
    new_years_eve.move(minutes=1, seconds=1)
    for page in ("/", article.get_absolute_url()):
        html = client.get(page).content.decode()
        assert f'href="{january}"' in html and "© 2027 " in html, page
        assert f'href="{december}"' not in html, page


def test_a_renamed_section_is_in_every_frame_after_the_purge(
    client, caches_on, both_paths
):
    section = SectionFactory(slug="koeln", name="Köln")
    article = ArticleFactory(section=section)
    assert ">Köln</a></li>" in client.get(article.get_absolute_url()).content.decode()
    Section.objects.filter(pk=section.pk).update(name="Köln und Umland")
    purge_pages()
    for page in ("/", article.get_absolute_url(), section.get_absolute_url()):
        html = client.get(page).content.decode()
        assert ">Köln und Umland</a></li>" in html, page
        assert ">Köln</a></li>" not in html, page


def test_the_current_section_is_marked_in_its_own_frame_only(
    client, caches_on, both_paths
):
    koeln = SectionFactory(slug="koeln", name="Köln")
    SectionFactory(slug="bonn", name="Bonn")
    current = f'<a href="{koeln.get_absolute_url()}" aria-current="page">Köln</a>'
    assert current in client.get(koeln.get_absolute_url()).content.decode()
    # Header and footer of another page share no marked section.
    assert "aria-current" not in client.get("/").content.decode()
    assert current in client.get(koeln.get_absolute_url()).content.decode()


def test_the_frame_is_built_once_for_all_pages(client, caches_on, both_paths):
    first, second = ArticleFactory(), ArticleFactory()
    client.get(first.get_absolute_url())
    # The second article's page reads only what is its own: not the
    # sections nor the breaking news (a union) for the frame again.
    with CaptureQueriesContext(connection) as queries:
        assert client.get(second.get_absolute_url()).status_code == 200
    sqls = [query["sql"] for query in queries]
    assert sqls
    assert not [sql for sql in sqls if 'FROM "articles_section"' in sql]
    assert not [sql for sql in sqls if "UNION" in sql]
