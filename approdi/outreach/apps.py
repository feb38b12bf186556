from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "approdi.outreach"
    label = "outreach"
    verbose_name = _("Outreach")

    def ready(self) -> None:
        from . import importers  # noqa: F401  (registers the import formats)
