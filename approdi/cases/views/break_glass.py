"""Break-glass: the form that opens a case in an emergency, and the DPO's review of every emergency access."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from approdi.core.forms import add_errors
from approdi.core.paginator import CappedPaginator
from approdi.core.permissions import require_perm

from .. import selectors
from ..forms.break_glass import EmergencyAccessForm
from ..services import break_glass as services


@login_required
def emergency_open(request):
    require_perm(request, "cases.break_glass")
    form = EmergencyAccessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            grant = services.open_in_emergency(
                actor=request.user, code=form.cleaned_data["code"], reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            until = date_format(localtime(grant.ends_at), "SHORT_DATETIME_FORMAT")
            messages.warning(
                request, _("Emergency access open until %(until)s. It is recorded with your reason.") % {"until": until}
            )
            return redirect("cases:case_detail", pk=grant.case_id)
    context = {"form": form, "hours": settings.APPRODI_BREAK_GLASS_HOURS}
    return render(request, "cases/emergency_open.html", context)


REFUSED_SHOWN = 50  # the latest: the audit log (filtered on "Permission denied") holds them all


@login_required
def break_glass_review(request):
    require_perm(request, "cases.review_break_glass")
    grants = selectors.break_glass_review(actor=request.user)
    page = CappedPaginator(grants, 50).get_page(request.GET.get("page"))
    refused = selectors.refused_emergency_accesses(actor=request.user)[:REFUSED_SHOWN]
    return render(request, "cases/break_glass_review.html", {"page": page, "refused": refused})
