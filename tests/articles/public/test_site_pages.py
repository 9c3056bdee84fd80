import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse

from articles.models import Section, SitePage
from tests.factories import ArticleFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db

KINDS = ["impressum", "datenschutz", "kontakt"]


@pytest.fixture
def impressum():
    return SitePage.objects.create(
        kind="impressum",
        title="Impressum",
        body="<h2>Angaben gemäß § 5 DDG</h2><p>Musterverlag</p>"
        "<script>alert(1)</script><p onclick='x()'>Köln</p>",
    )


def test_a_site_page_shows_its_sanitised_text(client, impressum):
    response = client.get("/impressum/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="page-title">Impressum</h1>' in html
    assert "<h2>Angaben gemäß § 5 DDG</h2>" in html
    assert "<script>" not in html and "onclick" not in html
    assert "<p>Köln</p>" in html


def test_a_missing_site_page_is_not_found(client):
    assert client.get("/kontakt/").status_code == 404


def test_a_site_page_costs_one_query(client, impressum, django_assert_num_queries):
    client.get("/")  # the navigation's sections, cached for every page
    # the page row
    with django_assert_num_queries(1):
        assert client.get("/impressum/").status_code == 200


def test_the_page_cache_forgets_a_page_an_editor_changed(
    client, impressum, django_capture_on_commit_callbacks
):
    assert "Musterverlag" in client.get("/impressum/").content.decode()
    editor = UserFactory(is_superuser=True, is_staff=True)
    admin = type(client)()
    admin.force_login(editor)
    change = reverse("admin:articles_sitepage_change", args=[impressum.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            change, {"title": "Impressum", "body": "<p>Neuer Verlag GmbH</p>"}
        )
    assert response.status_code == 302
    html = client.get("/impressum/").content.decode()
    assert "Neuer Verlag GmbH" in html
    assert "Musterverlag" not in html


@pytest.mark.parametrize("kind", KINDS)
def test_a_section_cannot_take_a_site_page_address(kind):
    with pytest.raises(ValidationError, match="reserviert"):
        Section(name=kind.title(), slug=kind).full_clean()


def test_every_page_links_search_archive_and_the_site_pages(client):
    section = SectionFactory(slug="koeln", name="Köln")
    article = ArticleFactory(section=section)
    for address in ["/", section.get_absolute_url(), article.get_absolute_url()]:
        html = client.get(address).content.decode()
        assert 'role="search" action="/suche/"' in html, address
        assert 'name="q"' in html
        for kind in KINDS:
            assert f'href="/{kind}/"' in html, address
        assert 'href="/archiv/' in html
        assert html.count(f'href="{section.get_absolute_url()}"') >= 2, address


def test_the_site_pages_are_in_the_sitemap_and_no_feed(client, impressum):
    index = client.get("/sitemap.xml").content.decode()
    assert "http://testserver/sitemap-seiten.xml" in index
    sitemap = client.get("/sitemap-seiten.xml").content.decode()
    assert "<loc>http://testserver/impressum/</loc>" in sitemap
    assert "<lastmod>" in sitemap
    ArticleFactory()
    for feed in ["/feed/", "/feed/atom/"]:
        assert "/impressum/" not in client.get(feed).content.decode()


def test_the_chef_vom_dienst_keeps_the_site_pages(client, impressum):
    cvd = UserFactory(is_staff=True)
    cvd.groups.add(Group.objects.get(name="Chef vom Dienst"))
    client.force_login(cvd)
    change = reverse("admin:articles_sitepage_change", args=[impressum.pk])
    assert client.get(change).status_code == 200
    reporter = UserFactory(is_staff=True)
    reporter.groups.add(Group.objects.get(name="Redakteur"))
    client.force_login(reporter)
    assert client.get(change).status_code == 403
