from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.audit_log, name="log"),
    path("export.csv", views.audit_log_csv, name="export"),
    # The register of processing activities (GDPR art. 30): a page and a PDF for the DPO
    path("processing/", views.processing_record, name="processing_record"),
    path("processing.pdf", views.processing_record_pdf, name="processing_record_pdf"),
]
