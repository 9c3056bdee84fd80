"""The live ticker's desk in the admin: a compact form on top (one text
field with the body editor, submit, back on the same page), the entries
newest first with "Korrigieren" and "Löschen", "Ticker beenden", and the
ticker's history.

Views stay thin: each checks the right to see the article, hands the
writing to articles/workflow/live_ticker.py (which checks the right to
edit again) and redirects back (post/redirect/get). ArticleAdmin.get_urls()
wraps them in admin_view (staff login, CSRF).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.admin.body_editor import body_widget, editor_csp
from articles.admin.views import _article, _context, post_only
from articles.models import LiveEntry, LiveEntryChange
from articles.workflow import live_ticker, services

# Entries and history rows the desk page shows at once (older: ?vor=).
DESK_PAGE_SIZE = 50
HISTORY_SIZE = 30


class LiveEntryForm(forms.Form):
    body = forms.CharField(label=gettext_lazy("Text"), widget=body_widget())
    title = forms.CharField(
        label=gettext_lazy("Kurztitel (optional)"), max_length=200, required=False
    )
    is_key_event = forms.BooleanField(
        label=gettext_lazy("Wichtiges Ereignis (in der Zusammenfassung oben)"),
        required=False,
    )
    is_pinned = forms.BooleanField(label=gettext_lazy("Oben anheften"), required=False)


def editor_media(form) -> forms.Media:
    """The body editor's files and its German labels (the edit form's
    static/articles/body_editor.js), without the rest of the edit form's."""
    return form.media + forms.Media(js=["articles/body_editor.js"])


def desk_url(article, **query) -> str:
    url = reverse("admin:articles_article_live_ticker", args=[article.pk])
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def _ticker(model_admin, request, object_id):
    article = _article(model_admin, request, object_id)
    if not article.is_live_ticker:
        raise Http404("not a live ticker")
    return article


def _with_editor(response):
    # The body editor's import map and style element carry the nonce.
    response._csp_config = editor_csp()
    return response


def _errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, problems in error.message_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


def ticker_desk(model_admin, request, object_id):
    """GET: the desk page; POST: a new entry, then the page again."""
    article = _ticker(model_admin, request, object_id)
    may_edit = services.may_edit(request.user, article)
    form = LiveEntryForm(request.POST or None)
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                live_ticker.add_live_entry(
                    article, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                _errors(form, error)
            else:
                messages.success(request, _("Eintrag veröffentlicht."))
                return HttpResponseRedirect(desk_url(article))
    before = request.GET.get("vor")
    if before is not None and not before.isdigit():
        raise Http404("not an entry id")
    entries = LiveEntry.objects.page(
        article.pk, before=int(before) if before else None, size=DESK_PAGE_SIZE
    )
    older_than = (
        entries[DESK_PAGE_SIZE - 1].pk if len(entries) > DESK_PAGE_SIZE else None
    )
    history = list(
        LiveEntryChange.objects.filter(article=article).select_related("by")[
            :HISTORY_SIZE
        ]
    )
    return _with_editor(
        TemplateResponse(
            request,
            "admin/articles/article/live_ticker.html",
            _context(
                model_admin,
                request,
                article,
                _("Liveticker: %(headline)s") % {"headline": article.headline},
                form=form,
                media=editor_media(form),
                entries=entries[:DESK_PAGE_SIZE],
                older_url=desk_url(article, vor=older_than) if older_than else "",
                history=history,
                may_edit=may_edit,
                is_public=article.is_public(),
            ),
        )
    )


def _entry(article, entry_id) -> LiveEntry:
    return get_object_or_404(LiveEntry, pk=entry_id, article=article)


def correct_entry(model_admin, request, object_id, entry_id):
    article = _ticker(model_admin, request, object_id)
    entry = _entry(article, entry_id)
    if not services.may_edit(request.user, article):
        raise PermissionDenied
    initial = {
        "body": entry.body,
        "title": entry.title,
        "is_key_event": entry.is_key_event,
        "is_pinned": entry.is_pinned,
    }
    form = LiveEntryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            live_ticker.correct_live_entry(
                article, entry, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, _("Eintrag korrigiert."))
            return HttpResponseRedirect(desk_url(article))
    return _with_editor(
        TemplateResponse(
            request,
            "admin/articles/article/live_entry_form.html",
            _context(
                model_admin,
                request,
                article,
                _("Eintrag korrigieren"),
                form=form,
                media=editor_media(form),
                entry=entry,
            ),
        )
    )


def _run(request, article, action, success: str):
    if not services.may_edit(request.user, article):
        raise PermissionDenied
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return HttpResponseRedirect(desk_url(article))


@post_only
def delete_entry(model_admin, request, object_id, entry_id):
    article = _ticker(model_admin, request, object_id)
    entry = _entry(article, entry_id)
    return _run(
        request,
        article,
        lambda: live_ticker.delete_live_entry(article, entry, by=request.user),
        _("Eintrag gelöscht; der Verlauf behält seinen Text."),
    )


@post_only
def end_ticker(model_admin, request, object_id):
    article = _ticker(model_admin, request, object_id)
    return _run(
        request,
        article,
        lambda: live_ticker.end_live_ticker(article, by=request.user),
        _("Ticker beendet."),
    )


@post_only
def reopen_ticker(model_admin, request, object_id):
    article = _ticker(model_admin, request, object_id)
    return _run(
        request,
        article,
        lambda: live_ticker.reopen_live_ticker(article, by=request.user),
        _("Ticker wird fortgesetzt."),
    )


def live_ticker_urls(wrap) -> list:
    """The desk's addresses, under the article's admin address."""
    return [
        path(
            "<int:object_id>/liveticker/",
            wrap(ticker_desk),
            name="articles_article_live_ticker",
        ),
        path(
            "<int:object_id>/liveticker/<int:entry_id>/korrigieren/",
            wrap(correct_entry),
            name="articles_article_live_entry_correct",
        ),
        path(
            "<int:object_id>/liveticker/<int:entry_id>/loeschen/",
            wrap(delete_entry),
            name="articles_article_live_entry_delete",
        ),
        path(
            "<int:object_id>/liveticker/beenden/",
            wrap(end_ticker),
            name="articles_article_live_ticker_end",
        ),
        path(
            "<int:object_id>/liveticker/fortsetzen/",
            wrap(reopen_ticker),
            name="articles_article_live_ticker_reopen",
        ),
    ]
