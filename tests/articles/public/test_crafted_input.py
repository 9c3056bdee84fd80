"""Crafted input on public pages answers 404 or a form error, never 500."""

import pytest
from django.utils import timezone

from articles.public.sitemaps import article_page_number
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


class TestCraftedDates:
    @pytest.mark.parametrize(
        "url",
        [
            "/archiv/0001/01/01/",
            "/archiv/0001/01/02/",
            "/archiv/0001/01/",
            "/archiv/0999/12/31/",
            "/archiv/9999/12/31/",
            "/archiv/9999/12/",
            "/archiv/0001/01/01/?page=2",
        ],
    )
    def test_archive_days_at_the_edges_of_the_calendar_answer_404(self, client, url):
        ArticleFactory()
        assert client.get(url).status_code == 404

    def test_the_archive_reaches_back_a_thousand_years(self, client):
        assert client.get("/archiv/1000/01/01/").status_code == 200
        assert client.get("/archiv/1000/01/").status_code == 200

    @pytest.mark.parametrize(
        "params",
        [
            {"bis": "9999-12-31"},
            {"von": "0001-01-01"},
            {"von": "0001-01-02"},
            {"von": "9999-12-31"},
            {"von": "0001-01-01", "bis": "9999-12-31"},
        ],
    )
    def test_search_dates_at_the_edges_of_the_calendar_are_form_errors(
        self, client, params
    ):
        ArticleFactory(headline="Hafen")
        response = client.get("/suche/", {"q": "Hafen", **params})
        assert response.status_code == 200
        errors = " ".join(
            message
            for name in params
            for message in response.context["form"].errors[name]
        )
        assert "zwischen den Jahren 1000 und 9998" in errors
        assert "found" not in response.context

    def test_search_dates_within_the_range_still_filter(self, client):
        ArticleFactory(headline="Hafen")
        response = client.get(
            "/suche/", {"q": "Hafen", "von": "1000-01-01", "bis": "9998-12-31"}
        )
        assert response.context["found"].count == 1

    @pytest.mark.parametrize(
        "since",
        [
            "0001-01-01",
            "0001-01-01T00:00:00",
            "0001-01-01T00:00:00+14:00",
            "9999-12-31",
            "9999-12-31T23:59:59-12:00",
        ],
    )
    def test_export_since_at_the_edges_of_the_calendar_is_refused(self, client, since):
        ArticleFactory()
        response = client.get("/api/ninjs/", {"since": since})
        assert response.status_code == 400
        assert response.json() == {"error": "since: ISO 8601 date or time"}


class TestHostHeader:
    @pytest.fixture(autouse=True)
    def site_host(self, settings):
        settings.ALLOWED_HOSTS = ["www.example.de"]
        settings.NEWSROOM_ALLOWED_PORTS = []

    @pytest.mark.parametrize("port", ["1", "8000", "8443", "65535", "99999"])
    def test_a_port_the_site_is_not_served_on_is_refused(self, client, port):
        ArticleFactory(section__slug="lokales")
        for url in ["/", "/lokales/", "/lokales/feed/", "/sitemap.xml", "/suche/"]:
            response = client.get(url, HTTP_HOST=f"www.example.de:{port}")
            assert response.status_code == 400, url

    def test_a_listed_port_is_kept_in_addresses(self, client, settings):
        settings.NEWSROOM_ALLOWED_PORTS = ["8443"]
        ArticleFactory(section__slug="lokales")
        response = client.get("/lokales/feed/", HTTP_HOST="www.example.de:8443")
        assert response.status_code == 200
        assert "http://www.example.de:8443/lokales/" in response.content.decode()

    @pytest.mark.parametrize(
        ("host", "secure"),
        [
            ("www.example.de:80", False),
            ("www.example.de:0080", False),
            ("www.example.de:443", True),
            ("WWW.Example.DE", False),
            ("www.example.de.", False),
        ],
    )
    def test_other_spellings_of_the_host_share_its_cached_pages(
        self, client, django_assert_num_queries, host, secure
    ):
        article = ArticleFactory(section__slug="lokales")
        scheme = "https" if secure else "http"
        urls = ["/lokales/feed/", article.get_absolute_url(), "/api/ninjs/"]
        for url in urls:
            client.get(url, HTTP_HOST="www.example.de", secure=secure)
        for url in urls:
            with django_assert_num_queries(0):
                response = client.get(url, HTTP_HOST=host, secure=secure)
            assert response.status_code == 200
            text = response.content.decode()
            assert f"{scheme}://www.example.de/" in text
            assert host not in text.replace(f"{scheme}://www.example.de/", "")

    def test_robots_txt_names_the_canonical_host(self, client):
        text = client.get("/robots.txt", HTTP_HOST="WWW.example.de:80").content
        assert b"Sitemap: http://www.example.de/sitemap.xml" in text


class TestQueryStrings:
    """A client cannot make the page cache store copies by varying a query."""

    @pytest.mark.parametrize("page", ["01", "001", "+1", " 1", "1_0", "０１"])
    def test_listing_page_numbers_have_one_spelling(self, client, page):
        ArticleFactory(section__slug="lokales")
        assert client.get("/lokales/", {"page": page}).status_code == 404

    @pytest.mark.parametrize("page", ["01", "+1", " 1", "1_0", "1.0", "x"])
    def test_sitemap_page_numbers_have_one_spelling(self, client, page):
        article = ArticleFactory()
        url = f"/sitemap-artikel-{article_page_number(article.pk)}.xml"
        assert client.get(url, {"p": page}).status_code == 404
        assert client.get(url, {"p": "1"}).status_code == 200

    @pytest.mark.parametrize("page", ["01", "+1", " 1", "1_0", "x"])
    def test_export_page_numbers_have_one_spelling(self, client, page):
        ArticleFactory()
        response = client.get("/api/ninjs/", {"page": page})
        assert response.status_code == 404
        assert response.json() == {"error": "no such page"}

    @pytest.mark.parametrize("spelling", ["0{pk}", "00{pk}", "+{pk}", "{pk}.0"])
    def test_export_item_ids_have_one_spelling(self, client, spelling):
        article = ArticleFactory()
        assert client.get(f"/api/ninjs/{article.pk}/").status_code == 200
        url = f"/api/ninjs/{spelling.format(pk=article.pk)}/"
        assert client.get(url).status_code == 404

    def test_export_since_is_answered_but_not_stored(self, client, count_queries):
        ArticleFactory()
        url = "/api/ninjs/?since=2020-01-01T00:00:01"
        assert client.get(url).json()["count"] == 1
        assert count_queries(lambda: client.get(url)) > 0
        # Without since, the export is stored as before.
        client.get("/api/ninjs/")
        assert count_queries(lambda: client.get("/api/ninjs/")) == 0

    def test_empty_archive_days_are_not_stored(self, client, count_queries):
        ArticleFactory()
        day = "/archiv/1234/05/06/"
        response = client.get(day)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        assert count_queries(lambda: client.get(day)) > 0

    def test_archive_days_with_articles_are_stored(self, client, count_queries):
        article = ArticleFactory()
        day = f"/archiv/{timezone.localdate(article.published_at):%Y/%m/%d}/"
        client.get(day)
        assert count_queries(lambda: client.get(day)) == 0


class TestControlCharactersInQueries:
    @pytest.mark.parametrize("name", ["q", "ressort", "region", "agentur", "autor"])
    @pytest.mark.parametrize("value", ["\x00", "Ha\x00fen", "\x01\x1b\x7f", "\ufffe"])
    def test_search_parameters_answer_with_a_page(self, client, name, value):
        ArticleFactory(headline="Hafen")
        response = client.get("/suche/", {name: value})
        assert response.status_code == 200

    @pytest.mark.parametrize("value", ["\x00", "2025-01-01\x00", "\x01"])
    def test_export_since_with_control_characters_is_refused(self, client, value):
        assert client.get("/api/ninjs/", {"since": value}).status_code == 400
