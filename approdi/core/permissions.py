from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from approdi.audit.services import record_denied

if TYPE_CHECKING:
    from approdi.accounts.actor import Actor


def require_perm(request, perm: str, obj=None) -> None:
    """Refuses, and audits the refusal, when the acting membership lacks ``perm``.

    Use it for actions a role may not take (403). A record outside the user's scope is a
    different case: selectors answer 404 for it, as if it did not exist.
    """
    if not request.user.has_perm(perm, obj):
        record_denied(actor=request.user, object_type=perm, reason=request.path[:200])
        raise PermissionDenied


def ensure(actor: "Actor", perm: str, obj=None) -> None:
    """The check of services and selectors: the acting membership holds ``perm``, or PermissionDenied.

    Views and API handlers call ``require_perm`` first, which also audits the refusal.
    """
    if not actor.has_perm(perm, obj):
        raise PermissionDenied
