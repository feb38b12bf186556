"""The lead entity adds a reception structure to the acting edition."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from approdi.core.forms import IsoDateInput, add_errors
from approdi.core.permissions import require_perm
from approdi.network.models import Area, Organisation, Partnership

from . import selectors, structures
from .models import AdmittedAges, StructureType, TargetGender


class StructureForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Code"), max_length=40)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    organisation = forms.ModelChoiceField(label=gettext_lazy("Managing organisation"), queryset=Organisation.objects)
    type = forms.ChoiceField(label=gettext_lazy("Type"), choices=StructureType.choices)
    area = forms.ModelChoiceField(label=gettext_lazy("Area"), queryset=Area.objects.order_by("code"))
    beds = forms.IntegerField(label=gettext_lazy("Beds"), min_value=1, max_value=structures.MOST_BEDS)
    gender = forms.ChoiceField(label=gettext_lazy("Who it admits"), choices=TargetGender.choices)
    ages = forms.ChoiceField(label=gettext_lazy("Ages admitted"), choices=AdmittedAges.choices)
    open_from = forms.DateField(label=gettext_lazy("Open from"), widget=IsoDateInput(), required=False)
    open_to = forms.DateField(label=gettext_lazy("Open until"), widget=IsoDateInput(), required=False)

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        current = Partnership.objects.filter(programme=programme).current().values("organisation_id")
        self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=current).order_by("name")

    def clean(self):
        data = super().clean()
        if data.get("open_from") and data.get("open_to") and data["open_to"] < data["open_from"]:
            self.add_error("open_to", _("A structure cannot close before it opens."))
        return data


class CarryForm(forms.Form):
    structure = forms.ChoiceField(
        label=gettext_lazy("Structure"),
        help_text=gettext_lazy(
            "It keeps its beds and its history; its organisation must be a partner of this edition."
        ),
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.structures = {s.code: s for s in choices}
        self.fields["structure"].choices = [("", "—")] + [(s.code, f"{s.code} · {s.name}") for s in choices]


@login_required
def new_structure(request):
    require_perm(request, structures.PERM)
    programme = request.membership.programme
    carry = CarryForm(
        request.POST if "carry-structure" in request.POST else None,
        prefix="carry",
        choices=structures.structures_to_carry(actor=request.user, programme=programme),
    )
    if carry.is_bound and carry.is_valid():
        structure = carry.structures[carry.cleaned_data["structure"]]
        try:
            structures.carry_structure(actor=request.user, programme=programme, structure=structure)
        except ValidationError as error:
            add_errors(carry, error)
        else:
            messages.success(request, _("Structure %(code)s added.") % {"code": structure.code})
            return redirect("shelter:structure_list")
    form = StructureForm(request.POST if not carry.is_bound and request.POST else None, programme=programme)
    if form.is_bound and form.is_valid():
        try:
            structure = structures.add_structure(actor=request.user, programme=programme, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Structure %(code)s added.") % {"code": structure.code})
            return redirect("shelter:structure_list")
    return render(request, "shelter/structure_new.html", {"form": form, "carry": carry, "programme": programme})


class StructureSettingsForm(StructureForm):
    """What a structure is and when it is open; its code, organisation and beds stay as they are here."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("code", "organisation", "beds"):
            del self.fields[name]


@login_required
def structure_settings(request, code: str):
    require_perm(request, structures.PERM)
    structure = selectors.structures_visible(actor=request.user).filter(code__iexact=code).first()
    if structure is None:
        raise Http404
    fields = ("name", "type", "area", "gender", "ages", "open_from", "open_to")
    form = StructureSettingsForm(
        request.POST or None,
        programme=request.membership.programme,
        initial={f: getattr(structure, f) for f in fields},
    )
    if request.method == "POST" and form.is_valid():
        try:
            structures.update_structure(actor=request.user, structure=structure, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Structure %(code)s saved.") % {"code": structure.code})
            return redirect("shelter:structure_detail", code=structure.code)
    return render(request, "shelter/structure_settings.html", {"form": form, "structure": structure})
