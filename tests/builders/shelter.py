"""Placing a person in a shelter, as the Ufficio Filtro does."""

from __future__ import annotations

from datetime import date

from approdi.shelter import services

from .acting import acting

DAY = date(2024, 3, 1)


def place(filtro, person, structure, stage="first", start=DAY):
    with acting(filtro):
        return services.place(actor=filtro, person=person, structure=structure, stage=stage, start=start)
