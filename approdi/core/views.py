from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache

from approdi.core import metrics as prometheus
from approdi.core.home import panels
from approdi.core.permissions import allow_unverified


@login_required
def home(request):
    """Where each role's day starts: the panels of the apps whose work the acting user does (core/home.py)."""
    work = panels(request) if getattr(request, "membership", None) is not None else []
    return render(
        request,
        "core/home.html",
        {
            "panels": [render_to_string(p.template, p.context, request=request) for p in work],
            "shown": {p.template for p in work},
        },
    )


@never_cache
@allow_unverified
def healthz(request):
    """For load balancers: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not ready", whatever its type
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@never_cache
@allow_unverified
def metrics(request):
    """Prometheus' scrape: for the configured addresses or token only; anyone else finds no such page."""
    if not prometheus.may_read(request):
        raise Http404
    return HttpResponse(prometheus.exposition(), content_type="text/plain; version=0.0.4; charset=utf-8")


def error_403(request, exception=None):
    return render(request, "errors/403.html", status=403)


def error_404(request, exception=None):
    return render(request, "errors/404.html", status=404)


def error_500(request):
    return render(request, "errors/500.html", status=500)
