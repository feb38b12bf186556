"""The on-call operator's night emergency entry (approdi/shelter/night.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from approdi.core.forms import add_errors
from approdi.core.permissions import require_perm
from approdi.directory import selectors as directory
from approdi.directory.forms import offer_directory

from . import night
from .beds import board_counts, free_for
from .models import Stage
from .night_forms import NightEntryForm
from .services import PlacementConflict


@login_required
def night_entry(request):
    require_perm(request, night.PERM)
    # Free beds as the bed board counts them, emergency reserves included: one query for all her structures.
    structures = list(board_counts(night.emergency_structures(actor=request.user), timezone.localdate()))
    for structure in structures:
        structure.free_now = free_for(structure, stage=Stage.EMERGENCY)
    now = f"{timezone.localtime():%Y-%m-%dT%H:%M}"
    form = NightEntryForm(request.POST or None, structures=structures, initial={"arrived_at": now})
    offer_directory(form.fields["referring_body"], directory.body_names(actor=request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        arrival = night.Arrival(
            code=data["code"],
            gender=data["gender"],
            age_band=data["age_band"],
            language=data["language"],
            nationality=data["nationality"] or "",
            referred_by=data["referred_by"],
            referring_body=data["referring_body"],
            arrived_at=data["arrived_at"],
            needs=data["needs"],
        )
        try:
            entry = night.record_night_entry(
                actor=request.user, structure=form.structures[data["structure"]], arrival=arrival
            )
        except PlacementConflict as conflict:
            form.add_error("structure", conflict.message)
        except ValidationError as error:
            add_errors(form, error)
        else:
            placement = entry.placement
            messages.success(
                request,
                _("%(code)s is in bed %(bed)s. The Ufficio Filtro regularises her entry by %(when)s.")
                % {
                    "code": placement.person.code,
                    "bed": str(placement.bed),
                    "when": f"{timezone.localtime(entry.regularise_by):%d/%m/%Y %H:%M}",
                },
            )
            return redirect("shelter:board")
    return render(request, "shelter/night_entry.html", {"form": form, "structures": structures})
