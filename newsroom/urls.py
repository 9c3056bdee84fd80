from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView

urlpatterns = [
    # Browsers ask for /favicon.ico on every page without an icon link (the
    # admin's); the site's icon is an SVG among the static files.
    path(
        "favicon.ico",
        # Lazy: hashed static names exist only after collectstatic.
        RedirectView.as_view(url=lazy(static, str)("img/favicon.svg"), permanent=True),
    ),
    path("admin/", admin.site.urls),
    path("", include("teasers.urls")),
]
# No route serves MEDIA_ROOT: originals stay private, and public images go
# through articles:rendition, which checks the licence first.
# Last: section slugs are the catch-all first path segment.
urlpatterns.append(path("", include("articles.public.urls")))
