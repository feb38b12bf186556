from datetime import date, datetime
from typing import Annotated

from ninja import Field, Schema

# Far beyond any list, and within every database's integers (a larger offset overflowed into a 500).
MAX_OFFSET = 1_000_000_000
Limit = Annotated[int, Field(ge=1, le=1000)]
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET)]


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
