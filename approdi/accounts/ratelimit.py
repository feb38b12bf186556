"""Counting requests in the shared cache (Redis when ``REDIS_URL`` is set), for actions that send e-mail."""

from __future__ import annotations

import hashlib

from django.core.cache import cache


def exceeded(kind: str, value: str, *, limit: int, seconds: int = 3600) -> bool:
    """Counts one more ``kind`` request for ``value`` in a window of ``seconds``: True past ``limit``.

    The value is hashed, so the cache holds no e-mail address or IP in clear.
    """
    key = f"approdi:rate:{kind}:{hashlib.sha256(value.strip().lower().encode()).hexdigest()}"
    cache.add(key, 0, timeout=seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)
        count = 1
    return count > limit
