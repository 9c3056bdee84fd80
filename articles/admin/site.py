from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.http import Http404, HttpResponseRedirect
from django.urls import path
from django.utils.translation import gettext_lazy as _

from articles.admin import tasks, trash
from articles.admin.dashboard import editor_dashboard
from articles.admin.logins import ThrottledLoginForm


class NewsroomAdminSite(admin.AdminSite):
    site_header = _("Newsroom – Redaktion")
    site_title = _("Newsroom")
    index_title = _("Übersicht")
    index_template = "admin/newsroom_index.html"
    login_form = ThrottledLoginForm

    def index(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "dashboard": editor_dashboard(request.user),
            "may_see_trash": trash.may_see_trash(request.user),
        }
        return super().index(request, extra_context)

    def _build_app_dict(self, request, label=None):
        """Django's, with each (lazy) name translated once: Django's sort in
        get_app_list() translated two at every comparison, and the sidebar
        each again (some hundred translations on every admin page). The
        method is private to Django: check it on upgrades."""
        app_dict = super()._build_app_dict(request, label)
        for app in app_dict.values():
            app["name"] = str(app["name"])
            for model in app["models"]:
                model["name"] = str(model["name"])
        return app_dict

    def logout(self, request, extra_context=None):
        response = super().logout(request, extra_context)
        # The article form keeps unsaved input in the browser's storage
        # (static/articles/article_form.js); the next person at this browser
        # must not find it. The browser empties this site's storage itself,
        # even if no script of ours runs again.
        response["Clear-Site-Data"] = '"storage"'
        return response

    def get_urls(self):
        return self.trash_urls() + self.task_urls() + self.guarded_urls()

    def task_urls(self):
        return [
            path("aufgaben/", self.admin_view(self.my_tasks), name="my_tasks"),
            path(
                "aufgaben/erwaehnung/<int:mention_id>/erledigt/",
                self.admin_view(self.mention_done),
                name="mention_done",
            ),
        ]

    def my_tasks(self, request):
        return tasks.my_tasks(self, request)

    def mention_done(self, request, mention_id):
        return tasks.mention_done(self, request, mention_id)

    def trash_urls(self):
        def wrap(view):
            def view_with_site(request, *args, **kwargs):
                return view(self, request, *args, **kwargs)

            return self.admin_view(view_with_site)

        return [
            path("papierkorb/", wrap(trash.trash_index), name="trash"),
            path(
                "papierkorb/<str:kind>/<int:object_id>/wiederherstellen/",
                wrap(trash.restore_from_trash),
                name="trash_restore",
            ),
            path(
                "papierkorb/<str:kind>/<int:object_id>/endgueltig-loeschen/",
                wrap(trash.delete_for_good),
                name="trash_delete",
            ),
        ]

    def guarded_urls(self):
        # Django's "Auf der Website ansehen" redirect (admin/r/<ct>/<id>/)
        # answers for any object of any model to any staff member, and an
        # article's address carries its headline: guard it like the forms.
        return [
            path(
                "r/<int:content_type_id>/<path:object_id>/",
                self.admin_view(self.view_on_site),
                name="view_on_site",
            )
            if getattr(pattern, "name", None) == "view_on_site"
            else pattern
            for pattern in super().get_urls()
        ]

    def view_on_site(self, request, content_type_id, object_id):
        """The public page of an object this user may see in this admin."""
        try:
            model = ContentType.objects.get_for_id(content_type_id).model_class()
        except ContentType.DoesNotExist:
            raise Http404("no such content type") from None
        model_admin = self._registry.get(model)
        obj = model_admin and model_admin.get_object(request, object_id)
        if obj is None or not model_admin.has_view_or_change_permission(request, obj):
            # 404, not 403: whether the object exists is no one else's business.
            raise Http404("no such object here")
        if model_admin.get_view_on_site_url(obj) is None:
            # Not public (an article scheduled, in draft, under embargo): its
            # preview, where the admin has one, instead of a 404 or 410.
            if preview_url := getattr(model_admin, "preview_url", None):
                return HttpResponseRedirect(preview_url(obj))
            raise Http404("not on the site")
        return shortcut(request, content_type_id, object_id)
