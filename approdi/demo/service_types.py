"""Demo reference list of services (prestazioni) with unit costs, and the partners' budgets of DA-2023.

Plausible figures for a territorial anti-trafficking project, invented for the demo: they are data,
never code. Loading is idempotent: rows are found by their codes and left as they are when present,
so a coordinator's later changes survive ``load_demo``.
"""

from __future__ import annotations

from decimal import Decimal

from django_scopes import scopes_disabled

from approdi.cases.models import ServiceType
from approdi.network.models import PartnerBudget, Programme

# code: (name, unit, unit cost in EUR). Demo cases record services by these codes.
SERVICE_TYPES: dict[str, tuple[str, str, str]] = {
    "interview": ("Colloquio di accoglienza e orientamento", "session", "35.00"),
    "medical_accompaniment": ("Accompagnamento a visita medica", "session", "45.00"),
    "legal_consultation": ("Consulenza legale", "hour", "60.00"),
    "psychological_session": ("Colloquio psicologico", "session", "50.00"),
    "ethnopsychiatric_session": ("Seduta di etnopsichiatria", "session", "80.00"),
    "mediation": ("Mediazione linguistico-culturale", "hour", "28.00"),
    "italian_lesson": ("Lezione di italiano L2", "hour", "22.00"),
    "job_search": ("Orientamento e accompagnamento al lavoro", "session", "40.00"),
    "internship_tutoring": ("Tutoraggio di tirocinio", "month", "150.00"),
    "housing_support": ("Accompagnamento all'autonomia abitativa", "session", "40.00"),
    "reception_day": ("Giornata di accoglienza residenziale", "day", "58.00"),
    "return_support": ("Supporto al rimpatrio volontario assistito", "lump_sum", "400.00"),
}

# DA-2023 (2,000,000 EUR from the funder): each organisation's share and its co-funding, in EUR.
# 40,000 EUR stay unallotted (coordination and evaluation), so the check has something to show.
BUDGETS_2023: dict[str, tuple[str, str]] = {
    "comune-milano": ("180000.00", "0.00"),
    "lotta-emarginazione": ("360000.00", "18000.00"),
    "farsi-prossimo": ("320000.00", "16000.00"),
    "somaschi": ("300000.00", "15000.00"),
    "lule-coop": ("220000.00", "11000.00"),
    "la-grande-casa": ("170000.00", "8500.00"),
    "ceas": ("160000.00", "8000.00"),
    "comunita-progetto": ("150000.00", "7500.00"),
    "lule-associazione": ("100000.00", "5000.00"),
}


def ensure_service_types(programme: Programme) -> dict[str, ServiceType]:
    """The programme's demo service types by code, created when missing (existing ones are left as they are)."""
    found: dict[str, ServiceType] = {}
    with scopes_disabled():  # demo loading acts for the whole network
        existing = {t.code: t for t in ServiceType.objects.filter(programme=programme, code__in=SERVICE_TYPES)}
        for code, (name, unit, cost) in SERVICE_TYPES.items():
            service_type = existing.get(code)
            if service_type is None:
                service_type = ServiceType(
                    programme=programme, code=code, name=name, unit=unit, unit_cost=Decimal(cost)
                )
                service_type.full_clean()
                service_type.save()
            found[code] = service_type
    return found


def ensure_budgets(programme: Programme, budgets: dict[str, tuple[str, str]]) -> int:
    """Budgets for the organisations named (those of the programme), created when missing; how many were created."""
    created = 0
    with scopes_disabled():
        organisations = {o.code: o for o in programme.partners.filter(code__in=budgets)}
        existing = set(PartnerBudget.objects.filter(programme=programme).values_list("organisation__code", flat=True))
        for code, (budget, co_funding) in budgets.items():
            if code in existing or code not in organisations:
                continue
            row = PartnerBudget(
                programme=programme,
                organisation=organisations[code],
                budget=Decimal(budget),
                co_funding=Decimal(co_funding),
            )
            row.full_clean()
            row.save()
            created += 1
    return created


def load(programme: Programme) -> int:
    """An edition's service list and budgets (DA-2023's figures); how many rows were created (0 on a second run)."""
    with scopes_disabled():
        before = ServiceType.objects.filter(programme=programme).count()
        ensure_service_types(programme)
        created = ServiceType.objects.filter(programme=programme).count() - before
    return created + ensure_budgets(programme, BUDGETS_2023)
