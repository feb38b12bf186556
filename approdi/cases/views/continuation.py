"""Continuation in the next edition: the coordinator's page of the cases still open in the editions before the
acting one, and the post that continues one (services/continuation.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from approdi.core.permissions import require_perm

from .. import selectors
from ..services import continuation as services

PERM = "cases.continue_case"


@login_required
def continue_list(request):
    require_perm(request, PERM)
    editions, open_cases, done = selectors.cases_to_continue(actor=request.user)
    programme = request.user.active_membership.programme
    context = {"editions": editions, "open_cases": open_cases, "done": done, "programme": programme}
    for edition in editions:
        edition.first_day = services.first_day(edition, programme)
    return render(request, "cases/continue.html", context)


@login_required
@require_POST
def continue_case(request, pk: int):
    require_perm(request, PERM)
    _editions, open_cases, _done = selectors.cases_to_continue(actor=request.user)
    case = next((c for c in open_cases if c.pk == pk), None)
    if case is None:  # not a case of an edition before this one she coordinates, or continued already
        raise Http404
    try:
        link = services.continue_case(actor=request.user, case=case)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(code)s continues in %(programme)s from %(day)s; her case of %(ended)s is closed.")
            % {
                "code": case.person.code,
                "programme": request.user.active_membership.programme.code,
                "day": link.day.strftime("%d/%m/%Y"),
                "ended": case.programme.code,
            },
        )
    return redirect("cases:continue_list")
