"""Services delivered and reimbursement (rendicontazione): what each partner delivered, and what it costs.

For a programme and a period: per organisation and service type, the units delivered and their
amount — the sum of quantity × the unit cost stored on each delivery (the cost agreed on the day
it was delivered, whatever the list says later) — beside the organisation's budget and co-funding.
"Spent" counts every service from the programme's start (or the period's, if earlier) to the period's
last day, so "remaining" is what the budget still holds after the period, whatever period is asked for.

Everything comes from two aggregate queries over the deliveries (organisation × service type, and
organisation × month) and one over the budgets. A partner's coordinator sees her organisation only;
the network-wide roles at the lead entity see every partner (``visible_organisation_ids``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, cast

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.http import Http404

from approdi.accounts.actor import Actor
from approdi.accounts.scoping import is_network_wide, visible_organisation_ids
from approdi.cases.models import ServiceDelivery, ServiceType
from approdi.core.period import Period
from approdi.core.permissions import ensure
from approdi.network.budgets import BudgetCheck
from approdi.network.models import Organisation, PartnerBudget, Programme
from approdi.reports.dashboard.selectors import months_of

PERM = "reports.view_reimbursement"
CENT = Decimal("0.01")
ZERO = Decimal("0.00")
# Sums wide enough for a whole programme, whatever the fields' own widths.
MONEY = DecimalField(max_digits=18, decimal_places=4)
UNITS = DecimalField(max_digits=14, decimal_places=2)
AMOUNT = ExpressionWrapper(F("quantity") * F("unit_cost"), output_field=MONEY)


def cents(value) -> Decimal:
    return Decimal(value or 0).quantize(CENT, rounding=ROUND_HALF_UP)


def percent(part: Decimal, whole: Decimal | None) -> Decimal | None:
    """``part`` as a percentage of ``whole`` with one decimal; None when there is nothing to compare with."""
    if not whole:
        return None
    return (part * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _bar_width(value: Decimal | None) -> int:
    """A progress bar's width (0–100); the text beside it says the real percentage."""
    return 0 if value is None else int(min(value, Decimal(100)))


@dataclass
class Line:
    """One service type: units and amount in the period (for one organisation, or for all)."""

    code: str
    name: str
    unit: str
    deliveries: int = 0
    units: Decimal = ZERO
    amount: Decimal = ZERO

    @property
    def unit_label(self) -> str:
        choices = cast(Iterable[tuple[str, str]], ServiceType._meta.get_field("unit").choices)
        return str(dict(choices).get(self.unit, self.unit))


@dataclass
class Partner:
    """One organisation: its services in the period, what it has spent so far, and its budget."""

    organisation_id: int
    code: str
    name: str
    lines: list[Line] = field(default_factory=list)
    amount: Decimal = ZERO  # in the period
    spent: Decimal = ZERO  # from ``Reimbursement.spent_from`` to the period's last day
    budget: Decimal | None = None  # None: no budget recorded
    co_funding: Decimal | None = None
    months: dict[date, Decimal] = field(default_factory=dict)

    @property
    def deliveries(self) -> int:
        return sum(line.deliveries for line in self.lines)

    @property
    def remaining(self) -> Decimal | None:
        return None if self.budget is None else self.budget - self.spent

    @property
    def spent_percent(self) -> Decimal | None:
        return percent(self.spent, self.budget)

    @property
    def period_percent(self) -> Decimal | None:
        return percent(self.amount, self.budget)

    @property
    def over_budget(self) -> bool:
        return self.budget is not None and self.spent > self.budget

    @property
    def bar_width(self) -> int:
        return _bar_width(self.spent_percent)


@dataclass
class Reimbursement:
    programme: Programme
    start: date
    end: date
    spent_from: date  # "spent" counts from here: the programme's start, or the period's if earlier
    whole_network: bool  # True: every partner of the programme; False: the user's organisation only
    partners: list[Partner]
    service_lines: list[Line]  # per service type, all organisations shown
    months: list[date]
    check: BudgetCheck | None  # the partners' budgets against the programme's (whole network only)

    @property
    def amount(self) -> Decimal:
        return sum((p.amount for p in self.partners), ZERO)

    @property
    def spent(self) -> Decimal:
        return sum((p.spent for p in self.partners), ZERO)

    @property
    def deliveries(self) -> int:
        return sum(p.deliveries for p in self.partners)

    @property
    def budget(self) -> Decimal | None:
        budgets = [p.budget for p in self.partners if p.budget is not None]
        return sum(budgets, ZERO) if budgets else None

    @property
    def co_funding(self) -> Decimal | None:
        values = [p.co_funding for p in self.partners if p.co_funding is not None]
        return sum(values, ZERO) if values else None

    @property
    def remaining(self) -> Decimal | None:
        budget = self.budget
        return None if budget is None else budget - self.spent

    @property
    def spent_percent(self) -> Decimal | None:
        return percent(self.spent, self.budget)

    @property
    def bar_width(self) -> int:
        return _bar_width(self.spent_percent)

    @property
    def month_totals(self) -> list[Decimal]:
        return [sum((p.months.get(m, ZERO) for p in self.partners), ZERO) for m in self.months]

    def month_rows(self) -> list[tuple[date, list[Decimal], Decimal]]:
        """(month, amount per partner in ``partners`` order, total) for the months of the period."""
        totals = self.month_totals
        return [
            (month, [p.months.get(month, ZERO) for p in self.partners], totals[i])
            for i, month in enumerate(self.months)
        ]


def _scope(actor: Actor) -> tuple[Programme, list[int], bool]:
    membership = actor.active_membership
    visible = visible_organisation_ids(membership)
    whole = is_network_wide(membership)
    return membership.programme, visible, whole


def _deliveries(programme: Programme, organisations: list[int]) -> QuerySet[ServiceDelivery]:
    return ServiceDelivery.objects.filter(case__programme=programme, organisation_id__in=organisations)


def reimbursement(*, actor: Actor, start: date, end: date) -> Reimbursement:
    """The services delivered in the period per organisation and type, against each budget."""
    ensure(actor, PERM)
    Period.of(start, end)
    programme, visible, whole = _scope(actor)
    spent_from = min(programme.start, start)
    in_period = Q(date__gte=start)
    by_type = (
        _deliveries(programme, visible)
        .filter(date__gte=spent_from, date__lte=end)
        .values(
            "organisation_id",
            "organisation__code",
            "organisation__name",
            "service_type__code",
            "service_type__name",
            "service_type__unit",
        )
        .annotate(
            deliveries=Count("id", filter=in_period),
            units=Sum("quantity", filter=in_period, output_field=UNITS),
            amount=Sum(AMOUNT, filter=in_period, output_field=MONEY),
            spent=Sum(AMOUNT, output_field=MONEY),
        )
        .order_by()
    )
    by_month = (
        _deliveries(programme, visible)
        .filter(date__gte=start, date__lte=end)
        .annotate(month=TruncMonth("date"))
        .values("organisation_id", "month")
        .annotate(amount=Sum(AMOUNT, output_field=MONEY))
        .order_by()
    )
    budgets = PartnerBudget.objects.filter(programme=programme, organisation_id__in=visible).values(
        "organisation_id", "organisation__code", "organisation__name", "budget", "co_funding"
    )

    partners: dict[int, Partner] = {}

    def partner_of(row: Mapping[str, Any]) -> Partner:
        key = row["organisation_id"]
        if key not in partners:
            partners[key] = Partner(key, row["organisation__code"], row["organisation__name"])
        return partners[key]

    if not whole:  # her own organisation, even before it has a budget or a service
        own = actor.active_membership.organisation
        partners[own.pk] = Partner(own.pk, own.code, own.name)
    for budget_row in budgets:
        found = partner_of(budget_row)
        found.budget, found.co_funding = cents(budget_row["budget"]), cents(budget_row["co_funding"])
    totals: dict[str, Line] = {}
    for row in by_type:
        found = partner_of(row)
        found.spent += cents(row["spent"])
        if not row["deliveries"]:  # delivered before the period only: counts in "spent"
            continue
        line = Line(
            code=row["service_type__code"],
            name=row["service_type__name"],
            unit=row["service_type__unit"],
            deliveries=row["deliveries"],
            units=cents(row["units"]),
            amount=cents(row["amount"]),
        )
        found.lines.append(line)
        found.amount += line.amount
        total = totals.setdefault(line.code, Line(line.code, line.name, line.unit))
        total.deliveries += line.deliveries
        total.units += line.units
        total.amount += line.amount
    for month_row in by_month:
        if month_row["organisation_id"] in partners:
            month = month_row["month"].date() if hasattr(month_row["month"], "date") else month_row["month"]
            partners[month_row["organisation_id"]].months[month] = cents(month_row["amount"])
    for found in partners.values():
        found.lines.sort(key=lambda line: line.name.lower())
    ordered = sorted(partners.values(), key=lambda p: p.name.lower())
    check = None
    if whole:
        check = BudgetCheck(
            budgets=sum((p.budget for p in ordered if p.budget is not None), ZERO),
            co_funding=sum((p.co_funding for p in ordered if p.co_funding is not None), ZERO),
            programme_budget=programme.budget,
            programme_co_funding=programme.co_funding,
        )
    return Reimbursement(
        programme=programme,
        start=start,
        end=end,
        spent_from=spent_from,
        whole_network=whole,
        partners=ordered,
        service_lines=sorted(totals.values(), key=lambda line: line.name.lower()),
        months=months_of(start, end),
        check=check,
    )


@dataclass
class Deliveries:
    """The deliveries behind one number of the report, as codes."""

    start: date
    end: date
    organisation: str  # code, or "" for every organisation the user sees
    organisation_name: str
    service: str  # code, or "" for every service type
    service_name: str
    rows: QuerySet  # dicts, ready to paginate
    count: int
    units: Decimal
    amount: Decimal


def deliveries(*, actor: Actor, start: date, end: date, organisation: str = "", service: str = "") -> Deliveries:
    """The services delivered in the period by one organisation (or all those the user sees), of one type or all.

    An organisation outside the user's scope, or a service type the programme does not have, answers 404
    exactly as one that does not exist.
    """
    ensure(actor, PERM)
    Period.of(start, end)
    programme, visible, _whole = _scope(actor)
    rows = _deliveries(programme, visible).filter(date__gte=start, date__lte=end)
    organisation_name = service_name = ""
    if organisation:
        found = Organisation.objects.filter(code=organisation, pk__in=visible).values_list("pk", "name").first()
        if found is None:
            raise Http404
        rows = rows.filter(organisation_id=found[0])
        organisation_name = found[1]
    if service:
        name = ServiceType.objects.filter(programme=programme, code=service).values_list("name", flat=True).first()
        if name is None:
            raise Http404
        service_name = name
        rows = rows.filter(service_type__code=service)
    totals = rows.aggregate(
        count=Count("id"), units=Sum("quantity", output_field=UNITS), amount=Sum(AMOUNT, output_field=MONEY)
    )
    listed = (
        rows.annotate(amount=AMOUNT)
        .values(
            "id",
            "date",
            "quantity",
            "unit_cost",
            "amount",
            "case_id",
            "case__person__code",
            "organisation__code",
            "service_type__code",
            "service_type__name",
        )
        .order_by("date", "id")
    )
    return Deliveries(
        start=start,
        end=end,
        organisation=organisation,
        organisation_name=organisation_name,
        service=service,
        service_name=service_name,
        rows=listed,
        count=totals["count"],
        units=cents(totals["units"]),
        amount=cents(totals["amount"]),
    )
