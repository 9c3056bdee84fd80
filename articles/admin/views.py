"""The article admin's own pages: history and diffs (between revisions, and
between an agency version and the article), restore, preview,
preview links, withdrawing with a reason, publishing or discarding a live
article's pending change, and the editing-presence ping.

Each view checks the permission itself; ArticleAdmin.get_urls() wraps them
in admin_view (staff login, CSRF) and passes the ModelAdmin.
"""

from datetime import datetime
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
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.admin.diffs import field_changes
from articles.models import (
    REVISION_FIELDS,
    REVISION_RELATIONS,
    Article,
    ArticleRevision,
    Photo,
)
from articles.models.agency import AGENCY_TEXT_FIELDS
from articles.workflow import live_drafts, presence, services
from articles.workflow.previews import (
    article_as_of,
    preview_link,
    render_preview,
    unsaved_corrections,
)

FIELD_LABELS = {
    name: Article._meta.get_field(name).verbose_name for name in REVISION_FIELDS
} | {
    "authors": gettext_lazy("Autoren"),
    "regions": gettext_lazy("Regionen"),
    "tags": gettext_lazy("Schlagwörter"),
}
# What a live article's draft holds beyond the text (live_drafts).
DRAFT_LABELS = (
    FIELD_LABELS
    | {
        live_drafts.PHOTOS: gettext_lazy("Fotos (das erste ist das Aufmacherbild)"),
    }
    | {
        name: Article._meta.get_field(name).verbose_name
        for name in live_drafts.HELD_FIELDS
    }
    | {
        live_drafts.SUBSTANTIAL: gettext_lazy(
            "Beim Veröffentlichen als „Update“ markieren"
        ),
        live_drafts.NEW_CORRECTIONS: gettext_lazy("Neue Korrekturen"),
    }
)


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
    """Revisions, state changes (newest first, with a compare form) and the
    internal notes."""
    article = _article(model_admin, request, object_id)
    live = live_drafts.is_live(article)
    revisions = list(revisions_shown(model_admin, request, article))
    transitions = list(article.transitions.select_related("by"))
    notes = list(article.notes.for_thread())
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
            notes=notes,
            # Restoring a live article's revision makes it the draft, which
            # a reporter may propose for their own live article.
            may_edit=services.may_edit(request.user, article)
            or (live and live_drafts.may_propose_changes(request.user, article)),
            restores_as_draft=live,
        ),
    )


def revisions_shown(model_admin, request, article):
    """The article's revisions this user may read: an unpublished draft of a
    live article only for those who may work on it, never for someone who
    only reads (ad operations see no unpublished editorial content)."""
    revisions = article.revisions.select_related("created_by")
    if model_admin.has_change_permission(request, article):
        return revisions
    return revisions.filter(is_draft=False)


def _revision(model_admin, request, article, number) -> ArticleRevision:
    try:
        return revisions_shown(model_admin, request, article).get(number=int(number))
    except (ArticleRevision.DoesNotExist, TypeError, ValueError):
        raise Http404("no such revision") from None


def revision_diff(model_admin, request, object_id):
    """What changed between two revisions (?a=3&b=5), field by field."""
    article = _article(model_admin, request, object_id)
    newer = _revision(model_admin, request, article, request.GET.get("b"))
    try:
        older = _revision(model_admin, request, article, request.GET.get("a"))
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
    revision = _revision(model_admin, request, article, number)
    if live_drafts.is_live(article):
        # Readers keep the live text: the old one becomes the draft.
        if not live_drafts.may_propose_changes(request.user, article):
            raise PermissionDenied
        restored = live_drafts.restore_as_draft(article, revision, by=request.user)
        messages.warning(
            request,
            _(
                "Fassung %(old)s als Entwurf wiederhergestellt (Fassung %(new)s). "
                "Die öffentliche Seite zeigt weiter die veröffentlichte Fassung, "
                "bis jemand die Änderungen veröffentlicht."
            )
            % {"old": revision.number, "new": restored.number},
        )
        return _back_to_form(article)
    if not services.may_edit(request.user, article):
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
    revision = (
        _revision(model_admin, request, article, number)
        if number
        else revisions_shown(model_admin, request, article).first()
    )
    shown, authors = article_as_of(article, revision)
    # A live article's draft: the corrections it adds, after the printed.
    added = revision.data.get(live_drafts.NEW_CORRECTIONS) if revision else None
    corrections = unsaved_corrections(article, added) if added else None
    return render_preview(request, shown, authors, corrections=corrections)


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


def live_draft_context(request, article: Article) -> dict | None:
    """What the edit form's "Live + Entwurf" panel shows: whether saving
    keeps a draft, the pending change and what it changes, and the buttons
    this user may use (each view checks again)."""
    live = live_drafts.is_live(article)
    if not live and not article.pending_revision_id:
        return None
    if not live_drafts.may_propose_changes(request.user, article):
        # Someone who only reads sees the article as readers do.
        return None
    may_publish = services.may_publish(request.user)
    context = {"live": live, "may_publish": may_publish, "draft": None}
    if article.pending_revision_id:
        draft = article.pending_revision
        author = draft.created_by
        context |= {
            "draft": draft,
            "author": (author.get_full_name() or author.get_username())
            if author
            else _("der Agentur"),
            "changes": draft_changes(article, draft),
            "may_discard": live_drafts.may_discard(request.user, draft),
        }
    return context


def draft_changes(article: Article, draft: ArticleRevision) -> list[tuple]:
    """(label, marked text) of each field the draft changes, related rows by
    name (one query per kind of row, for both sides), photos by their label
    and caption, times as the form shows them."""
    live = services.snapshot(article) | live_drafts.held_values(article)
    live[live_drafts.PHOTOS] = live_drafts.live_photo_uses(article)
    proposed = dict(draft.data)
    readable_held(live, proposed)
    for name in ("section", "agency", *REVISION_RELATIONS):
        model = Article._meta.get_field(name).related_model
        ids = [live.get(name), proposed.get(name)]
        flat = {
            i for value in ids for i in (value if isinstance(value, list) else [value])
        }
        names = {row.pk: str(row) for row in model.objects.filter(pk__in=flat - {None})}
        for side in (live, proposed):
            value = side.get(name)
            if isinstance(value, list):
                side[name] = sorted(names.get(i, str(i)) for i in value)
            elif value is not None:
                side[name] = names.get(value, str(value))
    return field_changes(live, proposed, labels=DRAFT_LABELS)


def readable_held(live: dict, proposed: dict) -> None:
    """The draft's photos, times, flags and corrections on both sides as
    lines an editor reads (a draft saved before it held them shows none
    changed)."""
    for name in (live_drafts.PHOTOS, *live_drafts.HELD_FIELDS):
        proposed.setdefault(name, live[name])
    ids = {
        use["photo"] for side in (live, proposed) for use in side[live_drafts.PHOTOS]
    }
    photos = Photo.objects.select_related("agency").in_bulk(ids)
    for side in (live, proposed):
        side[live_drafts.PHOTOS] = "\n".join(
            photo_line(number, use, photos.get(use["photo"]))
            for number, use in enumerate(side[live_drafts.PHOTOS], start=1)
        )
        for name, value in live_drafts.held_from_data(side).items():
            if isinstance(value, bool):
                side[name] = _("ja") if value else _("nein")
            elif isinstance(value, datetime):
                side[name] = date_format(timezone.localtime(value), "DATETIME_FORMAT")
        side[live_drafts.SUBSTANTIAL] = (
            _("ja") if side.get(live_drafts.SUBSTANTIAL) else ""
        )
        side[live_drafts.NEW_CORRECTIONS] = "\n".join(
            side.get(live_drafts.NEW_CORRECTIONS, [])
        )


def photo_line(number: int, use: dict, photo: Photo | None) -> str:
    label = photo.label if photo else _("Foto %(id)s (gelöscht)") % {"id": use["photo"]}
    line = _("%(number)s. %(photo)s (Nr. %(id)s)") % {
        "number": number,
        "photo": label,
        "id": use["photo"],
    }
    if use["caption"]:
        line += " – " + _("Bildunterschrift: %(caption)s") % {"caption": use["caption"]}
    if photo and photo.credit:
        line += " – " + _("Foto: %(credit)s") % {"credit": photo.credit}
    return line


def posted_version(request) -> int:
    """The version the posting form showed; none proves nothing (-1)."""
    try:
        return int(request.POST.get("loaded_version", ""))
    except ValueError:
        return -1


def _back_to_form(article):
    return HttpResponseRedirect(
        reverse("admin:articles_article_change", args=[article.pk])
    )


@post_only
def publish_changes(model_admin, request, object_id):
    """ "Änderungen veröffentlichen": the pending change goes live."""
    article = _article(model_admin, request, object_id)
    if not services.may_publish(request.user):
        raise PermissionDenied
    try:
        revision = live_drafts.publish_draft(
            article,
            by=request.user,
            loaded_version=posted_version(request),
            substantial=bool(request.POST.get("substantial_update")),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("„%(headline)s“: Änderungen veröffentlicht (Fassung %(number)s).")
            % {"headline": article.headline, "number": revision.number},
        )
    return _back_to_form(article)


@post_only
def discard_changes(model_admin, request, object_id):
    """ "Änderungen verwerfen": the live text stays, the draft goes."""
    article = _article(model_admin, request, object_id)
    try:
        live_drafts.discard_draft(
            article, by=request.user, loaded_version=posted_version(request)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("„%(headline)s“: unveröffentlichte Änderungen verworfen.")
            % {"headline": article.headline},
        )
    return _back_to_form(article)
