"""Admin for photos (credits, licences, focal point) and renditions."""

from datetime import timedelta

from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import flatten, flatten_fieldsets
from django.db import models
from django.db.models import BooleanField, Prefetch, Value
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from articles.admin import photo_chooser
from articles.admin.photo_chooser import PhotoFileField
from articles.admin.trash import MovesToTrashAdmin
from articles.models import (
    RIGHTS_FIELDS,
    Article,
    ArticlePhoto,
    Photo,
    Rendition,
)
from articles.photos import editing
from articles.photos import saving as photos
from articles.photos.renditions import RenditionSpec, rendition_url
from articles.purging import PurgesPageCacheAdmin


class PhotoForm(forms.ModelForm):
    """The photo form: a file that is stored already is not stored twice."""

    # Set per request by PhotoAdmin.get_form(): whom the duplicate may be shown.
    user = None

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if "image" not in self.changed_data or not image:
            return image
        existing = photos.stored_copy(
            photos.content_hash(image), exclude_pk=self.instance.pk
        )
        if existing is not None and existing.deleted_at is not None:
            # Its admin page would answer "does not exist".
            raise forms.ValidationError(
                gettext(
                    "Dieses Bild liegt im Papierkorb („%(photo)s“). Bitte es im "
                    "Papierkorb wiederherstellen."
                )
                % {"photo": existing.label},
                code="duplicate_in_trash",
            )
        if existing is not None and not (
            self.user is None
            or Photo.objects.visible_to(self.user).filter(pk=existing.pk).exists()
        ):
            # Its label could give an unpublished story away.
            raise forms.ValidationError(
                gettext(
                    "Dieses Bild ist schon gespeichert, aber für Sie nicht "
                    "sichtbar. Bitte wenden Sie sich an die Bildredaktion."
                ),
                code="duplicate",
            )
        if existing is not None:
            raise forms.ValidationError(
                format_html(
                    gettext(
                        'Dieses Bild gibt es schon: <a href="{}">{}</a>. Bitte das '
                        "vorhandene Foto verwenden."
                    ),
                    reverse("admin:articles_photo_change", args=[existing.pk]),
                    existing.label,
                ),
                code="duplicate",
            )
        return image


class LicenceFilter(admin.SimpleListFilter):
    title = _("Lizenz")
    parameter_name = "lizenz"

    def lookups(self, request, model_admin):
        return [
            ("endet", _("abgelaufen oder endet in 7 Tagen")),
            ("abgelaufen", _("abgelaufen")),
            ("gesperrt", _("gesperrt (Kill)")),
            ("nutzbar", _("nutzbar")),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        match self.value():
            case "endet":
                return queryset.licence_ending(timedelta(days=7), at=now)
            case "abgelaufen":
                return queryset.filter(licence_expires_at__lte=now)
            case "gesperrt":
                return queryset.filter(killed_at__lte=now)
            case "nutzbar":
                return queryset.usable(now)
        return queryset


class CreditFilter(admin.SimpleListFilter):
    title = _("Bildquelle")
    parameter_name = "bildquelle"

    def lookups(self, request, model_admin):
        return [("fehlt", _("fehlt oder prüfen"))]

    def queryset(self, request, queryset):
        if self.value() == "fehlt":
            return queryset.credit_to_check()
        return queryset


def reads_articles(request) -> bool:
    return request.user.has_perm("articles.view_article")


def may_set_rights(request) -> bool:
    return request.user.has_perm("articles.set_photo_rights")


@admin.register(Photo)
class PhotoAdmin(MovesToTrashAdmin, PurgesPageCacheAdmin, admin.ModelAdmin):
    form = PhotoForm
    list_display = [
        "thumbnail",
        "caption_short",
        "credit",
        "licence_expires_at",
        "is_usable",
        "used_in",
        "created_at",
    ]
    list_display_links = ["thumbnail", "caption_short"]
    list_filter = [LicenceFilter, CreditFilter, "agency", "created_at"]
    list_select_related = ["agency"]
    search_fields = [
        "caption",
        "alt_text",
        "creator",
        "credit_line",
        "source",
        "keywords",
    ]
    date_hierarchy = "created_at"
    autocomplete_fields = ["agency"]
    formfield_overrides = {models.ImageField: {"form_class": PhotoFileField}}
    readonly_fields = ["preview", "width", "height", "credit"]
    fieldsets = [
        (None, {"fields": ["image", "preview", ("width", "height")]}),
        (
            _("Texte"),
            {"fields": ["caption", "alt_text", "headline", "keywords"]},
        ),
        (
            _("Urheber und Quelle"),
            {
                "fields": [
                    ("creator", "agency"),
                    "credit_line",
                    "credit",
                    "copyright_notice",
                    "source",
                    "credit_needs_review",
                ]
            },
        ),
        (
            _("Lizenz"),
            {
                "fields": [
                    "instructions",
                    "usage_terms",
                    "restrictions",
                    "web_statement",
                    "licence_expires_at",
                    ("killed_at", "kill_reason"),
                ]
            },
        ),
        (
            _("Bildausschnitt"),
            {
                "fields": [("focal_x", "focal_y")],
                "description": _(
                    "Klicken Sie in die Vorschau, um den Bildmittelpunkt zu setzen: "
                    "Teaser-Ausschnitte (16:9, 4:3, 1:1) zentrieren auf ihn."
                ),
            },
        ),
    ]

    class Media:
        js = ["articles/focal_point.js"]
        css = {"all": ["articles/admin.css"]}

    def get_queryset(self, request):
        # Every surface (list, form, history, autocomplete, popups, "view
        # on site") starts here: ad operations never reach a photo that
        # gives an unpublished story away.
        uses = ArticlePhoto.objects.select_related("article__section")
        readers = reads_articles(request)
        if not readers:
            uses = uses.filter(article__in=Article.objects.published())
        return (
            super()
            .get_queryset(request)
            .visible_to(request.user)
            .prefetch_related(Prefetch("uses", queryset=uses))
            # Per row, not on this shared ModelAdmin: used_in links by it.
            .annotate(links_to_admin=Value(readers, output_field=BooleanField()))
        )

    def get_search_results(self, request, queryset, search_term):
        queryset, duplicates = super().get_search_results(
            request, queryset, search_term
        )
        # The photo widget of another admin's form (an autocomplete names
        # the form's model): that admin may offer only what its form accepts.
        try:
            source = apps.get_model(request.GET["app_label"], request.GET["model_name"])
        except (KeyError, LookupError, ValueError):
            return queryset, duplicates
        if narrow := getattr(
            self.admin_site._registry.get(source), "photo_choices", None
        ):
            queryset = narrow(request, queryset)
        return queryset, duplicates

    def get_urls(self):
        def wrap(view):
            def view_with_admin(request, *args, **kwargs):
                return view(self, request, *args, **kwargs)

            return self.admin_site.admin_view(view_with_admin)

        return [
            path(
                "auswahl/",
                wrap(photo_chooser.chooser),
                name="articles_photo_chooser",
            ),
            path(
                "auswahl/hochladen/",
                wrap(photo_chooser.upload),
                name="articles_photo_chooser_upload",
            ),
            path(
                "auswahl/<int:object_id>/bearbeiten/",
                wrap(photo_chooser.edit),
                name="articles_photo_chooser_edit",
            ),
            *super().get_urls(),
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user
        return form

    def has_change_permission(self, request, obj=None):
        # The uploader changes alt text, caption and focal point of their
        # own photo until a published article shows it (photos/editing.py).
        if super().has_change_permission(request, obj):
            return True
        return obj is not None and bool(
            editing.editable_photo_fields(request.user, obj)
        )

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and not request.user.has_perm("articles.change_photo"):
            editable = editing.editable_photo_fields(request.user, obj)
            return [
                *fields,
                *(
                    name
                    for name in flatten_fieldsets(self.fieldsets)
                    if name not in editable and name not in fields
                ),
            ]
        if may_set_rights(request):
            return fields
        return [*fields, *RIGHTS_FIELDS]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if may_set_rights(request):
            return fieldsets
        note = _(
            "Setzt die Bildredaktion. Beim Hochladen werden diese Angaben aus "
            "den Metadaten der Bilddatei übernommen."
        )
        return [
            (name, {**options, "description": note})
            if set(flatten(options["fields"])) & set(RIGHTS_FIELDS)
            else (name, options)
            for name, options in fieldsets
        ]

    def save_model(self, request, obj, form, change):
        if change:
            # The form offers only the fields this user may change; checked
            # again here, as every writer does.
            editing.check_may_change(request.user, obj, set(form.changed_data))
        photos.save_photo(obj, by=request.user)

    @admin.display(description=_("Bild"))
    def thumbnail(self, photo):
        return format_html(
            '<img src="{}" alt="" width="96" height="54" class="admin-thumb">',
            rendition_url(photo, RenditionSpec("16x9", 320, "jpg")),
        )

    @admin.display(description=_("Vorschau"))
    def preview(self, photo):
        if not photo.pk:
            return "–"
        return format_html(
            '<img src="{}" alt="" class="focal-preview" width="{}" height="{}">'
            '<span class="focal-marker" hidden></span>',
            rendition_url(photo, RenditionSpec("orig", 640, "jpg")),
            640,
            round(640 * (photo.height or 1) / (photo.width or 1)),
        )

    @admin.display(description=_("Bildunterschrift"), ordering="caption")
    def caption_short(self, photo):
        return photo.label

    @admin.display(description=_("Angezeigte Bildquelle"))
    def credit(self, photo):
        return photo.credit or "–"

    @admin.display(description=_("Nutzbar"), boolean=True)
    def is_usable(self, photo):
        return photo.is_usable()

    @admin.display(description=_("Verwendet in"))
    def used_in(self, photo):
        # get_queryset prefetched only the uses this user may know of; a
        # reader of articles gets the edit form, everyone else the page.
        uses = photo.uses.all()
        if not uses:
            return "–"
        return format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            (
                (
                    reverse("admin:articles_article_change", args=[use.article_id])
                    if photo.links_to_admin
                    else use.article.get_absolute_url(),
                    use.article.headline,
                )
                for use in uses
            ),
        )


@admin.register(Rendition)
class RenditionAdmin(admin.ModelAdmin):
    list_display = ["photo_number", "spec", "width", "height", "created_at"]
    search_fields = ["spec"]
    list_filter = ["created_at"]
    readonly_fields = ["photo", "version", "spec", "file", "width", "height"]

    def has_add_permission(self, request):
        return False  # Renditions are made from photos, never uploaded.

    @admin.display(description=_("Foto Nr."), ordering="photo_id")
    def photo_number(self, rendition):
        return rendition.photo_id
