"""What a public article page reads and shows: the article, if the public
may see it, with its section, agency, usable photos, authors and correction
notes; and the article's markup.

The article page is the read that runs most often with its cached copy
cold: every editorial write purges every page. So it is built from
prepared queries (newsroom/perf/prepared.py; the ORM's building of these six
querysets cost several times their execution), the article's own markup
(the `<article>` element and the page's machine-readable head) is memoized
per process, keyed by every value it is rendered from, and so is the
document around it, keyed by its parts (`article_document`). Unlike a cache,
a memo cannot be stale: a changed headline, photo, caption, author,
correction or view count is a new key, read from the database on this very
request.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from operator import attrgetter

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Model
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from articles.models import (
    Article,
    ArticlePhoto,
    Author,
    CorrectionNote,
    LiveEntry,
    Photo,
    Region,
    Tag,
)
from articles.photos.body_uses import load_body_media
from articles.public.context_processors import site
from articles.public.page_meta import ArticleHead, article_head
from articles.public.related import ArticleTopic
from articles.public.site_frame import SiteFrame, site_frame
from newsroom.perf.memo import memoize
from newsroom.perf.prepared import PreparedQuery

PUBLIC_ARTICLE = PreparedQuery(
    lambda at, pk: (
        Article.objects.published(at)
        # Not the social photo: most articles have none, and most that do
        # show it on the page too (public_article_page).
        .select_related("section", "agency", "counting_mark")
        .filter(pk=pk)
        # One row: the model's ordering would only cost the ORM's building
        # of it (about a third of this queryset's time without the fast
        # path) and the database a sort.
        .order_by()
    ),
    at=datetime,
    pk=int,
)
# Uses and corrections are put in their models' order (numbers, times and
# ids: the same as the database's) by Python: a few rows, and building the
# ORDER BY was about a fifth of each queryset's time without the fast path.
PHOTO_USE_ORDER = attrgetter("position", "pk")
CORRECTION_ORDER = attrgetter("created_at", "pk")
# An article's photo uses, usable or not: public_article_page keeps those
# whose photo is_usable() at the page's moment (the Python twin of usable()).
# Building usable()'s conditions across the join was a third of this
# queryset's time without the fast path, for a few rows read anyway.
PHOTO_USES = PreparedQuery(
    lambda article_id: (
        ArticlePhoto.objects.filter(article_id=article_id)
        .select_related("photo__agency")
        .order_by()
    ),
    article_id=int,
)
SOCIAL_PHOTO = PreparedQuery(
    lambda at, pk: Photo.objects.usable(at).select_related("agency").filter(pk=pk),
    at=datetime,
    pk=int,
)
AUTHORS = PreparedQuery(
    lambda article_id: Author.objects.filter(articles=article_id), article_id=int
)
REGIONS = PreparedQuery(
    lambda article_id: Region.objects.filter(articles=article_id), article_id=int
)
TAGS = PreparedQuery(
    lambda article_id: Tag.objects.filter(articles=article_id), article_id=int
)
CORRECTIONS = PreparedQuery(
    lambda article_id: CorrectionNote.objects.filter(article_id=article_id).order_by(),
    article_id=int,
)


@dataclass(frozen=True)
class ArticlePage:
    article: Article
    authors: list[Author]
    corrections: list[CorrectionNote]
    regions: list[Region] = ()
    tags: list[Tag] = ()
    # A live ticker's entries on this page: its JSON-LD lists them.
    live_entries: tuple[LiveEntry, ...] = ()

    def rows(self) -> list[Model]:
        """Every row the article's markup is rendered from."""
        article = self.article
        rows = [
            article,
            article.section,
            *self.authors,
            *self.corrections,
            *self.regions,
            *self.tags,
            *self.live_entries,
            *(entry.author for entry in self.live_entries if entry.author_id),
        ]
        if article.agency_id:
            rows.append(article.agency)
        if article.social_photo_id:
            rows.append(article.social_photo)
            if article.social_photo.agency_id:
                rows.append(article.social_photo.agency)
        for use in article.photo_uses:
            rows += [use, use.photo]
            if use.photo.agency_id:
                rows.append(use.photo.agency)
        return rows + article.body_media.rows()

    @property
    def counting_pixel_url(self) -> str:
        """VG Wort's counting pixel, if the article has a mark from the
        configured counting server (the only one the CSP lets through)."""
        try:
            mark = self.article.counting_mark
        except ObjectDoesNotExist:
            return ""
        if mark.host != settings.NEWSROOM_VG_WORT_HOST:
            return ""
        return mark.pixel_url

    def topic(self) -> ArticleTopic:
        return ArticleTopic(
            article_id=self.article.pk,
            section_id=self.article.section_id,
            tag_ids=tuple(tag.pk for tag in self.tags),
            region_ids=tuple(region.pk for region in self.regions),
        )

    def signature(self) -> tuple:
        """All values of all rows shown: equal signatures, equal markup."""
        return tuple((type(row).__name__, *row_values(row)) for row in self.rows())


def public_article_page(pk: int, at: datetime) -> ArticlePage | None:
    """The article `pk` as the public sees it at `at`, or None if hidden."""
    found = PUBLIC_ARTICLE(at=at, pk=pk)
    if not found:
        return None
    article = found[0]
    # What Article.photo_uses reads (for_listing() prefetches it elsewhere).
    article.usable_photo_uses = sorted(
        (use for use in PHOTO_USES(article_id=pk) if use.photo.is_usable(at)),
        key=PHOTO_USE_ORDER,
    )
    # The body's photos and galleries, as recorded for the saved article
    # (no query for a body without them); sets article.body_media.
    load_body_media(article, at)
    if article.social_photo_id:
        # Expired or killed: None, gone from the previews like from the page
        # (and from the memo's key, which the head is rendered from).
        article.social_photo = _social_photo(article, at)
    return ArticlePage(
        article=article,
        authors=AUTHORS(article_id=pk),
        corrections=sorted(CORRECTIONS(article_id=pk), key=CORRECTION_ORDER),
        regions=REGIONS(article_id=pk),
        tags=TAGS(article_id=pk),
    )


def _social_photo(article: Article, at: datetime) -> Photo | None:
    """The article's social photo if usable at `at`: one the page shows
    already (all of them are usable), else read."""
    wanted = article.social_photo_id
    for photo in article.shown_photos:
        if photo.pk == wanted:
            return photo
    found = SOCIAL_PHOTO(at=at, pk=wanted)
    return found[0] if found else None


def row_values(row: Model) -> tuple:
    """The values of all of a row's concrete fields, hashable."""
    read, json_positions = _value_readers.get(type(row)) or _value_reader(type(row))
    values = read(row)
    if json_positions:
        values = list(values)
        for position in json_positions:
            values[position] = hashable(values[position])
    return values


# Model → (attrgetter of its concrete fields, positions of its JSON fields):
# one C call per row instead of a getattr and a type check per field (the
# signature reads some hundred values on every article page).
_value_readers: dict[type[Model], tuple[Callable, tuple[int, ...]]] = {}


def _value_reader(model: type[Model]) -> tuple[Callable, tuple[int, ...]]:
    fields = model._meta.concrete_fields
    names = [field.attname for field in fields]
    # attrgetter of one name returns the value, not a 1-tuple.
    read = (
        attrgetter(*names) if len(names) > 1 else lambda row: (getattr(row, names[0]),)
    )
    json_positions = tuple(
        position
        for position, field in enumerate(fields)
        if field.get_internal_type() == "JSONField"
    )
    _value_readers[model] = read, json_positions
    return read, json_positions


def hashable(value):
    # JSON fields hold dicts and lists; their JSON text stands for them.
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, cls=DjangoJSONEncoder)
    return value


def article_element(
    article: Article, authors, corrections, regions=(), tags=()
) -> SafeString:
    """The `<article>` element: headline, meta, photos, body, corrections,
    and the links to its authors', regions' and tags' pages."""
    return render_to_string(
        "articles/_article.html",
        {
            "article": article,
            "authors": authors,
            "corrections": corrections,
            "regions": regions,
            "tags": tags,
        },
    )


@dataclass(frozen=True)
class DocumentParts:
    """The article page's own parts of the document around the shared
    frame (articles/_article_document.html): rendered with the article's
    markup instead of by the page's template on every request (the
    description's truncation and the scripts' static addresses were about
    a tenth of the page's template work)."""

    title: SafeString
    description: SafeString
    robots: SafeString
    scripts: SafeString


def document_parts(article: Article) -> DocumentParts:
    """The public page's parts (a preview's are included by the template)."""
    context = {
        "article": article,
        "site_name": settings.NEWSROOM_SITE_NAME,
        # The page shows a live ticker (and loads its script) iff it is one.
        "ticker": article.is_live_ticker,
    }
    return DocumentParts(
        *(
            render_to_string(f"articles/_article_document.html#{name}", context)
            for name in ("title", "description", "robots", "scripts")
        )
    )


def _markup_key(page: ArticlePage, request: HttpRequest) -> tuple:
    # Scheme and host are part of the key: the head carries absolute
    # addresses. The site's name is in the title.
    return (
        f"{request.scheme}://{request.get_host()}",
        get_language(),
        settings.NEWSROOM_SITE_NAME,
        page.signature(),
    )


@memoize(lambda: settings.NEWSROOM_ARTICLE_MARKUP_MEMO_SIZE, key=_markup_key)
def article_markup(
    page: ArticlePage, request: HttpRequest
) -> tuple[SafeString, ArticleHead, DocumentParts]:
    """The article element, the page's head and its other parts of the
    document, rendered once per process and content."""
    article = page.article
    return (
        article_element(
            article, page.authors, page.corrections, page.regions, page.tags
        ),
        article_head(
            article,
            authors=page.authors,
            request=request,
            live_entries=page.live_entries,
        ),
        document_parts(article),
    )


@dataclass(frozen=True)
class ArticleDocument:
    """Every value the public article page's document is rendered from,
    but for what teasers puts under the article: equal values, equal page.
    The parts that read the database (the article's markup, the frame every
    page shares, a live ticker's entries) come in as markup already."""

    article_html: SafeString
    head: ArticleHead
    parts: DocumentParts
    counting_pixel_url: str
    ticker_html: SafeString
    frame: SiteFrame
    site: tuple  # the `site` context processor's items
    language: str


# Where what teasers puts under the article goes in the memoised document:
# the rails change with every publication, the document around them seldom.
# No page holds a NUL (clean_text drops control characters from all text).
UNDER_ARTICLE = mark_safe("\x00under-article\x00")


def article_document(
    page: ArticlePage, request: HttpRequest, *, ticker_html: SafeString = ""
) -> str:
    """The public page of `page`'s article: the document around its markup.

    Its parts are rendered first (each memoised or shared on its own), then
    the document around them, once per process and set of values: Django's
    template machinery for the page around its parts (the inheritance from
    base.html, its blocks and conditions) was two thirds of an uncached
    page's time. The document uses nothing per reader (no user, CSRF token,
    CSP nonce, message), like the page cache that stores it for all.
    """
    article_html, head, parts = article_markup(page, request)
    document = ArticleDocument(
        article_html=article_html,
        head=head,
        parts=parts,
        counting_pixel_url=page.counting_pixel_url,
        ticker_html=ticker_html,
        frame=site_frame(),
        site=tuple(site(request).items()),
        language=get_language(),
    )
    under_article = render_to_string(
        "articles/_under_article.html",
        {"topic": page.topic(), "article_id": page.article.pk},
    )
    if around := _document_around(document):
        before, after = around
        return before + under_article + after
    return _rendered_document(document, under_article)


@memoize(lambda: settings.NEWSROOM_ARTICLE_DOCUMENT_MEMO_SIZE)
def _document_around(document: ArticleDocument) -> tuple[str, str] | None:
    """The document before and after what goes under the article; None if
    the place is not found exactly once."""
    html = _rendered_document(document, UNDER_ARTICLE)
    if html.count(UNDER_ARTICLE) != 1:
        return None
    before, _, after = html.partition(UNDER_ARTICLE)
    return before, after


def _rendered_document(document: ArticleDocument, under_article: SafeString) -> str:
    return render_to_string(
        "articles/article_detail.html",
        {
            **dict(document.site),
            "article_html": document.article_html,
            "head": document.head,
            "parts": document.parts,
            "counting_pixel_url": document.counting_pixel_url,
            "ticker_html": document.ticker_html,
            "under_article": under_article,
            # Read by the frame's tags (articles/templatetags/navigation.py).
            "site_frame": document.frame,
        },
    )
