"""The article admin's own pages: history and diffs (between revisions, and
between an agency version and the article), restore, preview,
preview links, withdrawing with a reason, and the editing-presence ping.

Each view checks the permission itself; ArticleAdmin.get_urls() wraps them
in admin_view (staff login, CSRF) and passes the ModelAdmin.
"""

from functools import wraps

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    Http404,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.admin.diffs import field_changes
from articles.models import REVISION_FIELDS, Article, ArticleRevision
from articles.models.agency import AGENCY_TEXT_FIELDS
from articles.workflow import presence, services
from articles.workflow.previews import article_as_of, preview_link, render_preview

FIELD_LABELS = {
    name: Article._meta.get_field(name).verbose_name for name in REVISION_FIELDS
} | {
    "authors": gettext_lazy("Autoren"),
    "regions": gettext_lazy("Regionen"),
    "tags": gettext_lazy("Schlagwörter"),
}


def post_only(view):
    """require_POST for views that take the ModelAdmin first."""

    @wraps(view)
    def checked(model_admin, request, *args, **kwargs):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        return view(model_admin, request, *args, **kwargs)

    return checked


def _article(model_admin, request, object_id) -> Article:
    # An article in the trash is reached through the trash only.
    article = get_object_or_404(Article.objects.not_in_trash(), pk=object_id)
    if not model_admin.has_view_permission(request, article):
        raise PermissionDenied
    return article


def _context(model_admin, request, article, title, **extra):
    return {
        **model_admin.admin_site.each_context(request),
        "opts": Article._meta,
        "original": article,
        "title": title,
        **extra,
    }


def revision_history(model_admin, request, object_id):
    """Revisions and state changes, newest first, with a compare form."""
    article = _article(model_admin, request, object_id)
    revisions = list(article.revisions.select_related("created_by"))
    transitions = list(article.transitions.select_related("by"))
    return TemplateResponse(
        request,
        "admin/articles/article/revisions.html",
        _context(
            model_admin,
            request,
            article,
            _("Fassungen und Verlauf"),
            revisions=revisions,
            transitions=transitions,
            may_edit=model_admin.has_change_permission(request, article),
        ),
    )


def _revision(article, number) -> ArticleRevision:
    try:
        return article.revisions.select_related("created_by").get(number=int(number))
    except (ArticleRevision.DoesNotExist, TypeError, ValueError):
        raise Http404("no such revision") from None


def revision_diff(model_admin, request, object_id):
    """What changed between two revisions (?a=3&b=5), field by field."""
    article = _article(model_admin, request, object_id)
    newer = _revision(article, request.GET.get("b"))
    try:
        older = _revision(article, request.GET.get("a"))
    except Http404:
        # Articles saved before revisions existed (or by an import that
        # kept none) have no such revision: compare with an empty one.
        older = ArticleRevision(number=0, data={})
    if older.number > newer.number:
        older, newer = newer, older
    changes = field_changes(older.data, newer.data, labels=FIELD_LABELS)
    return TemplateResponse(
        request,
        "admin/articles/article/revision_diff.html",
        _context(
            model_admin,
            request,
            article,
            _("Unterschiede zwischen Fassung %(a)s und %(b)s")
            % {"a": older.number, "b": newer.number},
            older=older,
            newer=newer,
            changes=changes,
        ),
    )


AGENCY_FIELD_LABELS = {
    name: Article._meta.get_field(name).verbose_name for name in AGENCY_TEXT_FIELDS
}


def agency_version_diff(model_admin, request, object_id, version_id):
    """An agency version beside the article as it is now: what applying it
    would change. Editors see it when an update waits because they edited
    the article here."""
    article = _article(model_admin, request, object_id)
    version = get_object_or_404(article.agency_versions, pk=version_id)
    current = {name: getattr(article, name) for name in AGENCY_TEXT_FIELDS}
    proposed = version.article_text()
    # A version without a headline keeps the article's (as on import).
    proposed["headline"] = proposed["headline"] or article.headline
    changes = field_changes(current, proposed, labels=AGENCY_FIELD_LABELS)
    return TemplateResponse(
        request,
        "admin/articles/article/agency_version_diff.html",
        _context(
            model_admin,
            request,
            article,
            _("Agentur-Version %(number)s im Vergleich zum Artikel")
            % {"number": version.version},
            version=version,
            changes=changes,
        ),
    )


@post_only
def restore(model_admin, request, object_id, number):
    article = _article(model_admin, request, object_id)
    revision = _revision(article, number)
    if not model_admin.has_change_permission(request, article):
        raise PermissionDenied
    restored = services.restore_revision(article, revision, by=request.user)
    messages.success(
        request,
        _("Fassung %(old)s wiederhergestellt; sie ist jetzt Fassung %(new)s.")
        % {"old": revision.number, "new": restored.number},
    )
    return HttpResponseRedirect(
        reverse("admin:articles_article_change", args=[article.pk])
    )


def preview(model_admin, request, object_id):
    """Any revision (?fassung=N, default the latest) in the public design."""
    article = _article(model_admin, request, object_id)
    number = request.GET.get("fassung")
    revision = _revision(article, number) if number else article.revisions.first()
    shown, authors = article_as_of(article, revision)
    return render_preview(request, shown, authors)


@post_only
def create_preview_link(model_admin, request, object_id):
    article = _article(model_admin, request, object_id)
    # Sharing an unpublished text outside the newsroom: its author or the desk.
    if not (
        services.may_edit(request.user, article)
        or article.created_by_id == request.user.pk
    ):
        raise PermissionDenied
    try:
        url = request.build_absolute_uri(preview_link(article))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return HttpResponseRedirect(
            reverse("admin:articles_article_change", args=[article.pk])
        )
    messages.success(
        request,
        format_html(
            "{} <a href='{}'>{}</a>",
            _("Vorschau-Link (48 Stunden gültig, nur für diesen Artikel):"),
            url,
            url,
        ),
    )
    return HttpResponseRedirect(
        reverse("admin:articles_article_change", args=[article.pk])
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Grund"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Wird im Verlauf gespeichert, nicht öffentlich angezeigt. Leser sehen "
            "„Dieser Artikel wurde zurückgezogen“ (HTTP 410)."
        ),
    )


def withdraw(model_admin, request, object_id):
    article = _article(model_admin, request, object_id)
    if not services.may_publish(request.user):
        raise PermissionDenied
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw_article(
                article, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(
                request,
                _("„%(headline)s“ ist zurückgezogen.") % {"headline": article.headline},
            )
            return HttpResponseRedirect(
                reverse("admin:articles_article_change", args=[article.pk])
            )
    return TemplateResponse(
        request,
        "admin/articles/article/withdraw.html",
        _context(model_admin, request, article, _("Artikel zurückziehen"), form=form),
    )


@post_only
def editing_ping(model_admin, request, object_id):
    """The edit form's heartbeat: "I still have this open"; returns the others."""
    article = _article(model_admin, request, object_id)
    if not model_admin.has_change_permission(request, article):
        # A read-only form sends no pings (change_form.html gives it no
        # address); an old tab or a forged request is refused without an
        # exception, so the log gets no traceback for it.
        return JsonResponse({"others": []}, status=403)
    if request.POST.get("closing"):
        presence.stop_editing(article.pk, request.user)
        return JsonResponse({"others": []})
    presence.report_editing(article.pk, request.user)
    others = presence.other_editors(article.pk, request.user)
    return JsonResponse({"others": [editor.notice for editor in others]})
