"""Previews: any revision of an article through the public templates.

Editors preview in the admin. A shareable link lets people without a login
see the current state of one article: the token is the article id signed
with a timestamp, so it cannot be pointed at another article and stops
working after NEWSROOM_PREVIEW_LINK_HOURS. The signature also covers the
article's preview generation (`Article.preview_epoch`), which withdrawing
moves on: a link made before a withdrawal (or an agency kill) never works
again, not even when the article goes back to draft; that needs a new link.
"""

import re
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from articles.models import (
    Article,
    ArticlePhoto,
    ArticleRevision,
    Author,
    CorrectionNote,
    Photo,
    apply_revision_values,
)
from articles.photos.body_uses import load_body_media
from articles.workflow import live_drafts

SALT = "articles.preview-link"
ARTICLE_ID = re.compile(r"[0-9]{1,18}")


def signer(article: Article) -> signing.TimestampSigner:
    # Generation 0 signs as links did before generations existed, so links
    # shared before this change keep working until they expire.
    epoch = article.preview_epoch
    return signing.TimestampSigner(salt=f"{SALT}:{epoch}" if epoch else SALT)


def is_gone(article: Article) -> bool:
    """Withdrawn, killed by its agency or in the trash: no preview link
    leads to it."""
    return (
        article.deleted_at is not None
        or article.status == Article.Status.WITHDRAWN
        or article.agency_status == Article.AgencyStatus.CANCELED
    )


def preview_link(article: Article) -> str:
    if is_gone(article):
        raise ValidationError(
            _(
                "„%(headline)s“ ist zurückgezogen: dafür gibt es keine "
                "Vorschau-Links mehr."
            )
            % {"headline": article.headline}
        )
    token = signer(article).sign(str(article.pk))
    return reverse("articles:shared_preview", args=[token])


def article_for_preview_token(token: str) -> Article | None:
    """The article a link was made for, or None if forged, expired or made
    before the article was withdrawn or killed."""
    article_id = token.partition(":")[0]
    if not ARTICLE_ID.fullmatch(article_id):
        return None
    article = Article.objects.filter(pk=int(article_id)).first()
    # A withdrawn or killed article is gone for everyone, link or not.
    if article is None or is_gone(article):
        return None
    max_age = timedelta(hours=settings.NEWSROOM_PREVIEW_LINK_HOURS)
    try:
        signer(article).unsign(token, max_age=max_age)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    return article


def article_as_of(article: Article, revision: ArticleRevision | None) -> tuple:
    """(article, authors) showing `revision`'s content; unsaved, never stored."""
    if revision is None:
        return article, list(article.authors.all())
    shown = Article.objects.get(pk=article.pk)
    apply_revision_values(shown, revision.data)
    # A live article's draft holds its photos and times too.
    live_drafts.apply_held_values(shown, revision.data)
    if live_drafts.PHOTOS in revision.data:
        show_photo_uses(shown, revision.data[live_drafts.PHOTOS])
    authors = list(Author.objects.filter(pk__in=revision.data.get("authors", [])))
    return shown, authors


def show_photo_uses(article: Article, uses: list[dict]) -> None:
    """Let `article` show `uses` (as a draft stores its photos) instead of
    its saved photos, those usable now, in order; nothing is saved."""
    photos = (
        Photo.objects.usable()
        .select_related("agency")
        .in_bulk([use["photo"] for use in uses])
    )
    article.usable_photo_uses = [
        ArticlePhoto(
            article=article,
            photo=photos[use["photo"]],
            position=use["position"],
            caption=use["caption"],
        )
        for use in sorted(uses, key=lambda use: use["position"])
        if use["photo"] in photos
    ]


def unsaved_corrections(article: Article, texts: list[str]) -> list:
    """The article's printed corrections and, after them, `texts` as
    corrections made now (a draft's or an edit form's new ones)."""
    saved = list(article.corrections.all()) if article.pk else []
    return saved + [CorrectionNote(text=text) for text in texts]


def render_unsaved_preview(
    request: HttpRequest,
    article: Article,
    authors,
    *,
    photos: list[dict] | None = None,
    new_corrections: list[str] = (),
) -> HttpResponse:
    """`article` as it is in memory (an edit form's unsaved input) through
    the public template: derived fields (sanitised body, slug, visibility)
    filled as a save would; `photos` (as a draft stores them; default: as
    the pending draft or the article has them) and its corrections with
    `new_corrections` after them. Writes nothing."""
    article.fill_derived_fields()
    if article.pk is None:
        # A new article has no photos or corrections yet (and an unsaved
        # object cannot be asked for its related rows).
        article.usable_photo_uses = []
    if photos is None and article.pk is not None:
        photos = live_drafts.photo_uses(article)
    if photos is not None:
        show_photo_uses(article, photos)
    corrections = unsaved_corrections(article, list(new_corrections))
    return render_preview(request, article, authors, corrections=corrections)


def render_preview(
    request: HttpRequest, article: Article, authors, *, corrections=None
) -> HttpResponse:
    """`article` as its public page shows it, for the eyes of one person:
    never indexed, never kept by any cache."""
    # What the shown text's photo and gallery blocks name, usable now.
    load_body_media(article, recorded=False)
    response = render(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "authors": authors,
            "corrections": article.corrections.all()
            if corrections is None
            else corrections,
            "is_preview": True,
            # The banner says why readers do not see it (scheduled, embargo…).
            "hidden_because": article.hidden_because(),
        },
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    patch_cache_control(response, private=True, no_store=True)
    return response
