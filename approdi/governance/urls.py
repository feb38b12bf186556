from django.urls import path

from . import views

app_name = "governance"

urlpatterns = [
    path("", views.table_list, name="table_list"),
    path("new/", views.table_new, name="table_new"),
    path("<int:pk>/", views.table_detail, name="table_detail"),
    path("<int:pk>/edit/", views.table_edit, name="table_edit"),
    path("<int:pk>/meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/record/", views.meeting_record, name="meeting_record"),
    path("meetings/<int:pk>/invitation.ics", views.meeting_ics, name="meeting_ics"),
    path("meetings/<int:pk>/minutes.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("actions/<int:pk>/done/", views.action_done, name="action_done"),
    path("calendar/", views.calendar_page, name="calendar"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
