from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from approdi.audit.models import Action
from approdi.audit.services import record

from .models import Organisation, Programme


@transaction.atomic
def save_programme(
    *, code: str, name: str, start: date, end: date, funder: str | None = None, lead_code: str | None = None, actor=None
) -> tuple[Programme, bool]:
    """Creates or updates a programme edition by its code (command line and administrators)."""
    if actor is not None and not actor.has_perm("accounts.manage_users"):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    programme = Programme.objects.filter(code__iexact=code).first()
    created = programme is None
    programme = programme or Programme(code=code)
    programme.name = name
    programme.start = start
    programme.end = end
    if funder is not None:
        programme.funder = funder
    if lead_code:
        lead = Organisation.objects.filter(code__iexact=lead_code).first()
        if lead is None:
            raise ValidationError({"lead": [_("Unknown organisation: %(code)s.") % {"code": lead_code}]})
        programme.lead_organisation = lead
    programme.full_clean()
    programme.save()
    if programme.lead_organisation_id:
        programme.partners.add(programme.lead_organisation_id)
    record(
        actor=actor,
        action=Action.CREATE if created else Action.CHANGE,
        obj=programme,
        fields=["code", "name", "start", "end"],
    )
    return programme, created
