"""The coordinators' pages: the public site's texts, per language, with what needs review."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from approdi.core.forms import add_errors
from approdi.core.permissions import require_perm

from . import selectors, services
from .forms import TextsForm
from .languages import CODES, HTML_LANG, KEYS, LANGUAGES, NAMES, RIGHT_TO_LEFT, SOURCE
from .leaflet import SIZES


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
