from django.urls import path

from articles import feeds, machine_views, views

app_name = "articles"
urlpatterns = [
    path(
        "bild/<int:photo_id>/<str:version>/<str:spec>",
        views.photo_rendition,
        name="rendition",
    ),
    path("vorschau/<str:token>/", views.shared_preview, name="shared_preview"),
    path("robots.txt", machine_views.robots_txt, name="robots"),
    path("sitemap.xml", machine_views.sitemap_index, name="sitemap_index"),
    # "news" is the Google News sitemap, /sitemap-news.xml.
    path("sitemap-<str:section>.xml", machine_views.sitemap, name="sitemap"),
    path("api/ninjs/", machine_views.ninjs_list, name="ninjs_list"),
    path("api/ninjs/<str:item_id>/", machine_views.ninjs_item, name="ninjs_item"),
    path("feed/", machine_views.front_page_feed, name="front_feed"),
    path(
        "feed/atom/",
        machine_views.front_page_feed,
        {"feed_class": feeds.AtomFeed},
        name="front_feed_atom",
    ),
    path("<slug:section>/feed/", machine_views.section_feed, name="section_feed"),
    path(
        "<slug:section>/feed/atom/",
        machine_views.section_feed,
        {"feed_class": feeds.AtomFeed},
        name="section_feed_atom",
    ),
    path("<slug:slug>/", views.SectionView.as_view(), name="section"),
    path(
        "<slug:section>/<slug:slug>-<int:pk>/",
        views.ArticleDetailView.as_view(),
        name="detail",
    ),
]
