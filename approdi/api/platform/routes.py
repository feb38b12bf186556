"""The caller's own account and the audit log."""

from datetime import date

from ninja import Router

from approdi.accounts.scoping import memberships_of
from approdi.audit import selectors as audit_selectors
from approdi.core.permissions import require_perm

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
