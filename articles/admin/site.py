from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from articles.admin.dashboard import editor_dashboard


class NewsroomAdminSite(admin.AdminSite):
    site_header = _("Newsroom – Redaktion")
    site_title = _("Newsroom")
    index_title = _("Übersicht")
    index_template = "admin/newsroom_index.html"

    def index(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "dashboard": editor_dashboard(request.user),
        }
        return super().index(request, extra_context)
