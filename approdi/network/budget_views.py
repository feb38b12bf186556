"""The partners' budgets of the acting programme: the lead entity's coordinators and administrators set them."""

from __future__ import annotations

from decimal import Decimal
from typing import cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from approdi.core.forms import add_errors
from approdi.core.permissions import require_perm

from . import budgets


class BudgetForm(forms.Form):
    organisation = forms.ChoiceField(label=gettext_lazy("Organisation"))
    budget = forms.DecimalField(
        label=gettext_lazy("Budget (EUR)"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        localize=True,  # 1234,56 in Italian
        help_text=gettext_lazy("The share of the funder's grant allotted to the organisation."),
    )
    co_funding = forms.DecimalField(
        label=gettext_lazy("Co-funding (EUR)"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        localize=True,  # 1234,56 in Italian
        required=False,
        help_text=gettext_lazy("What the organisation covers with its own or other funds. Empty means none."),
    )

    def __init__(self, *args, rows: list[budgets.BudgetRow], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["organisation"]).choices = [("", "—")] + [
            (r.organisation.code, r.organisation.name) for r in rows
        ]


@login_required
def budget_page(request):
    require_perm(request, budgets.PERM)
    rows = budgets.budget_rows(actor=request.user)
    by_code = {r.organisation.code: r for r in rows}
    if request.method == "POST":
        form = BudgetForm(request.POST, rows=rows)
        if form.is_valid():
            data = form.cleaned_data
            try:
                budgets.save_budget(
                    actor=request.user,
                    organisation=by_code[data["organisation"]].organisation,
                    budget=data["budget"],
                    co_funding=data["co_funding"] or Decimal("0"),
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The budget of %(name)s has been saved.") % {"name": by_code[data["organisation"]].organisation},
                )
                # The page shows the partners' budgets against the programme's again, with any warning.
                return redirect("network:budgets")
    else:
        chosen = by_code.get(request.GET.get("organisation", ""))
        initial = {}
        if chosen is not None:
            initial = {"organisation": chosen.organisation.code}
            if chosen.budget is not None:
                initial |= {"budget": chosen.budget.budget, "co_funding": chosen.budget.co_funding}
        form = BudgetForm(initial=initial, rows=rows)
    programme = request.membership.programme
    return render(
        request,
        "network/budgets.html",
        {"programme": programme, "rows": rows, "form": form, "check": budgets.check(programme=programme)},
    )
