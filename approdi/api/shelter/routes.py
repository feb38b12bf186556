"""Structures and their beds, placements (DESIGN.md §9 contract), the bed board and the waiting list."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Status

from approdi.accounts.actor import Actor
from approdi.core.permissions import require_perm
from approdi.outreach.models import Contact, Referral
from approdi.people.models import Person
from approdi.people.person_code import NotEnoughFacts, code_from_identifier
from approdi.shelter import selectors, services

from ..common import CreatedOut, ErrorOut
from . import schemas

router = Router(tags=["shelter"])


@router.get("/structures", response=list[schemas.StructureOut])
def structures(request):
    require_perm(request, "shelter.view_structure")
    return selectors.structures_visible(actor=request.user)


@router.get("/structures/{code}", response=schemas.StructureDetailOut)
def structure(request, code: str):
    require_perm(request, "shelter.view_structure")
    s, secrets = selectors.structure_detail(actor=request.user, code=code)
    s.secrets = secrets
    return s


def known_person(*, actor: Actor, programme, raw_code: str) -> Person:
    """The person of a code: known to the Ufficio Filtro, or made known by a referral or a contact."""
    try:
        code = code_from_identifier(raw_code)
    except NotEnoughFacts:
        raise ValidationError({"person_code": [_("The person code is empty.")]}) from None
    person = Person.objects.filter(code=code).first()
    if person is not None:
        return person
    source = Referral.objects.filter(person_code=code).first() or Contact.objects.filter(person_code=code).first()
    if source is None:
        raise ValidationError({"person_code": [_("Nobody with this code is known to the programme.")]})
    return services.register_code(
        programme=programme, code=code, gender=source.gender, nationality=str(source.nationality), created_by=actor
    )


@router.post("/placements", response={201: CreatedOut, 409: ErrorOut})
def create_placement(request, payload: schemas.PlacementIn):
    """Places a known person in a free bed: 201, or 409 when no bed is free or she is already placed."""
    require_perm(request, "shelter.place")
    membership = request.user.active_membership
    person = known_person(actor=request.user, programme=membership.programme, raw_code=payload.person_code)
    structure = selectors.structures_visible(actor=request.user).filter(code__iexact=payload.structure).first()
    if structure is None:
        raise ValidationError({"structure": [_("Unknown structure: %(code)s.") % {"code": payload.structure}]})
    try:
        placement = services.place(
            actor=request.user,
            person=person,
            structure=structure,
            stage=payload.stage,
            start=payload.start,
            planned_end=payload.planned_end,
            reason=payload.amend_reason,
        )
    except services.PlacementConflict as conflict:
        return Status(409, {"error": {"status": 409, "code": "conflict", "message": conflict.message, "fields": {}}})
    return Status(201, {"id": placement.pk})


@router.get("/placements/{id}", response=schemas.PlacementOut)
def placement(request, id: int):
    return selectors.placement_detail(actor=request.user, pk=id)


@router.get("/board", response=list[schemas.BoardRowOut])
def board(request, area: str = "", type: str = "", gender: str = ""):
    from approdi.network.models import Area

    area_obj = Area.objects.filter(code__iexact=area).first() if area else None
    if area and area_obj is None:
        raise Http404
    return selectors.board_list(actor=request.user, area_id=area_obj.pk if area_obj else None, type=type, gender=gender)


@router.get("/waiting-list", response=list[schemas.RequestOut])
def waiting_list(request):
    return selectors.waiting_list_rows(actor=request.user)
