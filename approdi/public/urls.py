from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    path("", views.choose_language, name="choose_language"),
    path("<str:language>/", views.page, name="page"),
    path("<str:language>/ask/", views.ask, name="ask"),
    path("<str:language>/leaflet-<str:size>.pdf", views.leaflet_pdf, name="leaflet"),
]
