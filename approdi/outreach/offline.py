"""The street units' installable app: its service worker, its manifest, and the pages it may keep offline.

docs/offline.md describes the whole: what the phone keeps, for how long, and what it never keeps.
"""

from functools import wraps

from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from approdi.core.permissions import allow_unverified, require_perm

from . import services

# The answer header by which the server, and only the server, tells the service worker a page may be kept on the
# phone: pages of the street units' work holding no person's identity. The worker keeps nothing without it.
OFFLINE_HEADER = "X-Approdi-Offline"


def kept_offline(view):
    """Marks a view's page as one the outreach app may keep on the phone (GET answers with status 200 only)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method == "GET" and response.status_code == 200:
            response[OFFLINE_HEADER] = "keep"
        return response

    return wrapped


@allow_unverified
@require_GET
def service_worker(request):
    """``/outreach/sw.js``: served under /outreach/ so that its scope is the outreach pages and nothing else."""
    response = HttpResponse(
        render_to_string("outreach/sw.js", request=request), content_type="text/javascript; charset=utf-8"
    )
    response["Service-Worker-Allowed"] = reverse("outreach:index")
    response["Cache-Control"] = "no-cache"  # a new release's worker is picked up at the next visit
    return response


@allow_unverified
@require_GET
def manifest(request):
    """The web app manifest: 'install' Approdi's outreach pages on the phone's home screen."""
    start = reverse("outreach:index")
    data = {
        "name": _("Approdi · street units"),
        "short_name": "Approdi",
        "lang": request.LANGUAGE_CODE,
        "start_url": start,
        "scope": start,
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0066cc",
        "icons": [{"src": static("approdi/favicon.svg"), "sizes": "any", "type": "image/svg+xml", "purpose": "any"}],
    }
    return JsonResponse(data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})


@require_GET
@never_cache
def offline_key(request):
    """``GET /outreach/offline-key/``: her offline key, for the app to import non-extractable (docs/offline.md).

    Answered to a signed-in session holding the outreach role only (the sync's permission), never cached
    (``no-store``) and never marked to be kept by the service worker. A session that ended answers 401, a role
    removed 403: the phone stops making records under the key it holds.
    """
    if not request.user.is_authenticated or getattr(request, "membership", None) is None:
        return JsonResponse({"error": _("Sign in again to send the records.")}, status=401)
    require_perm(request, "outreach.record_contact")
    return JsonResponse({"key": services.offline_key(actor=request.user)})
