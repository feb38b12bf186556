from django.urls import path

from . import staff_views

app_name = "public_texts"

urlpatterns = [
    path("", staff_views.languages, name="languages"),
    path("leaflets/", staff_views.leaflets, name="leaflets"),
    path("desks/", staff_views.desks, name="desks"),
    path("desks/new/", staff_views.desk_edit, name="desk_new"),
    path("desks/<int:pk>/", staff_views.desk_edit, name="desk_edit"),
    path("desks/<int:pk>/remove/", staff_views.desk_remove, name="desk_remove"),
    path("<str:language>/", staff_views.edit, name="edit"),
]
