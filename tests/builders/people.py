"""A person as the Ufficio Filtro registers her, without the services' checks (for tests about what follows)."""

from __future__ import annotations

from django_scopes import scopes_disabled

from approdi.accounts.models import User
from approdi.people.models import Person

from .network import Network


def registered_person(network: Network, *, code: str, created_by: User, gender: str = "woman") -> Person:
    """A person of the network's programme, registered at the lead entity under ``code``."""
    with scopes_disabled():
        return Person.objects.create(
            programme=network.programme, organisation=network.lead, code=code, gender=gender, created_by=created_by
        )
