from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from approdi.core.permissions import require_perm

from . import selectors


@login_required
def structure_list(request):
    require_perm(request, "shelter.view_structure")
    structures = selectors.structures_visible(actor=request.user)
    return render(request, "shelter/structure_list.html", {"structures": structures})


@login_required
def structure_detail(request, code: str):
    require_perm(request, "shelter.view_structure")
    structure, secrets = selectors.structure_detail(actor=request.user, code=code)
    return render(request, "shelter/structure_detail.html", {"structure": structure, "secrets": secrets})
