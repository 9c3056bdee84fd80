from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from articles.models import Article
from articles.workflow.services import flag_breaking_news, withdraw_article
from tests.factories import (
    ArticleFactory,
    RailFactory,
    RailItemFactory,
    SectionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

BANNER = 'class="breaking-news"'


@pytest.fixture
def desk():
    return UserFactory(is_superuser=True, is_staff=True)


def test_the_banner_comes_and_goes_on_time_with_the_page_cache_on(
    client, settings, clock, desk
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 3600
    settings.NEWSROOM_FRAGMENT_CACHE_SECONDS = 3600
    section = SectionFactory(slug="koeln")
    quiet = ArticleFactory(section=section, published_at=clock.now - timedelta(hours=2))
    # Scheduled, flagged for when it goes live in ten minutes.
    breaking = ArticleFactory(
        section=section,
        headline="Brand im Hafen",
        published_at=clock.now + timedelta(minutes=10),
    )
    flag_breaking_news(breaking, by=desk, minutes=30)
    pages = ["/", section.get_absolute_url(), quiet.get_absolute_url(), "/suche/"]
    for page in pages:
        assert BANNER not in client.get(page).content.decode(), page  # now cached
    clock.move(minutes=10, seconds=1)
    for page in pages:
        html = client.get(page).content.decode()
        assert BANNER in html, page
        assert f'<a href="{breaking.get_absolute_url()}">' in html
        assert "Brand im Hafen" in html
    # Thirty minutes from going live, not from flagging.
    clock.move(minutes=29, seconds=50)
    assert BANNER in client.get("/").content.decode()
    clock.move(seconds=10)
    for page in pages:
        assert BANNER not in client.get(page).content.decode(), page


def test_the_teaser_shows_eil_while_the_flag_lasts(client, clock, desk, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 3600
    article = ArticleFactory(published_at=clock.now - timedelta(hours=3))
    RailItemFactory(rail=RailFactory(slug="top"), article=article)
    flag_breaking_news(article, by=desk)
    assert ">Eil</span>" in client.get("/").content.decode()
    clock.move(minutes=settings.NEWSROOM_BREAKING_NEWS_MINUTES, seconds=1)
    assert ">Eil</span>" not in client.get("/").content.decode()


def test_list_and_search_teasers_show_eil_while_the_flag_lasts(
    client, clock, desk, settings
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 3600
    section = SectionFactory(slug="koeln")
    article = ArticleFactory(
        section=section, headline="Großbrand im Hafen", published_at=clock.now
    )
    flag_breaking_news(article, by=desk)
    pages = [section.get_absolute_url(), "/suche/?q=Großbrand"]
    for page in pages:
        assert ">Eil</span>" in client.get(page).content.decode(), page
    # Cached lists drop it on time too, without a purge.
    clock.move(minutes=settings.NEWSROOM_BREAKING_NEWS_MINUTES, seconds=1)
    for page in pages:
        html = client.get(page).content.decode()
        assert "Großbrand im Hafen" in html, page
        assert ">Eil</span>" not in html, page


def test_the_flag_lasts_the_setting(clock, desk, settings):
    settings.NEWSROOM_BREAKING_NEWS_MINUTES = 45
    article = flag_breaking_news(ArticleFactory(), by=desk)
    article.refresh_from_db()
    assert article.breaking_until == clock.now + timedelta(minutes=45)


def test_only_a_published_article_can_be_breaking_news(desk):
    with pytest.raises(ValidationError, match="nicht veröffentlicht"):
        flag_breaking_news(ArticleFactory(draft=True), by=desk)


def test_a_withdrawn_breaking_article_leaves_the_banner(
    client, desk, django_capture_on_commit_callbacks
):
    article = flag_breaking_news(ArticleFactory(headline="Falscher Alarm"), by=desk)
    assert BANNER in client.get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        withdraw_article(article, by=desk, reason="Falsch")
    assert BANNER not in client.get("/").content.decode()
    assert Article.objects.breaking_news() == []


def test_the_desk_flags_from_the_admin_list(client, desk, clock):
    article = ArticleFactory()
    client.force_login(desk)
    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "flag_breaking", "_selected_action": [article.pk]},
        follow=True,
    )
    assert "1 Artikel als Eilmeldung markiert." in response.content.decode()
    article.refresh_from_db()
    assert article.breaking_until == clock.now + timedelta(minutes=30)
