"""The public pages are valid HTML, by the Nu Html Checker (vnu.jar)."""

import pytest
from django.urls import reverse

from articles.models import Article
from articles.workflow.previews import preview_link
from tests.browser.conftest import build_newsroom, render, validation_errors
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture
def newsroom():
    return build_newsroom(sponsored_target="https://www.example.com/traumreise")


def test_public_pages_are_valid_html(client, newsroom, tmp_path):
    withdrawn = ArticleFactory(section=newsroom.city, status=Article.Status.WITHDRAWN)
    # Not in a rail: "Mehr zum Thema" under the top story shows it.
    ArticleFactory(section=newsroom.city, headline="Deich hält")
    pages = {
        "front": render(client, "/"),
        "article": render(client, newsroom.top_story.get_absolute_url()),
        "section": render(client, newsroom.city.get_absolute_url()),
        "preview": render(client, preview_link(newsroom.updated_story)),
        "not-found": render(client, "/koeln/gibt-es-nicht-999999/", 404),
        "withdrawn": render(client, withdrawn.get_absolute_url(), 410),
        "author": render(client, "/autor/anna-alt/"),
        "impressum": render(client, "/impressum/"),
        "datenschutz": render(client, "/datenschutz/"),
        "kontakt": render(client, "/kontakt/"),
    }
    assert b'id="mehr-zum-thema"' in pages["article"]
    assert validation_errors(pages, tmp_path) == []


def test_search_page_is_valid_html(client, newsroom, tmp_path):
    url = reverse("articles:search")
    pages = {
        "search": render(client, url),
        "search-results": render(client, f"{url}?q=Hochwasser&ressort=koeln"),
    }
    assert validation_errors(pages, tmp_path) == []
