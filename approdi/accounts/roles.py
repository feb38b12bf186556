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
NETWORK_WIDE_ROLES: set[str] = {Role.COORDINATOR, Role.FILTRO, Role.DPO}
# The administrator manages accounts and reference data and never opens people's records.
ROLES_WITH_PEOPLES_DATA = set(Role) - {Role.ADMIN}
# Granting one of these roles takes two people (DESIGN.md §5): every role but the administrator's reads
# people's data, whether identities and case files (filtro, case_worker, shelter, legal), outreach records
# (outreach), every partner's records as codes and figures (coordinator) or who did what to whom (dpo, the
# audit log). An administrator who could grant them alone could give herself, through a second account,
# everything the need-to-know rules keep from her. The administrator's own role reads nobody's data, so an
# administrator grants it alone.
ROLES_GRANTED_BY_TWO = frozenset(ROLES_WITH_PEOPLES_DATA)
