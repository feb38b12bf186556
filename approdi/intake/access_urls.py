from django.urls import path

from . import access_views

app_name = "access"

urlpatterns = [
    # A person's request of access and portability: the DPO produces her file (PDF or JSON), audited
    path("", access_views.access_request, name="request"),
]
