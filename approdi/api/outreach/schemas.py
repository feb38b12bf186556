"""Schemas of the outreach routes: the ``contacts`` and ``referrals`` columns of DESIGN.md §9, and more.

Input follows the import formats: codes are case-insensitive, dates are ``YYYY-MM-DD`` or
``DD/MM/YYYY``, an empty string is an omitted optional field, ``first_contact`` takes ``yes``/``no``
as well as ``true``/``false``. Unknown fields are refused rather than silently dropped.
"""

from datetime import date, datetime, time
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator, ConfigDict, StringConstraints
from pydantic_core import PydanticCustomError

from approdi.core.importing import DATE_FORMATS
from approdi.outreach.codes import (
    AccessChannel,
    AgeBand,
    Channel,
    Exploitation,
    Gender,
    PlaceType,
    Sector,
    Service,
    Shift,
    SourceType,
    TargetGroup,
    Urgency,
)
from approdi.outreach.models import MAX_HEADCOUNT

from ..common import Page, allowed, programme_code


def _blank_to_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


def _code(value: Any) -> Any:
    """A code as the import formats take it: case-insensitive, surrounding spaces ignored, empty = omitted."""
    value = _blank_to_none(value)
    return value.strip().lower() if isinstance(value, str) else value


def _reference(value: Any) -> Any:
    """The code of a record (organisation, area): looked up case-insensitively, empty = omitted."""
    value = _blank_to_none(value)
    return value.strip() if isinstance(value, str) else value


def _date(value: Any) -> Any:
    """``YYYY-MM-DD`` or ``DD/MM/YYYY``; never a number (pydantic would read it as a timestamp)."""
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        for fmt in DATE_FORMATS:
            try:
                return datetime.strptime(value.strip(), fmt).date()
            except ValueError:
                continue
    # The type starts with "date": errors.py answers "Enter a date as YYYY-MM-DD."
    raise PydanticCustomError("date_parsing", "Enter a date as YYYY-MM-DD or DD/MM/YYYY.")


def _local_time(value: time) -> time:
    """A time of day as the outing's team read it on a clock: an offset has no date to apply to."""
    if value.tzinfo is not None:
        raise PydanticCustomError("time_offset", "Give the local time, without a UTC offset.")
    return value


LocalTime = Annotated[time, AfterValidator(_local_time)]


def _headcount(value: Any) -> Any:
    return 1 if value is None or _blank_to_none(value) is None else value


def _services(value: Any) -> Any:
    if value is None:
        return []
    return [_code(v) for v in value] if isinstance(value, list) else value


def _country(value: Any) -> Any:
    value = _blank_to_none(value)
    if value is None:
        return ""
    return value.strip().upper() if isinstance(value, str) else value


def _text(value: Any) -> Any:
    return "" if value is None else value


ApiDate = Annotated[date, BeforeValidator(_date)]
OptionalDate = Annotated[date | None, BeforeValidator(lambda v: None if _blank_to_none(v) is None else _date(v))]
OptionalReference = Annotated[str | None, BeforeValidator(_reference)]
Reference = Annotated[str, BeforeValidator(_reference)]
OptionalText = Annotated[str, BeforeValidator(_text)]
YesNo = Annotated[bool | None, BeforeValidator(_code)]
Flag = Annotated[bool, BeforeValidator(lambda v: False if _code(v) is None else _code(v))]
Country = Annotated[str, BeforeValidator(_country)]
# The bounds before the validator: OpenAPI then shows them as minimum and maximum.
Headcount = Annotated[int, Field(ge=1, le=MAX_HEADCOUNT), BeforeValidator(_headcount)]
Services = Annotated[list[Service], BeforeValidator(_services)]


def _choice(choices):
    return Annotated[choices | None, BeforeValidator(_code)]


ChannelCode = _choice(Channel)


def _query_code(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


# Filters in a query string say what the document says: a code, or nothing at all. An empty value is refused
# (422), unlike a body field, where "" means omitted as in the import files.
ChannelFilter = Annotated[Channel | None, BeforeValidator(_query_code)]
QueryReference = Annotated[str, StringConstraints(min_length=1)] | None
GenderCode = _choice(Gender)
ExploitationCode = _choice(Exploitation)
AgeBandCode = _choice(AgeBand)
PlaceTypeCode = _choice(PlaceType)
AccessChannelCode = _choice(AccessChannel)
UrgencyCode = _choice(Urgency)
SectorCode = _choice(Sector)
TargetGroupCode = _choice(TargetGroup)


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

    programme: str = Field(..., description="Programme code; the request acts under the caller's membership in it.")
    date: ApiDate
    organisation: OptionalReference = Field(None, description="Organisation code; the caller's own when omitted.")


class ContactIn(AccessIn):
    """The ``contacts`` columns of DESIGN.md §9 plus ``programme``, and the optional richer fields."""

    channel: Annotated[Channel, BeforeValidator(_code)]


class OutingContactIn(_ContactFacts):
    """A street contact met during an outing: date and area default to the outing's."""

    programme: str = Field(..., description="Programme code of the outing.")
    date: OptionalDate = None
    site: OptionalText = Field("", description="Name of one of the outing's sites.")


class SiteIn(_In):
    name: Annotated[str, Field(min_length=1, max_length=120)]
    people_seen: Annotated[int, Field(ge=0)] = 0


class OutingIn(_In):
    programme: str = Field(..., description="Programme code; the outing belongs to the caller's organisation.")
    team: str
    date: ApiDate
    shift: Annotated[Shift, BeforeValidator(_code)]
    area: Reference = Field(..., description="Area code.")
    start_time: LocalTime | None = None
    end_time: LocalTime | None = None
    notes: OptionalText = ""
    sites: list[SiteIn] = Field(default_factory=list)
    materials: dict[str, Annotated[int, Field(ge=1)]] = Field(
        default_factory=dict, description="Quantity given out, by material code."
    )


class ReferralIn(_Person):
    """The ``referrals`` columns of DESIGN.md §9 plus ``programme``, and the optional richer fields."""

    programme: str = Field(..., description="Programme code; the request acts under the caller's membership in it.")
    date: ApiDate
    organisation: OptionalReference = Field(None, description="Organisation code; the caller's own when omitted.")
    source_type: Annotated[SourceType, BeforeValidator(_code)]
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


class ContactListOut(Page):
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


class ReferralListOut(Page):
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
