from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from articles.models import Article
from articles.workflow.services import mark_article_updated, publish_article
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_editor_publishes_and_first_publication_is_kept():
    editor = UserFactory(username="cvd")
    editor.groups.add(Group.objects.get(name="Chef vom Dienst"))
    article = ArticleFactory(draft=True)
    publish_article(article, by=editor)
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    first = article.first_published_at
    assert first == article.published_at

    later = timezone.now() + timedelta(minutes=5)
    publish_article(article, by=editor, at=later)
    article.refresh_from_db()
    assert article.published_at == later
    assert article.first_published_at == first


def test_reporter_may_not_publish():
    reporter = UserFactory(username="reporter")
    reporter.groups.add(Group.objects.get(name="Redakteur"))
    article = ArticleFactory(draft=True)
    with pytest.raises(PermissionDenied):
        publish_article(article, by=reporter)
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_withdrawn_article_cannot_be_published():
    article = ArticleFactory(status=Article.Status.WITHDRAWN)
    with pytest.raises(ValidationError, match="zurückgezogen"):
        publish_article(article, by=None)


def test_update_needs_a_first_publication():
    with pytest.raises(ValidationError, match="noch nicht veröffentlicht"):
        mark_article_updated(ArticleFactory(draft=True), by=None)
