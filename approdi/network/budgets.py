"""Partners' budgets: what the funder's grant allots to each organisation of a programme, and its co-funding.

The lead entity's coordinators (and administrators) set them; the reimbursement report
(``approdi.reports.reimbursement``) reads them beside the services each partner delivered.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from approdi.audit.models import Action
from approdi.audit.services import changed_fields, record
from approdi.core.permissions import ensure

from .models import Organisation, PartnerBudget, Programme

if TYPE_CHECKING:
    from approdi.accounts.actor import Actor

PERM = "network.manage_budgets"
ZERO = Decimal("0.00")


def euro(value: Decimal) -> str:
    """An amount in the reader's language, with thousands grouped: 1.234.567,89 € in Italian."""
    return f"{number_format(value, 2, force_grouping=True)} €"


@dataclass(frozen=True)
class BudgetCheck:
    """The partners' budgets (and co-funding) added up, beside the programme's totals."""

    budgets: Decimal
    co_funding: Decimal
    programme_budget: Decimal | None
    programme_co_funding: Decimal | None

    @property
    def warnings(self) -> list[str]:
        """What does not add up, in words a coordinator can act on. Empty when all is well."""
        found = []
        if self.programme_budget is None:
            if self.budgets:
                found.append(
                    _(
                        "The programme has no budget recorded, so the partners' budgets (%(sum)s) cannot be "
                        "checked against it."
                    )
                    % {"sum": euro(self.budgets)}
                )
        elif self.budgets > self.programme_budget:
            found.append(
                _(
                    "The partners' budgets add up to %(sum)s, %(over)s more than the programme's budget of "
                    "%(total)s. Lower one or more partners' budgets, or correct the programme's budget."
                )
                % {
                    "sum": euro(self.budgets),
                    "over": euro(self.budgets - self.programme_budget),
                    "total": euro(self.programme_budget),
                }
            )
        if self.programme_co_funding is not None and self.co_funding > self.programme_co_funding:
            found.append(
                _(
                    "The partners' co-funding adds up to %(sum)s, %(over)s more than the programme's co-funding "
                    "of %(total)s."
                )
                % {
                    "sum": euro(self.co_funding),
                    "over": euro(self.co_funding - self.programme_co_funding),
                    "total": euro(self.programme_co_funding),
                }
            )
        return found

    @property
    def unallocated(self) -> Decimal | None:
        """The programme's budget not yet given to any partner (negative when over-allocated)."""
        return None if self.programme_budget is None else self.programme_budget - self.budgets


def check(*, programme: Programme) -> BudgetCheck:
    """One query: the partners' sums beside the programme's totals."""
    sums = PartnerBudget.objects.filter(programme=programme).aggregate(
        budgets=Sum("budget", default=ZERO), co_funding=Sum("co_funding", default=ZERO)
    )
    return BudgetCheck(
        budgets=Decimal(sums["budgets"]).quantize(Decimal("0.01")),
        co_funding=Decimal(sums["co_funding"]).quantize(Decimal("0.01")),
        programme_budget=programme.budget,
        programme_co_funding=programme.co_funding,
    )


@dataclass(frozen=True)
class BudgetRow:
    organisation: Organisation
    budget: PartnerBudget | None


def budget_rows(*, actor: Actor) -> list[BudgetRow]:
    """Every organisation of the acting programme with its budget, if one is set (two queries)."""
    ensure(actor, PERM)
    programme = actor.active_membership.programme
    budgets = {b.organisation_id: b for b in PartnerBudget.objects.filter(programme=programme)}
    organisations = programme.partners.order_by("name")
    return [BudgetRow(organisation, budgets.get(organisation.pk)) for organisation in organisations]


def partner(*, actor: Actor, code: str) -> Organisation | None:
    """An organisation of the acting programme, by its code (None when it is not one of its partners)."""
    ensure(actor, PERM)
    return actor.active_membership.programme.partners.filter(code__iexact=code).first()


@transaction.atomic
def save_budget(
    *, actor: Actor, organisation: Organisation, budget: Decimal, co_funding: Decimal = ZERO
) -> tuple[PartnerBudget, BudgetCheck]:
    """Sets one partner's budget and co-funding for the acting programme.

    The partners' budgets may add up to more than the programme's: that is saved and reported in the
    returned check's warnings, so that a coordinator can enter budgets in any order.
    """
    ensure(actor, PERM)
    programme = actor.active_membership.programme
    if not programme.partners.filter(pk=organisation.pk).exists():
        raise ValidationError({"organisation": [_("Choose an organisation of this programme.")]})
    existing = PartnerBudget.objects.filter(programme=programme, organisation=organisation).first()
    before = copy.copy(existing) if existing is not None else None
    row = existing or PartnerBudget(programme=programme, organisation=organisation)
    row.budget, row.co_funding = budget, co_funding
    row.full_clean()
    row.save()
    record(
        actor=actor,
        action=Action.CHANGE if before is not None else Action.CREATE,
        obj=row,
        fields=[f for f in changed_fields(before, row) if f != "updated_at"],
    )
    return row, check(programme=programme)
