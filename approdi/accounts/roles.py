from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    FILTRO = "filtro", _("Ufficio Filtro")
    OUTREACH = "outreach", _("Outreach operator")
    SHELTER = "shelter", _("Shelter educator")
    CASE_WORKER = "case_worker", _("Case worker")
    LEGAL = "legal", _("Legal advisor")
    ADMIN = "admin", _("System administrator")
    DPO = "dpo", _("Data protection officer")


# Roles whose scope spans every organisation of the programme when held at its lead entity.
NETWORK_WIDE_ROLES = {Role.COORDINATOR, Role.FILTRO, Role.DPO}
# The administrator manages accounts and reference data and never opens people's records.
ROLES_WITH_PEOPLES_DATA = set(Role) - {Role.ADMIN}
