from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet

from .actor import Actor
from .models import Membership, User


def members_of_organisation(*, actor: Actor) -> QuerySet[User]:
    """The users of the administrator's organisation, with their memberships there."""
    if not actor.has_perm("accounts.manage_users"):
        raise PermissionDenied
    organisation_id = actor.active_membership.organisation_id
    return (
        User.objects.filter(memberships__organisation_id=organisation_id)
        .distinct()
        .order_by("username")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(organisation_id=organisation_id).select_related("programme"),
                to_attr="memberships_here",
            )
        )
    )


def pending_grants(*, actor: Actor) -> QuerySet[Membership]:
    """The grants of the actor's programme waiting for a second person (the rules say who may decide each)."""
    if not actor.has_perm("accounts.approve_grants"):
        raise PermissionDenied
    return (
        Membership.objects.pending()
        .filter(programme_id=actor.active_membership.programme_id)
        .select_related("user", "organisation", "programme", "granted_by")
        .order_by("created_at")
    )
