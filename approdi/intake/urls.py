from django.urls import path

from . import views

app_name = "intake"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("referrals/<int:pk>/", views.referral_workspace, name="referral"),
    path("referrals/<int:pk>/attach/", views.referral_attach, name="referral_attach"),
    path("referrals/<int:pk>/take/", views.referral_take, name="referral_take"),
    path("people/", views.person_list, name="person_list"),
    path("records.csv", views.records_export, name="records_export"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/consent/", views.consent, name="consent"),
    path("people/<int:pk>/screening/", views.screening_create, name="screening_create"),
    path("people/<int:pk>/assessment/", views.assessment_create, name="assessment_create"),
    path("people/<int:pk>/decision/", views.decision_create, name="decision_create"),
    path("people/<int:pk>/records/<str:kind>/", views.record_sheet, name="record_sheet"),
    path("people/<int:pk>/documents/add/", views.document_add, name="document_add"),
    path("people/<int:pk>/exit/", views.exit_record, name="exit_record"),
    path("people/<int:pk>/conference/", views.conference_create, name="conference_create"),
    path("screenings/<int:pk>/", views.screening_detail, name="screening"),
]
