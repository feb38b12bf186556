"""How the outreach routes read a value: as the import files do.

Codes are case-insensitive, dates are ``YYYY-MM-DD`` or ``DD/MM/YYYY``, an empty string is an omitted
optional field, ``first_contact`` takes ``yes``/``no`` as well as ``true``/``false``. A filter in a query
string is stricter: a code, or nothing at all.
"""

from datetime import date, datetime, time
from typing import Annotated, Any

from ninja import Field
from pydantic import AfterValidator, BeforeValidator, StringConstraints
from pydantic_core import PydanticCustomError

from approdi.core.importing import DATE_FORMATS
from approdi.outreach.codes import (
    AccessChannel,
    AgeBand,
    Channel,
    Exploitation,
    PlaceType,
    Sector,
    Service,
    TargetGroup,
    Urgency,
)
from approdi.outreach.models import MAX_HEADCOUNT
from approdi.people.codes import Gender


def _blank_to_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


def as_code(value: Any) -> Any:
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
    return [as_code(v) for v in value] if isinstance(value, list) else value


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
YesNo = Annotated[bool | None, BeforeValidator(as_code)]
# Why a lead coordinator changes a closed period (approdi/network/closing.py); refused from anyone else there.
AmendReason = Annotated[
    str,
    BeforeValidator(_text),
    StringConstraints(max_length=500),
    Field(
        description="Only for a date in a closed period (approved funder report, ended edition): the lead "
        "entity's coordinator says why. Without it such a date is 409 closed_period or reason_required."
    ),
]
Flag = Annotated[bool, BeforeValidator(lambda v: False if as_code(v) is None else as_code(v))]
Country = Annotated[str, BeforeValidator(_country)]
# The bounds before the validator: OpenAPI then shows them as minimum and maximum.
Headcount = Annotated[int, Field(ge=1, le=MAX_HEADCOUNT), BeforeValidator(_headcount)]
Services = Annotated[list[Service], BeforeValidator(_services)]


def _choice(choices):
    return Annotated[choices | None, BeforeValidator(as_code)]


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
