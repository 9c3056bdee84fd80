from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from articles.models import Article
from articles.public.article_page import PUBLIC_ARTICLE
from newsroom.perf.prepared import CompiledShape, PreparedQueries, PreparedQuery
from tests.factories import AgencyFactory, ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.mark.fast_path
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
    assert PUBLIC_ARTICLE.shapes  # compiled, not the ORM's own evaluation


@pytest.mark.fast_path
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


@pytest.mark.fast_path
def test_a_placeholder_that_does_not_reach_the_sql_is_refused():
    query = PreparedQuery(lambda pk: Article.objects.all(), pk=int)
    with pytest.raises(ImproperlyConfigured, match="'pk' does not reach the SQL"):
        query(pk=1)


@pytest.mark.fast_path
def test_a_prepared_query_cannot_prefetch():
    query = PreparedQuery(
        lambda pk: Article.objects.filter(pk=pk).prefetch_related("authors"), pk=int
    )
    with pytest.raises(ImproperlyConfigured, match="cannot prefetch"):
        query(pk=1)


@pytest.mark.fast_path
def test_a_prepared_values_list_gives_the_orm_s_rows_for_two_moments():
    now = timezone.now()
    old = ArticleFactory(published_at=now - timedelta(hours=3))
    new = ArticleFactory(published_at=now - timedelta(minutes=5))
    # Two placeholders of one kind: each must be found on its own.
    ids = PreparedQuery(
        lambda at, since: (
            Article.objects.published(at)
            .filter(visible_from__gte=since)
            .order_by("pk")
            .values_list("pk", flat=True)
        ),
        at=datetime,
        since=datetime,
    )
    rows = PreparedQuery(
        lambda at: (
            Article.objects.published(at)
            .order_by("pk")
            .values_list("pk", "published_at")
        ),
        at=datetime,
    )
    assert ids(at=now, since=now - timedelta(hours=1)) == [new.pk]
    assert ids(at=now, since=now - timedelta(hours=4)) == [old.pk, new.pk]
    assert ids(at=now - timedelta(hours=1), since=now - timedelta(hours=4)) == [old.pk]
    expected = list(
        Article.objects.published(now).order_by("pk").values_list("pk", "published_at")
    )
    assert rows(at=now) == expected
    # Converted as by the ORM: aware datetimes on every database.
    assert rows(at=now)[0][1].tzinfo is not None
    assert ids.shapes and rows.shapes


@pytest.mark.fast_path
def test_prepared_queries_keep_one_compiled_query_per_shape():
    now = timezone.now()
    articles = [
        ArticleFactory(published_at=now - timedelta(minutes=n)) for n in (1, 2, 3)
    ]
    newest = PreparedQueries(
        lambda limit, at: (
            Article.objects.published(at)
            .newest_first()
            .values_list("pk", flat=True)[:limit]
        ),
        at=datetime,
    )
    assert newest(2, at=now) == [articles[0].pk, articles[1].pk]
    assert newest(3, at=now) == [article.pk for article in articles]
    assert newest(2, at=now - timedelta(seconds=90)) == [
        articles[1].pk,
        articles[2].pk,
    ]
    assert len(newest.queries.entries) == 2


def test_without_the_fast_path_prepared_queries_are_the_orm_s(settings):
    settings.NEWSROOM_FAST_PATH = False
    article = ArticleFactory()
    newest = PreparedQueries(
        lambda limit, at: Article.objects.published(at).values_list("pk", flat=True)[
            :limit
        ],
        at=datetime,
    )
    assert newest(5, at=timezone.now()) == [article.pk]
    assert not newest.queries.entries


def test_a_prepared_query_needs_every_value():
    with pytest.raises(TypeError, match="expected values for"):
        PUBLIC_ARTICLE(pk=1)


def test_without_the_fast_path_a_prepared_query_is_the_orm_s(settings, monkeypatch):
    settings.NEWSROOM_FAST_PATH = False
    monkeypatch.setattr(CompiledShape, "__init__", compiled)
    monkeypatch.setattr(CompiledShape, "run", compiled)
    query = PreparedQuery(
        lambda pk: Article.objects.select_related("section").filter(pk=pk), pk=int
    )
    article = ArticleFactory()
    assert query(pk=article.pk) == [article]
    assert not query.shapes


def compiled(*args, **kwargs):
    raise AssertionError("the plain path compiled or ran a prepared shape")
