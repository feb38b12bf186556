from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "approdi.intake"
    label = "intake"
    verbose_name = _("Ufficio Filtro")

    def ready(self) -> None:
        from . import conference_calendar, home, my_work, notices  # noqa: F401  (its home panel, My work, notices, feed)
