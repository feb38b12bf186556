"""Residential reception pages: structures, the bed board, the waiting list, placements, figures."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from approdi.core.forms import add_errors, amend_reason, offer_amend_reason
from approdi.core.paginator import CappedPaginator
from approdi.core.period import Period, PeriodForm
from approdi.core.permissions import require_perm
from approdi.network.dates import today
from approdi.people.flags import with_flags

from . import beds, figures, selectors, services
from .forms import (
    BoardFilterForm,
    CapacityForm,
    DiaryForm,
    EndForm,
    MoveForm,
    PlaceForm,
    StageDurationsForm,
)
from .models import PlacementRequest, Structure

BOARD_PAGE = 50  # structures a page of the bed board shows; its totals count them all
STRUCTURES_PAGE = 50


@login_required
def structure_list(request):
    require_perm(request, "shelter.view_structure")
    # A national network has hundreds of structures: a page of them, and only what the table shows of each.
    structures = selectors.structures_visible(actor=request.user).only(
        "code", "name", "type", "beds", "area__code", "organisation__name"
    )
    page = CappedPaginator(structures, STRUCTURES_PAGE).get_page(request.GET.get("page"))
    return render(request, "shelter/structure_list.html", {"structures": page, "page": page})


@login_required
def structure_detail(request, code: str):
    require_perm(request, "shelter.view_structure")
    structure, secrets = selectors.structure_detail(actor=request.user, code=code)
    residents = None
    if request.user.has_perm("shelter.view_residents") and (secrets is not None):
        residents = list(selectors.residents(actor=request.user, structure=structure))
        with_flags(p.person for p in residents)
    form = None
    if request.user.has_perm("shelter.change_capacity", structure) or request.user.has_perm(
        "network.amend_closed_period"
    ):
        form = CapacityForm(
            request.POST or None,
            initial={"day": timezone.localdate(), "beds": structure.beds},
            may_amend_closed=request.user.has_perm("network.amend_closed_period"),
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.change_capacity(actor=request.user, structure=structure, **form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Capacity saved."))
                return redirect("shelter:structure_detail", code=structure.code)
    elif request.method == "POST":
        require_perm(request, "shelter.change_capacity", structure)
    return render(
        request,
        "shelter/structure_detail.html",
        {
            "structure": structure,
            "secrets": secrets,
            "residents": residents,
            "capacity_form": form,
            "capacity_changes": structure.capacity_changes.all() if form is not None else None,
        },
    )


@login_required
def bed_board(request):
    require_perm(request, "shelter.view_board")
    form = BoardFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    chosen = {
        "area_id": filters["area"].pk if filters.get("area") else None,
        "type": filters.get("type", ""),
        "gender": filters.get("gender", ""),
        "today": timezone.localdate(),
    }
    # A page of structures, and above it the free beds of every structure the filters keep.
    page, totals = selectors.board_page(
        actor=request.user, number=request.GET.get("page"), per_page=BOARD_PAGE, **chosen
    )
    template = "shelter/_board_rows.html" if request.htmx else "shelter/board.html"
    return render(request, template, {"form": form, "rows": page, "page": page, "totals": totals})


@login_required
def waiting_list(request):
    require_perm(request, "shelter.view_board")
    requests = selectors.waiting_list_rows(actor=request.user)
    today = timezone.localdate()
    for item in requests:
        item.days_waited = (today - timezone.localtime(item.created_at).date()).days
    with_flags(item.person for item in requests)
    return render(request, "shelter/waiting_list.html", {"requests": requests})


@login_required
def place_from_request(request, pk: int):
    require_perm(request, "shelter.place")
    wanted = get_object_or_404(selectors.waiting_list(actor=request.user), pk=pk)
    structures = selectors.structures_visible(actor=request.user)
    initial = {"stage": wanted.stage, "start": timezone.localdate(), "structure": request.GET.get("structure")}
    form = PlaceForm(request.POST or None, initial=initial, structures=structures)
    offer_amend_reason(form, request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "amend_reason"}
        try:
            placement = services.place(
                actor=request.user, person=wanted.person, request=wanted, reason=amend_reason(form), **data
            )
        except services.PlacementConflict as conflict:
            form.add_error("structure", conflict.message)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("Placed in %(structure)s, bed %(bed)s.")
                % {"structure": placement.structure.name, "bed": placement.bed.label},
            )
            return redirect("shelter:placement", pk=placement.pk)
    return render(request, "shelter/place_form.html", {"form": form, "wanted": wanted})


@login_required
def placement_detail(request, pk: int):
    placement = selectors.placement_detail(actor=request.user, pk=pk)
    may_move = request.user.has_perm("shelter.move_stage", placement.structure)
    # An educator moves her residents within her own structures; the Filtro, anywhere.
    structures = selectors.board_structures(actor=request.user) if may_move else Structure.objects.none()
    move_form = MoveForm(initial={"day": timezone.localdate()}, structures=structures, auto_id="move_%s")
    end_form = EndForm(initial={"day": timezone.localdate()}, auto_id="end_%s")
    for form in (move_form, end_form):
        offer_amend_reason(form, request.user)
    with_flags([placement.person])
    return render(
        request,
        "shelter/placement.html",
        {
            "placement": placement,
            "diary": placement.diary.select_related("author"),
            "move_form": move_form,
            "end_form": end_form,
            "may_end": request.user.has_perm("shelter.end_stay", placement.structure),
            "may_move": may_move,
            "diary_form": DiaryForm(initial={"day": timezone.localdate()}, auto_id="diary_%s"),
        },
    )


@login_required
@require_POST
def placement_move(request, pk: int):
    placement = selectors.placement_detail(actor=request.user, pk=pk)
    require_perm(request, "shelter.move_stage", placement.structure)
    form = MoveForm(request.POST, structures=selectors.board_structures(actor=request.user))
    offer_amend_reason(form, request.user)
    if form.is_valid():
        try:
            moved = services.move_to_next_stage(
                actor=request.user,
                placement=placement,
                day=form.cleaned_data["day"],
                structure=form.cleaned_data["structure"],
                reason=amend_reason(form),
            )
        except services.PlacementConflict as conflict:
            messages.error(request, conflict.message)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Moved to the next stage."))
            return redirect("shelter:placement", pk=moved.pk)
    else:
        messages.error(request, _("Check the date and the structure."))
    return redirect("shelter:placement", pk=placement.pk)


@login_required
@require_POST
def placement_end(request, pk: int):
    placement = selectors.placement_detail(actor=request.user, pk=pk)
    require_perm(request, "shelter.end_stay", placement.structure)
    form = EndForm(request.POST)
    offer_amend_reason(form, request.user)
    if form.is_valid():
        try:
            services.end_placement(
                actor=request.user,
                placement=placement,
                day=form.cleaned_data["day"],
                reason=form.cleaned_data["reason"],
                amend_reason=amend_reason(form),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The placement has ended."))
    else:
        messages.error(request, _("Check the date and the reason."))
    return redirect("shelter:placement", pk=placement.pk)


@login_required
@require_POST
def diary_add(request, pk: int):
    require_perm(request, "shelter.write_diary")
    placement = selectors.placement_detail(actor=request.user, pk=pk)
    form = DiaryForm(request.POST)
    if form.is_valid():
        services.write_diary(
            actor=request.user,
            placement=placement,
            day=form.cleaned_data["day"],
            kind=form.cleaned_data["kind"],
            text=form.cleaned_data["text"],
        )
    else:
        messages.error(request, _("The note was not saved: write its text."))
    return redirect("shelter:placement", pk=placement.pk)


@login_required
def alerts(request):
    require_perm(request, "shelter.view_residents")
    form = None
    if request.user.has_perm("shelter.configure_stages"):
        programme = request.membership.programme
        form = StageDurationsForm(request.POST or None, current=selectors.stage_days(programme=programme))
        if request.method == "POST" and form.is_valid():
            services.set_stage_durations(actor=request.user, programme=programme, days=form.cleaned_data)
            messages.success(request, _("Stage lengths saved."))
            return redirect("shelter:alerts")
    elif request.method == "POST":
        require_perm(request, "shelter.configure_stages")
    # Fifty a page: a national network has thousands of stays past their stage's length.
    page = CappedPaginator(selectors.alerts(actor=request.user), 50).get_page(request.GET.get("page"))
    page.object_list = selectors.named(page.object_list)
    return render(request, "shelter/alerts.html", {"alerts": page, "page": page, "form": form})


@login_required
def occupancy(request):
    require_perm(request, "shelter.view_occupancy")
    year = Period.running_year(request.membership.programme, today())
    default = {"start": year.start, "end": year.end}
    form = PeriodForm(request.GET or None, initial=default)
    period = form.cleaned_data if form.is_bound and form.is_valid() else default
    result = table = total = None
    if not form.is_bound or form.is_valid():
        structures = selectors.structures_visible(actor=request.user)
        from .models import Placement

        result = figures.occupancy(
            structures, Placement.objects.filter(structure__in=structures), period["start"], period["end"]
        )
        table, total = beds.capacity_table(structures, period["end"])
    return render(
        request,
        "shelter/occupancy.html",
        {
            "form": form,
            "result": result,
            "table": table,
            "total": total,
            "period": period,
            "open_requests": PlacementRequest.Status.OPEN,
        },
    )
