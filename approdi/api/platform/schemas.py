"""Schemas of the caller's own account and of the audit log."""

from datetime import datetime

from ninja import Schema

from approdi.accounts.scoping import memberships_of


class MembershipOut(Schema):
    programme: str
    organisation: str
    role: str

    @staticmethod
    def resolve_programme(m):
        return m.programme.code

    @staticmethod
    def resolve_organisation(m):
        return m.organisation.code


class MeOut(Schema):
    username: str
    active: MembershipOut | None
    memberships: list[MembershipOut]

    @staticmethod
    def resolve_active(user, context):
        return context["request"].membership

    @staticmethod
    def resolve_memberships(user):
        return memberships_of(user)


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

    @staticmethod
    def resolve_username(e):
        return e.actor_username
