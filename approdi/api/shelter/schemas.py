"""Schemas of the shelter routes: structures, placements, the bed board and the waiting list."""

from datetime import date

from ninja import Schema


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


class StructureDetailOut(StructureOut):
    address: str | None = None
    phone: str | None = None


class PlacementIn(Schema):
    programme: str
    person_code: str
    structure: str
    stage: str
    start: date
    planned_end: date | None = None


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


class RequestOut(Schema):
    id: int
    person_code: str
    stage: str
    urgent: bool
    created_at: date
    proposed: list[str]
