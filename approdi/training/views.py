"""The events' pages: the list (with the counting rule's figures) and its CSV, an event, its form, its material."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from approdi.audit.models import Action
from approdi.audit.services import record
from approdi.core.forms import add_errors
from approdi.core.permissions import require_perm
from approdi.directory import selectors as directory

from . import exports, selectors, services
from .forms import EventFilterForm, EventForm, ParticipationForm
from .models import Participation


def _filtered(request):
    """The list's filter: the period (the programme's by default) and the type; an invalid one answers 400."""
    programme = request.membership.programme
    form = EventFilterForm(request.GET or None, initial={"start": programme.start, "end": programme.end})
    period = {"start": programme.start, "end": programme.end, "kind": ""}
    if form.is_bound:
        if not form.is_valid():
            return form, None
        period = {
            "start": form.cleaned_data["start"],
            "end": form.cleaned_data["end"],
            "kind": form.cleaned_data["kind"],
        }
    return form, period


@login_required
def event_list(request):
    require_perm(request, selectors.VIEW)
    form, period = _filtered(request)
    if period is None:
        return render(request, "training/event_list.html", {"form": form}, status=400)
    context = {
        "form": form,
        "period": period,
        "events": selectors.events(actor=request.user, **period),
        "figures": selectors.figures_of(actor=request.user, **period),
        "query": request.GET.urlencode(),
    }
    return render(request, "training/event_list.html", context)


@login_required
def export_csv(request):
    require_perm(request, selectors.VIEW)
    form, period = _filtered(request)
    if period is None:
        return render(request, "training/event_list.html", {"form": form}, status=400)
    programme = request.membership.programme
    events = selectors.with_participations(selectors.events(actor=request.user, **period))
    body = exports.csv_text(events, selectors.figures_of(actor=request.user, **period))
    record(actor=request.user, action=Action.EXPORT, obj=programme, fields=["training_events"], reason="csv")
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="training-{programme.code}.csv"'
    return response


def _event_form_page(request, event):
    require_perm(request, services.MANAGE, event)
    organisers = services.organisers(actor=request.user)
    initial = EventForm.initial_of(event) if event else {"organiser": organisers[0] if len(organisers) == 1 else None}
    form = EventForm(request.POST or None, request.FILES or None, initial=initial, organisers=organisers)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("material")
        try:
            saved = services.save_event(
                actor=request.user,
                event=event,
                material=upload.read() if upload else None,
                material_name=upload.name if upload else "",
                **data,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("%(name)s saved.") % {"name": saved.title})
            return redirect("training:event_detail", pk=saved.pk)
    status = 400 if form.errors else 200
    return render(request, "training/event_form.html", {"form": form, "event": event}, status=status)


@login_required
def event_new(request):
    return _event_form_page(request, None)


@login_required
def event_edit(request, pk: int):
    require_perm(request, selectors.VIEW)
    return _event_form_page(request, selectors.event(actor=request.user, pk=pk))


@login_required
def event_detail(request, pk: int):
    require_perm(request, selectors.VIEW)
    event = selectors.event(actor=request.user, pk=pk)
    manages = request.user.has_perm(services.MANAGE, event)
    form = None
    if manages:
        form = ParticipationForm(
            request.POST or None, bodies=directory.bodies(actor=request.user), prefix="participation"
        )
    if request.method == "POST":
        require_perm(request, services.MANAGE, event)
        if form is not None and form.is_valid():
            try:
                services.add_participation(actor=request.user, event=event, **form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Participants added."))
                return redirect("training:event_detail", pk=event.pk)
    participations = list(event.participations.all())
    context = {
        "event": event,
        "form": form,
        "manages": manages,
        "participations": participations,
        "total": sum(p.participants for p in participations),
        "material": selectors.material_of(actor=request.user, event=event),
        "back": reverse("training:event_list"),
    }
    return render(request, "training/event_detail.html", context, status=400 if form and form.errors else 200)


@login_required
@require_POST
def participation_remove(request, pk: int, participation: int):
    require_perm(request, selectors.VIEW)
    event = selectors.event(actor=request.user, pk=pk)
    require_perm(request, services.MANAGE, event)
    found = Participation.objects.filter(event=event, pk=participation).select_related("event").first()
    if found is None:
        raise Http404
    try:
        services.remove_participation(actor=request.user, participation=found)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Participants removed."))
    return redirect("training:event_detail", pk=event.pk)


@login_required
def event_material(request, pk: int):
    """The material's PDF, to members of the programme only; downloaded, never shown inline."""
    require_perm(request, selectors.VIEW)
    material = selectors.material(actor=request.user, pk=pk)
    record(actor=request.user, action=Action.VIEW, obj=material.event, fields=["material"])
    response = HttpResponse(bytes(material.content), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="training-{material.event_id}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
