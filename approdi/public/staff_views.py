"""The coordinators' pages: the public site's texts, per language, with what needs review."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from approdi.core.forms import add_errors
from approdi.core.permissions import require_perm

from . import desks as desk_services
from . import selectors, services
from .forms import DeskForm, TextsForm
from .languages import CODES, HTML_LANG, KEYS, LANGUAGES, NAMES, RIGHT_TO_LEFT, SOURCE
from .leaflet import SIZES
from .models import Desk


@login_required
def languages(request):
    require_perm(request, services.PERM)
    return render(request, "public/texts_list.html", {"states": selectors.review_states()})


@login_required
def leaflets(request):
    """The leaflets to print and hand out, for every member: the street units and the desks print them."""
    return render(request, "public/leaflets.html", {"languages": LANGUAGES, "sizes": list(SIZES)})


@login_required
def edit(request, language: str):
    require_perm(request, services.PERM)
    if language not in CODES:
        raise Http404
    rows = selectors.editing_rows(language)
    italian = rows if language == SOURCE else selectors.editing_rows(SOURCE)
    form = TextsForm(request.POST or None, language=language, current={k: r.text for k, r in rows.items()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.save_texts(
                actor=request.user,
                language=language,
                texts={key: data[key] for key in KEYS},
                reviewed=data.get("reviewed", False),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The texts in %(language)s are saved.") % {"language": NAMES[language]})
            return redirect("public_texts:edit", language=language)
    stale = selectors.keys_needing_review(language)
    entries = [
        {
            "field": form[key],
            "italian": italian[key].text if language != SOURCE and key in italian else "",
            "needs_review": key in stale,
        }
        for key in KEYS
    ]
    return render(
        request,
        "public/texts_edit.html",
        {
            "form": form,
            "entries": entries,
            "language": language,
            "language_name": NAMES[language],
            "html_lang": HTML_LANG[language],
            "direction": "rtl" if language in RIGHT_TO_LEFT else "ltr",
            "is_source": language == SOURCE,
        },
    )


@login_required
def desks(request):
    require_perm(request, services.PERM)
    return render(request, "public/desks.html", {"desks": selectors.desks()})


@login_required
def desk_edit(request, pk: int | None = None):
    require_perm(request, services.PERM)
    desk = get_object_or_404(Desk, pk=pk) if pk is not None else None
    initial = {}
    if desk is not None:
        initial = {field: getattr(desk, field) for field in desk_services.FIELDS} | {"weekdays": list(desk.weekdays)}
    form = DeskForm(request.POST or None, initial=initial, organisations=desk_services.desk_organisations())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            desk_services.save_desk(actor=request.user, desk=desk, **{**data, "weekdays": "".join(data["weekdays"])})
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The desk is saved: the public site lists it in every language."))
            return redirect("public_texts:desks")
    status = 400 if form.is_bound else 200
    return render(request, "public/desk_form.html", {"form": form, "desk": desk}, status=status)


@login_required
@require_POST
def desk_remove(request, pk: int):
    require_perm(request, services.PERM)
    desk_services.remove_desk(actor=request.user, desk=get_object_or_404(Desk, pk=pk))
    messages.success(request, _("The desk is removed from the public site."))
    return redirect("public_texts:desks")
