"""Schemas of the network's reference data: programmes, organisations, areas."""

from datetime import date

from ninja import Schema


class OrganisationOut(Schema):
    code: str
    name: str
    type: str


class AreaOut(Schema):
    code: str
    name: str


class TargetOut(Schema):
    indicator: str
    value: int
    description: str


class ProgrammeOut(Schema):
    code: str
    name: str
    start: date
    end: date
    funder: str
    lead_organisation: str | None


class ProgrammeDetailOut(ProgrammeOut):
    budget: float | None
    co_funding: float | None
    partners: list[str]
    areas: list[str]
    targets: list[TargetOut]
