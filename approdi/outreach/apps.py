from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "approdi.outreach"
    label = "outreach"
    verbose_name = _("Outreach")

    def ready(self) -> None:
        # Registers the import formats, and the home page's panel.
        from . import home, importers  # noqa: F401
