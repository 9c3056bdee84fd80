from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.static import serve

admin.site.site_header = _("Newsroom – Redaktion")
admin.site.site_title = _("Newsroom")
admin.site.index_title = _("Übersicht")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("teasers.urls")),
]
if settings.NEWSROOM_SERVE_MEDIA:
    urlpatterns.append(
        re_path(
            rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    )
# Last: section slugs are the catch-all first path segment.
urlpatterns.append(path("", include("articles.urls")))
