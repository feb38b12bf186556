from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "approdi.intake"
    label = "intake"
    verbose_name = _("Ufficio Filtro")

    def ready(self) -> None:
        from . import home  # noqa: F401  (registers its home page panel)
