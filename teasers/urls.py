from django.urls import path

from teasers import views

app_name = "teasers"
urlpatterns = [
    path("", views.front_page, name="front_page"),
    path("anzeige/<str:token>/", views.sponsored_click, name="sponsored_click"),
]
