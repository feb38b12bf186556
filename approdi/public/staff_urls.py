from django.urls import path

from . import staff_views

app_name = "public_texts"

urlpatterns = [
    path("", staff_views.languages, name="languages"),
    path("leaflets/", staff_views.leaflets, name="leaflets"),
    path("<str:language>/", staff_views.edit, name="edit"),
]
