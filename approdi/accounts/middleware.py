from django.shortcuts import redirect
from django.urls import reverse

from .scoping import membership_scope, resolve_membership

SESSION_MEMBERSHIP_KEY = "approdi_membership_id"


class RequireTwoFactorMiddleware:
    """A password alone opens nothing: every page needs the second factor first.

    The API is exempt because it never reads the session: it authenticates bearer tokens.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith("/api/") or getattr(view_func, "allow_unverified", False):
            return None
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        return redirect(f"{reverse('accounts:two_factor')}?next={request.path}")


class MembershipScopeMiddleware:
    """Enters the scope of the membership the signed-in user acts under, for the whole request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):  # ApiTokenMiddleware scopes API requests
            return self.get_response(request)
        user = request.user
        if not (user.is_authenticated and user.is_verified()):
            request.membership = None
            return self.get_response(request)
        membership = resolve_membership(user, membership_id=request.session.get(SESSION_MEMBERSHIP_KEY))
        request.membership = membership
        user.active_membership = membership
        with membership_scope(membership):
            return self.get_response(request)
