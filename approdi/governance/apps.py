from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "approdi.governance"
    label = "governance"
    verbose_name = _("Governance tables and working groups")

    def ready(self) -> None:
        from . import home, my_work, notices  # noqa: F401  (register the home panel, the section of My work, its notice)
