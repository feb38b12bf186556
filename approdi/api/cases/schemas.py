"""The answers of the case routes: the case, its team, plan, services, integration and legal records
(their bodies are in ``inputs.py``).

Codes are the models' choice values (``territorial``, ``art18_social``, ``autonomy`` …); people are
shown by their code only, staff by their username. Dates are ``YYYY-MM-DD``.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.utils import timezone
from ninja import Field, Schema

from approdi.cases.models import (
    Case,
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
    Transfer,
    Unit,
)

from ..common import Page, choice, programme_code

CaseStatus = choice(Case.Status)
CaseType = choice(Case.Type)
StatusFilter = choice(Case.Status, blank=True)


def _username(user) -> str | None:
    return user.username if user is not None else None


def _reads_legal(case, context) -> bool:
    """Permits and legal matters: the legal advisors, the case manager and the Ufficio Filtro; null for the rest."""
    return context["request"].user.has_perm("cases.view_legal", case)


def _today():
    # The day "My work" counted its deadlines from: the selector's default, in the same request.
    return timezone.localdate()


class CaseSummaryOut(Schema):
    id: int
    person_code: str
    programme: str
    type: CaseType
    status: CaseStatus
    start: date
    end: date | None
    outcome: choice(Outcome, blank=True)
    lead_organisation: str
    case_manager: str | None

    resolve_programme = staticmethod(programme_code)

    @staticmethod
    def resolve_person_code(c):
        return c.person.code

    @staticmethod
    def resolve_lead_organisation(c):
        return c.lead_organisation.code

    @staticmethod
    def resolve_case_manager(c):
        return _username(c.case_manager)


class CaseListOut(Page):
    items: list[CaseSummaryOut]


class SeatOut(Schema):
    id: int
    username: str
    name: str
    organisation: str
    role: choice(TeamRole)
    added_at: datetime

    @staticmethod
    def resolve_username(m):
        return m.user.username

    @staticmethod
    def resolve_name(m):
        return m.user.get_full_name()

    @staticmethod
    def resolve_organisation(m):
        return m.organisation.code


class ActionOut(Schema):
    id: int
    goal: int
    description: str
    owner: str
    due: date
    done_on: date | None

    @staticmethod
    def resolve_goal(a):
        return a.goal_id

    @staticmethod
    def resolve_owner(a):
        return a.owner.username


class GoalOut(Schema):
    id: int
    domain: choice(Domain)
    description: str
    status: choice(GoalStatus)
    actions: list[ActionOut]


class ProgressOut(Schema):
    goal: int
    status: choice(GoalStatus)
    note: str

    @staticmethod
    def resolve_goal(p):
        return p.goal_id


class ReviewOut(Schema):
    id: int
    date: date
    summary: str
    next_review: date | None
    reviewed_by: str
    progress: list[ProgressOut]

    @staticmethod
    def resolve_reviewed_by(r):
        return r.reviewed_by.username


class ServiceOut(Schema):
    id: int
    service_type: str
    name: str
    unit: choice(Unit)
    date: date
    duration_minutes: int | None
    quantity: Decimal
    unit_cost: Decimal
    amount: Decimal
    organisation: str
    operator: str

    @staticmethod
    def resolve_service_type(s):
        return s.service_type.code

    @staticmethod
    def resolve_name(s):
        return s.service_type.name

    @staticmethod
    def resolve_unit(s):
        return s.service_type.unit

    @staticmethod
    def resolve_organisation(s):
        return s.organisation.code

    @staticmethod
    def resolve_operator(s):
        return s.operator.username


class ActivityOut(Schema):
    id: int
    kind: choice(IntegrationKind)
    provider: str
    sector: str
    start: date
    end: date | None
    level: choice(LanguageLevel, blank=True)
    hours: int | None
    attendance_percent: int | None
    certificate: str
    hours_per_week: int | None
    monthly_allowance: Decimal | None
    paid_by: str
    contract: choice(Contract, blank=True)
    housing: choice(HousingOutcome, blank=True)
    completed: bool


class PermitOut(Schema):
    id: int
    type: choice(PermitType)
    status: choice(Permit.Status)
    application_date: date
    questura: str
    issue_date: date | None
    expiry: date | None
    previous: int | None
    change: choice(Permit.Change, blank=True)

    @staticmethod
    def resolve_previous(p):
        return p.previous_id


class HearingOut(Schema):
    id: int
    starts_at: datetime
    place: str
    note: str


class LegalMatterOut(Schema):
    id: int
    kind: choice(LegalMatter.Kind)
    date: date
    authority: str
    reference: str = Field(description="The case number of the proceeding.")
    status: choice(LegalMatter.Status)
    outcome: str
    hearings: list[HearingOut]


class AppointmentOut(Schema):
    id: int
    starts_at: datetime
    title: str
    place: str
    operator: str

    @staticmethod
    def resolve_operator(a):
        return a.operator.username


class TransferOut(Schema):
    id: int
    case: int
    person_code: str
    status: choice(Transfer.Status)
    from_organisation: str
    to_organisation: str
    to_user: str
    reason: str
    requested_at: datetime
    answer: str

    @staticmethod
    def resolve_case(t):
        return t.case_id

    @staticmethod
    def resolve_person_code(t):
        return t.case.person.code

    @staticmethod
    def resolve_from_organisation(t):
        return t.from_organisation.code

    @staticmethod
    def resolve_to_organisation(t):
        return t.to_organisation.code

    @staticmethod
    def resolve_to_user(t):
        return t.to_user.username


LEGAL_ONLY = "Only for the legal advisors, the case manager and the Ufficio Filtro; null for the rest of the team."


class CaseOut(CaseSummaryOut):
    team: list[SeatOut]
    goals: list[GoalOut]
    reviews: list[ReviewOut]
    services: list[ServiceOut]
    activities: list[ActivityOut]
    permits: list[PermitOut] | None = Field(description=LEGAL_ONLY)
    legal_matters: list[LegalMatterOut] | None = Field(description=LEGAL_ONLY)
    appointments: list[AppointmentOut]
    transfers: list[TransferOut]

    @staticmethod
    def resolve_team(c):
        return c.active_members

    @staticmethod
    def resolve_permits(c, context):
        return c.permits.all() if _reads_legal(c, context) else None

    @staticmethod
    def resolve_legal_matters(c, context):
        return c.legal_matters.all() if _reads_legal(c, context) else None


class NoteOut(Schema):
    id: int
    date: date
    domain: choice(Note.Domain)
    confidentiality: choice(Note.Confidentiality)
    author: str
    author_role: choice(TeamRole)
    text: str

    @staticmethod
    def resolve_author(n):
        return n.author.username


class ServiceTypeOut(Schema):
    code: str
    name: str
    unit: choice(Unit)
    unit_cost: Decimal
    active: bool


class DeadlineOut(Schema):
    kind: Literal["permit_expiry", "hearing"]
    object_id: int
    case: int
    person_code: str
    due: date
    label: str = Field(description="What falls due, in the caller's language.")
    days_left: int
    level: Literal[30, 14, 7, 0] | None = Field(
        description="The tightest alert reached (30, 14 or 7 days before), 0 on or after the day, null if further."
    )

    @staticmethod
    def resolve_case(d):
        return d.case.pk

    @staticmethod
    def resolve_person_code(d):
        return d.case.person.code

    @staticmethod
    def resolve_label(d):
        return str(d.what)

    @staticmethod
    def resolve_days_left(d):
        return d.days_left(_today())

    @staticmethod
    def resolve_level(d):
        return d.level(_today())


class MyAppointmentOut(AppointmentOut):
    case: int
    person_code: str

    @staticmethod
    def resolve_case(a):
        return a.case_id

    @staticmethod
    def resolve_person_code(a):
        return a.case.person.code


class MyHearingOut(HearingOut):
    case: int
    person_code: str
    matter: choice(LegalMatter.Kind)

    @staticmethod
    def resolve_case(h):
        return h.matter.case_id

    @staticmethod
    def resolve_person_code(h):
        return h.matter.case.person.code

    @staticmethod
    def resolve_matter(h):
        return h.matter.kind


class MyActionOut(ActionOut):
    case: int
    person_code: str

    @staticmethod
    def resolve_case(a):
        return a.case_id  # selectors.OverdueAction

    @staticmethod
    def resolve_person_code(a):
        return a.person_code


class ReviewDueOut(Schema):
    case: int
    person_code: str

    @staticmethod
    def resolve_case(c):
        return c.pk

    @staticmethod
    def resolve_person_code(c):
        return c.person.code


class MyWorkOut(Schema):
    today: date
    appointments: list[MyAppointmentOut]
    hearings_today: list[MyHearingOut]
    overdue_actions: list[MyActionOut]
    deadlines: list[DeadlineOut]
    transfers: list[TransferOut]
    reviews_due: list[ReviewDueOut]


# --- paths that leave the project -----------------------------------------------------------------------------
# Dates and steps only: the notes, IOM's reference and the follow-ups' text stay on the case page.


class ExternalTransferOut(Schema):
    id: int
    receiving_project: str
    sent_on: date
    answer: Literal["pending", "accepted", "refused"]  # ExternalTransfer.Answer
    answered_on: date | None
    arrived_on: date | None
    follow_up_due: date | None
    followed_up_on: date | None

    @staticmethod
    def resolve_receiving_project(t):
        return t.body.name


class AssistedReturnOut(Schema):
    id: int
    iom_office: str
    requested_on: date
    answer: Literal["pending", "accepted", "refused"]  # AssistedReturn.Answer
    answered_on: date | None
    documents_on: date | None
    departure_planned: date | None
    departed_on: date | None
    arrived_on: date | None
    reintegration_due: date | None
    reintegration_on: date | None
    withdrawn_on: date | None

    @staticmethod
    def resolve_iom_office(r):
        return r.body.name


class LinkedCaseOut(Schema):
    """The other case of a continuation: its id and its edition (open it in that edition)."""

    case: int
    programme: str
    day: date = Field(description="Her first day in the next edition.")


class CasePathsOut(Schema):
    external_transfers: list[ExternalTransferOut]
    assisted_returns: list[AssistedReturnOut]
    continued_from: LinkedCaseOut | None = Field(description="The case of the edition before that this one continues.")
    continued_in: LinkedCaseOut | None = Field(description="The case of the next edition this one continued in.")
