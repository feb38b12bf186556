"""The network's reference data: programmes, organisations, areas."""

from ninja import Router

from approdi.core.permissions import require_perm
from approdi.network import selectors as network_selectors

from . import schemas

router = Router()


@router.get("/programmes", response=list[schemas.ProgrammeOut], tags=["network"])
def programmes(request):
    require_perm(request, "network.view_reference_data")
    return network_selectors.programmes(actor=request.user)


@router.get("/programmes/{code}", response=schemas.ProgrammeDetailOut, tags=["network"])
def programme(request, code: str):
    require_perm(request, "network.view_reference_data")
    return network_selectors.programme_detail(actor=request.user, code=code)


@router.get("/organisations", response=list[schemas.OrganisationOut], tags=["network"])
def organisations(request):
    require_perm(request, "network.view_reference_data")
    return list(network_selectors.organisations(actor=request.user).values("code", "name", "type"))


@router.get("/areas", response=list[schemas.AreaOut], tags=["network"])
def areas(request):
    require_perm(request, "network.view_reference_data")
    return list(network_selectors.areas(actor=request.user).values("code", "name"))
