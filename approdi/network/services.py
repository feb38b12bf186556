from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approdi.audit.models import Action
from approdi.audit.services import record

from .models import Organisation, Partnership, Programme

if TYPE_CHECKING:
    from approdi.accounts.actor import Actor


def _organisation_by_code(code: str, field: str) -> Organisation:
    organisation = Organisation.objects.filter(code__iexact=code).first()
    if organisation is None:
        raise ValidationError({field: [_("Unknown organisation: %(code)s.") % {"code": code}]})
    return organisation


@transaction.atomic
def save_programme(
    *,
    code: str,
    name: str,
    start: date,
    end: date,
    funder: str | None = None,
    lead_code: str | None = None,
    partner_codes: Sequence[str] = (),
    actor: "Actor | None" = None,
) -> tuple[Programme, bool]:
    """Creates or updates a programme edition by its code (command line and administrators).

    The lead entity and each of ``partner_codes`` become partners (joined on the programme's start, or today
    for a programme under way); partners already there keep their dates.
    """
    if actor is not None and not actor.has_perm("accounts.manage_users"):
        raise PermissionDenied
    partners = [_organisation_by_code(c, "partner") for c in partner_codes]
    programme = Programme.objects.filter(code__iexact=code).first()
    created = programme is None
    programme = programme or Programme(code=code)
    programme.name = name
    programme.start = start
    programme.end = end
    if funder is not None:
        programme.funder = funder
    if lead_code:
        programme.lead_organisation = _organisation_by_code(lead_code, "lead")
    programme.full_clean()
    programme.save()
    if programme.lead_organisation is not None:
        partners.insert(0, programme.lead_organisation)
    joined = max(programme.start, timezone.localdate())
    for organisation in partners:
        open_partnership(actor=actor, programme=programme, organisation=organisation, joined=joined)
    record(
        actor=actor,
        action=Action.CREATE if created else Action.CHANGE,
        obj=programme,
        fields=["code", "name", "start", "end"],
    )
    return programme, created


# --- Partnerships: who may file new work in a programme ------------------------------------------------


def current_partner_ids(programme: Programme, day: date | None = None) -> set[int]:
    """Organisations that may file new work in the programme on ``day``: current partners and the lead entity."""
    ids = set(Partnership.objects.filter(programme=programme).current(day).values_list("organisation_id", flat=True))
    if programme.lead_organisation_id:
        ids.add(programme.lead_organisation_id)
    return ids


def not_a_partner(programme: Programme, organisation: Organisation) -> str:
    """Why new work of ``organisation`` is refused in ``programme`` (forms, API and imports say the same)."""
    ended = Partnership.objects.filter(programme=programme, organisation=organisation, left__isnull=False).first()
    if ended is not None:
        assert ended.left is not None  # filtered on left__isnull=False
        return _("%(organisation)s left programme %(programme)s on %(day)s: it cannot file new work in it.") % {
            "organisation": organisation.code,
            "programme": programme.code,
            "day": ended.left.isoformat(),
        }
    return _("%(organisation)s is not a partner of programme %(programme)s.") % {
        "organisation": organisation.code,
        "programme": programme.code,
    }


def ensure_partners(programme: Programme, organisations) -> None:
    """Refuses new work unless every organisation is a current partner of the programme (one query)."""
    organisations = {o.pk: o for o in organisations}
    outside = set(organisations) - current_partner_ids(programme)
    if outside:
        first = organisations[min(outside)]
        raise ValidationError({"organisation": [not_a_partner(programme, first)]}, code="not_a_partner")


PERM = "network.manage_partners"


def add_partner(
    *, actor: "Actor", programme: Programme, organisation: Organisation, joined: date | None = None
) -> tuple[Partnership, bool]:
    """Makes the organisation a partner, or a partner again (its partnership reopens); audited.

    ``actor`` None is the command line; a user must manage the partners of the programme they act for.
    """
    if actor is not None:
        _ensure_manages(actor, programme)
    return open_partnership(actor=actor, programme=programme, organisation=organisation, joined=joined)


def _ensure_manages(actor: "Actor", programme: Programme) -> None:
    if not actor.has_perm(PERM) or actor.active_membership.programme_id != programme.pk:
        raise PermissionDenied


@transaction.atomic
def open_partnership(
    *, actor: "Actor | None", programme: Programme, organisation: Organisation, joined: date | None
) -> tuple[Partnership, bool]:
    """Unchecked: callers check the actor may (a new edition's lead joins it, approdi/accounts/network_setup.py)."""
    partnership = Partnership.objects.filter(programme=programme, organisation=organisation).first()
    if partnership is not None and partnership.left is None:
        return partnership, False
    created = partnership is None
    partnership = partnership or Partnership(programme=programme, organisation=organisation)
    if joined is not None or created:
        partnership.joined = joined or timezone.localdate()
    partnership.left = None
    partnership.full_clean()
    partnership.save()
    record(
        actor=actor,
        action=Action.CREATE if created else Action.CHANGE,
        obj=partnership,
        fields=["organisation", "joined", "left"],
        organisation_id=organisation.pk,
    )
    return partnership, True


@transaction.atomic
def end_partnership(
    *, actor: "Actor", programme: Programme, organisation: Organisation, left: date | None = None
) -> Partnership:
    """Ends a partnership on ``left`` (today by default): no new work from that day; what it filed stays counted."""
    if actor is not None:
        _ensure_manages(actor, programme)
    if organisation.pk == programme.lead_organisation_id:
        raise ValidationError({"organisation": [_("The lead entity cannot leave its own programme.")]})
    partnership = Partnership.objects.filter(programme=programme, organisation=organisation).first()
    if partnership is None or partnership.left is not None:
        raise ValidationError({"organisation": [not_a_partner(programme, organisation)]})
    partnership.left = left or timezone.localdate()
    partnership.full_clean()
    partnership.save(update_fields=["left"])
    record(actor=actor, action=Action.CHANGE, obj=partnership, fields=["left"], organisation_id=organisation.pk)
    return partnership
