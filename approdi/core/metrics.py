"""Prometheus metrics: requests, latency, errors and sign-in failures counted as they happen; the export
queue read from the database when scraped.

Several processes: with ``PROMETHEUS_MULTIPROC_DIR`` set (an empty directory, emptied at every start of the
service), prometheus_client's multiprocess mode writes each process's counts there and any process answers
the scrape with the sum of all, so a proxy may send ``/metrics`` to whichever process. Without it each
process counts alone, which is right for the single waitress process of ``make run``. The queue's figures
come from the database and are the same whichever process answers.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from collections.abc import Callable

from django.conf import settings
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

REQUESTS = Counter(
    "approdi_http_requests", "Requests answered, by route, method and status.", ["route", "method", "status"]
)
LATENCY = Histogram(
    "approdi_http_request_duration_seconds",
    "Time to answer a request, by route.",
    ["route"],
    buckets=(0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
ERRORS = Counter("approdi_http_errors", "Requests answered with a server error (5xx), by route.", ["route"])
SIGN_IN_FAILURES = Counter(
    "approdi_sign_in_failures", "Failed sign-ins: wrong password or code, single sign-on refused."
)
REPLICA_FALLBACKS = Counter(
    "approdi_replica_fallbacks",
    "Report reads sent to the primary because the replica was unreachable or lagging, by reason.",
    ["reason"],
)

# Gauges read at scrape time from the database, registered by the apps that own the figures (reports).
_database_gauges: list[tuple[str, str, str, Callable[[], dict[str, int]]]] = []


def register_database_gauge(name: str, documentation: str, label: str, read: Callable[[], dict[str, int]]) -> None:
    if all(existing[0] != name for existing in _database_gauges):
        _database_gauges.append((name, documentation, label, read))


class _DatabaseGauges:
    def collect(self):
        for name, documentation, label, read in _database_gauges:
            family = GaugeMetricFamily(name, documentation, labels=[label])
            for value, count in sorted(read().items()):
                family.add_metric([value], count)
            yield family


def exposition() -> bytes:
    """Every metric in Prometheus' text format."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        counted = CollectorRegistry()
        MultiProcessCollector(counted)
    else:
        counted = REGISTRY
    from_database = CollectorRegistry(auto_describe=True)
    from_database.register(_DatabaseGauges())
    return generate_latest(counted) + generate_latest(from_database)


def may_read(request) -> bool:
    """Only the configured addresses, or whoever shows the configured token, read the metrics."""
    token = settings.APPRODI_METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    if token and secrets.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in network for network in settings.APPRODI_METRICS_ALLOWED)


def route_of(request) -> str:
    """The route's name, a bounded set of labels (never the path, which carries ids)."""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.view_name or "unnamed"
    return "static" if request.path.startswith(settings.STATIC_URL) else "unmatched"
