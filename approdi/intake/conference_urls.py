"""Case conferences from the case page (mounted under ``cases/`` by config/urls.py, beside the case's pages)."""

from django.urls import path

from . import conference_views

app_name = "conferences"

urlpatterns = [
    path("<int:pk>/conferences/", conference_views.case_conferences, name="case_conferences"),
    path("<int:pk>/conferences/new/", conference_views.case_conference_create, name="case_conference_create"),
    path(
        "<int:pk>/conferences/<int:conference_pk>/invitation.ics",
        conference_views.case_conference_ics,
        name="case_conference_ics",
    ),
    path(
        "<int:pk>/conferences/<int:conference_pk>/decisions/",
        conference_views.case_conference_decisions,
        name="case_conference_decisions",
    ),
    path("conference-actions/<int:pk>/done/", conference_views.conference_action_done, name="conference_action_done"),
]
