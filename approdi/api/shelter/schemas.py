"""Schemas of the shelter routes: structures, placements, the bed board and the waiting list."""

from datetime import date

from ninja import Field, Schema


class StructureOut(Schema):
    code: str
    name: str
    organisation: str
    type: str
    gender: str
    area: str
    beds: int
    open_from: date | None
    open_to: date | None

    @staticmethod
    def resolve_organisation(s):
        return s.organisation.code

    @staticmethod
    def resolve_area(s):
        return s.area.code


class StructureDetailOut(StructureOut):
    address: str | None = None
    phone: str | None = None

    # Only with the secrets the selector gave (and audited the reading of): null for everyone else.

    @staticmethod
    def resolve_address(s):
        return s.secrets.address if s.secrets else None

    @staticmethod
    def resolve_phone(s):
        return s.secrets.phone if s.secrets else None


class PlacementIn(Schema):
    programme: str
    person_code: str
    structure: str
    stage: str
    start: date
    planned_end: date | None = None
    amend_reason: str = Field(
        "", max_length=500, description="Why the lead entity's coordinator places from a closed period on."
    )


class PlacementOut(Schema):
    id: int
    person_code: str
    structure: str
    bed: str
    stage: str
    start: date
    planned_end: date | None
    end: date | None
    exit_reason: str

    @staticmethod
    def resolve_person_code(p):
        return p.person.code

    @staticmethod
    def resolve_structure(p):
        return p.structure.code

    @staticmethod
    def resolve_bed(p):
        return p.bed.label


class BoardRowOut(Schema):
    structure: str
    name: str
    type: str
    gender: str
    ages: str
    area: str
    beds: int
    occupied: int
    free: int
    reserved: int
    departures_30_days: int

    @staticmethod
    def resolve_structure(s):
        return s.code

    @staticmethod
    def resolve_area(s):
        return s.area.code

    @staticmethod
    def resolve_beds(s):
        return s.beds_in_use

    @staticmethod
    def resolve_reserved(s):
        return s.reserved_free

    @staticmethod
    def resolve_departures_30_days(s):
        return s.departures


class RequestOut(Schema):
    id: int
    person_code: str
    stage: str
    urgent: bool
    created_at: date
    proposed: list[str]

    @staticmethod
    def resolve_person_code(r):
        return r.person.code

    @staticmethod
    def resolve_created_at(r):
        return r.created_at.date()

    @staticmethod
    def resolve_proposed(r):
        return [s.code for s in r.proposed]
