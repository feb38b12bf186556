from .scoping import memberships_of


def membership(request):
    user = getattr(request, "user", None)
    active = getattr(request, "membership", None)
    if active is None:
        return {"active_membership": None, "all_memberships": []}
    return {"active_membership": active, "all_memberships": memberships_of(user)}
