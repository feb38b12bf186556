"""Outreach writes: permission, validation, audit row, one transaction each."""

from __future__ import annotations

import base64
import secrets
from collections.abc import Sequence
from contextlib import nullcontext
from datetime import date, time
from functools import cache
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django_countries import countries as all_countries
from django_countries.fields import CountryField

from approdi.accounts import notifications
from approdi.accounts.actor import Actor
from approdi.audit.models import Action
from approdi.audit.services import changed_fields, record, record_many
from approdi.core import bulk
from approdi.core.bulk import FieldRules
from approdi.core.permissions import ensure
from approdi.network.closing import check_open, ensure_may_write
from approdi.network.dates import check_activity, check_not_future
from approdi.network.models import Area, Organisation, Programme
from approdi.network.services import ensure_partners
from approdi.people.person_code import NotEnoughFacts, code_from_identifier

from . import selectors, tally
from .codes import DESK_SERVICES, STREET_SERVICES, Channel, Sector, TargetGroup
from .models import Contact, Material, OfflineKey, Outing, OutingMaterial, OutingSite, Referral

M = TypeVar("M", Contact, Referral)

COUNTRY_CODES = frozenset(code for code, _name in all_countries)
_DESK_SERVICES = frozenset(s.value for s in DESK_SERVICES)
_STREET_SERVICES = frozenset(s.value for s in STREET_SERVICES)


def _organisation(actor: Actor, organisation: Organisation | None) -> Organisation:
    """The organisation a record belongs to: the actor's own, or one in the actor's scope."""
    membership = actor.active_membership
    if organisation is None or organisation.pk == membership.organisation_id:
        return membership.organisation
    from approdi.accounts.scoping import visible_organisation_ids

    if organisation.pk not in visible_organisation_ids(membership):
        raise ValidationError({"organisation": [_("You cannot record for this organisation.")]})
    return organisation


def normalise_code(value: str) -> str:
    if not value or not value.strip():
        return ""
    try:
        return code_from_identifier(value)
    except NotEnoughFacts as error:
        raise ValidationError({"person_code": [str(error)]}) from None


@transaction.atomic
def create_outing(
    *,
    actor: Actor,
    team: str,
    date: date,
    shift: str,
    area: Area,
    start_time: time | None = None,
    end_time: time | None = None,
    notes: str = "",
    operators=(),
    sites: Sequence[tuple[str, int]] = (),
    materials: Sequence[tuple[Material, int]] = (),
    amend_reason: str = "",
) -> Outing:
    ensure(actor, "outreach.record_contact")
    membership = actor.active_membership
    ensure_partners(membership.programme, [membership.organisation])
    outing = Outing(
        programme=membership.programme,
        organisation=membership.organisation,
        team=team,
        date=date,
        shift=shift,
        area=area,
        start_time=start_time,
        end_time=end_time,
        notes=notes,
        created_by=actor,
    )
    outing.full_clean()
    check_activity(outing.date, programme=outing.programme)
    note = check_open(outing.date, programme=outing.programme, actor=actor, reason=amend_reason)
    if start_time and end_time and shift == "day" and end_time < start_time:
        raise ValidationError({"end_time": [_("A day outing ends after it starts.")]})
    outing.save()
    outing.operators.set(list(operators) or [actor])
    for name, people_seen in sites:
        save_site(actor=actor, outing=outing, name=name, people_seen=people_seen, audit=False)
    for material, quantity in materials:
        item = OutingMaterial(outing=outing, material=material, quantity=quantity)
        item.full_clean()
        item.save()
    record(actor=actor, action=Action.CREATE, obj=outing, fields=changed_fields(None, outing), reason=note)
    return outing


# The fields of an outing its team may still change once it is filed: when it ended and what they noted.
OUTING_EDITABLE = ("end_time", "notes")


@transaction.atomic
def finish_outing(
    *,
    actor: Actor,
    outing: Outing,
    changes: dict[str, Any],
    seen: dict[str, Any],
    amend_reason: str = "",
) -> list[str]:
    """Sets an outing's end time and notes, as a phone changed them offline: the server's version wins a collision.

    ``seen`` holds the values the phone had before its change. A field the server still has as the phone saw it
    takes the phone's value; one changed on the server meanwhile (by a colleague, another phone) keeps the
    server's. Returns the fields the server kept against the phone's change. The rules of ``create_outing``
    apply (the programme's activity, a closed period, a day outing ends after it starts).
    """
    ensure(actor, "outreach.record_contact")
    unknown = (set(changes) | set(seen)) - set(OUTING_EDITABLE)
    if unknown:
        raise TypeError(f"not editable outing fields: {sorted(unknown)}")
    outing = Outing.objects.select_for_update().get(pk=outing.pk)
    kept: list[str] = []
    applied: list[str] = []
    for name, value in changes.items():
        current = getattr(outing, name)
        if current == value:
            continue
        if current != seen[name]:  # KeyError: the phone must say what it saw of each field it changes
            kept.append(name)
            continue
        setattr(outing, name, value)
        applied.append(name)
    if not applied:
        return kept
    outing.full_clean()
    note = check_open(outing.date, programme=outing.programme, actor=actor, reason=amend_reason)
    if outing.start_time and outing.end_time and outing.shift == "day" and outing.end_time < outing.start_time:
        raise ValidationError({"end_time": [_("A day outing ends after it starts.")]})
    outing.save(update_fields=applied)
    record(actor=actor, action=Action.CHANGE, obj=outing, fields=applied, reason=note)
    return kept


def save_site(*, actor: Actor, outing: Outing, name: str, people_seen: int, audit: bool = True) -> OutingSite:
    ensure(actor, "outreach.record_contact")
    site = OutingSite.objects.filter(outing=outing, name__iexact=name.strip()).first() or OutingSite(outing=outing)
    site.name = name.strip()
    site.people_seen = people_seen
    site.full_clean(exclude=["outing"])
    with transaction.atomic():
        site.save()
        if audit:
            record(actor=actor, action=Action.CHANGE, obj=outing, fields=["sites"])
    return site


CONTACT_FIELDS = (
    "date",
    "area",
    "headcount",
    "person_code",
    "first_contact",
    "gender",
    "age_band",
    "nationality",
    "languages",
    "exploitation",
    "place_type",
    "services",
    "referred_to",
    "service_point",
    "access_channel",
    "language_used",
    "mediator",
    "sector",
    "target_group",
    "site",
)


@transaction.atomic
def record_contact(
    *, actor: Actor, channel: str, outing: Outing | None = None, organisation: Organisation | None = None, **data: Any
) -> Contact:
    """Records a contact (street, indoor) or a drop-in access. A group headcount is anonymous.

    The lead coordinator records one only as a correction of a closed period (``ensure_may_write``).
    """
    membership = actor.active_membership
    day = outing.date if outing is not None else data.get("date")
    ensure_may_write(actor, "outreach.record_contact", day=day, programme=membership.programme)
    if outing is not None:
        organisation = outing.organisation
    contact = build_contact(
        programme=membership.programme,
        organisation=_organisation(actor, organisation),
        channel=channel,
        outing=outing,
        created_by=actor,
        **data,
    )
    (contact,) = save_contacts(actor=actor, programme=membership.programme, contacts=[contact])
    return contact


def build_contact(
    *,
    programme: Programme,
    organisation: Organisation,
    channel: str,
    outing: Outing | None = None,
    created_by=None,
    amend_reason: str = "",
    **data: Any,
) -> Contact:
    """A contact checked against the rules of every contact, whoever files it (form, API, import); not saved yet.

    ``person_code`` is the identifier as given: it is turned into the network's code here.
    """
    unknown = set(data) - set(CONTACT_FIELDS)
    if unknown:
        raise TypeError(f"unknown contact fields: {sorted(unknown)}")
    if outing is not None:
        channel = Channel.STREET
        data.setdefault("date", outing.date)
        data.setdefault("area", outing.area)
    contact = _new(Contact)(
        programme=programme, organisation=organisation, channel=channel, outing=outing, created_by=created_by, **data
    )
    contact.person_code = normalise_code(contact.person_code)
    contact.services = sorted(set(contact.services or []))
    allowed = _DESK_SERVICES if channel == Channel.DROP_IN else _STREET_SERVICES
    if contact.services and set(contact.services) - allowed:
        raise ValidationError(
            {
                "services": [
                    _("Not a service of this channel: %(codes)s.")
                    % {"codes": ", ".join(sorted(set(contact.services) - allowed))}
                ]
            }
        )
    if contact.headcount is not None and contact.headcount < 1:
        raise ValidationError({"headcount": [_("At least one person.")]})
    if contact.headcount and contact.headcount > 1 and contact.person_code:
        raise ValidationError({"person_code": [_("A group of people is recorded without a person code.")]})
    check_labour_facts(contact)
    if contact.site is not None and contact.site.outing_id != getattr(outing, "pk", None):
        raise ValidationError({"site": [_("This site belongs to another outing.")]})
    check_activity(contact.date, programme=programme)
    contact.closed_note = check_open(contact.date, programme=programme, actor=created_by, reason=amend_reason)
    return contact


@cache
def _new(model: type[M]) -> bulk.New[M]:
    """``model(**values)``, prepared once: a file builds one record a row."""
    return bulk.New(model)


def check_labour_facts(record: Contact | Referral) -> None:
    """The labour desk's facts (seed 002), one rule for the forms, the API and the imports.

    The employment sector and the target group are known codes; of the contacts only a desk access carries them (a
    street or indoor contact is not where a job is told). Imports check the codes first (row and column); this
    catches what reaches the services by any other way.
    """
    errors: dict[str, list] = {}
    for name, codes in (("sector", Sector), ("target_group", TargetGroup)):
        value = getattr(record, name) or ""
        setattr(record, name, value)
        if value and value not in codes.values:
            errors[name] = [_("Unknown code: %(code)s.") % {"code": value}]
        elif value and isinstance(record, Contact) and record.channel != Channel.DROP_IN:
            errors[name] = [_("Only a desk access records the employment sector and the target group.")]
    if errors:
        raise ValidationError(errors)


def _mark_first_contacts(contacts: list[Contact]) -> None:
    """A contact whose first/repeat is not given is the first when the network has never met its code before.

    Inside a batch the earliest contact of a new code is its first (one query for the whole batch).
    """
    coded = [c for c in contacts if c.person_code]
    if not any(c.first_contact is None for c in coded):
        return
    met = selectors.known_codes(c.person_code for c in coded)
    for contact in sorted(
        coded, key=lambda c: c.date or date.max
    ):  # stable: the file's order among contacts of one day
        if contact.first_contact is None:
            contact.first_contact = contact.person_code not in met
        met.add(contact.person_code)


_BEFORE = (date.min, -1)  # the key of a code the network met before the file


class FirstContacts:
    """First contacts of a file saved in chunks, marked as if the whole file were one batch.

    The earliest contact of a code (by date, then the file's order) is its first unless the network met the code
    before the file. A later chunk may hold an earlier contact of a code than the one marked first in a chunk
    already saved: that one is then put right. Holds one key per code of the file, not its contacts.
    """

    def __init__(self) -> None:
        self.earliest: dict[str, tuple[date, int]] = {}
        self.marked: dict[str, Contact | int] = {}  # code -> the contact marked first (its id once saved)
        self.order = 0

    def mark(self, contacts: list[Contact]) -> list[int]:
        """Marks a chunk before it is saved; returns the ids of saved contacts that are no longer first."""
        coded = [c for c in contacts if c.person_code]
        new = {c.person_code for c in coded} - self.earliest.keys()
        for code in selectors.known_codes(new) if new else ():
            self.earliest[code] = _BEFORE
        keys = [(c.date or date.max, self.order + i) for i, c in enumerate(coded)]
        self.order += len(coded)
        unmarked: list[int] = []
        for key, contact in sorted(zip(keys, coded, strict=True), key=lambda pair: pair[0]):
            code = contact.person_code
            earliest = self.earliest.get(code)
            if earliest is not None and earliest < key:
                if contact.first_contact is None:
                    contact.first_contact = False
                continue
            self.earliest[code] = key
            before = self.marked.pop(code, None)
            if isinstance(before, int):
                unmarked.append(before)
            if contact.first_contact is None:
                contact.first_contact = True
                self.marked[code] = contact
        return unmarked

    def saved(self, contacts: list[Contact], unmarked: list[int]) -> None:
        """After the chunk is saved: its first contacts kept by id, the earlier ones put right."""
        for contact in contacts:
            if self.marked.get(contact.person_code) is contact:
                self.marked[contact.person_code] = contact.pk
        if unmarked:
            Contact.objects.filter(pk__in=unmarked).update(first_contact=False)


@transaction.atomic
def save_contacts(
    *, actor: Actor, programme: Programme, contacts: list[Contact], first_contacts: FirstContacts | None = None
) -> list[Contact]:
    """Files contacts built by ``build_contact``, one from a form or thousands from a file, by the same rules.

    Every organisation must be a current partner; ``first_contact`` is computed where not given (across the
    chunks of a file with ``first_contacts``); each contact is validated, and audited as created. ``actor`` None
    is the command line.
    """
    ensure_partners(programme, {c.organisation for c in contacts})
    if first_contacts is None:
        _mark_first_contacts(contacts)
        unmarked: list[int] = []
    else:
        unmarked = first_contacts.mark(contacts)
    for contact in contacts:
        _clean(contact)
    # Kept in step with the contacts by the database: the tally, row by row or, for many, one grouped statement.
    with tally.inserted_in_bulk() if len(contacts) >= tally.IN_BULK else nullcontext():
        saved = bulk.insert(contacts)
    if first_contacts is not None:
        first_contacts.saved(saved, unmarked)
    _audit_created(actor, saved)
    return saved


def _clean(obj: Contact | Referral) -> None:
    """Field validation of one record (``full_clean``'s), cheap enough for a file of 100,000: ``_rules``."""
    _rules(type(obj)).clean(obj)


@cache
def _rules(model: type[Contact] | type[Referral]) -> FieldRules:
    """The field rules of contacts and referrals, prepared once.

    Not asked of the database again, row by row: its check constraints (each is a rule of ``build_*`` or a
    choice that field validation checks) and its foreign keys (the services are given loaded records). Asked
    each time, they cost 11 queries a contact: 44 s for a file of 2,500.
    """
    fields = model._meta.concrete_fields
    # A country field rebuilds its 250 choices at every validation (7 ms a record): the same rule, one set.
    countries = {f.name: _country_rule(f) for f in fields if isinstance(f, CountryField)}
    return FieldRules(model, exclude=[f.name for f in fields if f.is_relation], special=countries)


def _country_rule(field):
    def check(obj) -> list[str]:
        # The stored code as given, not the ``Country`` its descriptor would build for every record.
        code = str(obj.__dict__.get(field.attname) or "")
        if code and code not in COUNTRY_CODES:
            return [field.error_messages["invalid_choice"] % {"value": code}]
        return []

    return check


def _audit_created(actor: Actor, saved: list) -> None:
    if len(saved) == 1:
        record(
            actor=actor,
            action=Action.CREATE,
            obj=saved[0],
            fields=changed_fields(None, saved[0]),
            reason=getattr(saved[0], "closed_note", ""),
        )
    else:
        # Rows of a file share their fields: each is audited, under the file's fields.
        record_many(actor=actor, action=Action.CREATE, objects=saved, fields=["import"], reason="import")


@transaction.atomic
def delete_contact(*, actor: Actor, contact: Contact) -> None:
    ensure(actor, "outreach.record_contact")
    record(actor=actor, action=Action.DELETE, obj=contact)
    contact.delete()


REFERRAL_FIELDS = (
    "date",
    "source_type",
    "referring_body",
    "person_code",
    "given_name",
    "family_name",
    "birth_date",
    "phone",
    "gender",
    "nationality",
    "exploitation",
    "urgency",
    "consent_to_share",
    "sector",
    "target_group",
    "notes",
)


@transaction.atomic
def record_referral(*, actor: Actor, organisation: Organisation | None = None, **data: Any) -> Referral:
    """A referral lands in the Ufficio Filtro's queue with status ``new``."""
    ensure(actor, "outreach.record_referral")
    membership = actor.active_membership
    referral = build_referral(
        programme=membership.programme, organisation=_organisation(actor, organisation), created_by=actor, **data
    )
    (referral,) = save_referrals(actor=actor, programme=membership.programme, referrals=[referral])
    return referral


def build_referral(
    *, programme: Programme, organisation: Organisation, created_by=None, amend_reason: str = "", **data: Any
) -> Referral:
    """A referral checked against the rules of every referral; ``person_code`` as given. Not saved yet."""
    unknown = set(data) - set(REFERRAL_FIELDS)
    if unknown:
        raise TypeError(f"unknown referral fields: {sorted(unknown)}")
    referral = _new(Referral)(programme=programme, organisation=organisation, created_by=created_by, **data)
    referral.person_code = normalise_code(referral.person_code)
    check_labour_facts(referral)
    check_activity(referral.date, programme=programme)
    referral.closed_note = check_open(referral.date, programme=programme, actor=created_by, reason=amend_reason)
    check_not_future(referral.birth_date, field="birth_date")
    return referral


@transaction.atomic
def save_referrals(*, actor: Actor, programme: Programme, referrals: list[Referral]) -> list[Referral]:
    """Files referrals built by ``build_referral`` (one or a file's worth): partners, validation, audit."""
    ensure_partners(programme, {r.organisation for r in referrals})
    for referral in referrals:
        _clean(referral)
    saved = bulk.insert(referrals)
    _audit_created(actor, saved)
    if saved:  # one message for a file's worth; a single referral's pseudonymous code, if it has one
        notifications.announce(
            kind="referral",
            programme_id=programme.pk,
            recipients=notifications.queue_office(programme),
            code=saved[0].person_code if len(saved) == 1 else "",
        )
    return saved


def offline_key(*, actor: Actor) -> str:
    """Her offline key (base64 of 32 random bytes), made the first time she asks for it (docs/offline.md).

    The outreach web app encrypts what waits on her phone under it. Made once per user and audited then; two
    pages asking at once make one key (the second insert fails and reads the first).
    """
    ensure(actor, "outreach.record_contact")
    kept = OfflineKey.objects.filter(user=actor).first()
    if kept is not None:
        return kept.key
    membership = actor.active_membership
    try:
        with transaction.atomic():
            kept = OfflineKey.objects.create(user=actor, key=base64.b64encode(secrets.token_bytes(32)).decode("ascii"))
            record(
                actor=actor,
                action=Action.CREATE,
                obj=kept,
                organisation_id=membership.organisation_id,
                programme_id=membership.programme_id,
            )
    except IntegrityError:
        kept = OfflineKey.objects.get(user=actor)
    return kept.key
