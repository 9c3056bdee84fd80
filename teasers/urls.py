from django.urls import path

from articles.public.feeds import AtomFeed
from teasers import views

app_name = "teasers"
urlpatterns = [
    path("", views.front_page, name="front_page"),
    path("feed/", views.front_page_feed, name="front_feed"),
    path(
        "feed/atom/",
        views.front_page_feed,
        {"feed_class": AtomFeed},
        name="front_feed_atom",
    ),
    path("anzeige/<str:token>/", views.sponsored_click, name="sponsored_click"),
]
