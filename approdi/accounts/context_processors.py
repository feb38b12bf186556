from approdi.network.dates import today

from .scoping import memberships_of


def membership(request):
    user = getattr(request, "user", None)
    active = getattr(request, "membership", None)
    if active is None:
        return {"active_membership": None, "all_memberships": []}
    memberships = memberships_of(user)
    # The header marks an edition that has ended: its forms refuse today's work.
    ended = {m.pk for m in memberships if m.programme.end < today()}
    if active.programme.end < today():
        ended.add(active.pk)
    return {"active_membership": active, "all_memberships": memberships, "ended_membership_ids": ended}
