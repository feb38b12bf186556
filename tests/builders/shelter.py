"""Placing a person in a shelter, as the Ufficio Filtro does."""

from __future__ import annotations

from datetime import date

from approdi.shelter import services

from .acting import acting

DAY = date(2024, 3, 1)


def place(filtro, person, structure, stage="first", start=DAY):
    with acting(filtro):
        return services.place(actor=filtro, person=person, structure=structure, stage=stage, start=start)


def emergency_structure(network, *, beds: int = 2, code: str = "S-NOTTE"):
    """An emergency structure for women at the partner (whose on-call educator takes people in at night)."""
    from django_scopes import scopes_disabled

    from approdi.shelter.models import Structure

    with scopes_disabled():
        structure = Structure.objects.create(
            code=code,
            name="Pronto intervento Notte",
            organisation=network.partner,
            type="emergency_women",
            gender="women",
            area=network.area,
            beds=beds,
        )
        structure.programmes.set([network.programme])
        services.sync_beds(structure)
    return structure
