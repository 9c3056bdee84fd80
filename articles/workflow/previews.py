"""Previews: any revision of an article through the public templates.

Editors preview in the admin. A shareable link lets people without a login
see the current state of one article: the token is the article id signed
with a timestamp, so it cannot be pointed at another article and stops
working after NEWSROOM_PREVIEW_LINK_HOURS.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control

from articles.models import (
    Article,
    ArticleRevision,
    Author,
    apply_revision_values,
)

SALT = "articles.preview-link"


def preview_link(article: Article) -> str:
    token = signing.TimestampSigner(salt=SALT).sign(str(article.pk))
    return reverse("articles:shared_preview", args=[token])


def article_for_preview_token(token: str) -> Article | None:
    """The article a link was made for, or None if forged or expired."""
    max_age = timedelta(hours=settings.NEWSROOM_PREVIEW_LINK_HOURS)
    try:
        article_id = signing.TimestampSigner(salt=SALT).unsign(token, max_age=max_age)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    # A withdrawn article is gone for everyone, link or not.
    return (
        Article.objects.exclude(status=Article.Status.WITHDRAWN)
        .filter(pk=int(article_id))
        .first()
    )


def article_as_of(article: Article, revision: ArticleRevision | None) -> tuple:
    """(article, authors) showing `revision`'s content; unsaved, never stored."""
    if revision is None:
        return article, list(article.authors.all())
    shown = Article.objects.get(pk=article.pk)
    apply_revision_values(shown, revision.data)
    authors = list(Author.objects.filter(pk__in=revision.data.get("authors", [])))
    return shown, authors


def render_preview(request: HttpRequest, article: Article, authors) -> HttpResponse:
    """`article` as its public page shows it, for the eyes of one person:
    never indexed, never kept by any cache."""
    response = render(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "authors": authors,
            "corrections": article.corrections.all(),
            "is_preview": True,
        },
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    patch_cache_control(response, private=True, no_store=True)
    return response
