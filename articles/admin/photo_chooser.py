"""The photo chooser: a modal dialog in the article form (and the body
editor) to search, filter, page and upload photos, and a small dialog to
change a chosen photo's alt text, caption and focal point.

`static/articles/photo_chooser.js` opens it and exposes
`window.NewsroomPhotoChooser.open({multiple}) -> Promise<[photo, ...]>` and
`.edit(id)`; each photo is `photo_choice()`. The views are thin: searching
is articles/photos/choosing.py, saving articles/photos/saving.py and
articles/photos/editing.py. PhotoAdmin.get_urls() wraps them in admin_view
(staff login, CSRF) and passes the ModelAdmin.
"""

import json

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.models import RIGHTS_FIELDS, Agency, Photo
from articles.photos import saving
from articles.photos.choosing import ChooserFilters, PageKey, choose_photos
from articles.photos.editing import (
    UPLOADER_FIELDS,
    change_photo,
    check_may_change,
    editable_photo_fields,
)
from articles.photos.renditions import RenditionSpec, rendition_url

THUMBNAIL = RenditionSpec("orig", 320, "jpg")
PREVIEW = RenditionSpec("orig", 640, "jpg")
TEMPLATE = "admin/articles/photo/chooser.html"
EDIT_TEMPLATE = "admin/articles/photo/chooser_edit.html"


def photo_problems(photo: Photo, at=None) -> list[str]:
    """Why `photo` cannot go on a public page now, as the desk says it."""
    at = at or timezone.now()
    problems = []
    if photo.killed_at and photo.killed_at <= at:
        problems.append(_("Gesperrt (Kill)"))
    if photo.licence_expires_at and photo.licence_expires_at <= at:
        problems.append(_("Lizenz abgelaufen"))
    if not photo.credit:
        problems.append(_("Bildquelle fehlt"))
    elif photo.credit_needs_review:
        problems.append(_("Bildquelle wird geprüft"))
    if not photo.alt_text.strip():
        problems.append(_("Alternativtext fehlt"))
    return problems


def photo_choice(photo: Photo, user) -> dict:
    """A photo as the chooser, the article form's cards and the body editor
    get it (JSON-ready; the contract's fields plus what cards show)."""
    editable = editable_photo_fields(user, photo) & UPLOADER_FIELDS
    return {
        "id": photo.pk,
        "thumbnail_url": rendition_url(photo, THUMBNAIL),
        "label": photo.label,
        "caption": photo.caption,
        "alt_text": photo.alt_text,
        "credit": photo.credit,
        "restrictions": " · ".join(photo.restriction_notes),
        "restriction_notes": photo.restriction_notes,
        "licence_expires_at": (
            date_format(timezone.localtime(photo.licence_expires_at), "DATETIME_FORMAT")
            if photo.licence_expires_at
            else ""
        ),
        "problems": photo_problems(photo),
        "edit_url": (
            reverse("admin:articles_photo_chooser_edit", args=[photo.pk])
            if editable
            else ""
        ),
    }


def with_json(choice: dict) -> dict:
    """`choice` with itself as JSON under "json", for a data attribute."""
    return {**choice, "json": json.dumps(choice)}


class ChooserFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Suchbegriff"), required=False)
    agentur = forms.IntegerField(
        label=gettext_lazy("Agentur"), required=False, min_value=1
    )
    von = forms.DateField(
        label=gettext_lazy("Eingegangen ab"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    bis = forms.DateField(
        label=gettext_lazy("Eingegangen bis"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    nutzbar = forms.BooleanField(
        label=gettext_lazy("Nur jetzt nutzbare"), required=False
    )

    def filters(self) -> ChooserFilters:
        """The valid filters; an invalid one is left out (and shown)."""
        data = self.cleaned_data if self.is_bound else {}
        return ChooserFilters(
            text=(data.get("q") or "").strip()[:200],
            agency_id=data.get("agentur"),
            since=data.get("von"),
            until=data.get("bis"),
            usable_now=bool(data.get("nutzbar")),
        )


class PhotoFileField(forms.ImageField):
    """The upload field, leaving the check of the file to the model field's
    validator (articles/photos/upload_checks.py), which names what is wrong:
    Django's own check says "not a valid image" to a file of too many
    pixels, and decodes it once more."""

    def to_python(self, data):
        return forms.FileField.to_python(self, data)


class ChooserUploadForm(forms.ModelForm):
    """A new photo from the chooser: the file, its caption and alt text.
    Credit and licence come from the file's metadata (the photo desk
    corrects them)."""

    class Meta:
        model = Photo
        fields = ["image", "caption", "alt_text"]
        field_classes = {"image": PhotoFileField}
        widgets = {"caption": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["image"].help_text = _(
            "JPEG, PNG, WebP, GIF oder AVIF. Bildquelle und Lizenz werden aus "
            "den Metadaten der Datei übernommen."
        )


class ChooserEditForm(forms.ModelForm):
    class Meta:
        model = Photo
        fields = ["alt_text", "caption", "focal_x", "focal_y"]
        widgets = {
            "caption": forms.Textarea(attrs={"rows": 3}),
            "focal_x": forms.NumberInput(attrs={"step": "0.001"}),
            "focal_y": forms.NumberInput(attrs={"step": "0.001"}),
        }


def check_may_choose(model_admin, request) -> None:
    if not model_admin.has_view_permission(request):
        raise PermissionDenied


def chooser(model_admin, request):
    """GET: the dialog (filters, upload tab, first results); with
    `teil=ergebnisse` only a page of results."""
    check_may_choose(model_admin, request)
    form = ChooserFilterForm(request.GET or None)
    form.is_valid()
    page = choose_photos(
        Photo.objects.visible_to(request.user),
        form.filters(),
        after=PageKey.parse(request.GET.get("nach", "")),
    )
    context = {
        **model_admin.admin_site.each_context(request),
        "form": form,
        "results": [
            with_json(photo_choice(photo, request.user)) for photo in page.photos
        ],
        "next_key": str(page.next_key) if page.next_key else "",
        "is_first_page": "nach" not in request.GET,
    }
    if request.GET.get("teil") == "ergebnisse":
        return TemplateResponse(request, f"{TEMPLATE}#results", context)
    context |= {
        "agencies": Agency.objects.order_by("short_name").values_list(
            "pk", "short_name"
        ),
        "upload_form": ChooserUploadForm(auto_id="photo-chooser-%s"),
        "may_upload": model_admin.has_add_permission(request),
    }
    return TemplateResponse(request, TEMPLATE, context)


def stored_copy_for(user, image) -> Photo | bool | None:
    """The photo stored with the same bytes: the row if `user` may see it,
    True if only its existence may be told, None if there is none."""
    existing = saving.stored_copy(saving.content_hash(image))
    if existing is None:
        return None
    if Photo.objects.visible_to(user).filter(pk=existing.pk).exists():
        return existing
    return True


def upload(model_admin, request):
    """POST: store a new photo, or offer the one stored with the same bytes.

    201 {"photo": …}; 409 {"duplicate": …, "message": …}; 400 {"errors": …}.
    """
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    form = ChooserUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    existing = stored_copy_for(request.user, form.cleaned_data["image"])
    if existing is True:
        return JsonResponse(
            {
                "message": _(
                    "Dieses Bild ist schon gespeichert, aber für Sie nicht "
                    "sichtbar. Bitte wenden Sie sich an die Bildredaktion."
                )
            },
            status=409,
        )
    if existing is not None:
        return JsonResponse(
            {
                "message": _(
                    "Dieses Bild gibt es schon. Bitte das vorhandene Foto "
                    "verwenden, statt es ein zweites Mal zu speichern."
                ),
                "duplicate": photo_choice(existing, request.user),
            },
            status=409,
        )
    try:
        with saving.new_photo_files():
            photo = saving.save_photo(form.instance, by=request.user)
    except ValidationError as error:
        return JsonResponse(
            {"errors": {"__all__": [{"message": m} for m in error.messages]}},
            status=400,
        )
    return JsonResponse({"photo": photo_choice(photo, request.user)}, status=201)


def edit(model_admin, request, object_id):
    """GET: the small form for alt text, caption and focal point; POST:
    save it through `change_photo`. A POST naming any other field (credit,
    licence …) is refused whole, as is one from someone who may not."""
    photo = get_object_or_404(
        Photo.objects.visible_to(request.user).select_related("agency"),
        pk=object_id,
    )
    check_may_choose(model_admin, request)
    editable = editable_photo_fields(request.user, photo) & UPLOADER_FIELDS
    if not editable:
        check_may_change(request.user, photo, UPLOADER_FIELDS)
    form = ChooserEditForm(
        request.POST if request.method == "POST" else None,
        instance=photo,
        auto_id="photo-edit-%s",
    )
    for name in form.fields.keys() - editable:
        form.fields[name].disabled = True
    status = 200
    if request.method == "POST":
        forged = (
            set(request.POST) & (set(RIGHTS_FIELDS) | {"image", "uploaded_by"})
        ) - editable
        if forged:
            check_may_change(request.user, photo, forged)
        if form.is_valid():
            changes = {name: form.cleaned_data[name] for name in form.changed_data}
            try:
                photo = change_photo(photo, by=request.user, **changes)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return JsonResponse({"photo": photo_choice(photo, request.user)})
        status = 400
    context = {
        **model_admin.admin_site.each_context(request),
        "form": form,
        "photo": photo,
        "choice": photo_choice(photo, request.user),
        "preview_url": rendition_url(photo, PREVIEW),
        "preview_height": round(640 * (photo.height or 1) / (photo.width or 1)),
    }
    return TemplateResponse(request, EDIT_TEMPLATE, context, status=status)
