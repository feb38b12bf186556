from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from approdi.core.permissions import require_perm

from . import selectors


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
