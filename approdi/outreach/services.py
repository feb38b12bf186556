"""Outreach writes: permission, validation, audit row, one transaction each."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from approdi.audit.models import Action
from approdi.audit.services import changed_fields, record
from approdi.core.permissions import ensure
from approdi.network.dates import check_activity, check_not_future
from approdi.network.models import Area, Organisation

from . import selectors
from .codes import DESK_SERVICES, STREET_SERVICES, Channel
from .models import Contact, Material, Outing, OutingMaterial, OutingSite, Referral
from .person_code import NotEnoughFacts, code_from_identifier


def _organisation(actor, organisation: Organisation | None) -> Organisation:
    """The organisation a record belongs to: the actor's own, or one in the actor's scope."""
    membership = actor.active_membership
    if organisation is None or organisation.pk == membership.organisation_id:
        return membership.organisation
    from approdi.accounts.scoping import visible_organisation_ids

    if organisation.pk not in visible_organisation_ids(membership):
        raise ValidationError({"organisation": [_("You cannot record for this organisation.")]})
    return organisation


def normalise_code(value: str) -> str:
    if not value or not value.strip():
        return ""
    try:
        return code_from_identifier(value)
    except NotEnoughFacts as error:
        raise ValidationError({"person_code": [str(error)]}) from None


@transaction.atomic
def create_outing(
    *,
    actor,
    team: str,
    date: date,
    shift: str,
    area: Area,
    start_time: time | None = None,
    end_time: time | None = None,
    notes: str = "",
    operators=(),
    sites: list[tuple[str, int]] = (),
    materials: list[tuple[Material, int]] = (),
) -> Outing:
    ensure(actor, "outreach.record_contact")
    membership = actor.active_membership
    outing = Outing(
        programme=membership.programme,
        organisation=membership.organisation,
        team=team,
        date=date,
        shift=shift,
        area=area,
        start_time=start_time,
        end_time=end_time,
        notes=notes,
        created_by=actor,
    )
    outing.full_clean()
    check_activity(outing.date, programme=outing.programme)
    if start_time and end_time and shift == "day" and end_time < start_time:
        raise ValidationError({"end_time": [_("A day outing ends after it starts.")]})
    outing.save()
    outing.operators.set(list(operators) or [actor])
    for name, people_seen in sites:
        save_site(actor=actor, outing=outing, name=name, people_seen=people_seen, audit=False)
    for material, quantity in materials:
        item = OutingMaterial(outing=outing, material=material, quantity=quantity)
        item.full_clean()
        item.save()
    record(actor=actor, action=Action.CREATE, obj=outing, fields=changed_fields(None, outing))
    return outing


def save_site(*, actor, outing: Outing, name: str, people_seen: int, audit: bool = True) -> OutingSite:
    ensure(actor, "outreach.record_contact")
    site = OutingSite.objects.filter(outing=outing, name__iexact=name.strip()).first() or OutingSite(outing=outing)
    site.name = name.strip()
    site.people_seen = people_seen
    site.full_clean(exclude=["outing"])
    with transaction.atomic():
        site.save()
        if audit:
            record(actor=actor, action=Action.CHANGE, obj=outing, fields=["sites"])
    return site


CONTACT_FIELDS = (
    "date",
    "area",
    "headcount",
    "person_code",
    "first_contact",
    "gender",
    "age_band",
    "nationality",
    "languages",
    "exploitation",
    "place_type",
    "services",
    "referred_to",
    "service_point",
    "access_channel",
    "language_used",
    "mediator",
    "site",
)


@transaction.atomic
def record_contact(
    *, actor, channel: str, outing: Outing | None = None, organisation: Organisation | None = None, **data: Any
) -> Contact:
    """Records a contact (street, indoor) or a drop-in access. A group headcount is anonymous."""
    ensure(actor, "outreach.record_contact")
    unknown = set(data) - set(CONTACT_FIELDS)
    if unknown:
        raise TypeError(f"unknown contact fields: {sorted(unknown)}")
    membership = actor.active_membership
    if outing is not None:
        channel = Channel.STREET
        organisation = outing.organisation
        data.setdefault("date", outing.date)
        data.setdefault("area", outing.area)
    contact = Contact(
        programme=membership.programme,
        organisation=_organisation(actor, organisation),
        channel=channel,
        outing=outing,
        created_by=actor,
        **data,
    )
    contact.person_code = normalise_code(contact.person_code)
    contact.services = sorted(set(contact.services or []))
    allowed = {s.value for s in (DESK_SERVICES if channel == Channel.DROP_IN else STREET_SERVICES)}
    if set(contact.services) - allowed:
        raise ValidationError(
            {
                "services": [
                    _("Not a service of this channel: %(codes)s.")
                    % {"codes": ", ".join(sorted(set(contact.services) - allowed))}
                ]
            }
        )
    if contact.headcount and contact.headcount > 1 and contact.person_code:
        raise ValidationError({"person_code": [_("A group of people is recorded without a person code.")]})
    if contact.site is not None and contact.site.outing_id != getattr(outing, "pk", None):
        raise ValidationError({"site": [_("This site belongs to another outing.")]})
    if contact.person_code and contact.first_contact is None:
        contact.first_contact = not selectors.code_is_known(contact.person_code)
    contact.full_clean()
    check_activity(contact.date, programme=contact.programme)
    contact.save()
    record(actor=actor, action=Action.CREATE, obj=contact, fields=changed_fields(None, contact))
    return contact


@transaction.atomic
def delete_contact(*, actor, contact: Contact) -> None:
    ensure(actor, "outreach.record_contact")
    record(actor=actor, action=Action.DELETE, obj=contact)
    contact.delete()


REFERRAL_FIELDS = (
    "date",
    "source_type",
    "referring_body",
    "person_code",
    "given_name",
    "family_name",
    "birth_date",
    "phone",
    "gender",
    "nationality",
    "exploitation",
    "urgency",
    "consent_to_share",
    "sector",
    "target_group",
    "notes",
)


@transaction.atomic
def record_referral(*, actor, organisation: Organisation | None = None, **data: Any) -> Referral:
    """A referral lands in the Ufficio Filtro's queue with status ``new``."""
    ensure(actor, "outreach.record_referral")
    unknown = set(data) - set(REFERRAL_FIELDS)
    if unknown:
        raise TypeError(f"unknown referral fields: {sorted(unknown)}")
    membership = actor.active_membership
    referral = Referral(
        programme=membership.programme, organisation=_organisation(actor, organisation), created_by=actor, **data
    )
    referral.person_code = normalise_code(referral.person_code)
    referral.full_clean()
    check_activity(referral.date, programme=referral.programme)
    check_not_future(referral.birth_date, field="birth_date")
    referral.save()
    record(actor=actor, action=Action.CREATE, obj=referral, fields=changed_fields(None, referral))
    return referral
