"""``Actor``: the user a service or selector acts for.

Every service and selector takes ``actor`` as a keyword: the signed-in user with ``active_membership``, the
membership the request acts under (``MembershipScopeMiddleware`` for pages, ``ApiTokenMiddleware`` for the API,
``reports/jobs.py`` for background exports). Permission rules read that membership, never the session.

Layers below accounts (core, audit, network) name it only for the type checker, so they never import accounts
at run time::

    if TYPE_CHECKING:
        from approdi.accounts.actor import Actor
"""

from typing import TypeAlias

from .models import User

Actor: TypeAlias = User
