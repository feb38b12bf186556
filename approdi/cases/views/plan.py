"""The individual plan and appointments: goals, actions, periodic reviews and the plan's history.

Every page loads the case through the selector (404 when the user may not see it), then checks the
action's permission on it (403). Each form is a page of its own that goes back to its section of the
case; writes go through the services, whose errors land on the form.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from approdi.core.permissions import require_perm

from ..forms.plan import ActionForm, AppointmentForm, GoalForm, ReviewForm
from ..services import plan as plan_services
from ._common import WORK, case_for_action, form_page, load_case, one, section, write


@login_required
def goal_add(request, pk: int):
    case = case_for_action(request, pk, WORK)
    form = GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if write(
            form,
            plan_services.add_goal,
            actor=request.user,
            case=case,
            domain=data["domain"],
            description=data["description"],
        ):
            messages.success(request, _("Goal added to the plan."))
            return redirect(section(case, "plan"))
    return form_page(request, case, form, title=_("Add a goal"), submit=_("Add the goal"), anchor="plan")


@login_required
def action_add(request, pk: int, goal: int):
    case = case_for_action(request, pk, WORK)
    goal = one(case.goals.all(), goal)
    form = ActionForm(request.POST or None, case=case, initial={"owner": request.user.pk})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if write(form, plan_services.add_action, actor=request.user, goal=goal, **data):
            messages.success(request, _("Action added."))
            return redirect(section(case, "plan"))
    return form_page(
        request,
        case,
        form,
        title=_("Add an action"),
        intro=_("Goal: %(goal)s (%(domain)s)") % {"goal": goal.description, "domain": goal.get_domain_display()},
        submit=_("Add the action"),
        anchor="plan",
    )


@login_required
@require_POST
def action_done(request, pk: int, action: int):
    case = case_for_action(request, pk, WORK, prefetch=("goals__actions",))
    found = one((a for goal in case.goals.all() for a in goal.actions.all()), action)
    require_perm(request, "cases.complete_action", found)
    try:
        plan_services.complete_action(actor=request.user, action=found, day=timezone.localdate())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Action marked as done."))
    return redirect(section(case, "plan"))


@login_required
def plan_review(request, pk: int):
    case = case_for_action(request, pk, WORK)
    form = ReviewForm(request.POST or None, goals=case.goals.all(), initial={"day": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if write(
            form,
            plan_services.review_plan,
            actor=request.user,
            case=case,
            day=data["day"],
            summary=data["summary"],
            next_review=data["next_review"],
            progress=form.progress(),
        ):
            messages.success(request, _("Review saved: the plan's history keeps it."))
            return redirect(section(case, "plan"))
    return render(request, "cases/plan_review.html", {"case": case, "form": form, "back": section(case, "plan")})


@login_required
def plan_history(request, pk: int):
    case = load_case(request, pk, WORK)
    return render(request, "cases/plan_history.html", {"case": case, "back": section(case, "plan")})


# Appointments -------------------------------------------------------------------------------------


@login_required
def appointment_add(request, pk: int):
    case = case_for_action(request, pk, WORK)
    on_team = any(seat.user_id == request.user.pk for seat in case.active_members)
    initial = {"day": timezone.localdate(), "operator": request.user.pk if on_team else None}
    form = AppointmentForm(request.POST or None, case=case, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if write(
            form,
            plan_services.add_appointment,
            actor=request.user,
            case=case,
            starts_at=form.starts_at(),
            title=data["title"],
            place=data["place"],
            operator=data["operator"],
        ):
            messages.success(request, _("Appointment added."))
            return redirect(section(case, "appointments"))
    return form_page(
        request, case, form, title=_("Add an appointment"), submit=_("Add the appointment"), anchor="appointments"
    )
