from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from articles.models import Author, Photo
from tests.factories import ArticleFactory, AuthorFactory, PhotoFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def author():
    author = AuthorFactory(
        name="Anna Alt",
        slug="anna-alt",
        role="Lokalredakteurin",
        bio="Schreibt seit 2010 über Köln und den Rhein.",
        photo=PhotoFactory(alt_text="Porträt von Anna Alt"),
        links="https://anna-alt.example\nhttps://social.example/@anna",
        user=UserFactory(username="anna", is_staff=True),
    )
    ArticleFactory().authors.add(author)
    return author


def test_the_author_page_shows_photo_role_bio_and_links(client, author):
    html = client.get("/autor/anna-alt/").content.decode()
    assert '<h1 class="page-title">Anna Alt</h1>' in html
    assert "Lokalredakteurin" in html
    assert "Schreibt seit 2010" in html
    assert 'alt="Porträt von Anna Alt"' in html
    assert f"/bild/{author.photo.pk}/" in html
    assert '<a href="https://social.example/@anna" rel="me noopener">' in html


def test_the_portrait_is_a_public_photo(author):
    assert Photo.objects.public().filter(pk=author.photo.pk).exists()


def test_an_expired_portrait_is_not_shown(client, author):
    author.photo.licence_expires_at = timezone.now() - timedelta(days=1)
    author.photo.save()
    html = client.get("/autor/anna-alt/").content.decode()
    assert f"/bild/{author.photo.pk}/" not in html


def test_an_agency_author_needs_no_user(client):
    AuthorFactory(name="Peter Kneffel", slug="peter-kneffel", user=None)
    assert client.get("/autor/peter-kneffel/").status_code == 200


def test_links_must_be_web_addresses():
    author = Author(name="X", slug="x", links="https://ok.example\njavascript:alert(1)")
    with pytest.raises(ValidationError, match="keine Web-Adresse"):
        author.full_clean()


def test_the_author_page_reads_the_portrait_with_the_author(
    client, author, django_assert_max_num_queries
):
    client.get("/")  # the navigation
    # author with photo and agency, count, next change, articles, their
    # photos: no query for the portrait
    with django_assert_max_num_queries(5):
        assert client.get("/autor/anna-alt/").status_code == 200
