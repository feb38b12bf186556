import uuid

from asgiref.local import Local

_request_state = Local()


def current_request_id() -> str:
    return getattr(_request_state, "request_id", "")


def current_ip() -> str | None:
    return getattr(_request_state, "ip", None)


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
