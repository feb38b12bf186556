"""The two pages of single sign-on: off (404) unless the deployment configured a provider (accounts/sso.py)."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import login
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django_otp import login as otp_login
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from approdi.audit.models import Action
from approdi.audit.services import record
from approdi.core.permissions import allow_unverified

from . import sso
from .signals import organisation_of
from .views import locked_out


def _require_enabled() -> None:
    if not settings.APPRODI_OIDC_ENABLED:
        raise Http404


@allow_unverified
def start(request):
    """Sends the browser to the provider, with state, nonce and PKCE kept in the session."""
    _require_enabled()
    return OIDCAuthenticationRequestView.as_view()(request)


def _refused(request):
    return render(request, "accounts/sso_refused.html", status=403)


@allow_unverified
def callback(request):
    """Where the provider sends the browser back: sign her in, or say that Approdi could not."""
    _require_enabled()
    states = request.session.get("oidc_states") or {}
    state = request.GET.get("state", "")
    if request.GET.get("error") or "code" not in request.GET or state not in states:
        return _refused(request)
    expected = states.pop(state)  # once only: a replayed answer finds no state
    request.session["oidc_states"] = states
    request.session.save()
    try:
        id_claims, userinfo = sso.ProviderClient().claims(
            request, nonce=expected.get("nonce", ""), code_verifier=expected.get("code_verifier")
        )
        signed_in = sso.sign_in_with_provider(request=request, id_claims=id_claims, userinfo=userinfo)
    except sso.Refused as refusal:
        if not refusal.username:  # the provider's answer itself did not hold: nobody to count it against
            sso.refuse(request, refusal)
        return _refused(request)
    except sso.LockedOut:
        return locked_out(request)
    next_url = request.session.get("oidc_login_next") or reverse("core:home")
    user = signed_in.user
    # The session loads her as a password sign-in does, so "disabled" and "sign out everywhere" hold alike.
    login(request, user, backend="approdi.accounts.backends.PasswordBackend")
    if not signed_in.second_factor_asserted:
        return redirect(f"{reverse('accounts:two_factor')}?{urlencode({'next': next_url})}")
    otp_login(request, signed_in.identity)
    request.session.cycle_key()
    record(
        actor=user,
        action=Action.SIGN_IN,
        reason="identity provider, second factor asserted",
        organisation_id=organisation_of(user),
    )
    return redirect(next_url)
