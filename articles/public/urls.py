from django.urls import path, register_converter

from articles.models import SitePage
from articles.public import feeds, live_ticker, machine_views, views


class FourDigitYear:
    regex = "[0-9]{4}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{value:04d}"


class TwoDigits:
    regex = "[0-9]{2}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{value:02d}"


class SitePageKind:
    """impressum, datenschutz, kontakt: fixed words, reserved for sections."""

    regex = "|".join(SitePage.Kind.values)

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(FourDigitYear, "four_digits")
register_converter(SitePageKind, "site_page")
register_converter(TwoDigits, "two_digits")

app_name = "articles"
urlpatterns = [
    # The article page is the most requested address: it comes right after
    # the fixed words whose addresses it would also match (a preview token,
    # a gallery, a region, tag or author slug ending in -<number>), so that
    # resolving it tries 7 patterns of this list, not 20. Nothing after it
    # has a second segment of the form <slug>-<number>.
    path("vorschau/<str:token>/", views.shared_preview, name="shared_preview"),
    path("galerie/<slug:slug>-<int:pk>/", views.gallery_page, name="gallery"),
    path("region/<slug:slug>/", views.RegionView.as_view(), name="region"),
    path("thema/<slug:slug>/", views.TagView.as_view(), name="tag"),
    path("autor/<slug:slug>/", views.AuthorView.as_view(), name="author"),
    path(
        "<slug:section>/<slug:slug>-<int:pk>/",
        views.ArticleDetailView.as_view(),
        name="detail",
    ),
    path(
        "<slug:section>/<slug:slug>-<int:pk>/live/",
        live_ticker.live_ticker_updates,
        name="live_ticker_updates",
    ),
    path(
        "bild/<int:photo_id>/<str:version>/<str:spec>",
        views.photo_rendition,
        name="rendition",
    ),
    path("robots.txt", machine_views.robots_txt, name="robots"),
    path("sitemap.xml", machine_views.sitemap_index, name="sitemap_index"),
    # "news" is the Google News sitemap, /sitemap-news.xml.
    path("sitemap-<str:section>.xml", machine_views.sitemap, name="sitemap"),
    path("api/ninjs/", machine_views.ninjs_list, name="ninjs_list"),
    path("api/ninjs/<str:item_id>/", machine_views.ninjs_item, name="ninjs_item"),
    path("<slug:section>/feed/", machine_views.section_feed, name="section_feed"),
    path(
        "<slug:section>/feed/atom/",
        machine_views.section_feed,
        {"feed_class": feeds.AtomFeed},
        name="section_feed_atom",
    ),
    path("suche/", views.search, name="search"),
    path(
        "archiv/<four_digits:year>/<two_digits:month>/",
        views.ArchiveMonthView.as_view(),
        name="archive_month",
    ),
    path(
        "archiv/<four_digits:year>/<two_digits:month>/<two_digits:day>/",
        views.ArchiveDayView.as_view(),
        name="archive_day",
    ),
    path("<site_page:kind>/", views.site_page, name="site_page"),
    # Last among single segments: section slugs are the catch-all.
    path("<slug:slug>/", views.SectionView.as_view(), name="section"),
]
