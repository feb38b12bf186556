"""Which records a signed-in member may see: the one place that turns a membership into a scope.

Every tenant model uses django-scopes' ``ScopedManager``: a query on it outside
``membership_scope`` raises ``ScopeError``. Requests enter the scope in
``MembershipScopeMiddleware`` (pages) and in the API's token authentication; management
commands and migrations leave it explicitly with ``scopes_disabled()``, which is greppable.
"""

from __future__ import annotations

from contextlib import contextmanager

from django_scopes import scope

from approdi.network.dates import is_running
from approdi.network.models import Partnership, Programme

from .models import Membership, User
from .roles import NETWORK_WIDE_ROLES


def memberships_of(user: User) -> list[Membership]:
    """The user's memberships that act, newest programme first; read once per request.

    A grant waiting for its second person, or one at a law-enforcement body, gives no programme and no scope.
    """
    if not user.is_authenticated or not user.is_active:
        return []
    if not hasattr(user, "_approdi_memberships"):
        user._approdi_memberships = list(
            Membership.objects.acting()
            .filter(user=user)
            .select_related("organisation", "programme")
            .order_by("-programme__start", "id")
        )
    return user._approdi_memberships


def resolve_membership(
    user: User, *, membership_id: int | None = None, programme_code: str | None = None
) -> Membership | None:
    """The membership a request acts under: the chosen one, the programme's, or the default one.

    By default a user works in the edition running today (the newest of those, if several run);
    only when none runs does the newest edition stand in. Work recorded today belongs there, and an
    ended edition refuses it.
    """
    memberships = memberships_of(user)
    for membership in memberships:
        if membership_id is not None and membership.pk == membership_id:
            return membership
    if programme_code:
        matching = [m for m in memberships if m.programme.code.lower() == programme_code.lower()]
        return matching[0] if matching else None
    running = [m for m in memberships if is_running(m.programme)]
    acting = running or memberships
    return acting[0] if acting else None


def at_lead_entity(membership: Membership | None) -> bool:
    return membership is not None and membership.programme.lead_organisation_id == membership.organisation_id


def is_network_wide(membership: Membership | None) -> bool:
    """The one answer to "who sees the whole programme": a network-wide role held at the programme's lead entity."""
    return membership is not None and at_lead_entity(membership) and membership.role in NETWORK_WIDE_ROLES


def programme_organisation_ids(programme: Programme) -> list[int]:
    """Every organisation whose records can be the programme's: its lead and each that is or ever was a partner.

    A partnership that ended keeps its row (``Partnership.left``), so what the partner filed stays counted.
    """
    # Read on every request of a network-wide member (her scope): ids only, without the join to sort by name.
    ids = set(Partnership.objects.filter(programme=programme).order_by().values_list("organisation_id", flat=True))
    if programme.lead_organisation_id:
        ids.add(programme.lead_organisation_id)
    return sorted(ids)


def programme_scope(programme: Programme):
    """The scope of the whole programme (reports and exports that cover the network)."""
    return scope(organisation=programme_organisation_ids(programme), programme=[programme.pk])


def visible_organisation_ids(membership: Membership) -> list[int]:
    """Network-wide memberships see every organisation of the programme; the others, their own."""
    if is_network_wide(membership):
        return sorted({*programme_organisation_ids(membership.programme), membership.organisation_id})
    return [membership.organisation_id]


def scope_values(membership: Membership | None) -> dict[str, list[int]]:
    if membership is None:
        return {"organisation": [], "programme": []}
    return {"organisation": visible_organisation_ids(membership), "programme": [membership.programme_id]}


@contextmanager
def membership_scope(membership: Membership | None):
    with scope(**scope_values(membership)):
        yield
