"""The caller's own account and the audit log."""

from datetime import date

from ninja import Router

from approdi.accounts.audit_log import selectors as audit_selectors
from approdi.core.permissions import require_perm

from . import schemas

router = Router()


@router.get("/me", response=schemas.MeOut, tags=["accounts"])
def me(request):
    return request.user


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
    return audit_selectors.search_log(
        actor=request.user,
        username=username,
        action=action,
        object_type=object_type,
        object_id=object_id,
        day_from=day_from,
        day_to=day_to,
    )[: max(1, min(limit, 1000))]
