"""The trash in the admin: "Löschen" moves an article or a photo to the
trash (articles/workflow/trash.py), and the trash page lists what is in it
with "Wiederherstellen" and, for administrators, "Endgültig löschen".

Each view checks the permission itself; NewsroomAdminSite.get_urls() wraps
the trash page's views in admin_view (staff login, CSRF).
"""

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.models import Article, Photo
from articles.workflow import trash

# What the trash page shows of each kind: the newest first, at most this
# many (a count says how many more there are).
TRASH_ROWS = 100

KINDS = {
    "artikel": (
        Article,
        trash.may_trash_articles,
        trash.restore_article,
        trash.delete_article_for_good,
    ),
    "fotos": (
        Photo,
        trash.may_trash_photos,
        trash.restore_photo,
        trash.delete_photo_for_good,
    ),
}


def _trash_one(model_admin, request, obj) -> str | None:
    """Move one object to the trash; the German refusal, if refused."""
    move = trash.trash_article if isinstance(obj, Article) else trash.trash_photo
    try:
        move(obj, by=request.user)
    except ValidationError as error:
        return " ".join(error.messages)
    return None


class MovesToTrashAdmin:
    """ModelAdmin mixin: "Löschen" moves to the trash (a confirmation page
    that names the consequences, then the service), the lists and forms
    never show what is in it, and the bulk delete becomes "In den
    Papierkorb legen"."""

    def get_queryset(self, request):
        return super().get_queryset(request).not_in_trash()

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location)
        # Offered to whoever Django offers its delete to.
        offered = actions.pop("delete_selected", None) is not None
        if offered and (action := self.get_action("move_to_trash", action_location)):
            actions[action.name] = action
        return actions

    @admin.action(description=gettext_lazy("Ausgewählte in den Papierkorb legen"))
    def move_to_trash(self, request, queryset):
        moved = 0
        for obj in queryset:
            if refusal := _trash_one(self, request, obj):
                self.message_user(request, refusal, messages.ERROR)
            else:
                moved += 1
        if moved:
            self.message_user(
                request,
                _("%(count)s in den Papierkorb gelegt.") % {"count": moved},
                messages.SUCCESS,
            )

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_delete_permission(request, obj):
            raise PermissionDenied
        refusal = None
        # A photo that a public page shows: said before the click.
        if isinstance(obj, Photo) and (places := trash.photo_shown_at(obj)):
            refusal = _(
                "Das Foto kann nicht in den Papierkorb: Es erscheint in "
                "%(shown)s. Bitte es zuerst dort entfernen oder ersetzen."
            ) % {"shown": ", ".join(places[:5])}
        if request.method == "POST" and refusal is None:
            refusal = _trash_one(self, request, obj)
            if refusal is None:
                self.message_user(
                    request,
                    _(
                        "„%(object)s“ liegt jetzt im Papierkorb (%(days)s Tage "
                        "wiederherstellbar)."
                    )
                    % {"object": obj, "days": trash_days()},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse(
                        f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"
                    )
                )
        return TemplateResponse(
            request,
            "admin/articles/move_to_trash.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": obj,
                "title": _("In den Papierkorb legen"),
                "refusal": refusal,
                "days": trash_days(),
            },
        )


def trash_days() -> int:
    return settings.NEWSROOM_TRASH_DAYS


def may_see_trash(user) -> bool:
    return any(may(user) for _model, may, _restore, _delete in KINDS.values())


def trash_index(admin_site, request):
    """The trash: articles and photos, newest first, with their actions."""
    user = request.user
    if not may_see_trash(user):
        raise PermissionDenied
    sections = []
    for kind, (model, may, _restore, _delete) in KINDS.items():
        if not may(user):
            continue
        in_trash = model.objects.in_trash().select_related("deleted_by")
        if model is Article:
            in_trash = in_trash.select_related("section").defer("body")
        else:
            in_trash = in_trash.select_related("agency")  # its credit
        rows = list(in_trash.order_by("-deleted_at", "-pk")[: TRASH_ROWS + 1])
        sections.append(
            {
                "kind": kind,
                "title": model._meta.verbose_name_plural,
                "rows": rows[:TRASH_ROWS],
                "more": len(rows) > TRASH_ROWS,
            }
        )
    return TemplateResponse(
        request,
        "admin/articles/trash.html",
        {
            **admin_site.each_context(request),
            "title": _("Papierkorb"),
            "sections": sections,
            "may_empty": trash.may_empty_trash(user),
            "days": trash_days(),
        },
    )


def _trashed(kind: str, object_id: int):
    if kind not in KINDS:
        raise Http404("no such kind")
    model = KINDS[kind][0]
    obj = model.objects.in_trash().filter(pk=object_id).first()
    if obj is None:
        raise Http404("not in the trash")
    return obj


def _act(request, kind: str, object_id: int, *, restore: bool):
    if not may_see_trash(request.user):
        raise PermissionDenied
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    obj = _trashed(kind, object_id)
    _model, _may, restore_service, delete_service = KINDS[kind]
    service = restore_service if restore else delete_service
    label = str(obj)
    try:
        service(obj, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        done = (
            _("„%(object)s“ ist wiederhergestellt.")
            if restore
            else _("„%(object)s“ ist endgültig gelöscht.")
        )
        messages.success(request, done % {"object": label})
    return HttpResponseRedirect(reverse("admin:trash"))


def restore_from_trash(admin_site, request, kind: str, object_id: int):
    return _act(request, kind, object_id, restore=True)


def delete_for_good(admin_site, request, kind: str, object_id: int):
    return _act(request, kind, object_id, restore=False)
