"""Keeping the directory and the protocols: the lead entity's coordinators, each change audited in one transaction.

Dates go through the project's date rules (approdi/network/dates.py): a protocol cannot be signed in the future.
The signed document is a PDF: bounded in size and recognised by its first bytes, whatever its name says.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from approdi.accounts.models import Membership, User
from approdi.audit.models import Action
from approdi.audit.services import changed_fields, record
from approdi.core.period import FIRST_YEAR, LAST_YEAR
from approdi.core.permissions import ensure
from approdi.network import dates
from approdi.network.models import Area, Organisation

from .models import Body, Obligation, Protocol, ProtocolDocument, Referent

if TYPE_CHECKING:
    from collections.abc import Iterable

    from approdi.accounts.actor import Actor

MANAGE = "directory.manage_directory"
MANAGE_PROTOCOLS = "directory.manage_protocols"
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
PDF_MAGIC = b"%PDF-"
BODY_FIELDS = ("name", "type", "organisation", "services", "address", "phone", "email", "website", "hours")


def _in_acting_programme(actor: Actor, programme_id: int) -> None:
    if actor.active_membership.programme_id != programme_id:
        raise PermissionDenied


@transaction.atomic
def save_body(
    *,
    actor: Actor,
    body: Body | None = None,
    name: str,
    type: str,
    organisation: Organisation | None = None,
    areas: Iterable[Area] = (),
    services: str = "",
    address: str = "",
    phone: str = "",
    email: str = "",
    website: str = "",
    hours: str = "",
    how_to_refer: str = "",
) -> Body:
    """Adds a body to the acting programme's directory, or changes ``body``."""
    ensure(actor, MANAGE)
    programme_id = actor.active_membership.programme_id
    before = None
    if body is None:
        body = Body(programme_id=programme_id)
    else:
        _in_acting_programme(actor, body.programme_id)
        before = Body.objects.get(pk=body.pk)
    body.name, body.type, body.organisation = name.strip(), type, organisation
    body.services, body.address, body.phone = services.strip(), address.strip(), phone.strip()
    body.email, body.website, body.hours = email.strip(), website.strip(), hours.strip()
    body.how_to_refer = how_to_refer.strip()
    if Body.objects.filter(programme_id=programme_id, name__iexact=body.name).exclude(pk=body.pk).exists():
        raise ValidationError({"name": [_("The directory has a body with this name already.")]})
    body.full_clean(exclude=["programme"])
    body.save()
    old_areas = set(before.areas.values_list("pk", flat=True)) if before else set()
    body.areas.set(areas)
    fields = changed_fields(before, body)
    if {a.pk for a in areas} != old_areas:
        fields.append("areas")
    record(actor=actor, action=Action.CREATE if before is None else Action.CHANGE, obj=body, fields=fields)
    return body


@transaction.atomic
def add_referent(
    *,
    actor: Actor,
    body: Body,
    name: str,
    role: str,
    phone: str = "",
    email: str = "",
    network_role: str = "",
    area: Area | None = None,
) -> Referent:
    """A professional or an office to contact at ``body``; an area referent names her area."""
    ensure(actor, MANAGE)
    _in_acting_programme(actor, body.programme_id)
    if not phone.strip() and not email.strip():
        raise ValidationError({"phone": [_("Give a phone number or an e-mail address.")]})
    if network_role == "area_referent" and area is None:
        raise ValidationError({"area": [_("An area referent needs the area.")]})
    referent = Referent(
        body=body,
        name=name.strip(),
        role=role.strip(),
        phone=phone.strip(),
        email=email.strip(),
        network_role=network_role,
        area=area,
    )
    referent.full_clean()
    referent.save()
    record(actor=actor, action=Action.CREATE, obj=referent, fields=changed_fields(None, referent))
    return referent


@transaction.atomic
def remove_referent(*, actor: Actor, referent: Referent) -> None:
    ensure(actor, MANAGE)
    _in_acting_programme(actor, referent.body.programme_id)
    record(actor=actor, action=Action.DELETE, obj=referent, fields=["name", "role", "phone", "email"])
    referent.delete()


def _check_signed_on(signed_on: date, valid_until: date | None) -> None:
    for field, day in (("signed_on", signed_on), ("valid_until", valid_until)):
        if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise ValidationError(
                {field: [_("Give a date between %(first)d and %(last)d.") % {"first": FIRST_YEAR, "last": LAST_YEAR}]}
            )
    dates.check_not_future(signed_on, field="signed_on")
    if valid_until is not None and valid_until < signed_on:
        raise ValidationError({"valid_until": [_("A protocol cannot expire before it is signed.")]})


def check_document(content: bytes) -> None:
    """A signed protocol is a PDF of at most ``MAX_DOCUMENT_BYTES``: its first bytes say so, not its name."""
    if len(content) > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            {"document": [_("The document is larger than %(mb)d MB.") % {"mb": MAX_DOCUMENT_BYTES // (1024 * 1024)}]}
        )
    if not content.startswith(PDF_MAGIC):
        raise ValidationError({"document": [_("The document is not a PDF file.")]})


def _document_name(name: str) -> str:
    name = name.replace("\\", "/").rsplit("/", 1)[-1].strip() or "protocol.pdf"
    return name[:200]


@transaction.atomic
def save_protocol(
    *,
    actor: Actor,
    protocol: Protocol | None = None,
    kind: str,
    title: str,
    subject: str,
    parties: Iterable[Body],
    signed_on: date,
    valid_until: date | None = None,
    document: bytes | None = None,
    document_name: str = "",
) -> Protocol:
    """Adds a protocol to the acting programme, or changes ``protocol``; a new document replaces the old one."""
    ensure(actor, MANAGE_PROTOCOLS)
    programme_id = actor.active_membership.programme_id
    parties = list(parties)
    if not parties:
        raise ValidationError({"parties": [_("Choose at least one party from the directory.")]})
    if any(party.programme_id != programme_id for party in parties):
        raise ValidationError({"parties": [_("Choose the parties from this programme's directory.")]})
    _check_signed_on(signed_on, valid_until)
    if document is not None:
        check_document(document)
    before = None
    if protocol is None:
        protocol = Protocol(programme_id=programme_id)
    else:
        _in_acting_programme(actor, protocol.programme_id)
        before = Protocol.objects.get(pk=protocol.pk)
    protocol.kind, protocol.title, protocol.subject = kind, title.strip(), subject.strip()
    protocol.signed_on, protocol.valid_until = signed_on, valid_until
    protocol.full_clean(exclude=["programme"])
    protocol.save()
    old_parties = set(before.parties.values_list("pk", flat=True)) if before else set()
    protocol.parties.set(parties)
    fields = changed_fields(before, protocol)
    if {p.pk for p in parties} != old_parties:
        fields.append("parties")
    if document is not None:
        ProtocolDocument.objects.update_or_create(
            protocol=protocol,
            defaults={
                "filename": _document_name(document_name),
                "content": document,
                "size": len(document),
                "uploaded_by": actor,
            },
        )
        fields.append("document")
    record(actor=actor, action=Action.CREATE if before is None else Action.CHANGE, obj=protocol, fields=fields)
    return protocol


def followers(*, actor: Actor) -> list[User]:
    """The users who may follow an obligation: those with a role in the acting programme."""
    ensure(actor, MANAGE_PROTOCOLS)
    ids = Membership.objects.acting().filter(programme_id=actor.active_membership.programme_id).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("first_name", "last_name", "username"))


@transaction.atomic
def add_obligation(*, actor: Actor, protocol: Protocol, description: str, followed_by: User) -> Obligation:
    ensure(actor, MANAGE_PROTOCOLS)
    _in_acting_programme(actor, protocol.programme_id)
    if followed_by.pk not in {u.pk for u in followers(actor=actor)}:
        raise ValidationError({"followed_by": [_("Choose a user with a role in this programme.")]})
    obligation = Obligation(protocol=protocol, description=description.strip(), followed_by=followed_by)
    obligation.full_clean()
    obligation.save()
    record(actor=actor, action=Action.CREATE, obj=obligation, fields=["description", "followed_by_id"])
    return obligation


@transaction.atomic
def remove_obligation(*, actor: Actor, obligation: Obligation) -> None:
    ensure(actor, MANAGE_PROTOCOLS)
    _in_acting_programme(actor, obligation.protocol.programme_id)
    record(actor=actor, action=Action.DELETE, obj=obligation, fields=["description", "followed_by_id"])
    obligation.delete()
