import pytest
from django.contrib.auth.models import Group
from django.core import signing
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from articles.models import Article
from articles.workflow import services
from articles.workflow.previews import preview_link
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


def opens(client, link) -> bool:
    return client.get(link).status_code == 200


def test_a_withdrawn_article_back_in_draft_needs_a_new_preview_link(client):
    article = ArticleFactory(headline="Zurück in den Entwurf")
    old = preview_link(article)
    assert opens(client, old)
    services.withdraw_article(article, by=None, reason="Rechtlich")
    assert not opens(client, old)
    services.unpublish_article(article, by=None)
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert not opens(client, old)
    assert opens(client, preview_link(article))


def test_a_withdrawal_through_an_old_object_still_ends_the_newest_link(client):
    article = ArticleFactory()
    loaded_earlier = Article.objects.get(pk=article.pk)
    services.withdraw_article(article, by=None, reason="Rechtlich")
    services.unpublish_article(article, by=None)
    newest = preview_link(article)
    services.publish_article(article, by=None)
    # A bulk action's list, loaded before all this.
    services.withdraw_article(loaded_earlier, by=None, reason="Noch einmal")
    services.unpublish_article(loaded_earlier, by=None)
    assert not opens(client, newest)


def test_an_agency_kill_ends_preview_links_for_good(client):
    article = ArticleFactory(draft=True, headline="Agenturmeldung")
    link = preview_link(article)
    assert opens(client, link)
    # What the importer's kill writes for a story that is not live.
    article.agency_status = Article.AgencyStatus.CANCELED
    article.save(update_fields=["agency_status", "modified_at"])
    assert not opens(client, link)
    with pytest.raises(ValidationError, match="keine Vorschau-Links mehr"):
        preview_link(article)


def test_links_made_before_preview_generations_keep_working(client):
    article = ArticleFactory(draft=True)
    legacy = signing.TimestampSigner(salt="articles.preview-link").sign(str(article.pk))
    assert opens(client, reverse("articles:shared_preview", args=[legacy]))


@pytest.mark.parametrize("token", ["abc:def:ghi", ":", "", "99999999:x:y", "١:x:y"])
def test_malformed_preview_tokens_answer_404(client, token):
    url = reverse("articles:shared_preview", args=[token or "x"])
    assert client.get(url).status_code == 404


def test_the_admin_refuses_preview_links_for_withdrawn_articles():
    editor = UserFactory(username="cvd", password="!")
    editor.groups.add(Group.objects.get(name="Chef vom Dienst"))
    client = Client()
    client.force_login(editor)
    article = ArticleFactory(headline="Weg")
    services.withdraw_article(article, by=None, reason="Rechtlich")
    url = reverse("admin:articles_article_preview_link", args=[article.pk])
    response = client.post(url, follow=True)
    html = response.content.decode()
    assert "„Weg“ ist zurückgezogen: dafür gibt es keine Vorschau-Links mehr." in html
    assert "Vorschau-Link (48 Stunden gültig" not in html
