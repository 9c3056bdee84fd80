"""Changed public addresses answer 301 to where their page lives now."""

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from articles.models import AddressRedirect, is_local_path
from articles.workflow import services
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    RegionFactory,
    SectionFactory,
    TagFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def moved_to(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 301, (path, response.status_code)
    return response["Location"]


def test_renaming_a_section_in_the_admin_keeps_its_addresses(client):
    section = SectionFactory(slug="lokales", name="Lokales")
    ArticleFactory(section=section)
    admin = Client()
    admin.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = admin.post(
        reverse("admin:articles_section_change", args=[section.pk]),
        {"name": "Aus der Stadt", "slug": "aus-der-stadt", "order": "0"},
    )
    assert response.status_code == 302
    assert moved_to(client, "/lokales/") == "/aus-der-stadt/"
    assert moved_to(client, "/lokales/?page=2") == "/aus-der-stadt/?page=2"
    assert moved_to(client, "/lokales/feed/") == "/aus-der-stadt/feed/"
    assert moved_to(client, "/lokales/feed/atom/") == "/aus-der-stadt/feed/atom/"
    assert client.get("/aus-der-stadt/").status_code == 200
    assert client.get("/aus-der-stadt/feed/").status_code == 200


@pytest.mark.parametrize(
    "factory, prefix",
    [(TagFactory, "thema"), (RegionFactory, "region"), (AuthorFactory, "autor")],
)
def test_tags_regions_and_authors_keep_their_old_addresses(client, factory, prefix):
    subject = factory(slug="alt")
    subject.slug = "neu"
    subject.save()
    assert moved_to(client, f"/{prefix}/alt/") == f"/{prefix}/neu/"


def test_an_articles_old_address_is_recorded(client):
    article = ArticleFactory(slug="erste-fassung")
    old = article.get_absolute_url()
    article.slug = "zweite-fassung"
    article.save()
    assert AddressRedirect.objects.get(old_path=old).new_path == (
        article.get_absolute_url()
    )
    assert moved_to(client, old) == article.get_absolute_url()


def test_a_hidden_articles_new_address_is_not_given_away(client):
    article = ArticleFactory(slug="alter-titel")
    old = article.get_absolute_url()
    services.unpublish_article(article, by=UserFactory(is_superuser=True))
    article.slug = "neuer-geheimer-titel"
    article.save()
    assert AddressRedirect.objects.filter(old_path=old).exists()
    response = client.get(old)
    assert response.status_code == 404
    assert "geheim" not in response.content.decode()


def test_renames_lead_straight_to_the_newest_address_and_back(client):
    section = SectionFactory(slug="a")
    for slug in ("b", "c"):
        section.slug = slug
        section.save()
    assert moved_to(client, "/a/") == "/c/"
    assert moved_to(client, "/b/") == "/c/"
    section.slug = "a"
    section.save()
    # Live again: no record sends it away.
    assert client.get("/a/").status_code == 200
    assert moved_to(client, "/c/") == "/a/"


def test_an_old_address_taken_by_a_new_page_shows_that_page(client):
    section = SectionFactory(slug="sport")
    section.slug = "sport-aktuell"
    section.save()
    SectionFactory(slug="sport", name="Neuer Sport")
    assert client.get("/sport/").status_code == 200


HOSTILE_TARGETS = ["//boese.example/", "https://boese.example/", "/\\boese.example"]


@pytest.mark.parametrize("target", HOSTILE_TARGETS)
def test_a_redirect_never_leaves_the_site(target):
    assert not is_local_path(target)
    with pytest.raises(IntegrityError), transaction.atomic():
        AddressRedirect.objects.create(old_path="/weg/", new_path=target)
