"""Where a form sends the user back: the ``next`` it carried, when it is an address of this site."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, fallback: str) -> str:
    """The request's ``next`` (the form's, else the query's) if it stays on this host (and on HTTPS when the request
    came by HTTPS), else ``fallback``: never an open redirect."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback
