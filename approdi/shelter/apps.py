from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShelterConfig(AppConfig):
    name = "approdi.shelter"
    label = "shelter"
    verbose_name = _("Residential reception")

    def ready(self) -> None:
        # Registers the import formats, and the home page's panel.
        from . import home, importers, notices  # noqa: F401
