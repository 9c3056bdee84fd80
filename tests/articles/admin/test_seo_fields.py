"""The optional search and social fields on the edit form: counters, saving,
and the revision that keeps them."""

import re

import pytest
from django.urls import reverse

from articles.models import Article
from tests import factories
from tests.articles.admin.article_form import management_forms

pytestmark = pytest.mark.django_db


def test_edit_form_saves_the_seo_and_social_fields_into_the_revision(client):
    user = factories.UserFactory(username="chefin", is_superuser=True)
    client.force_login(user)
    article = factories.ArticleFactory(draft=True)
    photo = factories.PhotoFactory()
    url = reverse("admin:articles_article_change", args=[article.pk])
    html = client.get(url).content.decode()
    assert "Suchmaschinen und soziale Netzwerke" in html
    assert re.search(r'<input[^>]*name="seo_title"[^>]*data-guide-chars="60"', html)
    assert re.search(
        r'<textarea[^>]*name="meta_description"[^>]*data-guide-chars="160"', html
    )
    response = client.post(
        url,
        {
            "headline": article.headline,
            "section": article.section_id,
            "body": article.body,
            "loaded_version": article.version,
            "seo_title": "Radweg: Bau beginnt",
            "meta_description": "Was beschlossen ist.",
            "social_title": "Der Radweg kommt",
            "social_teaser": "Endlich.",
            "social_photo": photo.pk,
            "noindex": "on",
            "canonical_url": "https://www.partnerzeitung.de/radweg",
            **management_forms(),
        },
    )
    assert response.status_code == 302
    saved = Article.objects.get(pk=article.pk)
    assert (saved.seo_title, saved.social_photo, saved.noindex) == (
        "Radweg: Bau beginnt",
        photo,
        True,
    )
    data = saved.revisions.first().data
    assert data["seo_title"] == "Radweg: Bau beginnt"
    assert data["social_photo"] == photo.pk
    assert data["canonical_url"] == "https://www.partnerzeitung.de/radweg"


def test_a_relative_canonical_address_is_refused(client):
    user = factories.UserFactory(username="chefin", is_superuser=True)
    client.force_login(user)
    article = factories.ArticleFactory(draft=True)
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = client.post(
        url,
        {
            "headline": article.headline,
            "section": article.section_id,
            "loaded_version": article.version,
            "canonical_url": "/radweg",
            **management_forms(),
        },
    )
    assert response.status_code == 200
    assert "canonical_url" in response.context["adminform"].form.errors
