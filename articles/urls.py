from django.urls import path

from articles import views

app_name = "articles"
urlpatterns = [
    path(
        "bild/<int:photo_id>/<str:version>/<str:spec>",
        views.photo_rendition,
        name="rendition",
    ),
    path("vorschau/<str:token>/", views.shared_preview, name="shared_preview"),
    path("<slug:slug>/", views.SectionView.as_view(), name="section"),
    path(
        "<slug:section>/<slug:slug>-<int:pk>/",
        views.ArticleDetailView.as_view(),
        name="detail",
    ),
]
