from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "approdi.reports"
    label = "reports"
    verbose_name = _("Monitoring and reports")

    def ready(self) -> None:
        from . import home  # noqa: F401  (registers its home page panel)
