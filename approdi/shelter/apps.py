from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShelterConfig(AppConfig):
    name = "approdi.shelter"
    label = "shelter"
    verbose_name = _("Residential reception")

    def ready(self) -> None:
        from . import importers  # noqa: F401  (registers the import formats)
