"""Schemas of the outreach routes: the ``contacts`` and ``referrals`` columns of DESIGN.md §9, and more.

Input follows the import formats (``fields.py``). Unknown fields are refused rather than silently dropped.
"""

from datetime import date, datetime, time
from typing import Annotated, Literal
from uuid import UUID

from ninja import Field, Schema
from pydantic import BeforeValidator, ConfigDict, StringConstraints

from approdi.outreach.codes import Channel, Shift, SourceType
from approdi.outreach.models import (
    MAX_HEADCOUNT,
    MAX_MATERIAL_KINDS,
    MAX_MATERIAL_QUANTITY,
    MAX_PEOPLE_SEEN,
    MAX_SITES,
    Outing,
)
from approdi.people.person_code import MAX_PHONE_PART

from ..common import CursorPage, Page, allowed, programme_code
from ..errors import ErrorBody
from .fields import (
    AccessChannelCode,
    AgeBandCode,
    AmendReason,
    ApiDate,
    Country,
    ExploitationCode,
    Flag,
    GenderCode,
    Headcount,
    LocalTime,
    OptionalDate,
    OptionalReference,
    OptionalText,
    PlaceTypeCode,
    Reference,
    SectorCode,
    Services,
    TargetGroupCode,
    UrgencyCode,
    YesNo,
    as_code,
)


class _In(Schema):
    model_config = ConfigDict(extra="forbid", use_enum_values=True)


class _Person(_In):
    """Columns shared by contacts and referrals."""

    person_code: OptionalText = Field("", description="Any identifier the network uses for the person (stored hashed).")
    gender: GenderCode = None
    nationality: Country = Field("", description="ISO 3166 alpha-2.")
    exploitation: ExploitationCode = None


class _ContactFacts(_Person):
    """A contact's columns except the channel, the organisation and the programme."""

    area: OptionalReference = Field(None, description="Area code, e.g. MI.")
    age_band: AgeBandCode = None
    first_contact: YesNo = Field(None, description="true/false or yes/no; when empty, computed from the person code.")
    headcount: Headcount = Field(
        1, description=f"People met at once, 1 to {MAX_HEADCOUNT}; more than 1 only without a person code."
    )
    languages: OptionalText = ""
    place_type: PlaceTypeCode = None
    services: Services = Field(default_factory=list)
    referred_to: OptionalText = ""
    service_point: OptionalText = ""
    access_channel: AccessChannelCode = None
    language_used: OptionalText = ""
    mediator: Flag = False


class AccessIn(_ContactFacts):
    """A drop-in or desk access: a contact of channel ``drop_in``."""

    sector: SectorCode = Field(None, description="The labour desk's employment sector; a desk access only.")
    target_group: TargetGroupCode = Field(None, description="The labour desk's target group; a desk access only.")
    programme: str = Field(..., description="Programme code; the request acts under the caller's membership in it.")
    date: ApiDate
    organisation: OptionalReference = Field(None, description="Organisation code; the caller's own when omitted.")
    amend_reason: AmendReason = ""


class ContactIn(AccessIn):
    """The ``contacts`` columns of DESIGN.md §9 plus ``programme``, and the optional richer fields."""

    channel: Annotated[Channel, BeforeValidator(as_code)]


class OutingContactIn(_ContactFacts):
    """A street contact met during an outing: date and area default to the outing's."""

    programme: str = Field(..., description="Programme code of the outing.")
    date: OptionalDate = None
    site: OptionalText = Field("", description="Name of one of the outing's sites.")
    amend_reason: AmendReason = ""


class SiteIn(_In):
    name: Annotated[str, Field(min_length=1, max_length=120)]
    people_seen: Annotated[int, Field(ge=0, le=MAX_PEOPLE_SEEN)] = 0


class _OutingFacts(_In):
    """An outing's columns except the programme: ``POST /outings`` and the sync's outing record both take them."""

    team: Annotated[str, Field(min_length=1, max_length=Outing._meta.get_field("team").max_length)]
    date: ApiDate
    shift: Annotated[Shift, BeforeValidator(as_code)]
    area: Reference = Field(..., description="Area code.")
    start_time: LocalTime | None = None
    end_time: LocalTime | None = None
    notes: OptionalText = ""
    sites: list[SiteIn] = Field(default_factory=list, max_length=MAX_SITES)
    materials: dict[str, Annotated[int, Field(ge=1, le=MAX_MATERIAL_QUANTITY)]] = Field(
        default_factory=dict, max_length=MAX_MATERIAL_KINDS, description="Quantity given out, by material code."
    )
    amend_reason: AmendReason = ""


class OutingIn(_OutingFacts):
    programme: str = Field(..., description="Programme code; the outing belongs to the caller's organisation.")


class _ReferralFacts(_Person):
    """A referral's columns except the programme."""

    date: ApiDate
    organisation: OptionalReference = Field(None, description="Organisation code; the caller's own when omitted.")
    source_type: Annotated[SourceType, BeforeValidator(as_code)]
    referring_body: OptionalText = ""
    urgency: UrgencyCode = None
    consent_to_share: Flag = False
    sector: SectorCode = None
    target_group: TargetGroupCode = None
    given_name: OptionalText = ""
    family_name: OptionalText = ""
    birth_date: OptionalDate = None
    phone: OptionalText = ""
    notes: OptionalText = ""
    amend_reason: AmendReason = ""


class ReferralIn(_ReferralFacts):
    """The ``referrals`` columns of DESIGN.md §9 plus ``programme``, and the optional richer fields."""

    programme: str = Field(..., description="Programme code; the request acts under the caller's membership in it.")


class ContactOut(Schema):
    id: int
    programme: str
    organisation: str
    channel: str
    date: date
    area: str | None
    outing: int | None
    site: str | None
    headcount: int
    person_code: str
    first_contact: bool | None
    gender: str
    age_band: str
    nationality: str
    languages: str
    exploitation: str
    place_type: str
    services: list[str]
    referred_to: str
    service_point: str
    access_channel: str
    language_used: str
    mediator: bool
    sector: str
    target_group: str
    created_at: datetime

    resolve_programme = staticmethod(programme_code)

    @staticmethod
    def resolve_organisation(c):
        return c.organisation.code

    @staticmethod
    def resolve_area(c):
        return c.area.code if c.area_id else None

    @staticmethod
    def resolve_outing(c):
        return c.outing_id

    @staticmethod
    def resolve_site(c):
        return c.site.name if c.site_id else None

    @staticmethod
    def resolve_nationality(c):
        return c.nationality.code or ""

    @staticmethod
    def resolve_services(c):
        return list(c.services or [])


class ContactListOut(CursorPage):
    items: list[ContactOut]


class OutingOut(Schema):
    id: int
    programme: str
    organisation: str
    team: str
    date: date
    shift: str
    start_time: time | None
    end_time: time | None
    area: str
    people: int = Field(..., description="Sum of the headcounts of the outing's contacts.")

    resolve_programme = staticmethod(programme_code)

    @staticmethod
    def resolve_organisation(o):
        return o.organisation.code

    @staticmethod
    def resolve_area(o):
        return o.area.code

    @staticmethod
    def resolve_people(o):
        return o.people or 0  # annotated by the selector, or set from the totals on the detail


class OutingListOut(Page):
    items: list[OutingOut]


class SiteOut(Schema):
    id: int
    name: str
    people_seen: int


class OutingDetailOut(OutingOut):
    notes: str
    operators: list[str]
    sites: list[SiteOut]
    materials: dict[str, int] = Field(..., description="Quantity given out, by material code.")
    contacts: int = Field(
        ..., description="Contacts: the sum of the headcounts (a group of five met at once counts five), as in §9."
    )
    records: int = Field(..., description="Contact records filed for the outing (a group is one record).")

    @staticmethod
    def resolve_operators(o):
        return [user.username for user in o.operators.all()]

    @staticmethod
    def resolve_materials(o):
        return {item.material.code: item.quantity for item in o.materials.all()}

    @staticmethod
    def resolve_contacts(o):
        return o.people or 0  # "contacts" is the §9 figure everywhere: the sum of the headcounts


def _for_the_filtro(context, value):
    """A field only the Ufficio Filtro reads: absent (not null) for the other roles."""
    if not allowed(context, "outreach.view_referral_identity"):
        raise AttributeError  # missing: the field stays unset, and the routes leave unset fields out
    return value


def _identity(r, field: str):
    """Only what the selector loaded, which it does (and audits) for ``GET /referrals/{id}`` alone."""
    if field in r.get_deferred_fields():
        raise AttributeError(field)
    return getattr(r, field)


class ReferralOut(Schema):
    """What the referring organisation sees: date, source, person code, status and outcome.

    The Ufficio Filtro also gets the other fields; identity fields only on ``GET /referrals/{id}``,
    whose reading is audited. Fields a caller may not see are absent, not null.
    """

    id: int
    date: date
    source_type: str
    person_code: str
    status: str
    outcome: str
    organisation: str | None = None
    referring_body: str | None = None
    gender: str | None = None
    nationality: str | None = None
    exploitation: str | None = None
    urgency: str | None = None
    consent_to_share: bool | None = None
    sector: str | None = None
    target_group: str | None = None
    created_at: datetime | None = None
    given_name: str | None = None
    family_name: str | None = None
    birth_date: date | None = None
    phone: str | None = None
    notes: str | None = None

    @staticmethod
    def resolve_organisation(r, context):
        return _for_the_filtro(context, r.organisation.code)

    @staticmethod
    def resolve_referring_body(r, context):
        return _for_the_filtro(context, r.referring_body)

    @staticmethod
    def resolve_gender(r, context):
        return _for_the_filtro(context, r.gender)

    @staticmethod
    def resolve_nationality(r, context):
        return _for_the_filtro(context, r.nationality.code or "")

    @staticmethod
    def resolve_exploitation(r, context):
        return _for_the_filtro(context, r.exploitation)

    @staticmethod
    def resolve_urgency(r, context):
        return _for_the_filtro(context, r.urgency)

    @staticmethod
    def resolve_consent_to_share(r, context):
        return _for_the_filtro(context, r.consent_to_share)

    @staticmethod
    def resolve_sector(r, context):
        return _for_the_filtro(context, r.sector)

    @staticmethod
    def resolve_target_group(r, context):
        return _for_the_filtro(context, r.target_group)

    @staticmethod
    def resolve_created_at(r, context):
        return _for_the_filtro(context, r.created_at)

    @staticmethod
    def resolve_given_name(r):
        return _identity(r, "given_name")

    @staticmethod
    def resolve_family_name(r):
        return _identity(r, "family_name")

    @staticmethod
    def resolve_birth_date(r):
        return _identity(r, "birth_date")

    @staticmethod
    def resolve_phone(r):
        return _identity(r, "phone")

    @staticmethod
    def resolve_notes(r):
        return _identity(r, "notes")


class ReferralListOut(CursorPage):
    items: list[ReferralOut]


class TotalsOut(Schema):
    contacts: int = Field(..., description="Sum of headcounts.")
    people: int = Field(..., description="Distinct person codes.")
    anonymous: int = Field(..., description="Sum of headcounts without a person code.")
    first: int
    repeat: int


class ByChannelOut(Schema):
    channel: str
    contacts: int
    people: int


class ByGenderOut(Schema):
    gender: str
    contacts: int
    people: int


class ByNationalityOut(Schema):
    nationality: str
    contacts: int
    people: int


class ByExploitationOut(Schema):
    exploitation: str
    contacts: int
    people: int


class FiguresOut(Schema):
    street_contacts: int
    indoor_contacts: int
    low_threshold_accesses: int
    persons_referred_by_bodies: int


class CountsOut(Schema):
    programme: str
    date_from: date = Field(..., alias="from")
    date_to: date = Field(..., alias="to")
    totals: TotalsOut
    by_channel: list[ByChannelOut]
    by_gender: list[ByGenderOut]
    by_nationality: list[ByNationalityOut]
    by_exploitation: list[ByExploitationOut]
    figures: FiguresOut = Field(..., description="The four outreach figures of the funder summary (DESIGN.md §9).")


# --- POST /outreach/sync: what an app recorded offline, sent in order --------------------------------------

# A night's outing is a few dozen records; an app with more waiting sends them in several batches, in order.
MAX_SYNC_RECORDS = 200
MAX_ID = 2**63 - 1  # the largest id a database holds: a larger one would overflow its integers (a 500)

SyncKey = Annotated[
    UUID,
    Field(description="The app's idempotency key of this record (a UUID it made): sent again, it is stored once."),
]
PhonePart = Annotated[
    str,
    BeforeValidator(lambda value: "" if value is None else value),
    StringConstraints(max_length=MAX_PHONE_PART),
    Field(
        description="The person code as the app computed it offline, without the server's key "
        "(docs/person-code.md): the server finishes it. Instead of ``person_code``."
    ),
]


class _Synced(_In):
    key: SyncKey


class _OnOuting(_Synced):
    outing: Annotated[int, Field(ge=1, le=MAX_ID)] | None = Field(None, description="Id of an outing already stored.")
    outing_key: UUID | None = Field(
        None, description="The key of the ``outing`` record that stored the outing, in this batch or an earlier one."
    )


class SyncOutingIn(_Synced, _OutingFacts):
    """A street unit's outing, as ``POST /outings``; its answer says the end time and notes the server has."""

    kind: Literal["outing"]


class SyncOutingUpdateIn(_OnOuting):
    """The outing's end time and notes as the app changed them; ``seen_*`` are the values it had before.

    Only the fields the record names are changed (an app that does not hold the notes sends ``end_time`` and
    ``seen_end_time`` alone). A field the server still has as the app saw it takes the app's value; one changed on
    the server meanwhile keeps the server's (the server's version wins): the record is ``stored`` all the same,
    and its answer's ``outing`` says what the server has and, in ``kept``, which of the fields sent it did not
    take, so that the app shows her value beside the server's.
    """

    kind: Literal["outing_update"]
    end_time: LocalTime | None = None
    notes: OptionalText = ""
    seen_end_time: LocalTime | None = None
    seen_notes: OptionalText = ""
    amend_reason: AmendReason = ""


class SyncSiteIn(_OnOuting):
    """A site visited during the outing, with the people seen there (the site of that name is updated)."""

    kind: Literal["site"]
    name: Annotated[str, Field(min_length=1, max_length=120)]
    people_seen: Annotated[int, Field(ge=0, le=MAX_PEOPLE_SEEN)] = 0


class SyncContactIn(_OnOuting, _ContactFacts):
    """A contact, or a group met at once (``headcount`` > 1, anonymous).

    On an outing (``outing`` or ``outing_key``): a street contact, as ``POST /outings/{id}/contacts``. Without
    one: as ``POST /contacts``, with ``channel`` and ``date``.
    """

    kind: Literal["contact"]
    channel: Annotated[Channel | None, BeforeValidator(as_code)] = None
    date: OptionalDate = None
    organisation: OptionalReference = Field(None, description="Without an outing: the organisation code.")
    site: OptionalText = Field("", description="Name of one of the outing's sites.")
    person_part: PhonePart = ""
    amend_reason: AmendReason = ""


class SyncReferralIn(_Synced, _ReferralFacts):
    """A referral, as ``POST /referrals``."""

    kind: Literal["referral"]
    person_part: PhonePart = ""


SyncRecordIn = Annotated[
    SyncOutingIn | SyncOutingUpdateIn | SyncSiteIn | SyncContactIn | SyncReferralIn,
    Field(discriminator="kind"),
]


class SyncIn(_In):
    programme: str = Field(..., description="Programme code; every record is stored under the caller's membership.")
    records: list[SyncRecordIn] = Field(
        ...,
        max_length=MAX_SYNC_RECORDS,
        description=f"At most {MAX_SYNC_RECORDS} records, in the order they were made: an outing before its contacts.",
    )


class OutingStateOut(Schema):
    end_time: time | None
    notes: str
    kept: list[str] = Field(
        ...,
        description="Fields the record sent whose value on the server differs from the record's: the server's "
        "version won (changed there since the app read it).",
    )


class SyncResultOut(Schema):
    key: UUID
    kind: str
    status: Literal["stored", "already_stored", "refused"] = Field(
        ..., description="``already_stored``: the key was seen before; ``id`` is the record stored then."
    )
    id: int | None = Field(None, description="The stored record's id (the outing's for ``outing_update``).")
    outing: OutingStateOut | None = Field(
        None, description="For ``outing`` and ``outing_update``: what the server has."
    )
    error: ErrorBody | None = Field(None, description="Why the record was refused; nothing of it was stored.")


class SyncOut(Schema):
    programme: str
    results: list[SyncResultOut] = Field(..., description="One answer per record, in the order they were sent.")
