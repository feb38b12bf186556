"""What the tests build, each thing built one way: the network and its users, people, the case world,
the browser's case path. Fixtures in tests/conftest.py hand them to tests; browser tests, which need a
committed database for the live server, call the same builders on ``live_network``."""

from .acting import acting
from .network import PASSWORD, TOTP_HEX, Network, People, build_network, current_code, make_user, verified_client
from .people import registered_person

__all__ = [
    "PASSWORD",
    "TOTP_HEX",
    "Network",
    "People",
    "acting",
    "build_network",
    "current_code",
    "make_user",
    "registered_person",
    "verified_client",
]
