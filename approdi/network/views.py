from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from approdi.core.forms import add_errors
from approdi.core.permissions import require_perm

from . import selectors, targets
from .models import Target


@login_required
def programme_list(request):
    require_perm(request, "network.view_reference_data")
    return render(
        request,
        "network/programme_list.html",
        {
            "programmes": selectors.programmes(actor=request.user),
            "organisations": selectors.organisations(actor=request.user),
            "areas": selectors.areas(actor=request.user),
        },
    )


@login_required
def programme_detail(request, code: str):
    require_perm(request, "network.view_reference_data")
    programme = selectors.programme_detail(actor=request.user, code=code)
    return render(request, "network/programme_detail.html", {"programme": programme})


class WholeNumberField(forms.IntegerField):
    """A count as people write it: "4.000" and "4 000" are four thousand (a count has no decimals)."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(".", "").replace(" ", "").replace("\u202f", "").replace("'", "")
        return super().to_python(value)


class TargetsForm(forms.Form):
    """One value and one note per indicator of the programme; an empty value means no target."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for indicator, label in Target.Indicator.choices:
            self.fields[f"{indicator}-value"] = WholeNumberField(label=label, min_value=1, required=False)
            self.fields[f"{indicator}-description"] = forms.CharField(
                label=_("Note on “%(indicator)s”") % {"indicator": label}, max_length=200, required=False
            )

    def values(self) -> dict[str, tuple[int | None, str]]:
        data = self.cleaned_data
        return {i: (data[f"{i}-value"], data[f"{i}-description"]) for i in Target.Indicator.values}


@login_required
def target_page(request):
    require_perm(request, targets.PERM)
    programme = request.membership.programme
    current = targets.targets_of(actor=request.user, programme=programme)
    initial = {}
    for indicator, target in current.items():
        initial[f"{indicator}-value"], initial[f"{indicator}-description"] = target.value, target.description
    form = TargetsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            targets.save_targets(actor=request.user, programme=programme, values=form.values())
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Targets saved."))
            return redirect("network:targets")
    return render(request, "network/targets.html", {"form": form, "programme": programme})
