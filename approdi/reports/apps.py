from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "approdi.reports"
    label = "reports"
    verbose_name = _("Monitoring and reports")

    def ready(self) -> None:
        from approdi.core.metrics import register_database_gauge

        from . import home  # noqa: F401  (registers its home page panel)
        from .metrics import export_jobs_by_status

        register_database_gauge(
            "approdi_export_jobs",
            "Background exports by status (queued, running, done, failed).",
            "status",
            export_jobs_by_status,
        )
