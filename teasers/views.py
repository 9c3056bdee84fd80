from functools import wraps

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.csp import CSP
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_safe

from articles.public.feeds import RssFeed
from articles.public.machine_views import cache_name
from articles.public.page_cache import serve_cached_page
from teasers import feeds
from teasers.counting import count_click, count_impressions
from teasers.forms import FrontPagePreviewForm
from teasers.services import assemble_page, sponsored_slot_for_click


@require_safe
def front_page(request):
    def build(now):
        page = assemble_page(at=now)
        response = render(request, "teasers/front_page.html", {"page": page})
        return response, page.changes_at, {"slot_ids": page.sponsored_slot_ids}

    response, facts = serve_cached_page(request, "front_page", build)
    count_impressions(request, facts["slot_ids"])
    return response


@require_safe
def front_page_feed(request, feed_class=RssFeed):
    def build(now):
        content = feeds.front_page_feed(now)
        return feed_class(content)(request), content.changes_at, {}

    name = cache_name("feed", feed_class.__name__)
    return serve_cached_page(request, name, build)[0]


@require_safe
def sponsored_click(request, token: str):
    """Count a click on a sponsored teaser and send the reader on.

    Only our own signed tokens lead anywhere, so this is no open redirect.
    """
    slot = sponsored_slot_for_click(token)
    if slot is None:
        raise Http404("unknown sponsored slot")
    if slot.is_running():
        count_click(request, slot.pk)
    response = HttpResponseRedirect(slot.target_url)
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def preview_frame(view):
    """Editors only, never cached, and framable by the admin (same origin).

    The decorators build the relaxed CSP from settings when the view is
    first called, so tests that change SECURE_CSP see their own.
    """

    @wraps(view)
    def framed(request, *args, **kwargs):
        # It shows scheduled and embargoed articles: editors only, not ad
        # operations (who may view rails to place their slots).
        if not request.user.has_perm("teasers.change_rail"):
            raise PermissionDenied
        csp = {**settings.SECURE_CSP, "frame-ancestors": [CSP.SELF]}
        return csp_override(csp)(view)(request, *args, **kwargs)

    return never_cache(staff_member_required(xframe_options_sameorigin(framed)))


@preview_frame
def front_page_preview(request):
    """The front page as it will look at a chosen moment, for editors."""
    form = FrontPagePreviewForm(request.GET or None)
    at = timezone.now()
    only_rail = ""
    if form.is_valid():
        at = form.cleaned_data["zeit"] or at
        only_rail = form.cleaned_data["leiste"]
    return render_preview(request, assemble_page(at=at), form=form, only_rail=only_rail)


@preview_frame
def framed_preview(request, page, *, only_rail="", errors=()):
    return render_preview(request, page, only_rail=only_rail, errors=errors)


def render_preview(request, page, *, form=None, only_rail="", errors=()):
    if only_rail:
        page.rails = [r for r in page.rails if r.rail.slug == only_rail]
    return render(
        request,
        "teasers/front_page.html",
        {
            "page": page,
            "preview_form": form or FrontPagePreviewForm(),
            "preview_at": page.at,
            "only_rail": only_rail,
            "preview_errors": errors,
        },
    )
