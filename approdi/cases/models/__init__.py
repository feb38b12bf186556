"""Case paths: the case and its team, the individual plan, services delivered, integration, legal support."""

from .break_glass import BreakGlass
from .case import Case, Note, Outcome, TeamMember, TeamRole, Transfer
from .delivery import ServiceDelivery, ServiceType, Unit
from .document import Document
from .integration import Activity, Contract, HousingOutcome, IntegrationKind, LanguageLevel
from .legal import DeadlineNotice, Hearing, LegalMatter, Permit, PermitType
from .onward import AssistedReturn, Continuation, ExternalTransfer
from .plan import Appointment, Domain, Goal, GoalProgress, GoalStatus, PlanAction, Review

__all__ = [
    "Activity",
    "Appointment",
    "AssistedReturn",
    "BreakGlass",
    "Case",
    "Continuation",
    "Contract",
    "DeadlineNotice",
    "Document",
    "Domain",
    "ExternalTransfer",
    "Goal",
    "GoalProgress",
    "GoalStatus",
    "Hearing",
    "HousingOutcome",
    "IntegrationKind",
    "LanguageLevel",
    "LegalMatter",
    "Note",
    "Outcome",
    "Permit",
    "PermitType",
    "PlanAction",
    "Review",
    "ServiceDelivery",
    "ServiceType",
    "TeamMember",
    "TeamRole",
    "Transfer",
    "Unit",
]
