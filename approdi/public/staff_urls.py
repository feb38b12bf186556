from django.urls import path

from . import staff_views

app_name = "public_texts"

urlpatterns = [
    path("", staff_views.languages, name="languages"),
    path("<str:language>/", staff_views.edit, name="edit"),
]
