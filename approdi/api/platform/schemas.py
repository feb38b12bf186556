"""Schemas of the caller's own account and of the audit log."""

from datetime import datetime

from ninja import Schema


class MembershipOut(Schema):
    programme: str
    organisation: str
    role: str


class MeOut(Schema):
    username: str
    active: MembershipOut | None
    memberships: list[MembershipOut]


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
