"""Case conferences where the work is: the case page's list and form, and an action marked done by its owner.

The case is loaded as the case pages load it (``cases.views._common``): a case the user does not see is 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from approdi.cases.views._common import case_for_action, load_case, section
from approdi.core.forms import add_errors
from approdi.core.permissions import require_perm
from approdi.core.redirects import safe_next
from approdi.governance import ical

from . import selectors, services
from .conference_calendar import conference_event
from .forms import ConferenceDecisionsForm, ConferenceForm


@login_required
def case_conferences(request, pk: int):
    case = load_case(request, pk, "cases.work_on_case")
    conferences = selectors.case_conferences(actor=request.user, case=case)
    return render(
        request,
        "intake/case_conferences.html",
        {"case": case, "conferences": conferences, "back": section(case, "conferences"), "today": timezone.localdate()},
    )


@login_required
@require_GET
def case_conference_ics(request, pk: int, conference_pk: int):
    """A case conference as an iCalendar event (the meeting engine's, governance/ical.py): its time (or its day),
    the place and the person's code; never her identity, the participants or the decisions."""
    case = load_case(request, pk, "cases.work_on_case")
    conference = selectors.case_conference(actor=request.user, case=case, pk=conference_pk)
    event = conference_event(conference, case_id=case.pk)
    body = ical.calendar([event])
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="conference-{conference.pk}.ics"'
    return response


@login_required
def case_conference_create(request, pk: int):
    case = case_for_action(request, pk, "cases.work_on_case")
    team = case.members.filter(removed_at__isnull=True).values("user_id")
    form = ConferenceForm(
        request.POST or None, initial={"day": timezone.localdate()}, programme=case.programme, team=team
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_case_conference(actor=request.user, case=case, **form.conference())
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Case conference recorded."))
            return redirect("conferences:case_conferences", pk=case.pk)
    return render(
        request,
        "intake/conference_form.html",
        {"person": case.person, "form": form, "case": case, "back": section(case, "conferences")},
    )


@login_required
def case_conference_decisions(request, pk: int, conference_pk: int):
    """What a conference scheduled ahead decided, written by her case team once it has taken place."""
    case = case_for_action(request, pk, "cases.work_on_case")
    conference = selectors.case_conference(actor=request.user, case=case, pk=conference_pk)
    team = case.members.filter(removed_at__isnull=True).values("user_id")
    form = ConferenceDecisionsForm(request.POST or None, programme=case.programme, team=team)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_conference_decisions(
                actor=request.user,
                case=case,
                conference=conference,
                decisions=form.cleaned_data["decisions"],
                actions=form.actions(),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Decisions recorded."))
            return redirect("conferences:case_conferences", pk=case.pk)
    return render(
        request,
        "intake/conference_decisions.html",
        {"conference": conference, "form": form, "case": case, "back": section(case, "conferences")},
    )


@login_required
@require_POST
def conference_action_done(request, pk: int):
    action = selectors.conference_action(actor=request.user, pk=pk)
    require_perm(request, "intake.complete_conference_action", action)
    try:
        services.complete_conference_action(actor=request.user, action=action)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Action marked as done."))
    return redirect(safe_next(request, reverse("cases:my_work")))
