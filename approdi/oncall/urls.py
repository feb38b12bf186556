from django.urls import path

from . import views

app_name = "oncall"

urlpatterns = [
    path("", views.roster, name="roster"),
    path("print/", views.roster_print, name="roster_print"),
    path("roster.ics", views.roster_ical, name="roster_ical"),
    path("shifts/<int:pk>/remove/", views.shift_remove, name="shift_remove"),
]
