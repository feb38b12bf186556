"""Services delivered and reimbursement: the page (and its exports) and the deliveries behind a number."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from approdi.audit.models import Action
from approdi.audit.services import record
from approdi.core.db_router import reads_replica
from approdi.core.permissions import require_perm
from approdi.reports.common.downloads import asked_period, period_query, read_or_download

from . import exports, selectors


@login_required
@reads_replica
def reimbursement(request):
    require_perm(request, selectors.PERM)
    form, period = asked_period(request)
    result = None
    if period is not None:
        result, file = read_or_download(
            request, form, period, export_file=exports.export_file, read=selectors.reimbursement, name="services"
        )
        if file is not None:
            return file
    if result is None:
        return render(request, "reports/reimbursement.html", {"form": form})
    return render(
        request,
        "reports/reimbursement.html",
        {
            "form": form,
            "result": result,
            "period_query": period_query(result.start, result.end),
            "spent_query": period_query(result.spent_from, result.end),
            "scope_line": exports.scope_line(result),
        },
    )


@login_required
@reads_replica
def deliveries(request):
    require_perm(request, selectors.PERM)
    _form, period = asked_period(request)
    if period is None:
        raise Http404
    try:
        found = selectors.deliveries(
            actor=request.user,
            start=period["start"],
            end=period["end"],
            organisation=request.GET.get("organisation", ""),
            service=request.GET.get("service", ""),
        )
    except ValidationError:
        raise Http404 from None
    page = Paginator(found.rows, 50).get_page(request.GET.get("page"))
    filters = [f"{found.start}–{found.end}", f"organisation={found.organisation or '*'}"]
    filters += [f"service={found.service or '*'}", f"page {page.number}"]
    record(
        actor=request.user,
        action=Action.VIEW,
        object_type="reports.reimbursement_deliveries",
        object_id=request.membership.programme.code,
        fields=["person_code"],
        reason="; ".join(filters),
    )
    return render(
        request,
        "reports/reimbursement_deliveries.html",
        {
            "found": found,
            "page": page,
            "back": period_query(found.start, found.end),
            "may_open_cases": request.user.has_perm("cases.view_cases"),
        },
    )
