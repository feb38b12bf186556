"""The bodies of the case routes. Unknown fields are refused rather than ignored; a date and time without an
offset is read in the programme's time zone."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from django.utils import timezone
from ninja import Field, Schema
from pydantic import AfterValidator, ConfigDict

from approdi.cases.models import (
    Contract,
    Domain,
    GoalStatus,
    HousingOutcome,
    IntegrationKind,
    LanguageLevel,
    LegalMatter,
    Note,
    Outcome,
    Permit,
    PermitType,
    TeamRole,
)

from ..common import choice
from .schemas import CaseStatus


def _aware(value: datetime) -> datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value


When = Annotated[datetime, AfterValidator(_aware)]
Username = Annotated[str, Field(min_length=1, max_length=150)]


class _In(Schema):
    model_config = ConfigDict(extra="forbid")

    programme: str | None = Field(None, description="The programme to act under (default: the newest membership).")


class AssignIn(_In):
    case_manager: Username


class SeatIn(_In):
    user: Username
    role: choice(TeamRole)


class TransferIn(_In):
    to_user: Username
    reason: str = Field(min_length=1)


class AnswerIn(_In):
    answer: str = ""


class StatusIn(_In):
    status: CaseStatus


class CloseIn(_In):
    date: date
    outcome: choice(Outcome)


class NoteIn(_In):
    date: date
    text: str = Field(min_length=1)
    domain: choice(Note.Domain) = "general"
    confidentiality: choice(Note.Confidentiality) = "team"


class GoalIn(_In):
    domain: choice(Domain)
    description: str = Field(min_length=1, max_length=300)


class ActionIn(_In):
    description: str = Field(min_length=1, max_length=300)
    owner: Username
    due: date


class DoneIn(_In):
    date: date


class ProgressIn(Schema):
    model_config = ConfigDict(extra="forbid")

    goal: int
    status: choice(GoalStatus)
    note: str = Field("", max_length=500)


class ReviewIn(_In):
    date: date
    summary: str = Field(min_length=1)
    next_review: date | None = None
    progress: list[ProgressIn] = []


class AppointmentIn(_In):
    starts_at: When
    title: str = Field(min_length=1, max_length=200)
    place: str = Field("", max_length=200)
    operator: Username | None = Field(None, description="Username of a team member (default: the caller).")


class ServiceIn(_In):
    service_type: str = Field(min_length=1, description="The code of a line of the programme's list.")
    date: date
    quantity: Decimal = Field(Decimal(1), gt=0, max_digits=7, decimal_places=2)
    duration_minutes: int | None = Field(None, ge=0)
    amend_reason: str = Field(
        "", max_length=500, description="Why the lead entity's coordinator records a service in a closed period."
    )


class _ActivityFields(_In):
    provider: str = Field("", max_length=200)
    sector: str = Field("", max_length=100)
    end: date | None = None
    level: choice(LanguageLevel, blank=True) = ""
    hours: int | None = Field(None, ge=0)
    attendance_percent: int | None = Field(None, ge=0, le=100)
    certificate: str = Field("", max_length=200)
    hours_per_week: int | None = Field(None, ge=0)
    monthly_allowance: Decimal | None = Field(None, ge=0, max_digits=8, decimal_places=2)
    paid_by: str = Field("", max_length=200)
    contract: choice(Contract, blank=True) = ""
    housing: choice(HousingOutcome, blank=True) = ""
    completed: bool = False


class ActivityIn(_ActivityFields):
    kind: choice(IntegrationKind)
    start: date


class ActivityPatch(_ActivityFields):
    """Only the fields sent are changed."""

    start: date | None = None


class PermitIn(_In):
    type: choice(PermitType)
    application_date: date
    questura: str = Field(min_length=1, max_length=100)
    previous: int | None = Field(None, description="The permit this one renews or converts.")
    change: choice(Permit.Change, blank=True) = Field(
        "", description="Default: renewal for the same type, else conversion."
    )


class IssueIn(_In):
    issue_date: date
    expiry: date


class LegalMatterIn(_In):
    kind: choice(LegalMatter.Kind)
    date: date
    authority: str = Field(min_length=1, max_length=200)
    reference: str = ""


class CloseMatterIn(_In):
    outcome: str = Field("", max_length=300)


class HearingIn(_In):
    starts_at: When
    place: str = Field(min_length=1, max_length=200)
    note: str = Field("", max_length=300)
