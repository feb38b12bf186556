from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.dispatch import Signal

# Sent by ``require_perm`` before it refuses, with ``request`` and ``perm``. The audit log listens
# (approdi/audit/apps.py), as it listens to django.contrib.auth's failed sign-ins: core sits below audit.
permission_refused = Signal()


def allow_unverified(view):
    """Marks a view a signed-in user may reach before the second factor (sign-in steps, health).

    approdi.accounts.middleware.RequireTwoFactorMiddleware reads the mark.
    """
    view.allow_unverified = True
    return view


if TYPE_CHECKING:
    from approdi.accounts.actor import Actor


def require_perm(request, perm: str, obj=None) -> None:
    """Refuses, and audits the refusal, when the acting membership lacks ``perm``.

    Use it for actions a role may not take (403). A record outside the user's scope is a
    different case: selectors answer 404 for it, as if it did not exist.
    """
    if not request.user.has_perm(perm, obj):
        permission_refused.send(sender=require_perm, request=request, perm=perm)
        raise PermissionDenied


def ensure(actor: "Actor", perm: str, obj=None) -> None:
    """The check of services and selectors: the acting membership holds ``perm``, or PermissionDenied.

    Views and API handlers call ``require_perm`` first, which also audits the refusal.
    """
    if not actor.has_perm(perm, obj):
        raise PermissionDenied
