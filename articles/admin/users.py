"""Users and roles (groups) as Django's auth admin has them, with the
permissions named in German.

Django stores the default permissions' names in English ("Can add log
entry") when it creates them; the forms show them from the model's German
names instead ("Logeintrag: hinzufügen").
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

DEFAULT_ACTIONS = {
    "add": gettext_lazy("hinzufügen"),
    "change": gettext_lazy("ändern"),
    "delete": gettext_lazy("löschen"),
    "view": gettext_lazy("ansehen"),
}


def permission_label(permission: Permission) -> str:
    """ "Artikel und Fotos | Artikel: hinzufügen" for a default permission,
    the permission's own (German) name for the project's others."""
    model = permission.content_type.model_class()
    if model is None:
        return str(permission)
    action, _sep, model_name = permission.codename.partition("_")
    what = (
        DEFAULT_ACTIONS[action]
        if action in DEFAULT_ACTIONS and model_name == model._meta.model_name
        else permission.name
    )
    return _("%(app)s | %(model)s: %(what)s") % {
        "app": model._meta.app_config.verbose_name,
        "model": model._meta.verbose_name_plural,
        "what": what,
    }


class GermanPermissions:
    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and db_field.related_model is Permission:
            field.label_from_instance = permission_label
        return field


User = get_user_model()
admin.site.unregister(Group)
admin.site.unregister(User)


@admin.register(Group)
class RoleAdmin(GermanPermissions, GroupAdmin):
    pass


@admin.register(User)
class NewsroomUserAdmin(GermanPermissions, UserAdmin):
    pass
