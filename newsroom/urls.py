from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("teasers.urls")),
]
# No route serves MEDIA_ROOT: originals stay private, and public images go
# through articles:rendition, which checks the licence first.
# Last: section slugs are the catch-all first path segment.
urlpatterns.append(path("", include("articles.urls")))
