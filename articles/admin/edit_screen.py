"""The article edit screen around the form: the publishing panel's
buttons, the live preview of the unsaved form and the server's copy of
unsaved input (autosave).

Each view checks the permission itself; ArticleAdmin.get_urls() wraps them
in admin_view (staff login, CSRF, never cached) and passes the ModelAdmin.
"""

import json

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.csp import CSP
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from articles.admin.forms import TRANSITION
from articles.admin.views import post_only
from articles.models import Article, ArticlePhoto, Section
from articles.workflow import previews, services, working_copies


def _editable_article(model_admin, request, object_id) -> Article | None:
    """The article `object_id` (None: the add form's new one), if this user
    may change it (add one); 403 otherwise, 404 if there is none."""
    if object_id is None:
        if not model_admin.has_add_permission(request):
            raise PermissionDenied
        return None
    article = get_object_or_404(Article, pk=object_id)
    if not model_admin.has_change_permission(request, article):
        raise PermissionDenied
    return article


def check_transition_offered(request, object_id) -> None:
    """Refuse a panel button the panel would not offer this user now."""
    key = request.POST.get(TRANSITION, "")
    if object_id is None:
        article = Article()
    elif str(object_id).isdigit():
        article = Article.objects.filter(pk=object_id).first()
        if article is None:
            return  # the admin answers an unknown id itself
    else:
        return
    allowed = {t.key for t in services.allowed_transitions(request.user, article)}
    if key not in allowed:
        raise PermissionDenied


def take_transition(request, article: Article) -> HttpResponseRedirect:
    """After the form was saved: take the panel button's step through the
    service, report the outcome, show the form again."""
    key, reason, at = request.article_transition
    label = services.TRANSITION_BY_KEY[key].label
    try:
        services.take_transition(article, key, by=request.user, reason=reason, at=at)
    except (PermissionDenied, ValidationError) as error:
        text = " ".join(getattr(error, "messages", None) or [str(error)])
        messages.error(
            request,
            _("Gespeichert, aber „%(step)s“ ging nicht: %(why)s")
            % {"step": label, "why": text},
        )
    else:
        messages.success(
            request,
            _(
                "„%(headline)s“ gespeichert; „%(step)s“ ausgeführt – "
                "Status jetzt: %(status)s."
            )
            % {
                "headline": article.headline,
                "step": label,
                "status": article.get_status_display(),
            },
        )
        if key in ("publish", "schedule") and (reasons := article.hidden_because()):
            messages.info(request, _("Noch nicht öffentlich: %s.") % "; ".join(reasons))
        if key == "breaking":
            messages.info(
                request,
                _("Eilmeldung bis %(when)s.")
                % {
                    "when": date_format(
                        timezone.localtime(article.breaking_until), "DATETIME_FORMAT"
                    )
                },
            )
    return HttpResponseRedirect(
        reverse("admin:articles_article_change", args=[article.pk])
    )


def screen_context(model_admin, request, article: Article | None) -> dict:
    """What change_form.html needs for the panel, the preview and autosave."""
    subject = article if article is not None else Article()
    may_change = (
        model_admin.has_change_permission(request, article)
        if article is not None
        else model_admin.has_add_permission(request)
    )
    context = {
        "transitions": services.allowed_transitions(request.user, subject)
        if may_change
        else [],
        "may_change": may_change,
        "autosave_seconds": settings.NEWSROOM_AUTOSAVE_SECONDS,
    }
    if not may_change:
        return context
    args = [article.pk] if article is not None else []
    suffix = "" if article is not None else "_new"
    context["live_preview_url"] = reverse(
        f"admin:articles_article_live_preview{suffix}", args=args
    )
    context["working_copy_url"] = reverse(
        f"admin:articles_article_working_copy{suffix}", args=args
    )
    copy = working_copies.working_copy_of(request.user, article)
    if copy is not None:
        context["working_copy"] = {
            "values": copy.data,
            "version": str(copy.version),
            "savedAt": copy.saved_at.isoformat(),
            "label": date_format(timezone.localtime(copy.saved_at), "DATETIME_FORMAT"),
        }
    return context


@post_only
def live_preview(model_admin, request, object_id=None):
    """The unsaved form as readers would see the article: the public
    template, rendered from the posted form; nothing is saved.

    Shown in the edit screen's preview frame (same origin only). Fields the
    form cannot read yet (an unfinished date) keep their saved values; the
    body goes through the sanitiser exactly as on save.
    """
    article = _editable_article(model_admin, request, object_id)
    if article is None:
        article = Article(created_by=request.user)
    form_class = model_admin.get_form(
        request, article if article.pk else None, change=article.pk is not None
    )
    form = form_class(request.POST, instance=article)
    form.checks_version = False
    # Fills the instance from every valid field; the invalid keep theirs.
    form.is_valid()
    cleaned = getattr(form, "cleaned_data", {})
    if article.section_id is None:
        # A new article before a section is chosen.
        article.section = Section(name=_("(ohne Ressort)"), slug="ohne-ressort")
    if "authors" in cleaned:
        authors = list(cleaned["authors"])
    else:
        authors = list(article.authors.all()) if article.pk else []
    response = previews.render_unsaved_preview(
        request,
        article,
        authors,
        photos=posted_photo_uses(model_admin, request, article),
        new_corrections=posted_new_corrections(request.POST),
    )
    # The edit screen frames it: same origin, nobody else.
    response["X-Frame-Options"] = "SAMEORIGIN"
    response._csp_config = {
        **settings.SECURE_CSP,
        "frame-ancestors": [CSP.SELF],
    }
    return response


PHOTOS_PREFIX = "article_photos"
CORRECTIONS_PREFIX = "corrections"


def posted_photo_uses(model_admin, request, article: Article) -> list[dict] | None:
    """The photo cards of the posted form, as a draft stores photos (removed
    ones left out); None where the form offers no photo cards to change."""
    inline = next(
        (
            inline
            for inline in model_admin.get_inline_instances(
                request, article if article.pk else None
            )
            if inline.model is ArticlePhoto
        ),
        None,
    )
    editable = inline is not None and (
        inline.has_change_permission(request, article if article.pk else None)
        or inline.has_add_permission(request, article if article.pk else None)
    )
    if not editable or f"{PHOTOS_PREFIX}-TOTAL_FORMS" not in request.POST:
        return None
    uses = []
    for prefix in posted_forms(request.POST, PHOTOS_PREFIX):
        photo = request.POST.get(f"{prefix}-photo", "")
        if request.POST.get(f"{prefix}-DELETE") or not photo.isdigit():
            continue
        position = request.POST.get(f"{prefix}-position", "")
        uses.append(
            {
                "photo": int(photo),
                "position": int(position) if position.isdigit() else 0,
                "caption": request.POST.get(f"{prefix}-caption", "").strip(),
            }
        )
    return uses


def posted_new_corrections(data) -> list[str]:
    """The texts of corrections added in the posted form, not yet saved."""
    try:
        known = int(data.get(f"{CORRECTIONS_PREFIX}-INITIAL_FORMS", ""))
    except ValueError:
        known = 0
    return [
        text
        for number, prefix in enumerate(posted_forms(data, CORRECTIONS_PREFIX))
        if number >= known
        and not data.get(f"{prefix}-DELETE")
        and (text := data.get(f"{prefix}-text", "").strip())
    ]


def posted_forms(data, prefix: str) -> list[str]:
    """The prefixes of an inline formset's posted forms."""
    try:
        total = int(data.get(f"{prefix}-TOTAL_FORMS", ""))
    except ValueError:
        return []
    return [f"{prefix}-{number}" for number in range(min(total, 1000))]


@post_only
def working_copy(model_admin, request, object_id=None):
    """Store (or with `discard`, delete) the user's copy of unsaved input."""
    article = _editable_article(model_admin, request, object_id)
    if request.POST.get("discard"):
        working_copies.discard_working_copy(request.user, article)
        return JsonResponse({"saved": False})
    try:
        data = json.loads(request.POST.get("values", ""))
        version = int(request.POST.get("version") or 0)
        if not 0 <= version < 2**31:
            raise ValueError(_("Fassung %s gibt es nicht.") % version)
        copy = working_copies.save_working_copy(
            request.user, article, data=data, version=version
        )
    except (ValueError, ValidationError) as error:
        text = " ".join(getattr(error, "messages", None) or [str(error)])
        return JsonResponse(
            {"error": _("Arbeitskopie nicht gespeichert: %s") % text}, status=400
        )
    return JsonResponse(
        {
            "saved": True,
            "savedAt": copy.saved_at.isoformat(),
            "label": date_format(timezone.localtime(copy.saved_at), "DATETIME_FORMAT"),
        }
    )
