from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, ArticlePhoto, Author, Photo, Section, Tag
from teasers.archive import PER_DAY, ArchiveNotEmpty, generate_archive
from teasers.models import HourlyViews, Rail

pytestmark = pytest.mark.django_db


def archive_facts():
    rows = Article.objects.order_by("pk").values_list(
        "headline", "body", "section__slug", "status", "embargo_until"
    )
    return [(h, b, s, st, e is not None) for h, b, s, st, e in rows]


def test_generates_a_realistic_archive(settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("generate_archive", articles=300, seed=7, stdout=out)
    assert "300 articles" in out.getvalue()
    assert Article.objects.count() == 300
    assert Section.objects.count() == 6
    assert Tag.objects.count() == 200
    assert Author.objects.count() == 50
    bodies = list(Article.objects.values_list("body", flat=True))
    assert 2800 < sum(map(len, bodies)) / len(bodies) < 4000
    assert any("Polizei" in body for body in bodies)
    assert not all("Polizei" in body for body in bodies)
    # Most are public, some are withdrawn, drafts or embargoed.
    public = Article.objects.published().count()
    assert 270 < public < 300
    assert Article.objects.withdrawn().exists()
    assert Article.objects.filter(embargo_until__isnull=False).exists()
    dates = Article.objects.exclude(published_at=None).values_list(
        "published_at", flat=True
    )
    # A newsroom's steady rate: the newest day holds PER_DAY articles at any
    # archive size; more articles reach further back.
    newest_day = [d for d in dates if d > max(dates) - timedelta(days=1)]
    assert abs(len(newest_day) - PER_DAY) <= 2
    assert abs((max(dates) - min(dates)) - timedelta(days=299 / PER_DAY)) < timedelta(
        minutes=15
    )
    assert Photo.objects.count() == ArticlePhoto.objects.count() > 100
    assert Article.tags.through.objects.count() >= 600
    assert Rail.objects.count() == 7
    assert HourlyViews.objects.exists()


def test_the_same_seed_gives_the_same_archive(settings):
    generate_archive(articles=40, seed=3)
    first = archive_facts()
    Article.objects.all().delete()
    generate_archive(articles=40, seed=3)
    assert archive_facts() == first
    Article.objects.all().delete()
    generate_archive(articles=40, seed=4)
    assert archive_facts() != first


def test_refuses_a_database_with_articles_unless_appending(settings):
    settings.DEBUG = True
    generate_archive(articles=5)
    with pytest.raises(ArchiveNotEmpty):
        generate_archive(articles=5)
    with pytest.raises(CommandError, match="--append"):
        call_command("generate_archive", articles=5, stdout=StringIO())
    call_command("generate_archive", articles=5, append=True, stdout=StringIO())
    assert Article.objects.count() == 10


def test_refuses_production_without_the_flag(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="production"):
        call_command("generate_archive", articles=5, stdout=StringIO())
    assert not Article.objects.exists()
    call_command(
        "generate_archive", articles=5, allow_production=True, stdout=StringIO()
    )
    assert Article.objects.count() == 5


def test_front_page_and_sections_show_the_archive(client, settings):
    generate_archive(articles=120, seed=2)
    newest = Article.objects.published().order_by("-published_at").first()
    assert newest.headline in client.get("/").content.decode()
    section = newest.section
    assert newest.headline in client.get(section.get_absolute_url()).content.decode()
