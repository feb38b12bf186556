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

    @staticmethod
    def resolve_lead_organisation(p):
        return p.lead_organisation.code if p.lead_organisation else None


class ProgrammeDetailOut(ProgrammeOut):
    budget: float | None
    co_funding: float | None
    partners: list[str]
    areas: list[str]
    targets: list[TargetOut]

    @staticmethod
    def resolve_partners(p):
        return [o.code for o in p.partners.all()]

    @staticmethod
    def resolve_areas(p):
        return [a.code for a in p.areas.all()]
