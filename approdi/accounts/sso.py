"""Single sign-on through OpenID Connect: who the identity provider's answer signs in, if anyone.

mozilla-django-oidc does the protocol (the authorisation request with state, nonce and PKCE; the token
exchange; the id_token's RS256 signature against the provider's JWKS; userinfo). Approdi decides the rest:
the provider never creates a user or a role. Its subject signs in the invited user it was linked to; the
first time, the user whose e-mail the provider says it verified, and the subject is linked to her then.
A disabled account stays disabled, a locked-out account stays locked out (django-axes, as for passwords),
and Approdi's own second factor is still asked unless the provider asserts one through an accepted acr/amr.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import jwt
import requests
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, transaction
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import absolutify

from .models import ProviderIdentity, User

logger = logging.getLogger(__name__)


class Refused(Exception):
    """The provider's answer signs nobody in. ``username`` is what the failure is counted and audited under."""

    def __init__(self, reason: str, *, username: str):
        super().__init__(reason)
        self.reason = reason
        self.username = username[:150]


class LockedOut(Exception):
    pass


@dataclass(frozen=True)
class ProviderSignIn:
    user: User
    identity: ProviderIdentity
    second_factor_asserted: bool


class ProviderClient(OIDCAuthenticationBackend):
    """The library's token exchange and checks, plus the issuer and audience it leaves unchecked."""

    def claims(self, request, *, nonce: str, code_verifier: str | None) -> tuple[dict, dict]:
        """The id_token's claims and the userinfo's, or ``Refused`` when the provider's answer does not hold."""
        self.request = request
        payload = {
            "client_id": settings.OIDC_RP_CLIENT_ID,
            "client_secret": settings.OIDC_RP_CLIENT_SECRET,
            "grant_type": "authorization_code",
            "code": request.GET.get("code", ""),
            "redirect_uri": absolutify(request, reverse(settings.OIDC_AUTHENTICATION_CALLBACK_URL)),
        }
        if code_verifier is not None:
            payload["code_verifier"] = code_verifier
        try:
            token_info = self.get_token(payload)
            id_token = token_info["id_token"]
            id_claims = self.verify_token(id_token, nonce=nonce)
            audience = id_claims.get("aud")
            audiences = audience if isinstance(audience, list) else [audience]
            if id_claims.get("iss") != settings.APPRODI_OIDC_ISSUER or settings.OIDC_RP_CLIENT_ID not in audiences:
                raise SuspiciousOperation("id_token issued by another provider or for another client")
            userinfo = self.get_userinfo(token_info.get("access_token", ""), id_token, id_claims)
            if str(userinfo.get("sub", "")) != str(id_claims.get("sub", "")):
                raise SuspiciousOperation("userinfo describes another subject than the id_token")
        except (SuspiciousOperation, requests.RequestException, jwt.PyJWTError, KeyError, ValueError) as error:
            raise Refused(f"provider answer not valid: {error}", username="") from error
        return id_claims, userinfo


def _email_verified(id_claims: dict, userinfo: dict) -> bool:
    value = userinfo.get("email_verified", id_claims.get("email_verified"))
    return value is True or str(value).lower() == "true"


def second_factor_asserted(id_claims: dict) -> bool:
    """The provider says it checked a second factor, in a value this deployment accepts."""
    acr = str(id_claims.get("acr", ""))
    amr = id_claims.get("amr") or []
    amr_values = {str(value) for value in (amr if isinstance(amr, list) else [amr])}
    return acr in settings.APPRODI_OIDC_MFA_ACR or bool(amr_values & set(settings.APPRODI_OIDC_MFA_AMR))


def _find_user(*, issuer: str, subject: str, id_claims: dict, userinfo: dict) -> tuple[User, ProviderIdentity | None]:
    identity = ProviderIdentity.objects.select_related("user").filter(issuer=issuer, subject=subject).first()
    if identity is not None:
        return identity.user, identity
    email = str(userinfo.get("email") or id_claims.get("email") or "")
    unknown = Refused("unknown subject", username=f"oidc:{subject}")
    if not (settings.APPRODI_OIDC_LINK_BY_EMAIL and email and _email_verified(id_claims, userinfo)):
        raise unknown
    matches = list(User.objects.filter(email__iexact=email)[:2])
    if len(matches) != 1:
        raise unknown
    user = matches[0]
    if ProviderIdentity.objects.filter(issuer=issuer, user=user).exists():
        raise Refused("the account is linked to another subject of this provider", username=user.username)
    return user, None


def sign_in_with_provider(*, request, id_claims: dict, userinfo: dict) -> ProviderSignIn:
    """Who the provider's verified claims sign in, linking her subject the first time.

    Raises ``Refused`` (counted as a failed sign-in and audited) or ``LockedOut``.
    """
    issuer = settings.APPRODI_OIDC_ISSUER
    subject = str(id_claims.get("sub") or "")[:255]
    try:
        if not subject:
            raise Refused("no subject", username="oidc:")
        user, identity = _find_user(issuer=issuer, subject=subject, id_claims=id_claims, userinfo=userinfo)
        if not user.is_active:
            raise Refused("account disabled", username=user.username)
    except Refused as refusal:
        refuse(request, refusal)
        raise
    if not AxesProxyHandler.is_allowed(request, {"username": user.username}):
        raise LockedOut(user.username)
    if identity is None:
        try:
            with transaction.atomic():
                identity = ProviderIdentity.objects.create(
                    user=user, issuer=issuer, subject=subject, name="identity provider", confirmed=True
                )
        except IntegrityError as error:  # the same subject linked by a parallel sign-in
            concurrent = Refused("subject linked concurrently", username=user.username)
            refuse(request, concurrent)
            raise concurrent from error
    return ProviderSignIn(user=user, identity=identity, second_factor_asserted=second_factor_asserted(id_claims))


def refuse(request, refusal: Refused) -> None:
    """Counts and audits a refused provider sign-in as a wrong password is (django-axes, the audit log)."""
    logger.warning("Single sign-on refused: %s", refusal.reason)
    user_login_failed.send(sender=__name__, credentials={"username": refusal.username or "oidc:"}, request=request)
