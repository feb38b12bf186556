from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "approdi.directory"
    label = "directory"
    verbose_name = _("Directory of the network")

    def ready(self) -> None:
        from . import home  # noqa: F401  (registers its home page panels)
