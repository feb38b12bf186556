"""Service calls as a user, as a request makes them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from approdi.accounts.models import User
from approdi.accounts.scoping import membership_scope


@contextmanager
def acting(user: User) -> Iterator[User]:
    """Runs service calls as the user, inside her membership's scope, as the middleware does for a request.

    ``user.active_membership`` stays set afterwards, as it does on a request's user.
    """
    user.active_membership = user.memberships.select_related("organisation", "programme").get()
    with membership_scope(user.active_membership):
        yield user
