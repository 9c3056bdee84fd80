"""Admin for photos (credits, licences, focal point) and renditions."""

from datetime import timedelta

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from articles.models import (
    ArticlePhoto,
    Photo,
    Rendition,
)
from articles.photos import saving as photos
from articles.photos.renditions import RenditionSpec, rendition_url
from articles.purging import PurgesPageCacheAdmin


class PhotoFileField(forms.ImageField):
    """The upload field, leaving the check of the file to the model field's
    validator (articles/photos/upload_checks.py), which names what is wrong:
    Django's own check says "not a valid image" to a file of too many
    pixels, and decodes it once more."""

    def to_python(self, data):
        return forms.FileField.to_python(self, data)


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


@admin.register(Photo)
class PhotoAdmin(PurgesPageCacheAdmin, admin.ModelAdmin):
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
    list_filter = [LicenceFilter, "agency", "created_at"]
    list_select_related = ["agency"]
    search_fields = ["caption", "alt_text", "creator", "credit_line", "source"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["agency"]
    formfield_overrides = {models.ImageField: {"form_class": PhotoFileField}}
    readonly_fields = ["preview", "width", "height", "credit"]
    fieldsets = [
        (None, {"fields": ["image", "preview", ("width", "height")]}),
        (
            _("Texte"),
            {"fields": ["caption", "alt_text", "headline", "instructions"]},
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
                ]
            },
        ),
        (
            _("Lizenz"),
            {
                "fields": [
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
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch(
                    "uses",
                    queryset=ArticlePhoto.objects.select_related("article__section"),
                )
            )
        )

    def save_model(self, request, obj, form, change):
        photos.save_photo(obj)

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
        uses = photo.uses.all()
        if not uses:
            return "–"
        return format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            (
                (
                    reverse("admin:articles_article_change", args=[use.article_id]),
                    use.article.headline,
                )
                for use in uses
            ),
        )


@admin.register(Rendition)
class RenditionAdmin(admin.ModelAdmin):
    list_display = ["photo_id", "spec", "width", "height", "created_at"]
    search_fields = ["spec"]
    list_filter = ["created_at"]
    readonly_fields = ["photo", "version", "spec", "file", "width", "height"]

    def has_add_permission(self, request):
        return False  # Renditions are made from photos, never uploaded.
