import hashlib
import logging
import re
from calendar import monthrange
from dataclasses import replace
from datetime import date, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import InvalidPage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.generic import ListView, View

from articles.models import (
    ARCHIVE_YEARS,
    Article,
    Author,
    Gallery,
    Photo,
    Region,
    Section,
    SitePage,
    Tag,
)
from articles.models.photos import credit_line_for
from articles.photos.renditions import (
    RenditionSpec,
    UnknownSpec,
    get_rendition,
    rendition_url,
    rendition_version,
)
from articles.public.article_page import article_document, public_article_page
from articles.public.body_photos import gallery_html
from articles.public.filters import ArticleSearchFilter
from articles.public.listings import publication_days_around
from articles.public.live_ticker import parse_id, ticker_html, ticker_page
from articles.public.page_cache import (
    BuiltPage,
    is_cacheable,
    page_being_built,
    patch_shared_cache_headers,
    serve_cached_page,
)
from articles.public.pagination import page_links
from articles.public.rate_limits import note_refused
from articles.public.search import (
    SearchSlot,
    SearchTimedOut,
    search_articles,
    search_retry_after,
    search_slot,
    search_time_limit_ms,
)
from articles.public.signals import article_page_served
from articles.purging import ChangeTimes
from articles.workflow.previews import (
    article_as_of,
    article_for_preview_token,
    render_preview,
)
from newsroom.pagination import CappedPaginator

logger = logging.getLogger(__name__)


class ArticleDetailView(View):
    def get(self, request, *args, **kwargs):
        # A live ticker's older entries: one cached page per entry at most.
        self.before = parse_id(request.GET.get("vor"))
        name = f"article:{kwargs['pk']}"
        if self.before is not None:
            name += f"?vor={self.before}"
        response, facts = serve_cached_page(request, name, self.build_page)
        if facts.get("path", request.path) != request.path:
            # Old slug or moved section: one permanent address per article.
            return redirect(facts["path"], permanent=True)
        if response.status_code == 200:
            article_page_served.send(
                type(self), request=request, article_id=facts["article_id"], facts=facts
            )
        return response

    def build_page(self, now):
        """The article page, when it changes by itself, and facts for every serve."""
        pk = self.kwargs["pk"]
        page = public_article_page(pk, now)
        if page is None:
            if Article.objects.gone(now).filter(pk=pk).exists():
                return render(self.request, "410.html", status=410), None, {}
            raise Http404("no public article with this id")
        article = page.article
        canonical = article.get_absolute_url()
        if self.request.path != canonical:
            return redirect(canonical, permanent=True), None, {}
        ticker = None
        if article.is_live_ticker:
            ticker = ticker_page(pk, before=self.before)
            page = replace(page, live_entries=tuple(ticker.entries))
        elif self.before is not None:
            raise Http404("only a live ticker has older entries")
        response = HttpResponse(
            article_document(
                page,
                self.request,
                ticker_html=ticker_html(article, ticker) if ticker else "",
            )
        )
        # The parts under the article added what they need (the rails: their
        # changes and sponsored slots) while they were rendered.
        facts = {"path": canonical, "article_id": pk}
        changes = ChangeTimes(now)
        for use in article.photo_uses:
            changes.add(use.photo.usable_until)
        for until in article.body_media.usable_until():
            changes.add(until)
        if article.social_photo_id:
            changes.add(article.social_photo.usable_until)
        return response, changes.earliest, facts


@never_cache
@require_safe
def shared_preview(request, token: str):
    """An article's current state for someone holding a preview link."""
    article = article_for_preview_token(token)
    if article is None:
        raise Http404("preview link forged or expired")
    article, authors = article_as_of(article, article.revisions.first())
    return render_preview(request, article, authors)


# What ListView accepts as ?page=, one spelling per page: each is a cache
# key, and "01" or "001" must not store a second copy of page 1.
PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,5}|last")


class ArticleListView(ListView):
    """Published articles of a scope, newest first, as teasers; cached whole.

    Subclasses say which articles belong (`get_scope`, any state: the
    visibility rule is applied here) and add their own context.
    """

    template_name = "articles/article_list.html"
    context_object_name = "articles"

    def get_paginate_by(self, queryset):
        return settings.NEWSROOM_SECTION_PAGE_SIZE

    def get_paginator(self, queryset, per_page, **kwargs):
        # Counting stops past the last page shown: no COUNT(*) over a whole
        # section, no OFFSET of tens of thousands for its last page. Count
        # and page slice read ids only (the partial indexes cover them), and
        # the teasers' rows are read for the page's 20 ids alone: the last
        # page costs about what the first does.
        return CappedPaginator(
            queryset.values_list("pk", flat=True),
            per_page,
            max_pages=settings.NEWSROOM_LIST_MAX_PAGES,
            rows=lambda ids: (
                Article.objects.filter(pk__in=ids).newest_first().teaser_rows()
            ),
            **kwargs,
        )

    def get(self, request, *args, **kwargs):
        page = request.GET.get(self.page_kwarg, "1")
        # Only page numbers reach the cache key; anything else is no page.
        if not PAGE_NUMBER.fullmatch(page):
            raise Http404("no such page")

        def build(now):
            self.at = now
            response = ListView.get(self, request, *args, **kwargs)
            return response.render(), self.changes_at, {}

        name = f"articles:{request.path}?page={page}"
        response, _facts = serve_cached_page(request, name, build)
        return response

    def get_scope(self):
        raise NotImplementedError

    def get_queryset(self):
        return self.get_scope().published(self.at).newest_first()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        context["page_links"] = page_links(
            page, self.request.path, older_url=self.older_url(page)
        )
        # Any article going live may join the list. What the teasers show
        # (badges, photos) adds its own changes as the template renders them.
        self.changes_at = Article.objects.next_visibility_change(self.at)
        return context

    def older_url(self, page) -> str:
        """The archive month of the page's oldest article, on the last page
        of a list cut short by NEWSROOM_LIST_MAX_PAGES."""
        if page.has_next() or not page.paginator.is_capped or not page.object_list:
            return ""
        oldest = page.object_list[len(page.object_list) - 1]["first_published_at"]
        if oldest is None:
            return ""
        day = timezone.localdate(oldest)
        return reverse("articles:archive_month", args=[day.year, day.month])


class ScopedListView(ArticleListView):
    """The articles of one section, region, tag or author, found by slug.

    The object is in the context under `scope_name`, and the template is
    articles/<scope_name>_detail.html.
    """

    scope_model: type
    scope_name: str
    # The ArticleQuerySet method that narrows to the object.
    scope_method: str

    def get_template_names(self):
        return [f"articles/{self.scope_name}_detail.html"]

    def get_scope(self):
        self.scope = get_object_or_404(self.scope_model, slug=self.kwargs["slug"])
        return getattr(Article.objects, self.scope_method)(self.scope)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**{self.scope_name: self.scope}, **kwargs)


class SectionView(ScopedListView):
    scope_model, scope_name, scope_method = Section, "section", "in_section"

    def get_context_data(self, **kwargs):
        return super().get_context_data(current_section_slug=self.scope.slug, **kwargs)


class RegionView(ScopedListView):
    scope_model, scope_name, scope_method = Region, "region", "in_region"


class TagView(ScopedListView):
    scope_model, scope_name, scope_method = Tag, "tag", "tagged"


class AuthorView(ScopedListView):
    scope_model, scope_name, scope_method = Author, "author", "by_author"

    def get_scope(self):
        # The profile's photo with the author: no query of its own.
        self.scope = get_object_or_404(
            Author.objects.select_related("photo__agency"), slug=self.kwargs["slug"]
        )
        return Article.objects.by_author(self.scope)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        photo = self.scope.photo
        if photo and photo.is_usable(self.at):
            context["author_photo"] = photo
            # The portrait's licence ending changes the page.
            self.changes_at = min(
                filter(None, [self.changes_at, photo.usable_until]), default=None
            )
        return context


class ArchiveView(ArticleListView):
    """The articles published on a day or in a month (Europe/Berlin)."""

    def get_days(self) -> tuple[date, date]:
        raise NotImplementedError

    def get_scope(self):
        try:
            self.first_day, self.last_day = self.get_days()
        except ValueError:
            raise Http404("no such date") from None
        if self.first_day.year not in ARCHIVE_YEARS:
            raise Http404("no archive so long ago or so far ahead")
        if self.first_day > timezone.localdate(self.at):
            raise Http404("the future has no archive yet")
        return Article.objects.published_between(self.first_day, self.last_day)

    def get_context_data(self, **kwargs):
        previous_day, next_day = publication_days_around(
            Article.objects.published(self.at), self.first_day, self.last_day
        )
        context = super().get_context_data(
            first_day=self.first_day,
            previous_day=previous_day,
            next_day=next_day,
            **kwargs,
        )
        if not context["page_obj"].object_list and (page := page_being_built()):
            # Some three million days of nine millennia have an address and
            # no articles: built on request, never stored, or a client
            # walking the calendar would crowd the pages readers read out
            # of the cache.
            page.is_kept = False
        return context


class ArchiveDayView(ArchiveView):
    template_name = "articles/archive_day.html"

    def get_days(self):
        day = date(self.kwargs["year"], self.kwargs["month"], self.kwargs["day"])
        return day, day


class ArchiveMonthView(ArchiveView):
    template_name = "articles/archive_month.html"

    def get_days(self):
        year, month = self.kwargs["year"], self.kwargs["month"]
        first_day = date(year, month, 1)
        return first_day, first_day.replace(day=monthrange(year, month)[1])


@require_safe
def site_page(request, kind: str):
    """Impressum, Datenschutzerklärung or Kontakt, as the editors wrote it."""

    def build(now):
        page = get_object_or_404(SitePage, kind=kind)
        response = render(request, "articles/sitepage_detail.html", {"page": page})
        # Changes only when an editor saves it, which purges every page.
        return response, None, {}

    return serve_cached_page(request, f"site-page:{kind}", build)[0]


@require_safe
def search(request):
    """Search and filter published articles; never indexed.

    An anonymous reader's results page is kept for a short while
    (NEWSROOM_SEARCH_CACHE_SECONDS), so many readers asking the same
    (such as the word in the news) cost one search. Every request counts
    against its client's rate: an anonymous client searching too often is
    told to wait (429). Only a search that runs takes a place among those
    running: a client whose last search still runs waits (429), and so
    does everyone while the search is full (503).
    """
    if wait := search_retry_after(request):
        return search_refused(request, wait=wait)
    name = search_page_name(request.GET)
    response, _facts = serve_cached_page(
        request, name, lambda now: search_when_free(request, now)
    )
    return response


def search_when_free(request, now) -> BuiltPage:
    with search_slot(request) as slot:
        match slot:
            case SearchSlot.CLIENT_BUSY:
                refusal = search_refused(request, wait=1)
            case SearchSlot.SITE_BUSY:
                refusal = search_refused(request, wait=1, site_busy=True)
            case _:
                return search_page(request, now)
    page_being_built().is_kept = False
    return refusal, None, {}


def search_page_name(params) -> str:
    """The cache name of a results page: the search's own parameters only,
    as typed, so that no other parameter makes a page of its own; hashed,
    as a query may be long."""
    known = [*ArticleSearchFilter.base_filters, "page"]
    query = urlencode(
        [(name, params[name]) for name in sorted(known) if params.get(name)]
    )
    return "search:" + hashlib.sha256(query.encode()).hexdigest()


def search_page(request, now) -> BuiltPage:
    filterset = ArticleSearchFilter(
        request.GET, queryset=Article.objects.published(now).newest_first()
    )
    context = {"form": filterset.form}
    if filterset.is_valid():
        try:
            found = search_articles(
                filterset.qs,
                page_number=request.GET.get("page"),
                time_limit_ms=search_time_limit_ms(request),
                ranked=bool(filterset.form.cleaned_data.get("q")),
            )
        except InvalidPage:
            raise Http404("no such results page") from None
        except SearchTimedOut:
            logger.warning("Search timed out: %s", filterset.active_params)
            context["timed_out"] = True
        else:
            candidates = settings.NEWSROOM_SEARCH_CANDIDATES
            context.update(
                found=found,
                page_links=page_links(
                    found.page, request.path, filterset.active_params
                ),
                # Only the newest matches were ranked; the page says so.
                ranked_among=candidates
                if filterset.form.cleaned_data.get("q") and found.count >= candidates
                else None,
            )
    response = render(request, "articles/search.html", context)
    seconds = settings.NEWSROOM_SEARCH_CACHE_SECONDS
    if seconds <= 0 or not is_cacheable(request) or context.get("timed_out"):
        page_being_built().is_kept = False
        return response, None, {}
    changes = ChangeTimes(now)
    changes.add(now + timedelta(seconds=seconds))
    if "found" in context:
        # An article going live may be found.
        changes.add(Article.objects.next_visibility_change(now))
    return response, changes.earliest, {}


def search_refused(request, *, wait: int, site_busy: bool = False):
    """The client may search again in `wait` seconds: 429, as it sent too
    many searches, or 503, as the search is full."""
    response = render(
        request,
        "articles/search_refused.html",
        {"wait": wait, "site_busy": site_busy},
        status=503 if site_busy else 429,
    )
    response["Retry-After"] = str(wait)
    patch_shared_cache_headers(response, 0)
    note_refused("search")
    return response


def photo_rendition(request, photo_id: int, version: str, spec: str):
    """A public image: served only while the photo's licence allows it.

    Photos that no public page shows yet (those of drafts, scheduled or
    embargoed stories, seen in previews) are served only under their exact
    address, whose version part cannot be guessed, and no shared cache
    keeps them.
    """
    try:
        spec = RenditionSpec.parse(spec)
    except UnknownSpec:
        raise Http404("unknown rendition") from None
    photo = get_object_or_404(Photo, pk=photo_id)
    now = timezone.now()
    usable = photo.is_usable(now)

    def staff_sees() -> bool:
        # What the admin shows them: ad operations, for instance, see no
        # photo of an unpublished story (Photo.objects.visible_to).
        return request.user.is_staff and (
            Photo.objects.visible_to(request.user, now).filter(pk=photo.pk).exists()
        )

    if not usable and not staff_sees():
        raise Http404("photo not available")
    public = usable and Photo.objects.public(now).filter(pk=photo.pk).exists()
    if (
        not public
        and Photo.objects.taken_down(now).filter(pk=photo.pk).exists()
        and not staff_sees()
    ):
        # Withdrawn with its story, even under the exact address.
        raise Http404("photo withdrawn with its story")
    if version != rendition_version(photo):
        if not (public or staff_sees()):
            raise Http404("photo not available")
        # Replaced file or moved focal point: the current crop lives elsewhere.
        return redirect(rendition_url(photo, spec))
    rendition = get_rendition(photo, spec)
    response = FileResponse(rendition.file.open("rb"), content_type=spec.content_type)
    if public:
        max_age = settings.NEWSROOM_IMAGE_MAX_AGE
        if usable_until := photo.usable_until:
            # No cache may keep the image past its licence end or kill time.
            max_age = min(max_age, int((usable_until - now).total_seconds()))
        patch_cache_control(response, public=True, max_age=max_age)
    else:
        # An expired photo for staff, or one of an unpublished story: no
        # shared cache may keep it.
        patch_cache_control(response, private=True, no_store=True)
    return response


@require_safe
def gallery_page(request, slug: str, pk: int):
    """A published gallery on its own page: its usable pictures, each in
    its own credited figure, and the credit line of all of them."""

    def build(now):
        gallery = Gallery.objects.published(now).filter(pk=pk).first()
        if gallery is None:
            raise Http404("no published gallery with this id")
        canonical = gallery.get_absolute_url()
        if request.path != canonical:
            return redirect(canonical, permanent=True), None, {}
        pictures = list(gallery.pictures.usable(now))
        if not pictures:
            # Every picture expired, killed or waiting for its credit.
            raise Http404("no usable picture in this gallery")
        response = render(
            request,
            "articles/gallery_detail.html",
            {
                "gallery": gallery,
                "gallery_html": gallery_html(gallery, pictures, heading_level=1),
                "credit_line": credit_line_for(p.photo for p in pictures),
            },
        )
        changes = ChangeTimes(now)
        for picture in pictures:
            changes.add(picture.photo.usable_until)
        return response, changes.earliest, {}

    return serve_cached_page(request, f"gallery:{pk}", build)[0]
