"""The roster page (planning, gaps in red), its printable sheet and its iCalendar file."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from approdi.audit.models import Action
from approdi.audit.services import record
from approdi.core.forms import add_errors
from approdi.core.permissions import require_perm

from . import ical, selectors, services
from .forms import ShiftForm
from .models import OnCallShift


@login_required
def roster(request):
    require_perm(request, selectors.VIEW)
    if request.method == "POST":
        require_perm(request, services.MANAGE)
    form = None
    if request.user.has_perm(services.MANAGE):
        form = ShiftForm(request.POST or None, staff=services.staff(actor=request.user))
    if form is not None and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_shift(
                actor=request.user,
                membership=form.staff[data["membership"]],
                phone=data["phone"],
                start=data["start"],
                end=data["end"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The shift is in the roster."))
            return redirect("oncall:roster")
    context = {"roster": selectors.roster(actor=request.user), "form": form, "programme": request.membership.programme}
    return render(request, "oncall/roster.html", context)


@login_required
def roster_print(request):
    require_perm(request, selectors.VIEW)
    context = {"roster": selectors.roster(actor=request.user), "programme": request.membership.programme}
    return render(request, "oncall/roster_print.html", context)


@login_required
def roster_ical(request):
    require_perm(request, selectors.VIEW)
    programme = request.membership.programme
    found = selectors.roster(actor=request.user)
    record(actor=request.user, action=Action.EXPORT, obj=programme, fields=["on_call_shifts"])
    body = ical.calendar(
        found.shifts,
        name=_("On call · %(code)s") % {"code": programme.code},
        host=request.get_host().split(":")[0] or "approdi",
        stamp=timezone.now(),
        summary=_("On call: %(person)s (%(organisation)s)"),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="on-call-{programme.code}.ics"'
    return response


@login_required
@require_POST
def shift_remove(request, pk: int):
    require_perm(request, services.MANAGE)
    shift = OnCallShift.objects.filter(pk=pk, programme=request.membership.programme).first()
    if shift is None:
        raise Http404
    services.remove_shift(actor=request.user, shift=shift)
    messages.success(request, _("The shift is off the roster."))
    return redirect("oncall:roster")
