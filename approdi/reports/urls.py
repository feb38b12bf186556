from django.urls import path

from .dashboard import views as dashboard_views
from .disclosure import views as disclosure_views
from .funder import approval_views
from .funder import views as funder_views
from .jobs import views as job_views
from .reimbursement import views as reimbursement_views

app_name = "reports"

urlpatterns = [
    # The programme dashboard, and the records behind each of its numbers.
    path("", dashboard_views.dashboard, name="dashboard"),
    path("drilldown/", dashboard_views.drilldown, name="drilldown"),
    path("summary/", funder_views.summary, name="summary"),
    # Services delivered per partner and type, against the budgets (rendicontazione), and the records behind them.
    path("services/", reimbursement_views.reimbursement, name="reimbursement"),
    path("services/deliveries/", reimbursement_views.deliveries, name="reimbursement_deliveries"),
    # Funder reports: prepared, previewed, approved by a second coordinator, kept as approved.
    path("funder/", approval_views.funder_list, name="funder_list"),
    path("funder/new/", approval_views.funder_prepare, name="funder_prepare"),
    path("funder/<int:pk>/", approval_views.funder_detail, name="funder_detail"),
    path("funder/<int:pk>/approve/", approval_views.funder_approve, name="funder_approve"),
    path("funder/<int:pk>/refresh/", approval_views.funder_refresh, name="funder_refresh"),
    path("funder/<int:pk>/discard/", approval_views.funder_discard, name="funder_discard"),
    path("funder/<int:pk>/file.<str:fmt>", approval_views.funder_file, name="funder_file"),
    # Background exports.
    path("exports/", job_views.job_list, name="job_list"),
    path("exports/new/", job_views.job_create, name="job_create"),
    path("exports/<int:pk>/", job_views.job_detail, name="job_detail"),
    path("exports/<int:pk>/download/", job_views.job_download, name="job_download"),
    # Exports that leave the network: suppressed tables for publication, the anonymised HTCDS file.
    path("publication/", disclosure_views.publication_tables, name="publication"),
    path("htcds/", disclosure_views.htcds_export, name="htcds"),
]
