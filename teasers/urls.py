from django.urls import path

from teasers import views

app_name = "teasers"
urlpatterns = [
    path("", views.front_page, name="front_page"),
]
