"""Case pages, part B: the individual plan, appointments, services delivered, integration, legal records,
and the programme's reference list of service types.

Every page loads the case through ``selectors.case_detail`` (404 when the user may not see it), then
checks the action's permission on it (403). Each form is a page of its own that goes back to its
section of the case; writes go through the services, whose errors land on the form.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from approdi.core.forms import add_errors
from approdi.core.permissions import require_perm

from .. import selectors
from ..forms.path_forms import (
    ActionForm,
    ActivityForm,
    ActivityKindForm,
    ActivityUpdateForm,
    AppointmentForm,
    GoalForm,
    HearingForm,
    MatterCloseForm,
    MatterForm,
    PermitForm,
    PermitIssueForm,
    ReviewForm,
    ServiceForm,
    ServiceTypeForm,
)
from ..models import IntegrationKind, LegalMatter, Permit
from ..services import delivery as delivery_services
from ..services import integration as integration_services
from ..services import legal as legal_services
from ..services import plan as plan_services
from ..templatetags.case_paths import service_totals

WORK = "cases.work_on_case"
LEGAL = "cases.record_legal"
READ_LEGAL = "cases.view_legal"


def _case(request, pk: int, perm: str):
    """The case if the user sees it (else 404), and if she may do ``perm`` on it (else 403)."""
    case = selectors.case_detail(actor=request.user, pk=pk)
    require_perm(request, perm, case)
    return case


def _one(items, pk: int):
    """A record of the case's prefetched ones, or 404: another case's record does not exist here."""
    for item in items:
        if item.pk == pk:
            return item
    raise Http404


def _section(case, anchor: str) -> str:
    return f"{reverse('cases:case_detail', kwargs={'pk': case.pk})}#{anchor}"


def _form_page(request, case, form, *, title, submit, anchor, intro=""):
    """A form of its own page, with the way back to its section of the case."""
    context = {
        "case": case,
        "form": form,
        "title": title,
        "submit": submit,
        "intro": intro,
        "back": _section(case, anchor),
    }
    return render(request, "cases/path_form.html", context)


def _write(form, service, **kwargs):
    """Calls a service; its validation errors go on the form, and nothing is returned."""
    try:
        return service(**kwargs)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            add_errors(form, error)
        else:  # a rule of the whole record (the case is closed, the permit is issued already)
            form.add_error(None, error)
        return None


def _day(value) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


# The individual plan ------------------------------------------------------------------------------


@login_required
def goal_add(request, pk: int):
    case = _case(request, pk, WORK)
    form = GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _write(
            form,
            plan_services.add_goal,
            actor=request.user,
            case=case,
            domain=data["domain"],
            description=data["description"],
        ):
            messages.success(request, _("Goal added to the plan."))
            return redirect(_section(case, "plan"))
    return _form_page(request, case, form, title=_("Add a goal"), submit=_("Add the goal"), anchor="plan")


@login_required
def action_add(request, pk: int, goal: int):
    case = _case(request, pk, WORK)
    chosen = _one(case.goals.all(), goal)
    form = ActionForm(request.POST or None, case=case, initial={"owner": request.user.pk})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _write(form, plan_services.add_action, actor=request.user, goal=chosen, **data):
            messages.success(request, _("Action added."))
            return redirect(_section(case, "plan"))
    return _form_page(
        request,
        case,
        form,
        title=_("Add an action"),
        intro=_("Goal: %(goal)s (%(domain)s)") % {"goal": chosen.description, "domain": chosen.get_domain_display()},
        submit=_("Add the action"),
        anchor="plan",
    )


@login_required
@require_POST
def action_done(request, pk: int, action: int):
    case = _case(request, pk, WORK)
    found = _one((a for goal in case.goals.all() for a in goal.actions.all()), action)
    try:
        plan_services.complete_action(actor=request.user, action=found, day=timezone.localdate())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Action marked as done."))
    return redirect(_section(case, "plan"))


@login_required
def plan_review(request, pk: int):
    case = _case(request, pk, WORK)
    form = ReviewForm(request.POST or None, goals=case.goals.all(), initial={"day": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _write(
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
            return redirect(_section(case, "plan"))
    return render(request, "cases/plan_review.html", {"case": case, "form": form, "back": _section(case, "plan")})


@login_required
def plan_history(request, pk: int):
    case = _case(request, pk, WORK)
    return render(request, "cases/plan_history.html", {"case": case, "back": _section(case, "plan")})


# Appointments -------------------------------------------------------------------------------------


@login_required
def appointment_add(request, pk: int):
    case = _case(request, pk, WORK)
    on_team = any(seat.user_id == request.user.pk for seat in case.active_members)
    initial = {"day": timezone.localdate(), "operator": request.user.pk if on_team else None}
    form = AppointmentForm(request.POST or None, case=case, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _write(
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
            return redirect(_section(case, "appointments"))
    return _form_page(
        request, case, form, title=_("Add an appointment"), submit=_("Add the appointment"), anchor="appointments"
    )


# Services delivered -------------------------------------------------------------------------------


@login_required
def service_add(request, pk: int):
    case = _case(request, pk, WORK)
    types = selectors.service_types(actor=request.user).filter(active=True, programme_id=case.programme_id)
    form = ServiceForm(request.POST or None, service_types=types, initial={"day": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _write(
            form,
            delivery_services.record_service,
            actor=request.user,
            case=case,
            service_type=data["service_type"],
            day=data["day"],
            quantity=data["quantity"],
            duration_minutes=data["duration_minutes"],
        ):
            messages.success(request, _("Service recorded."))
            return redirect(_section(case, "services"))
    return render(
        request,
        "cases/service_form.html",
        {"case": case, "form": form, "types": types, "back": _section(case, "services")},
    )


@login_required
def service_list(request, pk: int):
    case = _case(request, pk, WORK)
    services = case.services.all()
    rows, total = service_totals(services)
    return render(
        request,
        "cases/service_list.html",
        {"case": case, "services": services, "rows": rows, "total": total, "back": _section(case, "services")},
    )


# Integration --------------------------------------------------------------------------------------


@login_required
def activity_add(request, pk: int):
    case = _case(request, pk, WORK)
    kind = request.POST.get("kind") if request.method == "POST" else request.GET.get("kind")
    if kind not in IntegrationKind.values:
        kind = None
    chooser = ActivityKindForm(initial={"kind": kind}, auto_id="kind_%s")
    form = ActivityForm(request.POST or None, kind=kind) if kind else None
    if (
        request.method == "POST"
        and form is not None
        and form.is_valid()
        and _write(
            form, integration_services.record_activity, actor=request.user, case=case, kind=kind, **form.values()
        )
    ):
        messages.success(request, _("Activity recorded."))
        return redirect(_section(case, "integration"))
    context = {
        "case": case,
        "chooser": chooser,
        "form": form,
        "kind_label": IntegrationKind(kind).label if kind else "",
        "back": _section(case, "integration"),
    }
    template = "cases/_activity_fields.html" if request.htmx and request.method == "GET" else "cases/activity_form.html"
    return render(request, template, context)


@login_required
def activity_update(request, pk: int, activity: int):
    case = _case(request, pk, WORK)
    found = _one(case.activities.all(), activity)
    form = ActivityUpdateForm(request.POST or None, activity=found)
    if (
        request.method == "POST"
        and form.is_valid()
        and _write(form, integration_services.update_activity, actor=request.user, activity=found, **form.values())
    ):
        messages.success(request, _("Activity updated."))
        return redirect(_section(case, "integration"))
    return _form_page(
        request,
        case,
        form,
        title=_("Update: %(kind)s") % {"kind": found.get_kind_display()},
        intro=_("%(provider)s, from %(start)s")
        % {"provider": found.provider or found.get_housing_display(), "start": _day(found.start)},
        submit=_("Save"),
        anchor="integration",
    )


# Legal --------------------------------------------------------------------------------------------


@login_required
def permit_apply(request, pk: int):
    case = _case(request, pk, LEGAL)
    form = PermitForm(request.POST or None, initial={"application_date": timezone.localdate()})
    if (
        request.method == "POST"
        and form.is_valid()
        and _write(form, legal_services.apply_for_permit, actor=request.user, case=case, **form.cleaned_data)
    ):
        messages.success(request, _("Permit application recorded."))
        return redirect(_section(case, "legal"))
    return _form_page(
        request, case, form, title=_("Apply for a permit"), submit=_("Record the application"), anchor="legal"
    )


@login_required
def permit_follow(request, pk: int, permit: int):
    """A renewal (same type) or a conversion (another type, e.g. work): a new application linked to the permit."""
    case = _case(request, pk, LEGAL)
    previous = _one(case.permits.all(), permit)
    initial = {"type": previous.type, "questura": previous.questura, "application_date": timezone.localdate()}
    form = PermitForm(request.POST or None, previous=previous, initial=initial)
    if request.method == "POST" and form.is_valid():
        created = _write(
            form, legal_services.apply_for_permit, actor=request.user, case=case, previous=previous, **form.cleaned_data
        )
        if created:
            if created.change == Permit.Change.RENEWAL:
                messages.success(request, _("Renewal applied for."))
            else:
                messages.success(request, _("Conversion applied for."))
            return redirect(_section(case, "legal"))
    return _form_page(
        request,
        case,
        form,
        title=_("Renew or convert a permit"),
        intro=_("Permit: %(type)s, expiry %(expiry)s")
        % {
            "type": previous.get_type_display(),
            "expiry": _day(previous.expiry) if previous.expiry else "—",
        },
        submit=_("Record the application"),
        anchor="legal",
    )


@login_required
def permit_issue(request, pk: int, permit: int):
    case = _case(request, pk, LEGAL)
    found = _one(case.permits.all(), permit)
    form = PermitIssueForm(request.POST or None, permit=found)
    if (
        request.method == "POST"
        and form.is_valid()
        and _write(form, legal_services.issue_permit, actor=request.user, permit=found, **form.cleaned_data)
    ):
        messages.success(request, _("Permit issued."))
        return redirect(_section(case, "legal"))
    return _form_page(
        request,
        case,
        form,
        title=_("Permit issued"),
        intro=_("%(type)s, applied for on %(date)s at %(questura)s")
        % {
            "type": found.get_type_display(),
            "date": _day(found.application_date),
            "questura": found.questura,
        },
        submit=_("Record the issue"),
        anchor="legal",
    )


@login_required
@require_POST
def permit_refuse(request, pk: int, permit: int):
    case = _case(request, pk, LEGAL)
    found = _one(case.permits.all(), permit)
    try:
        legal_services.refuse_permit(actor=request.user, permit=found)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Refusal recorded."))
    return redirect(_section(case, "legal"))


@login_required
def permit_timeline(request, pk: int):
    """Every permit of the person in the cases the user sees, oldest first, with what followed what."""
    case = _case(request, pk, READ_LEGAL)
    readable = selectors.legal_cases(selectors.cases_visible(actor=request.user), actor=request.user)
    permits = (
        Permit.objects.filter(case__in=readable, case__person_id=case.person_id)
        .select_related("previous")
        .order_by("application_date", "id")
    )
    return render(
        request, "cases/permit_timeline.html", {"case": case, "permits": permits, "back": _section(case, "legal")}
    )


@login_required
def matter_open(request, pk: int):
    case = _case(request, pk, LEGAL)
    form = MatterForm(request.POST or None, initial={"day": timezone.localdate()})
    if (
        request.method == "POST"
        and form.is_valid()
        and _write(form, legal_services.open_matter, actor=request.user, case=case, **form.cleaned_data)
    ):
        messages.success(request, _("Recorded."))
        return redirect(_section(case, "legal"))
    return _form_page(
        request,
        case,
        form,
        title=_("Complaint, criminal proceeding or asylum application"),
        submit=_("Save"),
        anchor="legal",
    )


@login_required
def matter_close(request, pk: int, matter: int):
    case = _case(request, pk, LEGAL)
    found = _one(case.legal_matters.all(), matter)
    if found.status == LegalMatter.Status.CLOSED:
        messages.error(request, _("This matter is closed."))
        return redirect(_section(case, "legal"))
    form = MatterCloseForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _write(form, legal_services.close_matter, actor=request.user, matter=found, **form.cleaned_data)
    ):
        messages.success(request, _("Closed with its outcome."))
        return redirect(_section(case, "legal"))
    return _form_page(
        request,
        case,
        form,
        title=_("Close: %(kind)s") % {"kind": found.get_kind_display()},
        intro=_("%(authority)s, since %(date)s") % {"authority": found.authority, "date": _day(found.date)},
        submit=_("Close"),
        anchor="legal",
    )


HEARING_TITLES = {
    LegalMatter.Kind.ASYLUM: gettext_lazy("Interview at the Commissione Territoriale"),
    LegalMatter.Kind.CRIMINAL_PROCEEDING: gettext_lazy("Court hearing"),
}


@login_required
def hearing_add(request, pk: int, matter: int):
    case = _case(request, pk, LEGAL)
    found = _one(case.legal_matters.all(), matter)
    if found.status == LegalMatter.Status.CLOSED:
        messages.error(request, _("This matter is closed."))
        return redirect(_section(case, "legal"))
    form = HearingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _write(
            form,
            legal_services.schedule_hearing,
            actor=request.user,
            matter=found,
            starts_at=form.starts_at(),
            place=data["place"],
            note=data["note"],
        ):
            messages.success(request, _("Hearing scheduled: alerts come 30, 14 and 7 days before."))
            return redirect(_section(case, "legal"))
    return _form_page(
        request,
        case,
        form,
        title=HEARING_TITLES.get(found.kind, _("Hearing")),
        intro=_("%(kind)s, %(authority)s") % {"kind": found.get_kind_display(), "authority": found.authority},
        submit=_("Schedule"),
        anchor="legal",
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
        and _write(
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
        if _write(
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


urlpatterns = [
    path("<int:pk>/plan/goals/add/", goal_add, name="goal_add"),
    path("<int:pk>/plan/goals/<int:goal>/actions/add/", action_add, name="action_add"),
    path("<int:pk>/plan/actions/<int:action>/done/", action_done, name="action_done"),
    path("<int:pk>/plan/review/", plan_review, name="plan_review"),
    path("<int:pk>/plan/history/", plan_history, name="plan_history"),
    path("<int:pk>/appointments/add/", appointment_add, name="appointment_add"),
    path("<int:pk>/services/", service_list, name="service_list"),
    path("<int:pk>/services/add/", service_add, name="service_add"),
    path("<int:pk>/integration/add/", activity_add, name="activity_add"),
    path("<int:pk>/integration/<int:activity>/", activity_update, name="activity_update"),
    path("<int:pk>/legal/permits/", permit_timeline, name="permit_timeline"),
    path("<int:pk>/legal/permits/apply/", permit_apply, name="permit_apply"),
    path("<int:pk>/legal/permits/<int:permit>/issue/", permit_issue, name="permit_issue"),
    path("<int:pk>/legal/permits/<int:permit>/refuse/", permit_refuse, name="permit_refuse"),
    path("<int:pk>/legal/permits/<int:permit>/follow/", permit_follow, name="permit_follow"),
    path("<int:pk>/legal/matters/open/", matter_open, name="matter_open"),
    path("<int:pk>/legal/matters/<int:matter>/close/", matter_close, name="matter_close"),
    path("<int:pk>/legal/matters/<int:matter>/hearings/add/", hearing_add, name="hearing_add"),
    path("service-types/", service_types, name="service_types"),
    path("service-types/<int:pk>/", service_type_edit, name="service_type_edit"),
    path("service-types/<int:pk>/active/", service_type_active, name="service_type_active"),
]
