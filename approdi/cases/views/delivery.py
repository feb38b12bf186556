"""Services delivered to a person, and the programme's reference list of service types."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from approdi.core.forms import amend_reason, offer_amend_reason
from approdi.core.permissions import require_perm

from .. import selectors
from ..forms.delivery import ServiceForm, ServiceTypeForm
from ..services import delivery as delivery_services
from ..templatetags.case_paths import service_totals
from ._common import WORK, case_for_action, load_case, section, write


@login_required
def service_add(request, pk: int):
    case = case_for_action(request, pk, WORK)
    types = selectors.service_types(actor=request.user).filter(active=True, programme_id=case.programme_id)
    form = ServiceForm(request.POST or None, service_types=types, initial={"day": timezone.localdate()})
    offer_amend_reason(form, request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if write(
            form,
            delivery_services.record_service,
            actor=request.user,
            case=case,
            service_type=data["service_type"],
            day=data["day"],
            quantity=data["quantity"],
            duration_minutes=data["duration_minutes"],
            reason=amend_reason(form),
        ):
            messages.success(request, _("Service recorded."))
            return redirect(section(case, "services"))
    return render(
        request,
        "cases/service_form.html",
        {"case": case, "form": form, "types": types, "back": section(case, "services")},
    )


@login_required
def service_list(request, pk: int):
    case = load_case(request, pk, WORK)
    services = case.services.all()
    rows, total = service_totals(services)
    return render(
        request,
        "cases/service_list.html",
        {"case": case, "services": services, "rows": rows, "total": total, "back": section(case, "services")},
    )


# The programme's reference list of service types ---------------------------------------------------

MANAGE_TYPES = "cases.manage_service_types"


@login_required
def service_types(request):
    require_perm(request, MANAGE_TYPES)
    types = selectors.service_types(actor=request.user)
    form = ServiceTypeForm(request.POST or None, existing=types)
    if (
        request.method == "POST"
        and form.is_valid()
        and write(
            form,
            delivery_services.save_service_type,
            actor=request.user,
            programme=request.user.active_membership.programme,
            **form.cleaned_data,
        )
    ):
        messages.success(request, _("Service added to the list."))
        return redirect("cases:service_types")
    return render(request, "cases/service_types.html", {"types": types, "form": form})


@login_required
def service_type_edit(request, pk: int):
    require_perm(request, MANAGE_TYPES)
    found = get_object_or_404(selectors.service_types(actor=request.user), pk=pk)
    form = ServiceTypeForm(request.POST or None, instance=found)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if write(
            form,
            delivery_services.save_service_type,
            actor=request.user,
            programme=found.programme,
            code=found.code,
            name=data["name"],
            unit=data["unit"],
            unit_cost=data["unit_cost"],
            active=found.active,
        ):
            messages.success(request, _("Saved. Services recorded before keep their unit cost."))
            return redirect("cases:service_types")
    return render(request, "cases/service_type_form.html", {"form": form, "service_type": found})


@login_required
@require_POST
def service_type_active(request, pk: int):
    """Takes a service out of use (or back): it stays on the services already recorded."""
    require_perm(request, MANAGE_TYPES)
    found = get_object_or_404(selectors.service_types(actor=request.user), pk=pk)
    active = request.POST.get("active") == "1"
    delivery_services.save_service_type(
        actor=request.user,
        programme=found.programme,
        code=found.code,
        name=found.name,
        unit=found.unit,
        unit_cost=found.unit_cost,
        active=active,
    )
    if active:
        messages.success(request, _("%(name)s is in use again.") % {"name": found.name})
    else:
        messages.success(
            request, _("%(name)s is no longer offered; services already recorded keep it.") % {"name": found.name}
        )
    return redirect("cases:service_types")
