from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("events.csv", views.export_csv, name="export_csv"),
    path("new/", views.event_new, name="event_new"),
    path("<int:pk>/", views.event_detail, name="event_detail"),
    path("<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("<int:pk>/material.pdf", views.event_material, name="event_material"),
    path(
        "<int:pk>/participants/<int:participation>/remove/",
        views.participation_remove,
        name="participation_remove",
    ),
]
