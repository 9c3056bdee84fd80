"""Admin for galleries (Bildergalerien): title, own page, ordered pictures
with their captions."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import JsonResponse
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from articles.models import Gallery, GalleryPicture, Photo
from articles.photos.renditions import RenditionSpec, rendition_url
from articles.purging import PurgesPageCacheAdmin
from articles.workflow import galleries as services
from articles.workflow.services import may_publish

THUMBNAIL = RenditionSpec("4x3", 320, "jpg")


class GalleryPictureFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        # The gallery as its form set it (the admin validates that first).
        gallery = self.instance
        if not services.is_public_gallery(gallery):
            return
        kept = [
            form.cleaned_data["photo"]
            for form in self.forms
            if form.cleaned_data.get("photo") and not form.cleaned_data.get("DELETE")
        ]
        ids = [photo.pk for photo in kept]
        photos = Photo.objects.filter(pk__in=ids).select_related("agency")
        try:
            services.check_gallery_photos_ready(list(photos), gallery=gallery)
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None


class GalleryPictureInline(admin.TabularInline):
    model = GalleryPicture
    formset = GalleryPictureFormSet
    fields = ["thumbnail", "photo", "position", "caption"]
    readonly_fields = ["thumbnail"]
    autocomplete_fields = ["photo"]
    extra = 3
    formfield_overrides = {
        # Short captions sit in the row; the text area stays resizable.
        GalleryPicture._meta.get_field("caption").__class__: {
            "widget": forms.Textarea(attrs={"rows": 2, "cols": 40})
        }
    }

    @admin.display(description=_("Vorschau"))
    def thumbnail(self, picture):
        if not picture.pk:
            return "–"
        return format_html(
            '<img src="{}" alt="" width="120" height="90" loading="lazy">',
            rendition_url(picture.photo, THUMBNAIL),
        )


@admin.register(Gallery)
class GalleryAdmin(PurgesPageCacheAdmin, admin.ModelAdmin):
    list_display = ["title", "own_page", "picture_count", "modified_at"]
    search_fields = ["title", "description"]
    fields = ["title", "slug", "description", "published_at"]
    inlines = [GalleryPictureInline]
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(pictures_count=Count("pictures"))

    @admin.display(description=_("Bilder"), ordering="pictures_count")
    def picture_count(self, gallery):
        return gallery.pictures_count

    @admin.display(description=_("Eigene Seite"), ordering="published_at")
    def own_page(self, gallery):
        if gallery.published_at is None:
            return _("keine")
        if gallery.is_published():
            return format_html(
                '<a href="{}">{}</a>', gallery.get_absolute_url(), _("öffentlich")
            )
        return _("geplant")

    def get_readonly_fields(self, request, obj=None):
        # Publishing the gallery's own page is the Chef vom Dienst's.
        if may_publish(request.user):
            return []
        return ["published_at"]

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or services.may_edit_gallery(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or services.may_edit_gallery(request.user, obj)

    def save_model(self, request, obj, form, change):
        # As stored, not as the form changed it: a gallery the public sees
        # stays the publishers'.
        stored = Gallery.objects.filter(pk=obj.pk).first() if change else None
        services.save_gallery(
            obj,
            by=request.user,
            was_public=stored is not None and services.is_public_gallery(stored),
            publication_changed="published_at" in form.changed_data,
        )

    def get_urls(self):
        return [
            path(
                "body-media/",
                self.admin_site.admin_view(self.body_media_view),
                name="articles_gallery_body_media",
            ),
            *super().get_urls(),
        ]

    def body_media_view(self, request):
        """What the body editor's photo and gallery cards show (JSON): for
        ?photo=<id> and ?gallery=<id>, the thumbnail, label and credit, or
        title and picture count; only what the user may see."""
        if not (
            request.user.has_perm("articles.change_article")
            or request.user.has_perm("articles.view_gallery")
        ):
            raise PermissionDenied
        photo_ids = [int(v) for v in request.GET.getlist("photo") if v.isdigit()]
        gallery_ids = [int(v) for v in request.GET.getlist("gallery") if v.isdigit()]
        photos = Photo.objects.visible_to(request.user).filter(pk__in=photo_ids[:50])
        galleries = Gallery.objects.filter(pk__in=gallery_ids[:50]).annotate(
            pictures_count=Count("pictures")
        )
        return JsonResponse(
            {
                "photos": {
                    photo.pk: {
                        "thumbnail": rendition_url(photo, THUMBNAIL),
                        "label": photo.label,
                        "credit": photo.credit,
                    }
                    for photo in photos.select_related("agency")
                },
                "galleries": {
                    gallery.pk: {
                        "title": gallery.title,
                        "count": gallery.pictures_count,
                    }
                    for gallery in galleries
                },
            }
        )

    def view_on_site(self, gallery):
        return gallery.get_absolute_url() if gallery.is_published() else None
