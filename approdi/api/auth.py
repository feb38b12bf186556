"""Bearer-token authentication that enters the same scope as the pages do."""

from __future__ import annotations

import json
from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from ninja.security import HttpBearer

from approdi.accounts.models import ApiToken
from approdi.accounts.scoping import membership_scope, resolve_membership

from .errors import as_envelope, refuse_bad_input


def _requested_programme(request) -> str | None:
    code = request.GET.get("programme") or request.headers.get("X-Approdi-Programme")
    if code or request.content_type != "application/json" or not request.body:
        return code
    try:
        body = json.loads(request.body)
    except ValueError:
        return None
    value = body.get("programme") if isinstance(body, dict) else None
    return value if isinstance(value, str) else None


LAST_USED_RESOLUTION = timedelta(minutes=1)


def user_for_token(raw: str):
    token = ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash(raw)).first()
    if token is None or not token.is_active or not token.user.is_active:
        return None
    now = timezone.now()
    # "Last used" is shown to the token's owner to the minute; writing it on every call cost a write
    # transaction per API request.
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


class ApiTokenMiddleware:
    """For /api/ requests: authenticates the bearer token and enters its membership's scope.

    The API never uses the session cookie, so a browser session cannot be ridden by a
    cross-site request, and the scope is entered around the whole request exactly as
    ``MembershipScopeMiddleware`` does for pages.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/"):
            return self.get_response(request)
        refused = refuse_bad_input(request)
        if refused is not None:
            return refused
        return as_envelope(self._authenticated(request))

    def _authenticated(self, request):
        request.api_user = None
        header = request.headers.get("Authorization", "")
        scheme, _, raw = header.partition(" ")
        user = user_for_token(raw.strip()) if scheme.lower() == "bearer" and raw.strip() else None
        if user is None:
            request.user = AnonymousUser()
            return self.get_response(request)
        membership = resolve_membership(user, programme_code=_requested_programme(request))
        user.active_membership = membership
        user.otp_device = None
        request.user = user
        request.api_user = user
        request.membership = membership
        with membership_scope(membership):
            return self.get_response(request)


class BearerToken(HttpBearer):
    """Documents the scheme in OpenAPI; the middleware has already checked the token."""

    def __call__(self, request):
        return getattr(request, "api_user", None)

    def authenticate(self, request, token):  # pragma: no cover - __call__ decides
        return getattr(request, "api_user", None)
