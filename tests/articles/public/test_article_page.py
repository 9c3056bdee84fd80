"""The article page's read path: prepared queries, memoized markup, address
formats and the per-process copies of cached pages and fragments."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import timezone

from articles.models import Article, ArticlePhoto, Author, Photo
from articles.public.article_page import (
    PUBLIC_ARTICLE,
    USABLE_PHOTO_USES,
    public_article_page,
)
from articles.public.page_cache import _local_copies
from articles.purging import GENERATION_KEY, purge_pages
from newsroom.perf.memo import memoize
from newsroom.perf.prepared import PreparedQuery
from newsroom.perf.url_formats import UrlFormat
from tests.factories import (
    AgencyFactory,
    ArticleFactory,
    ArticlePhotoFactory,
    AuthorFactory,
)

pytestmark = pytest.mark.django_db


# --- Prepared queries ----------------------------------------------------------


def test_a_prepared_query_finds_what_the_orm_finds_at_every_moment():
    now = timezone.now()
    visible = ArticleFactory(agency=AgencyFactory())
    scheduled = ArticleFactory(published_at=now + timedelta(hours=1))
    embargoed = ArticleFactory(embargo_until=now + timedelta(hours=2))
    withheld = ArticleFactory(agency_status=Article.AgencyStatus.WITHHELD)
    moments = [now, now + timedelta(minutes=90), now + timedelta(hours=3)]
    for at in moments:
        for article in (visible, scheduled, embargoed, withheld):
            expected = list(Article.objects.published(at).filter(pk=article.pk))
            assert PUBLIC_ARTICLE(at=at, pk=article.pk) == expected, (article, at)
    assert PUBLIC_ARTICLE(at=moments[1], pk=scheduled.pk) == [scheduled]
    assert PUBLIC_ARTICLE(at=moments[1], pk=embargoed.pk) == []


def test_a_prepared_query_reads_related_rows_and_converts_values(
    django_assert_num_queries,
):
    article = ArticleFactory(agency=AgencyFactory(short_name="epd"))
    with django_assert_num_queries(1):
        (found,) = PUBLIC_ARTICLE(at=timezone.now(), pk=article.pk)
        assert found.section.name == article.section.name
        assert found.agency.short_name == "epd"
    # Dates come back as aware datetimes on every database, as from the ORM.
    assert found.published_at == Article.objects.get(pk=article.pk).published_at
    assert found.published_at.tzinfo is not None


def test_prepared_photo_uses_follow_licences_in_order():
    now = timezone.now()
    article = ArticleFactory()
    second = ArticlePhotoFactory(article=article, position=1)
    first = ArticlePhotoFactory(article=article, position=0)
    expiring = ArticlePhotoFactory(article=article, position=2)
    Photo.objects.filter(pk=expiring.photo_id).update(
        licence_expires_at=now + timedelta(hours=1)
    )
    assert USABLE_PHOTO_USES(at=now, article_id=article.pk) == [
        first,
        second,
        expiring,
    ]
    later = now + timedelta(hours=2)
    assert USABLE_PHOTO_USES(at=later, article_id=article.pk) == list(
        ArticlePhoto.objects.usable(later).filter(article=article)
    )
    assert expiring not in USABLE_PHOTO_USES(at=later, article_id=article.pk)


def test_a_placeholder_that_does_not_reach_the_sql_is_refused():
    query = PreparedQuery(lambda pk: Article.objects.all(), pk=int)
    with pytest.raises(ImproperlyConfigured, match="'pk' does not reach the SQL"):
        query(pk=1)


def test_a_prepared_query_cannot_prefetch_and_needs_every_value():
    query = PreparedQuery(
        lambda pk: Article.objects.filter(pk=pk).prefetch_related("authors"), pk=int
    )
    with pytest.raises(ImproperlyConfigured, match="cannot prefetch"):
        query(pk=1)
    with pytest.raises(TypeError, match="expected values for"):
        PUBLIC_ARTICLE(pk=1)


# --- Address formats -------------------------------------------------------------


def test_an_address_format_gives_what_reverse_gives():
    detail = UrlFormat("articles:detail", "slug", "slug", "int")
    args = ("lokales", "rathaus-beschliesst-haushalt", 42)
    assert detail(*args) == reverse("articles:detail", args=args)
    set_script_prefix("/zeitung/")
    try:
        assert detail(*args) == "/zeitung/lokales/rathaus-beschliesst-haushalt-42/"
        assert detail(*args) == reverse("articles:detail", args=args)
    finally:
        set_script_prefix("/")


def test_an_address_format_leaves_odd_values_to_reverse():
    section = UrlFormat("articles:section", "slug")
    # Not a slug: reverse() decides, and refuses, as it would without us.
    with pytest.raises(NoReverseMatch):
        section("straßen/bahn")
    rendition = UrlFormat("articles:rendition", "int", "str", "str")
    with pytest.raises(NoReverseMatch):
        rendition(-1, "v", "x")
    # A character reverse() quotes: the address is reverse()'s, quoted.
    quoted = reverse("articles:rendition", args=[7, "v 1", "x"])
    assert rendition(7, "v 1", "x") == quoted == "/bild/7/v%201/x"


# --- Memoized article markup -------------------------------------------------------


@pytest.fixture
def page_cache_off(settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0


def test_the_article_markup_is_never_stale(client, page_cache_off):
    """Changes that bypass every service (no version, no purge) still show:
    the memo is keyed by every value shown, read on each request."""
    author = AuthorFactory(name="Erika Muster")
    article = ArticleFactory(view_count=1234)
    article.authors.add(author)
    use = ArticlePhotoFactory(article=article, caption="Der Rathausplatz")
    url = article.get_absolute_url()
    first = client.get(url).content.decode()
    assert "Erika Muster" in first and "Der Rathausplatz" in first
    assert client.get(url).content.decode() == first

    Author.objects.filter(pk=author.pk).update(name="Erika Beispiel")
    ArticlePhoto.objects.filter(pk=use.pk).update(caption="Der Marktplatz")
    Article.objects.filter(pk=article.pk).update(view_count=19467)
    html = client.get(url).content.decode()
    assert "Erika Beispiel" in html and "Erika Muster" not in html
    assert "Der Marktplatz" in html and "Der Rathausplatz" not in html
    assert "19.467" in html

    Photo.objects.filter(pk=use.photo_id).update(killed_at=timezone.now())
    html = client.get(url).content.decode()
    assert "Der Marktplatz" not in html
    assert f"/bild/{use.photo_id}/" not in html


def test_the_memo_keeps_the_host_apart(client, page_cache_off, settings):
    settings.ALLOWED_HOSTS = ["www.example.de", "m.example.de"]
    article = ArticleFactory()
    url = article.get_absolute_url()
    www = client.get(url, HTTP_HOST="www.example.de").content.decode()
    mobile = client.get(url, HTTP_HOST="m.example.de").content.decode()
    assert f"http://www.example.de{url}" in www
    assert f"http://m.example.de{url}" in mobile
    assert "www.example.de" not in mobile


def test_a_memo_keeps_only_the_most_recently_used():
    renders = []

    @memoize(2)
    def render(value):
        renders.append(value)
        return value.upper()

    assert [render(v) for v in ("a", "b", "a", "c", "b")] == list("ABACB")
    # "a" was kept and became the newest; "c" pushed out "b".
    assert renders == ["a", "b", "c", "b"]
    assert len(render.memo.entries) == 2


def test_a_memo_of_size_zero_renders_every_time():
    renders = []

    @memoize(0)
    def render(value):
        renders.append(value)

    for _ in range(3):
        render("a")
    assert len(renders) == 3


def test_a_memo_renders_every_time_without_the_fast_path(settings):
    settings.NEWSROOM_FAST_PATH = False
    renders = []

    @memoize(10)
    def render(value):
        renders.append(value)

    for _ in range(3):
        render("a")
    assert len(renders) == 3 and not render.memo.entries


def test_the_article_page_reads_what_it_shows(django_assert_num_queries):
    article = ArticleFactory()
    ArticlePhotoFactory(article=article)
    with django_assert_num_queries(4):  # article, photos, authors, corrections
        page = public_article_page(article.pk, timezone.now())
        assert page.article.lead_photo_use.photo.agency.short_name
    assert public_article_page(ArticleFactory(draft=True).pk, timezone.now()) is None


# --- Process copies of cached pages --------------------------------------------------


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


def test_process_copies_are_bounded(client, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 300
    settings.NEWSROOM_PAGE_COPIES_PER_PROCESS = 3
    for article in ArticleFactory.create_batch(5):
        assert client.get(article.get_absolute_url()).status_code == 200
    assert len(_local_copies.entries) == 3
