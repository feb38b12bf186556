from . import selectors


def emergency_accesses(request):
    """The banner of every page while the user's emergency access (break-glass) to a case lasts."""
    user = getattr(request, "user", None)
    if getattr(request, "membership", None) is None or user is None or not user.is_authenticated:
        return {"emergency_accesses": []}
    return {"emergency_accesses": selectors.emergency_accesses(actor=user)}
