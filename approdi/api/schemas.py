from datetime import date, datetime

from ninja import Schema


class MembershipOut(Schema):
    programme: str
    organisation: str
    role: str


class MeOut(Schema):
    username: str
    active: MembershipOut | None
    memberships: list[MembershipOut]


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


class AuditEntryOut(Schema):
    at: datetime
    username: str
    role: str
    action: str
    object_type: str
    object_id: str
    fields: list[str]
    request_id: str
    ip: str | None


class ItemsOut(Schema):
    count: int
