"""Admin for articles: the editorial workflow lives here."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import ActionLocation
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import TextField
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from articles.admin import desk, edit_screen
from articles.admin import views as admin_views
from articles.admin.body_editor import editor_csp, embed_check
from articles.admin.forms import (
    LIVE_PHOTOS_MESSAGE,
    TRANSITION,
    ArticleAdminForm,
    ArticlePhotoForm,
    ArticlePhotoFormSet,
    ArticlePhotoInlineForm,
    keeping_published_corrections,
    photo_uses_in,
    showing_draft_photos,
)
from articles.admin.live_ticker import live_ticker_urls
from articles.admin.trash import MovesToTrashAdmin
from articles.models import (
    REVISION_RELATIONS,
    Article,
    ArticlePhoto,
    CorrectionNote,
)
from articles.models.articles import SEARCH_AND_SOCIAL_FIELDS
from articles.purging import PurgesPageCacheAdmin
from articles.workflow import live_drafts, presence, services, working_copies
from newsroom.pagination import CappedPaginator

# Bulk actions sit in the list; the edit form has the publishing panel's
# buttons instead (services.allowed_transitions).
IN_THE_LIST = [ActionLocation.CHANGE_LIST]
# The fieldsets shown in the edit form's publishing panel.
PANEL = "edit-panel"

Status = Article.Status

CHECKBOX_NAME = conditional_escape(helpers.ACTION_CHECKBOX_NAME)

# The button that saves a live article's change and publishes it at once.
PUBLISH_CHANGES = "_publish_changes"

# The states each workflow action applies to, from the workflow's own
# transitions: the admin offers an action only where it can succeed.
ACTION_STATES = {
    "submit_for_review": services.states_leading_to(Status.REVIEW),
    "approve": services.states_leading_to(Status.APPROVED),
    # Publishing a published article again reschedules it.
    "publish": services.states_leading_to(Status.PUBLISHED) | {Status.PUBLISHED},
    "unpublish": services.states_leading_to(Status.DRAFT),
    "send_back": set(services.SENT_BACK_FROM),
    "withdraw": services.states_leading_to(Status.WITHDRAWN),
    "mark_updated": {Status.PUBLISHED},
    "flag_breaking": {Status.PUBLISHED},
}


class ArticlePhotoInline(admin.TabularInline):
    """The article's photos as cards; the photo chooser adds them
    (static/articles/photo_chooser.js, photo_cards.js)."""

    model = ArticlePhoto
    form = ArticlePhotoInlineForm
    formset = ArticlePhotoFormSet
    template = "admin/articles/article/_photo_cards.html"
    fields = ["position", "photo", "caption"]
    extra = 0
    ordering = ["position", "pk"]

    class Media:
        js = ["articles/photo_chooser.js", "articles/photo_cards.js"]
        css = {"all": ["articles/photo_chooser.css"]}

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "photo":
            # Chosen in the photo chooser; the card shows it.
            kwargs["widget"] = forms.HiddenInput
            kwargs["error_messages"] = {
                "required": gettext("Bitte ein Foto auswählen."),
                "invalid_choice": gettext("Dieses Foto gibt es nicht (mehr)."),
            }
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.user, formset.request = request.user, request
        return formset

    # The article's photos are the article: the same rights as its text,
    # also for a reporter's change to their live article (a draft).
    def has_add_permission(self, request, obj=None):
        allowed = super().has_add_permission(request, obj)
        return allowed and may_change_text(request, obj)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and may_change_text(request, obj)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and may_change_text(request, obj)


def may_edit(request, article) -> bool:
    return article is None or services.may_edit(request.user, article)


def may_change_text(request, article) -> bool:
    return article is None or live_drafts.may_propose_changes(request.user, article)


class CorrectionNoteInline(admin.TabularInline):
    """Corrections are added (through the service), never edited."""

    model = CorrectionNote
    fields = ["text", "created_at"]
    readonly_fields = ["created_at"]
    extra = 0
    verbose_name_plural = _("Korrekturen (erscheinen am Ende des Artikels)")

    def has_add_permission(self, request, obj=None):
        return bool(obj and obj.first_published_at) and services.may_publish(
            request.user
        )

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return services.may_publish(request.user)


class StatusFilter(admin.SimpleListFilter):
    title = _("Status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [*Article.Status.choices, ("scheduled", _("Geplant"))]

    def queryset(self, request, queryset):
        if self.value() == "scheduled":
            return queryset.scheduled()
        if self.value():
            return queryset.filter(status=self.value())
        return queryset


class AttentionFilter(admin.SimpleListFilter):
    """The desk's lists on the dashboard, each in full."""

    title = _("Zu erledigen")
    parameter_name = "offen"

    def lookups(self, request, model_admin):
        return [
            ("agentur-entwurf", _("Agenturmeldungen im Entwurf")),
            ("live-entwurf", _("Live mit unveröffentlichten Änderungen")),
            ("agentur-update", _("Agentur-Update wartet")),
            ("sperrfrist-ohne-zeit", _("Sperrfrist ohne Zeit")),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "agentur-entwurf":
                return queryset.agency_drafts()
            case "live-entwurf":
                return queryset.with_pending_changes()
            case "agentur-update":
                return queryset.with_agency_update_waiting()
            case "sperrfrist-ohne-zeit":
                return queryset.embargo_time_missing()
        return queryset


class ArticleList(ChangeList):
    """The article list: its rows without the texts it does not show.

    Fifty bodies (and teasers, descriptions) were most of what the list's
    query read, transferred and turned into objects for nothing; the
    actions and the forms load their articles whole (get_queryset()).
    """

    def get_results(self, request):
        shown = {name for name in self.list_display if isinstance(name, str)}
        self.queryset = self.queryset.defer(
            *(
                field.name
                for field in self.model._meta.concrete_fields
                if isinstance(field, TextField) and field.name not in shown
            )
        )
        super().get_results(request)


@admin.register(Article)
class ArticleAdmin(MovesToTrashAdmin, PurgesPageCacheAdmin, admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = [
        "headline",
        "section",
        "status_label",
        "embargo",
        "published_at",
        "view_count",
        "created_by",
    ]
    list_filter = [StatusFilter, AttentionFilter, "section", "agency", "published_at"]
    list_select_related = ["section", "created_by"]
    search_fields = ["headline", "kicker", "teaser", "dateline"]
    # Archive scale (issue #19): no second COUNT(*) over the whole archive on
    # every filtered list, a count that stops past the last page
    # (admin/articles/article/pagination.html says "mehr als"), and no date
    # hierarchy, which read every row twice for its years; the list filter
    # on the publication time remains.
    show_full_result_count = False
    # Rendering the rows is most of the list's time (about 0.9 ms per row
    # in Django's admin tags): 50 a page, not the admin's 100, keeps the
    # list within 50 ms at 300,000 articles; the search and filters find
    # an article, not paging.
    list_per_page = 50
    autocomplete_fields = [
        "section",
        "authors",
        "agency",
        "regions",
        "tags",
        "social_photo",
    ]
    readonly_fields = [
        "status_label",
        "first_published_at",
        "withdrawal",
        "view_count",
        "version",
        "created_by",
        "created_at",
        "modified_at",
    ]
    # Two columns on wide screens (change_form.html): the text on the
    # left, the fieldsets classed "edit-panel" in the publishing panel on
    # the right, in this order.
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "kicker",
                    "headline",
                    "teaser",
                    "dateline",
                    "body",
                    "loaded_version",
                ]
            },
        ),
        (
            _("Suchmaschinen und soziale Netzwerke"),
            {
                "classes": ["collapse"],
                "description": _(
                    "Alles optional: leer gelassen gelten Überschrift, Vorspann "
                    "und erstes Foto."
                ),
                "fields": SEARCH_AND_SOCIAL_FIELDS,
            },
        ),
        (
            _("Veröffentlichung"),
            {
                "classes": [PANEL],
                "fields": [
                    "published_at",
                    "embargo_until",
                    "embargo_time_unknown",
                    "is_top",
                    "first_published_at",
                    "updated_at",
                    "substantial_update",
                    "withdrawal",
                    "view_count",
                    ("version", "created_by"),
                    ("created_at", "modified_at"),
                ],
            },
        ),
        (
            _("Einordnung"),
            {
                "classes": [PANEL],
                "fields": [
                    "section",
                    "authors",
                    "tags",
                    "regions",
                    "agency",
                    "slug",
                    "is_live_ticker",
                ],
            },
        ),
    ]
    inlines = [ArticlePhotoInline, CorrectionNoteInline]
    actions = [
        "submit_for_review",
        "approve",
        "publish",
        "send_back",
        "unpublish",
        "withdraw",
        "mark_updated",
        "flag_breaking",
    ]
    publishing_fields = [
        "is_top",
        "published_at",
        "embargo_until",
        "embargo_time_unknown",
        "updated_at",
    ]

    class Media:
        js = ["articles/article_form.js", "articles/body_editor.js"]
        css = {"all": ["articles/admin.css"]}

    def action_checkbox(self, obj):
        """Django's checkbox column, the same markup without rendering a
        widget template per row: that was a third of the list's 100 rows."""
        # format_html()'s escaping, without its two passes over lazy
        # arguments per row (the label's format string is not escaped there
        # either).
        label = gettext("Select this object for an action - {}").format(
            conditional_escape(obj)
        )
        return mark_safe(  # every value in it is escaped
            f'<input type="checkbox" name="{CHECKBOX_NAME}"'
            f' value="{conditional_escape(obj.pk)}" class="action-select"'
            f' aria-label="{label}">'
        )

    def view_on_site(self, article):
        """The public page, only while readers can see it: the link would
        otherwise lead to a 404 or 410 (the "Vorschau" tool shows it)."""
        return article.get_absolute_url() if article.is_public() else None

    def preview_url(self, article) -> str:
        return reverse("admin:articles_article_preview", args=[article.pk])

    def get_changelist(self, request, **kwargs):
        return ArticleList

    def get_paginator(self, request, queryset, per_page, **kwargs):
        return CappedPaginator(
            queryset, per_page, max_pages=settings.NEWSROOM_LIST_MAX_PAGES, **kwargs
        )

    def get_search_results(self, request, queryset, search_term):
        """The list's search goes through the full-text index (headline,
        kicker, teaser and body, German stemming on PostgreSQL), not LIKE
        over every row; a number also finds the article with that id.
        Autocompletion keeps Django's search by parts of words."""
        search_term = search_term.strip()
        if not search_term or request.path == reverse("admin:autocomplete"):
            # Choosing an article for a rail: a headline's first letters
            # must find it, which whole-word matching does not.
            return super().get_search_results(request, queryset, search_term)
        found = queryset.containing(search_term)
        if search_term.isdigit() and len(search_term) < 10:
            found = found | queryset.filter(pk=int(search_term))
        return found, False

    def get_readonly_fields(self, request, obj=None):
        # Timing is publishing: only those who may publish may change it.
        fields = super().get_readonly_fields(request, obj)
        if not services.may_publish(request.user):
            fields = [*fields, *self.publishing_fields]
        return fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if services.may_publish(request.user):
            return fieldsets
        return [
            (name, {**options, "fields": [
                f for f in options["fields"] if f != "substantial_update"
            ]})
            for name, options in fieldsets
        ]  # fmt: skip

    def has_change_permission(self, request, obj=None):
        # Reporters edit their own drafts, and propose changes to their own
        # live articles; checked again by the services.
        allowed = super().has_change_permission(request, obj)
        return allowed and (
            obj is None or live_drafts.may_propose_changes(request.user, obj)
        )

    def saves_draft(self, request, article) -> bool:
        """Whether saving this request's form keeps the change as a draft of
        the live article: always, unless someone who may publish asked to
        publish it with the save."""
        if article is None or article.pk is None or not live_drafts.is_live(article):
            return False
        publish_now = request.method == "POST" and PUBLISH_CHANGES in request.POST
        return not (publish_now and services.may_publish(request.user))

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        # modelform_factory made this class for this request alone.
        form.saves_draft = self.saves_draft(request, obj)
        form.request = request
        form.shows_draft = obj is not None and live_drafts.may_propose_changes(
            request.user, obj
        )
        return form

    def get_formsets_with_inlines(self, request, obj=None):
        draft = self.saves_draft(request, obj)
        pending = (
            live_drafts.pending_data(obj)
            if obj is not None and live_drafts.may_propose_changes(request.user, obj)
            else {}
        )
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            if formset.model is ArticlePhoto and live_drafts.PHOTOS in pending:
                # The form shows the pending change: its photos too.
                formset = showing_draft_photos(formset, pending[live_drafts.PHOTOS])
            elif formset.model is CorrectionNote and draft:
                formset = keeping_published_corrections(formset)
            formset.editable = inline.has_change_permission(request, obj)
            yield formset, inline

    def has_publish_permission(self, request):
        return services.may_publish(request.user)

    def has_approve_permission(self, request):
        return request.user.has_perm("articles.approve_article")

    def has_desk_permission(self, request):
        return services.is_desk(request.user)

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        # Permissions first (Django), then the states on show: a list
        # filtered to drafts offers no "Zurückziehen".
        actions = super().get_actions(request, action_location)
        states = self.states_on_show(request)
        if states is None:
            return actions
        return {
            name: action
            for name, action in actions.items()
            if name not in ACTION_STATES or ACTION_STATES[name] & states
        }

    def states_on_show(self, request) -> set[str] | None:
        """The states of the articles the list shows, if its status filter
        says; None for any state."""
        value = request.GET.get(StatusFilter.parameter_name)
        if value == "scheduled":
            return {Status.PUBLISHED}
        return {value} if value in Status.values else None

    def applicable(self, request, queryset, action: str) -> list[Article]:
        """The selected articles `action` applies to; the others are named
        in one message with their state."""
        allowed, refused = [], []
        for article in queryset:
            (allowed if article.status in ACTION_STATES[action] else refused).append(
                article
            )
        if refused:
            description = getattr(self, action).short_description
            states = ", ".join(
                str(Status(state).label)
                for state in Status.values
                if state in ACTION_STATES[action]
            )
            self.message_user(
                request,
                _(
                    "„%(action)s“ gilt nur für Artikel im Status %(states)s; "
                    "nicht ausgeführt für: %(articles)s."
                )
                % {
                    "action": description,
                    "states": states,
                    "articles": ", ".join(
                        f"„{article.headline}“ ({article.get_status_display()})"
                        for article in refused
                    ),
                },
                messages.WARNING,
            )
        return allowed

    def response_action(self, request, queryset, *args, **kwargs):
        # A forged request for an action this user may not run is refused
        # outright (403), not silently ignored.
        requested = {
            value
            for key, values in request.POST.lists()
            if key == "action" or key.endswith("-action")
            for value in values
        }
        for name in requested & set(self.actions):
            needed = getattr(getattr(self, name), "allowed_permissions", ())
            if not all(getattr(self, f"has_{p}_permission")(request) for p in needed):
                raise PermissionDenied
        return super().response_action(request, queryset, *args, **kwargs)

    def save_model(self, request, obj, form, change):
        if form.saves_draft:
            # save_related keeps the draft: it holds the inlines' rows too.
            return
        # The form showed the pending draft and this save replaces it: the
        # corrections it added (shown in its diff only) are saved with it.
        request.draft_corrections = (
            live_drafts.pending_data(obj).get(live_drafts.NEW_CORRECTIONS, [])
            if form.shows_draft
            else []
        )
        services.save_article(
            obj,
            by=request.user,
            substantial=bool(form.cleaned_data.get("substantial_update")),
        )

    def save_related(self, request, form, formsets, change):
        # The panel button's step, taken in response_add/response_change,
        # also after a draft of a live article was saved (withdrawing it).
        request.article_transition = form.transition_request
        if form.saves_draft:
            # The form checked the version and holds the row's lock.
            live_drafts.save_draft(
                form.instance, by=request.user, data=draft_data(form, formsets)
            )
            # Nothing of the inlines is saved (the change message reads
            # what a save would have set).
            for formset in formsets:
                formset.new_objects, formset.changed_objects = [], []
                formset.deleted_objects = []
            return
        super().save_related(request, form, formsets, change)
        for text in getattr(request, "draft_corrections", []):
            services.add_correction(form.instance, by=request.user, text=text)
        services.record_revision(form.instance, by=request.user)
        # Saved: the server's copy of the unsaved input has served.
        working_copies.discard_working_copy(
            request.user, form.instance if change else None
        )

    def response_add(self, request, obj, post_url_continue=None):
        if getattr(request, "article_transition", None):
            return edit_screen.take_transition(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if getattr(request, "article_transition", None):
            return edit_screen.take_transition(request, obj)
        if obj.pending_revision_id and live_drafts.is_live(obj):
            self.message_user(
                request,
                _(
                    "„%(headline)s“: Ihre Änderungen sind als Entwurf gespeichert. "
                    "Die öffentliche Seite zeigt weiter die veröffentlichte "
                    "Fassung, bis jemand die Änderungen veröffentlicht."
                )
                % {"headline": obj.headline},
                messages.WARNING,
            )
            # Back to the form, where the draft and its buttons are.
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    def save_formset(self, request, form, formset, change):
        merged = getattr(formset, "merged_photos", None) is not None
        if merged or getattr(formset, "draft_photos", None) is not None:
            # The pending change's photos, saved with it, or the list a
            # conflict merge chose: the whole list.
            live_drafts.set_photo_uses(form.instance, photo_uses_in(formset))
            formset.new_objects, formset.changed_objects = [], []
            formset.deleted_objects = []
            return None
        if formset.model is not CorrectionNote:
            return super().save_formset(request, form, formset, change)
        for note in formset.save(commit=False):
            services.add_correction(form.instance, by=request.user, text=note.text)
        for note in formset.deleted_objects:
            note.delete()
        return None

    def get_urls(self):
        def wrap(view):
            def view_with_admin(request, *args, **kwargs):
                return view(self, request, *args, **kwargs)

            return self.admin_site.admin_view(view_with_admin)

        return [
            path(
                "einbettung-pruefen/",
                wrap(embed_check),
                name="articles_article_embed_check",
            ),
            path(
                "<int:object_id>/fassungen/",
                wrap(admin_views.revision_history),
                name="articles_article_revisions",
            ),
            path(
                "<int:object_id>/fassungen/vergleich/",
                wrap(admin_views.revision_diff),
                name="articles_article_revision_diff",
            ),
            path(
                "<int:object_id>/agentur-versionen/<int:version_id>/vergleich/",
                wrap(admin_views.agency_version_diff),
                name="articles_article_agency_version_diff",
            ),
            path(
                "<int:object_id>/fassungen/<int:number>/wiederherstellen/",
                wrap(admin_views.restore),
                name="articles_article_restore",
            ),
            path(
                "<int:object_id>/vorschau/",
                wrap(admin_views.preview),
                name="articles_article_preview",
            ),
            path(
                "<int:object_id>/vorschau-link/",
                wrap(admin_views.create_preview_link),
                name="articles_article_preview_link",
            ),
            path(
                "<int:object_id>/zurueckziehen/",
                wrap(admin_views.withdraw),
                name="articles_article_withdraw",
            ),
            path(
                "<int:object_id>/zurueckgeben/",
                wrap(desk.send_back),
                name="articles_article_send_back",
            ),
            path(
                "<int:object_id>/notizen/",
                wrap(desk.add_note),
                name="articles_article_add_note",
            ),
            path(
                "<int:object_id>/zustaendig/",
                wrap(desk.assign),
                name="articles_article_assign",
            ),
            path(
                "<int:object_id>/aenderungen/veroeffentlichen/",
                wrap(admin_views.publish_changes),
                name="articles_article_publish_changes",
            ),
            path(
                "<int:object_id>/aenderungen/verwerfen/",
                wrap(admin_views.discard_changes),
                name="articles_article_discard_changes",
            ),
            path(
                "<int:object_id>/live-vorschau/",
                wrap(edit_screen.live_preview),
                name="articles_article_live_preview",
            ),
            path(
                "live-vorschau/",
                wrap(edit_screen.live_preview),
                name="articles_article_live_preview_new",
            ),
            path(
                "<int:object_id>/arbeitskopie/",
                wrap(edit_screen.working_copy),
                name="articles_article_working_copy",
            ),
            path(
                "arbeitskopie/",
                wrap(edit_screen.working_copy),
                name="articles_article_working_copy_new",
            ),
            path(
                "<int:object_id>/bearbeitung/",
                wrap(admin_views.editing_ping),
                name="articles_article_editing",
            ),
            *live_ticker_urls(wrap),
            *super().get_urls(),
        ]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # The form has no status field: a post that carries one is forged.
        # Only the workflow actions change the status, each checking rights.
        forged = request.method == "POST" and "status" in request.POST
        if forged and not services.may_publish(request.user):
            raise PermissionDenied
        if request.method == "POST" and TRANSITION in request.POST:
            # A panel button saves the form, then takes its step: one this
            # user may not take from this state is refused before the save
            # (a forged request); the service checks again after it.
            edit_screen.check_transition_offered(request, object_id)
        response = super().changeform_view(request, object_id, form_url, extra_context)
        # The body editor's import map is an inline script (body_editor.py).
        response._csp_config = editor_csp()
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        article = self.get_object(request, object_id)
        if article is not None:
            extra_context["live_draft"] = admin_views.live_draft_context(
                request, article
            )
        if request.method != "GET":
            article = None
        if article is not None:
            if article.pending_agency_version is not None:
                # The banner links to what the waiting agency version changes.
                extra_context["pending_version"] = article.agency_versions.filter(
                    version=article.pending_agency_version, applied=False
                ).first()
            if self.has_change_permission(request, article):
                # Only someone who can edit is "editing"; readers are not.
                presence.report_editing(article.pk, request.user)
            extra_context["other_editors"] = presence.other_editors(
                article.pk, request.user
            )
            extra_context["desk_panel"] = desk.desk_panel_context(request, article)
            # Seen: the notes naming this user leave their dashboard.
            services.mark_mentions_read(request.user, article=article)
        extra_context["may_publish"] = services.may_publish(request.user)
        # Also when a post is shown again with its errors.
        subject = article or self.get_object(request, object_id)
        if subject is not None:
            extra_context.update(edit_screen.screen_context(self, request, subject))
        return super().change_view(request, object_id, form_url, extra_context)

    def add_view(self, request, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            **edit_screen.screen_context(self, request, None),
        }
        return super().add_view(request, form_url, extra_context)

    @admin.display(description=_("Status"), ordering="status")
    def status_label(self, article):
        if article.pending_revision_id and article.status == Status.PUBLISHED:
            return format_html(
                '<span class="live-draft-flag">{}</span>',
                _("Live – mit unveröffentlichten Änderungen"),
            )
        if article.is_scheduled:
            return format_html(
                "{} <small>{}</small>",
                _("Geplant"),
                _("für %(when)s")
                % {
                    "when": date_format(
                        timezone.localtime(article.published_at), "DATETIME_FORMAT"
                    )
                },
            )
        # Not get_status_display(): it hashes every lazy label, translating
        # each, per row of the list.
        return str(Status(article.status).label)

    @admin.display(description=_("Sperrfrist"), ordering="embargo_until")
    def embargo(self, article):
        if not article.is_embargoed:
            return ""
        return format_html(
            '<strong class="embargo-flag">{} {}</strong>',
            _("Sperrfrist bis"),
            date_format(timezone.localtime(article.embargo_until), "DATETIME_FORMAT"),
        )

    @admin.display(description=_("Zurückgezogen"))
    def withdrawal(self, article):
        if article.status != Article.Status.WITHDRAWN:
            return "–"
        return format_html(
            "{}: {}",
            date_format(timezone.localtime(article.withdrawn_at), "DATETIME_FORMAT"),
            article.withdrawal_reason,
        )

    def run_service(
        self, request, queryset, service, done_message, *, action: str
    ) -> list[Article]:
        """Run `service` on each article `action` applies to; report each
        refusal by name and the count of those done. Returns those done."""
        done = []
        for article in self.applicable(request, queryset, action):
            try:
                service(article, by=request.user)
            except (PermissionDenied, ValidationError) as error:
                message = getattr(error, "messages", None) or [str(error)]
                self.message_user(request, " ".join(message), messages.ERROR)
            else:
                done.append(article)
        if done and (message := done_message(len(done))):
            self.message_user(request, message, messages.SUCCESS)
        return done

    @admin.action(
        description=_("Zur Prüfung einreichen"),
        permissions=["change"],
        location=IN_THE_LIST,
    )
    def submit_for_review(self, request, queryset):
        self.run_service(
            request,
            queryset,
            services.submit_for_review,
            lambda n: (
                ngettext(
                    "%d Artikel zur Prüfung eingereicht.",
                    "%d Artikel zur Prüfung eingereicht.",
                    n,
                )
                % n
            ),
            action="submit_for_review",
        )

    @admin.action(
        description=_("Freigeben"), permissions=["approve"], location=IN_THE_LIST
    )
    def approve(self, request, queryset):
        self.run_service(
            request,
            queryset,
            services.approve_article,
            lambda n: (
                ngettext("%d Artikel freigegeben.", "%d Artikel freigegeben.", n) % n
            ),
            action="approve",
        )

    @admin.action(
        description=_("Veröffentlichen (oder zur gesetzten Zeit planen)"),
        permissions=["publish"],
        location=IN_THE_LIST,
    )
    def publish(self, request, queryset):
        published = self.run_service(
            request, queryset, services.publish_article, lambda n: "", action="publish"
        )
        # An article set for later is scheduled, not published: say when
        # readers will see it, and why not yet.
        live = [article for article in published if article.is_public()]
        if live:
            self.message_user(
                request,
                ngettext(
                    "%d Artikel veröffentlicht.",
                    "%d Artikel veröffentlicht.",
                    len(live),
                )
                % len(live),
                messages.SUCCESS,
            )
        for article in published:
            if reasons := article.hidden_because():
                self.message_user(
                    request,
                    _("„%(headline)s“: %(reasons)s.")
                    % {"headline": article.headline, "reasons": "; ".join(reasons)},
                    messages.SUCCESS,
                )

    @admin.action(
        description=_("Zurückgeben (mit Grund) …"),
        permissions=["desk"],
        location=IN_THE_LIST,
    )
    def send_back(self, request, queryset):
        # A reason is required per article: one at a time, on its own page.
        queryset = self.applicable(request, queryset, "send_back")
        if not queryset:
            return None
        if len(queryset) != 1:
            self.message_user(
                request,
                _("Bitte Artikel einzeln zurückgeben: jeder braucht einen Grund."),
                messages.ERROR,
            )
            return None
        return HttpResponseRedirect(
            reverse("admin:articles_article_send_back", args=[queryset[0].pk])
        )

    @admin.action(
        description=_("Zurück in den Entwurf"),
        permissions=["change"],
        location=IN_THE_LIST,
    )
    def unpublish(self, request, queryset):
        self.run_service(
            request,
            queryset,
            services.unpublish_article,
            lambda n: (
                ngettext(
                    "%d Artikel zurück in den Entwurf gesetzt.",
                    "%d Artikel zurück in den Entwurf gesetzt.",
                    n,
                )
                % n
            ),
            action="unpublish",
        )

    @admin.action(
        description=_("Zurückziehen (mit Grund) …"),
        permissions=["publish"],
        location=IN_THE_LIST,
    )
    def withdraw(self, request, queryset):
        # A reason is required per article: one at a time, on its own page.
        queryset = self.applicable(request, queryset, "withdraw")
        if not queryset:
            return None
        if len(queryset) != 1:
            self.message_user(
                request,
                _("Bitte Artikel einzeln zurückziehen: jeder braucht einen Grund."),
                messages.ERROR,
            )
            return None
        return HttpResponseRedirect(
            reverse("admin:articles_article_withdraw", args=[queryset[0].pk])
        )

    @admin.action(
        description=_("Als inhaltliche Aktualisierung markieren („Update“)"),
        permissions=["publish"],
        location=IN_THE_LIST,
    )
    def mark_updated(self, request, queryset):
        self.run_service(
            request,
            queryset,
            services.mark_article_updated,
            lambda n: (
                ngettext(
                    "%d Artikel als aktualisiert markiert.",
                    "%d Artikel als aktualisiert markiert.",
                    n,
                )
                % n
            ),
            action="mark_updated",
        )

    @admin.action(
        description=_("Als Eilmeldung markieren (Band auf allen Seiten)"),
        permissions=["publish"],
        location=IN_THE_LIST,
    )
    def flag_breaking(self, request, queryset):
        self.run_service(
            request,
            queryset,
            services.flag_breaking_news,
            lambda n: (
                ngettext(
                    "%d Artikel als Eilmeldung markiert.",
                    "%d Artikel als Eilmeldung markiert.",
                    n,
                )
                % n
            ),
            action="flag_breaking",
        )


def draft_data(form, formsets) -> dict:
    """The draft of a live article an edit form's save keeps: its fields,
    photos and new corrections; what this user cannot change (read-only
    fields, inlines) as the pending draft or the live article has it."""
    article = form.instance
    pending = live_drafts.pending_data(article)
    for name, value in live_drafts.held_from_data(pending).items():
        if name not in form.fields:
            setattr(article, name, value)
    relations = live_drafts.current_relations(article) | {
        name: pending[name] for name in REVISION_RELATIONS if name in pending
    }
    relations |= {
        name: [row.pk for row in form.cleaned_data[name]]
        for name in relations
        if name in form.cleaned_data
    }
    photos, corrections = None, list(pending.get(live_drafts.NEW_CORRECTIONS, []))
    for formset in formsets:
        if formset.model is ArticlePhoto and formset.editable:
            photos = photo_uses_in(formset)
        elif formset.model is CorrectionNote:
            corrections += formset.new_texts()
    if "substantial_update" in form.fields:
        substantial = bool(form.cleaned_data.get("substantial_update"))
    else:
        substantial = bool(pending.get(live_drafts.SUBSTANTIAL))
    return live_drafts.draft_values(
        article,
        relations,
        photos=photos,
        new_corrections=corrections,
        substantial=substantial,
    )


@admin.register(ArticlePhoto)
class ArticlePhotoAdmin(PurgesPageCacheAdmin, admin.ModelAdmin):
    """Where a photo is used; changing a use needs the right to edit its article.

    A live article's photos are part of what readers see: a change to them
    waits in the article's draft until it is published (live_drafts), and
    only the edit form keeps such a draft. Here they are read-only, with a
    pointer to the form, rather than changed on the public page at once.
    """

    form = ArticlePhotoForm

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and may_edit(request, obj and obj.article) and not is_live(obj)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and may_edit(request, obj and obj.article) and not is_live(obj)

    def save_model(self, request, obj, form, change):
        services.check_may_edit(request.user, obj.article)
        super().save_model(request, obj, form, change)
        moved_on(obj.article)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        moved_on(obj.article)

    def delete_queryset(self, request, queryset):
        articles = {use.article_id: use.article for use in queryset}
        super().delete_queryset(request, queryset)
        for article in articles.values():
            moved_on(article)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        use = self.get_object(request, object_id)
        if use is not None and is_live(use) and request.method == "GET":
            self.message_user(request, live_article_note(use.article), messages.INFO)
        return super().change_view(request, object_id, form_url, extra_context)

    list_display = ["photo", "article", "position"]
    list_select_related = ["photo__agency", "article"]
    search_fields = ["article__headline", "photo__caption", "photo__credit_line"]
    autocomplete_fields = ["article", "photo"]


@transaction.atomic
def moved_on(article: Article) -> None:
    """The article's photos changed here: its version moves on, so an edit
    form opened before refuses to save its photo list over this change and
    shows both lists to merge (merging.PhotoConflict)."""
    services.lock(article)
    services.save_workflow_fields(article, ())


def is_live(use: ArticlePhoto | None) -> bool:
    return use is not None and live_drafts.is_live(use.article)


def live_article_note(article: Article):
    return format_html(
        '{} <a href="{}">{}</a>',
        LIVE_PHOTOS_MESSAGE % {"headline": article.headline},
        reverse("admin:articles_article_change", args=[article.pk]),
        _("Zum Bearbeitungsformular des Artikels"),
    )
