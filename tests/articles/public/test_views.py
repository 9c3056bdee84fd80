from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.views.defaults import server_error

from articles.workflow.services import withdraw_article
from tests.factories import (
    ArticleFactory,
    ArticlePhotoFactory,
    PhotoFactory,
    RailItemFactory,
    SectionFactory,
    SponsoredSlotFactory,
)
from tests.http import shared_cache_seconds

pytestmark = pytest.mark.django_db


def test_article_page_shows_article_with_lead_photo_and_credit(client):
    use = ArticlePhotoFactory(
        article__kicker="Kurzmitteilungsdienst",
        article__dateline="Mountain View",
        article__body="<p>WhatsApp will Geld.</p>",
        article__view_count=19467,
        caption="WhatsApp will künftig von Unternehmen Geld für die Nutzung verlangen.",
        photo__credit_line="",
        photo__creator="",
    )
    response = client.get(use.article.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kurzmitteilungsdienst" in html
    assert f'<h1 class="article__headline">{use.article.headline}</h1>' in html
    assert '<span class="dateline">Mountain View</span> - WhatsApp will Geld.' in html
    assert "19.467" in html
    figure = html[html.index('<figure class="photo article__lead">') :]
    figure = figure[: figure.index("</figure>")]
    assert "WhatsApp will künftig von Unternehmen" in figure
    assert "Foto: dpa" in figure
    assert '<p class="article__credits">Foto: dpa</p>' in html


@pytest.mark.parametrize(
    "overrides",
    [
        {"draft": True},
        {"scheduled": True},
        {"embargo_until": timezone.now() + timedelta(hours=1)},
    ],
    ids=["draft", "scheduled", "embargoed"],
)
def test_hidden_article_answers_404(client, overrides):
    article = ArticleFactory(**overrides)
    assert client.get(article.get_absolute_url()).status_code == 404


def test_changed_slug_redirects_permanently(client):
    article = ArticleFactory(headline="Alte Überschrift")
    old_url = article.get_absolute_url()
    article.slug = "neue-ueberschrift"
    article.save()
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


def test_section_page_lists_visible_articles_newest_first(client):
    section = SectionFactory(slug="sport")
    older = ArticleFactory(
        section=section, published_at=timezone.now() - timedelta(days=1)
    )
    newer = ArticleFactory(section=section)
    ArticleFactory(section=section, draft=True, headline="Entwurf bleibt geheim")
    ArticleFactory(section=section, scheduled=True, headline="Kommt erst später")
    ArticleFactory(headline="Anderes Ressort")
    response = client.get(reverse("articles:section", args=["sport"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert [row["id"] for row in response.context["articles"]] == [newer.pk, older.pk]
    assert html.index(newer.headline) < html.index(older.headline)
    for hidden in ["Entwurf bleibt geheim", "Kommt erst später", "Anderes Ressort"]:
        assert hidden not in html


def test_section_page_is_paginated_with_rel_links(client, settings):
    settings.NEWSROOM_SECTION_PAGE_SIZE = 2
    section = SectionFactory(slug="region")
    ArticleFactory.create_batch(5, section=section)
    first = client.get(reverse("articles:section", args=["region"]))
    assert len(first.context["articles"]) == 2
    assert '<link rel="next" href="?page=2">' in first.content.decode()
    last = client.get(reverse("articles:section", args=["region"]) + "?page=3")
    assert len(last.context["articles"]) == 1
    assert '<link rel="prev" href="?page=2">' in last.content.decode()


def test_unknown_section_answers_404(client):
    assert client.get("/gibt-es-nicht/").status_code == 404


def build_site(number_of_articles: int):
    """A section full of illustrated articles, most of them in a rail (the
    last, the one looked at, and the one before it, which "Mehr zum Thema"
    shows, are not)."""
    section = SectionFactory(slug="nachrichten")
    photo = PhotoFactory()
    articles = ArticleFactory.create_batch(number_of_articles, section=section)
    for article in articles:
        ArticlePhotoFactory(article=article, photo=photo)
    for article in articles[:-2]:
        RailItemFactory(article=article, rail__slug=f"leiste-{article.pk % 3}")
    SponsoredSlotFactory(rail__slug="leiste-0")
    return articles[-1]


@pytest.mark.parametrize("page", ["article", "section"])
def test_query_count_does_not_grow_with_articles(client, count_queries, page, settings):
    settings.NEWSROOM_SECTION_PAGE_SIZE = 50
    settings.NEWSROOM_FRAGMENT_CACHE_SECONDS = 0  # rails built on every request
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0  # every request builds the page

    def url(article):
        if page == "article":
            return article.get_absolute_url()
        return reverse("articles:section", args=["nachrichten"])

    article = build_site(10)
    few = count_queries(lambda: client.get(url(article)))
    article = build_site(190)
    many = count_queries(lambda: client.get(url(article)))
    assert few == many


def test_article_page_query_budget(client, django_assert_max_num_queries):
    article, other = build_site(30), ArticleFactory()
    # article with section and agency, authors, corrections, photos,
    # regions, tags, navigation, breaking news banner; rails, pins,
    # sponsored slots, next scheduled change, rail articles, their photos;
    # "Mehr zum Thema": by tags or regions (none here), by section, their
    # photos
    with django_assert_max_num_queries(16):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    # The head for machines (canonical, OpenGraph, JSON-LD) costs no query.
    html = response.content.decode()
    assert '<link rel="canonical"' in html
    assert '<meta property="og:image"' in html
    assert '<script type="application/ld+json">' in html
    # The rails under articles and the navigation are shared: the next
    # article page needs only its own queries (article, photos, authors,
    # corrections, regions, tags; related by tags or regions, by section,
    # their photos).
    with django_assert_max_num_queries(9):
        assert client.get(other.get_absolute_url()).status_code == 200


def test_rails_under_an_article_leave_out_that_article(client):
    article = build_site(4)
    shown = RailItemFactory(rail__slug="leiste-0").article
    html = client.get(article.get_absolute_url()).content.decode()
    assert shown.get_absolute_url() in html
    html = client.get(shown.get_absolute_url()).content.decode()
    rails = html[html.index('class="rail"') :]
    assert shown.get_absolute_url() not in rails
    assert rails.count('class="teaser') >= 3  # the rest of the rails still show


def test_section_page_query_budget(client, django_assert_max_num_queries):
    build_site(30)
    # section, count, page of articles, their photos, next scheduled change
    # (for the page cache), navigation, breaking news banner
    with django_assert_max_num_queries(7):
        assert client.get("/nachrichten/").status_code == 200


def test_article_page_is_served_from_the_page_cache(client, django_assert_num_queries):
    article = ArticleFactory(headline="Gespeichert", view_count=0)
    url = article.get_absolute_url()
    first = client.get(url)
    assert 55 <= shared_cache_seconds(first) <= 60
    with django_assert_num_queries(0):
        again = client.get(url)
    assert again.content == first.content
    assert "public" in again["Cache-Control"]
    assert "Accept-Language" not in again.get("Vary", "")


def test_cached_article_page_still_redirects_an_old_address(client):
    article = ArticleFactory(headline="Alte Überschrift")
    client.get(article.get_absolute_url())  # now cached under the article's id
    response = client.get(f"/{article.section.slug}/veraltet-{article.pk}/")
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


def test_withdrawing_purges_the_cached_article_page(
    client, django_capture_on_commit_callbacks
):
    article = ArticleFactory()
    assert client.get(article.get_absolute_url()).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        withdraw_article(article, by=None, reason="Falsche Angaben")
    response = client.get(article.get_absolute_url())
    assert response.status_code == 410


def test_cached_article_page_expires_with_its_photo_licence(client):
    use = ArticlePhotoFactory(
        photo__licence_expires_at=timezone.now() + timedelta(seconds=30)
    )
    response = client.get(use.article.get_absolute_url())
    assert 25 <= shared_cache_seconds(response) <= 30


def test_error_pages_come_in_the_site_design(client, rf):
    missing = client.get("/gibt-es-nicht/ueberhaupt-nicht/")
    assert missing.status_code == 404
    assert 'class="site-header"' in missing.content.decode()
    # The 500 page needs neither a request context nor the database.
    failed = server_error(rf.get("/"))
    html = failed.content.decode()
    assert failed.status_code == 500
    assert "Da ist etwas schiefgegangen" in html
    assert "css/site" in html and 'class="site-header"' in html
