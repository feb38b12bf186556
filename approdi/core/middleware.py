import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from asgiref.local import Local
from django.utils.cache import add_never_cache_headers

_request_state = Local()


def current_request_id() -> str:
    return getattr(_request_state, "request_id", "")


def current_ip() -> str | None:
    return getattr(_request_state, "ip", None)


@contextmanager
def without_ip() -> Iterator[None]:
    """Within the block nothing written (audit rows, logs) learns the request's address.

    The public help form (approdi/public/) promises a person who asks for help that her address is kept nowhere.
    """
    saved = current_ip()
    _request_state.ip = None
    try:
        yield
    finally:
        _request_state.ip = saved


class RequestIdMiddleware:
    """Gives each request an id (or keeps the proxy's) for the audit log and the logs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = incoming[:64] if incoming.isprintable() and incoming else uuid.uuid4().hex
        _request_state.request_id = request.request_id
        _request_state.ip = request.META.get("REMOTE_ADDR")
        try:
            response = self.get_response(request)
        finally:
            _request_state.request_id = ""
            _request_state.ip = None
        response["X-Request-ID"] = request.request_id
        return response


class SessionIdleRefreshMiddleware:
    """Pushes a session's idle expiry forward when it was last pushed more than a minute ago.

    Saving the session on every request (``SESSION_SAVE_EVERY_REQUEST``) made every page view a database
    write. A session saved at most once a minute expires after ``SESSION_IDLE_MINUTES`` of idleness give or
    take that minute, and a request in between writes nothing. Only sessions that hold something (a
    signed-in user, a language choice) are refreshed: an anonymous visit creates no session.
    """

    KEY = "approdi_refreshed_at"

    def __init__(self, get_response):
        from django.conf import settings

        self.get_response = get_response
        self.refresh_seconds = settings.SESSION_REFRESH_SECONDS

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.modified or not session.session_key or session.is_empty():
            return response
        now = int(time.time())
        if now - session.get(self.KEY, 0) >= self.refresh_seconds:
            session[self.KEY] = now  # modified: SessionMiddleware saves it with a new expiry
        return response


class NoStoreMiddleware:
    """Nothing a signed-in user is shown, and no download, may stay in a browser's or a proxy's cache.

    People's records, case pages, record sheets, exports and API answers must not be readable later from a
    shared computer's cache or the back button after signing out. One rule, so no view can forget it: every
    answer to an authenticated request (session or API token), every API answer and every file download is
    ``no-store``.
    Static files and the sign-in page keep their caching.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or request.path.startswith("/api/") or response.has_header("Content-Disposition"):
            add_never_cache_headers(response)  # no-store, no-cache, must-revalidate, private, max-age=0
            response["Pragma"] = "no-cache"  # for HTTP/1.0 proxies
        return response


def _carries_nul(request) -> bool:
    if "\x00" in request.path:
        return True
    data = [request.GET] + ([request.POST] if request.method == "POST" else [])
    return any("\x00" in text for query in data for key, values in query.lists() for text in [key, *values])


class RefuseNulCharactersMiddleware:
    """A page request carrying a NUL character gets a clear 400 page, and nothing changes.

    PostgreSQL cannot store NUL in text and its driver refuses to send it, so a NUL that reached a
    query (a list's filter, a form field other than CharField, which alone refuses NUL) was a 500.
    NUL is never typed, only pasted from another program: refusing the request is safe. The API
    refuses it with its own envelope (approdi/api/errors.py).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/") and _carries_nul(request):
            from django.shortcuts import render

            return render(request, "errors/400.html", status=400)
        return self.get_response(request)
