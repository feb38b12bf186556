"""The request's figures for /metrics and, when asked for (APPRODI_LOG_FORMAT=json), one JSON log line per
request carrying the request id the audit log records."""

from __future__ import annotations

import json
import logging
import time
from datetime import UTC, datetime

from .metrics import ERRORS, LATENCY, REQUESTS, route_of
from .middleware import current_request_id

request_log = logging.getLogger("approdi.requests")


class RequestMetricsMiddleware:
    """Outermost: it times the whole answer, the other middleware included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed = time.perf_counter() - started
        route = route_of(request)
        REQUESTS.labels(route=route, method=request.method, status=str(response.status_code)).inc()
        LATENCY.labels(route=route).observe(elapsed)
        if response.status_code >= 500:
            ERRORS.labels(route=route).inc()
        if request_log.isEnabledFor(logging.INFO):
            request_log.info(
                "%s %s %s",
                request.method,
                route,
                response.status_code,
                extra={
                    "request_id": getattr(request, "request_id", ""),
                    "method": request.method,
                    "route": route,
                    "status": response.status_code,
                    "duration_ms": round(elapsed * 1000, 1),
                },
            )
        return response


# Attributes every LogRecord has: the rest were given through ``extra`` and go into the JSON line.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object a line, with the request id (the audit log's) of the request being answered."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "") or current_request_id(),
        }
        line.update({key: value for key, value in vars(record).items() if key not in _STANDARD and key not in line})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)
