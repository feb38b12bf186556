"""Integration activities: a course, training, an internship, a work grant, a job, housing; their updates."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ..forms.integration import ActivityForm, ActivityKindForm, ActivityUpdateForm
from ..models import IntegrationKind
from ..services import integration as integration_services
from ._common import WORK, case_for_action, day, form_page, one, section, write


@login_required
def activity_add(request, pk: int):
    case = case_for_action(request, pk, WORK)
    kind = request.POST.get("kind") if request.method == "POST" else request.GET.get("kind")
    if kind not in IntegrationKind.values:
        kind = None
    chooser = ActivityKindForm(initial={"kind": kind}, auto_id="kind_%s")
    form = ActivityForm(request.POST or None, kind=kind) if kind else None
    if (
        request.method == "POST"
        and form is not None
        and form.is_valid()
        and write(form, integration_services.record_activity, actor=request.user, case=case, kind=kind, **form.values())
    ):
        messages.success(request, _("Activity recorded."))
        return redirect(section(case, "integration"))
    context = {
        "case": case,
        "chooser": chooser,
        "form": form,
        "kind_label": IntegrationKind(kind).label if kind else "",
        "back": section(case, "integration"),
    }
    template = "cases/_activity_fields.html" if request.htmx and request.method == "GET" else "cases/activity_form.html"
    return render(request, template, context)


@login_required
def activity_update(request, pk: int, activity: int):
    case = case_for_action(request, pk, WORK)
    found = one(case.activities.all(), activity)
    form = ActivityUpdateForm(request.POST or None, activity=found)
    if (
        request.method == "POST"
        and form.is_valid()
        and write(form, integration_services.update_activity, actor=request.user, activity=found, **form.values())
    ):
        messages.success(request, _("Activity updated."))
        return redirect(section(case, "integration"))
    return form_page(
        request,
        case,
        form,
        title=_("Update: %(kind)s") % {"kind": found.get_kind_display()},
        intro=_("%(provider)s, from %(start)s")
        % {"provider": found.provider or found.get_housing_display(), "start": day(found.start)},
        submit=_("Save"),
        anchor="integration",
    )
