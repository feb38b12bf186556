"""Keeping the public help form usable without tracking anyone.

- **Forgery.** The form sets no cookie, so Django's CSRF cookie is not used. A request forged from another site
  is refused by the browser's own word: ``Origin`` (and ``Sec-Fetch-Site``) must name this site when present.
  The form also carries a signed, time-stamped token made for no one (``form_token``): a post without a form
  fetched from here in the last hours is refused. Nothing ties the token to a person; there is no session to
  ride, so a forged post could at most send a request in someone's name, which the origin check prevents.
- **Floods.** Ten requests an hour per address (``take_a_turn``): the count lives in the cache only, under a
  keyed hash of the address (the address itself is kept nowhere), and expires with the hour.
- **Robots.** A field people do not see (``HONEYPOT``): filled, the request is dropped and answered as if sent.
"""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest

HONEYPOT = "website"
REQUESTS_PER_HOUR = 10
_HOUR = 3600
_TOKEN_HOURS = 4
_SALT = "approdi.public.help-form"


def form_token() -> str:
    return signing.TimestampSigner(salt=_SALT).sign(secrets.token_urlsafe(8))


def token_is_fresh(token: str) -> bool:
    try:
        signing.TimestampSigner(salt=_SALT).unsign(token or "", max_age=_TOKEN_HOURS * _HOUR)
    except signing.BadSignature:  # SignatureExpired is one
        return False
    return True


def from_this_site(request: HttpRequest) -> bool:
    """The browser's word: ``Sec-Fetch-Site`` where it is sent (every current browser), else ``Origin``.

    Under a strict referrer policy a browser may send ``Origin: null`` for a post from this very page.
    """
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site in ("same-origin", "none")
    origin = request.headers.get("Origin")
    return origin in (None, "null") or origin == f"{request.scheme}://{request.get_host()}"


def _key(request: HttpRequest) -> str:
    address = (request.META.get("REMOTE_ADDR") or "").encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), address, hashlib.sha256).hexdigest()[:32]
    return f"public-help:{digest}"


def take_a_turn(request: HttpRequest) -> bool:
    """Counts one request from this address; False from the 11th within the hour."""
    key = _key(request)
    cache.add(key, 0, timeout=_HOUR)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=_HOUR)
        count = 1
    return count <= REQUESTS_PER_HOUR
