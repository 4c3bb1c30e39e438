from django.urls import path

from sayembara.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("penyelenggaraan/", views.editions, name="editions"),
    path("penyelenggaraan/baru/", views.edition_create, name="edition_create"),
    path("penyelenggaraan/<slug:slug>/", views.edition_dashboard, name="edition_dashboard"),
]
