"""The network's reference data: programmes, organisations, areas."""

from ninja import Router

from approdi.core.permissions import require_perm
from approdi.network import selectors as network_selectors

from . import schemas

router = Router()


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
