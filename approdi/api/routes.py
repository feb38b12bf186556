"""Routes of /api/v1/: thin handlers over the same selectors and services as the pages."""

from datetime import date

from ninja import Router

from approdi.accounts.audit_log import selectors as audit_selectors
from approdi.accounts.scoping import memberships_of
from approdi.core.permissions import require_perm
from approdi.network import selectors as network_selectors
from approdi.shelter import selectors as shelter_selectors

from . import schemas

router = Router()


def _membership(m) -> dict:
    return {"programme": m.programme.code, "organisation": m.organisation.code, "role": m.role}


@router.get("/me", response=schemas.MeOut, tags=["accounts"])
def me(request):
    active = request.membership
    return {
        "username": request.user.username,
        "active": _membership(active) if active else None,
        "memberships": [_membership(m) for m in memberships_of(request.user)],
    }


def _programme(p) -> dict:
    return {
        "code": p.code,
        "name": p.name,
        "start": p.start,
        "end": p.end,
        "funder": p.funder,
        "lead_organisation": p.lead_organisation.code if p.lead_organisation else None,
    }


@router.get("/programmes", response=list[schemas.ProgrammeOut], tags=["network"])
def programmes(request):
    require_perm(request, "network.view_reference_data")
    return [_programme(p) for p in network_selectors.programmes(actor=request.user)]


@router.get("/programmes/{code}", response=schemas.ProgrammeDetailOut, tags=["network"])
def programme(request, code: str):
    require_perm(request, "network.view_reference_data")
    p = network_selectors.programme_detail(actor=request.user, code=code)
    return {
        **_programme(p),
        "budget": p.budget,
        "co_funding": p.co_funding,
        "partners": [o.code for o in p.partners.all()],
        "areas": [a.code for a in p.areas.all()],
        "targets": [
            {"indicator": t.indicator, "value": t.value, "description": t.description} for t in p.targets.all()
        ],
    }


@router.get("/organisations", response=list[schemas.OrganisationOut], tags=["network"])
def organisations(request):
    require_perm(request, "network.view_reference_data")
    return list(network_selectors.organisations(actor=request.user).values("code", "name", "type"))


@router.get("/areas", response=list[schemas.AreaOut], tags=["network"])
def areas(request):
    require_perm(request, "network.view_reference_data")
    return list(network_selectors.areas(actor=request.user).values("code", "name"))


def _structure(s) -> dict:
    return {
        "code": s.code,
        "name": s.name,
        "organisation": s.organisation.code,
        "type": s.type,
        "gender": s.gender,
        "area": s.area.code,
        "beds": s.beds,
        "open_from": s.open_from,
        "open_to": s.open_to,
    }


@router.get("/structures", response=list[schemas.StructureOut], tags=["shelter"])
def structures(request):
    require_perm(request, "shelter.view_structure")
    return [_structure(s) for s in shelter_selectors.structures_visible(actor=request.user)]


@router.get("/structures/{code}", response=schemas.StructureDetailOut, tags=["shelter"])
def structure(request, code: str):
    require_perm(request, "shelter.view_structure")
    s, secrets = shelter_selectors.structure_detail(actor=request.user, code=code)
    data = _structure(s)
    if secrets is not None:
        data.update(address=secrets.address, phone=secrets.phone)
    return data


@router.get("/audit", response=list[schemas.AuditEntryOut], tags=["audit"])
def audit(
    request,
    username: str = "",
    action: str = "",
    object_type: str = "",
    object_id: str = "",
    day_from: date | None = None,
    day_to: date | None = None,
    limit: int = 100,
):
    require_perm(request, "audit.search_log")
    entries = audit_selectors.search_log(
        actor=request.user,
        username=username,
        action=action,
        object_type=object_type,
        object_id=object_id,
        day_from=day_from,
        day_to=day_to,
    )[: max(1, min(limit, 1000))]
    return [
        {
            "at": e.at,
            "username": e.actor_username,
            "role": e.role,
            "action": e.action,
            "object_type": e.object_type,
            "object_id": e.object_id,
            "fields": e.fields,
            "request_id": e.request_id,
            "ip": e.ip,
        }
        for e in entries
    ]
