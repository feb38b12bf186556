"""The outreach materials page, with the network's reference data under /network/ (config/urls.py)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from approdi.network.setup_views import reference_page

from . import materials
from .models import Material


class MaterialForm(forms.Form):
    code = forms.SlugField(
        label=gettext_lazy("Code"),
        max_length=40,
        help_text=gettext_lazy("Letters, digits and hyphens. An existing code changes that material."),
    )
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    active = forms.BooleanField(
        label=gettext_lazy("In use"),
        required=False,
        initial=True,
        help_text=gettext_lazy("A material no longer in use leaves the outing form; outings that gave it keep it."),
    )


@login_required
def material_page(request):
    return reference_page(
        request,
        form_class=MaterialForm,
        save=materials.save_material,
        rows=Material.objects.order_by("-active", "name"),
        template="network/materials.html",
        done=_("%(name)s saved."),
        url="network:materials",
    )
