from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "approdi.cases"
    label = "cases"
    verbose_name = _("Case paths")

    def ready(self) -> None:
        from . import home, notices  # noqa: F401  (register its home page panel and its notices)
