"""Who a run of wrong passwords locks out (django-axes' ``AXES_LOCKOUT_PARAMETERS``).

Wrong passwords lock the account they were typed for, wherever they come from. The address is locked only
when it tries many different accounts: behind a reverse proxy, or a partner's office network, every colleague
shares one address, and one person's typos must not lock them all out.
"""

from __future__ import annotations

from axes.models import AccessAttempt
from django.conf import settings
from django.utils import timezone


def _ip_of(request_or_attempt) -> str | None:
    return getattr(request_or_attempt, "axes_ip_address", None) or getattr(request_or_attempt, "ip_address", None)


def tries_many_accounts(ip_address: str | None) -> bool:
    """At least ``APPRODI_LOGIN_IP_ACCOUNT_LIMIT`` accounts failed from this address within the cool-off."""
    if not ip_address:
        return False
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    accounts = (
        AccessAttempt.objects.filter(ip_address=ip_address, attempt_time__gte=since)
        .values("username")
        .distinct()
        .count()
    )
    return accounts >= settings.APPRODI_LOGIN_IP_ACCOUNT_LIMIT


def lockout_parameters(request_or_attempt, credentials=None) -> list:
    if tries_many_accounts(_ip_of(request_or_attempt)):
        return ["username", "ip_address"]
    return ["username"]
