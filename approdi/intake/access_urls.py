from django.urls import path

from . import access_views

app_name = "access"

urlpatterns = [
    # A person's request of access and portability: the DPO produces her file (PDF or JSON), audited
    path("", access_views.access_request, name="request"),
    # A person's request of erasure: the DPO records it, a lead coordinator approves or rejects it
    path("erasure/", access_views.erasure_requests, name="erasure_requests"),
    path("erasure/<int:pk>/decide/", access_views.erasure_decide, name="erasure_decide"),
    # The retention schedule: read and set by the lead entity's coordinators and DPO; carried out by apply_retention
    path("retention/", access_views.retention_schedule, name="retention"),
]
