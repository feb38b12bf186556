"""A person's safety flags, from the case page and the Ufficio Filtro's person page (``people.flags``).

Whoever keeps the person (the Ufficio Filtro, her case team) raises a flag and asks to lift one; another of them
approves the lift. Someone who does not keep her gets 404, as if she did not exist.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from approdi.core.permissions import require_perm
from approdi.core.redirects import safe_next
from approdi.people import flags
from approdi.people.flag_forms import LiftRequestForm, RaiseFlagForm
from approdi.people.models import Person


def _person(request, pk: int) -> Person:
    require_perm(request, "cases.view_cases")
    person = Person.objects.filter(pk=pk).only("id", "code", "programme_id").first()
    if person is None or not request.user.has_perm("people.view_safety_flags", person):
        raise Http404
    return person


def _back(request):
    target = safe_next(request, reverse("cases:case_list"))
    return redirect(f"{target.split('#')[0]}#safety-flags")


def _refused(request, error: ValidationError) -> None:
    messages.error(request, _("Nothing was saved:") + " " + " ".join(error.messages))


@login_required
@require_POST
def flag_raise(request, person: int):
    found = _person(request, person)
    require_perm(request, "people.raise_safety_flag", found)
    form = RaiseFlagForm(request.POST)
    if not form.is_valid():
        _refused(request, ValidationError([m for errors in form.errors.values() for m in errors]))
        return _back(request)
    try:
        flags.raise_flag(actor=request.user, person=found, **form.cleaned_data)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Safety flag raised: everyone who sees her sees it."))
    return _back(request)


@login_required
@require_POST
def flag_lift_request(request, person: int, flag: int):
    found = _person(request, person)
    raised = flags.flag_of(actor=request.user, person=found, pk=flag)
    require_perm(request, "people.request_flag_lift", found)
    form = LiftRequestForm(request.POST)
    if not form.is_valid():
        _refused(request, ValidationError([m for errors in form.errors.values() for m in errors]))
        return _back(request)
    try:
        flags.request_lift(actor=request.user, flag=raised, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Lift requested: the flag stays until another person approves."))
    return _back(request)


@login_required
@require_POST
def flag_lift_approve(request, person: int, flag: int):
    found = _person(request, person)
    raised = flags.flag_of(actor=request.user, person=found, pk=flag)
    require_perm(request, "people.approve_flag_lift", raised)
    try:
        flags.approve_lift(actor=request.user, flag=raised)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Safety flag lifted."))
    return _back(request)
