import re

import pytest
from django.urls import reverse

from tests.factories import (
    ArticleFactory,
    ArticlePhotoFactory,
    PhotoFactory,
    RailFactory,
    RailItemFactory,
    SponsoredSlotFactory,
)

pytestmark = pytest.mark.django_db


def sponsored_blocks(html: str) -> list[str]:
    return re.findall(
        r'<article class="teaser teaser--sponsored">(.*?)</article>', html, re.S
    )


def test_front_page_renders_teasers_and_sponsored_slot(client):
    rail = RailFactory(title="Top-Themen")
    RailItemFactory(
        rail=rail,
        is_top=True,
        article__kicker="In der Heimat",
        article__headline='"Game of Thrones"-Star hat sich getraut',
        article__view_count=19467,
    )
    SponsoredSlotFactory(rail=rail, position=2)
    response = client.get(reverse("teasers:front_page"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Top-Themen" in html
    assert "&quot;Game of Thrones&quot;-Star hat sich getraut" in html
    assert '<span class="badge badge--top">Top</span>' in html
    assert "19.467" in html
    [block] = sponsored_blocks(html)
    visible_text = re.sub(r"<[^>]+>", " ", block).split()
    assert visible_text[0] == "Anzeige"
    assert 'rel="sponsored noopener"' in block
    assert "4.839" in block


def test_teaser_photo_carries_its_credit_in_the_figure(client):
    use = ArticlePhotoFactory(photo__credit_line="Steve Helber/AP/dpa")
    RailItemFactory(article=use.article)
    html = client.get("/").content.decode()
    figure = re.search(r'<figure class="photo teaser__photo">.*?</figure>', html, re.S)
    assert "Foto: Steve Helber/AP/dpa" in figure.group()


def test_front_page_hides_unpublished_articles(client):
    rail = RailFactory()
    RailItemFactory(rail=rail, article__headline="Öffentlich")
    RailItemFactory(rail=rail, article__draft=True, article__headline="Entwurf")
    RailItemFactory(rail=rail, article__scheduled=True, article__headline="Geplant")
    html = client.get("/").content.decode()
    assert "Öffentlich" in html
    assert "Entwurf" not in html
    assert "Geplant" not in html


def fill_front_page(number_of_articles: int):
    photo = PhotoFactory()
    rails = [RailFactory(), RailFactory(), RailFactory()]
    for index, article in enumerate(ArticleFactory.create_batch(number_of_articles)):
        ArticlePhotoFactory(article=article, photo=photo)
        RailItemFactory(rail=rails[index % 3], article=article)
    for rail in rails:
        SponsoredSlotFactory(rail=rail, photo=photo)


def test_front_page_query_count_does_not_grow(client, count_queries):
    fill_front_page(10)
    few = count_queries(lambda: client.get("/"))
    fill_front_page(190)
    many = count_queries(lambda: client.get("/"))
    assert few == many


def test_front_page_query_budget(client, django_assert_max_num_queries):
    fill_front_page(30)
    # rails, rail items with articles, their photos, sponsored slots, navigation
    with django_assert_max_num_queries(5):
        assert client.get("/").status_code == 200
