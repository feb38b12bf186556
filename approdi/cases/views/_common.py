"""What the case views share: loading the case for a page, the way back to a section of the case page,
a form on a page of its own, a service called for a form."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats

from approdi.core.forms import add_errors
from approdi.core.permissions import require_perm

from .. import selectors
from ..models import Case

WORK = "cases.work_on_case"
LEGAL = "cases.record_legal"
READ_LEGAL = "cases.view_legal"


def case_path() -> str:
    """The case page's path without its pk, for lists: each row adds ``<pk>/`` (one reverse per page, not per row)."""
    path = reverse("cases:case_detail", args=[0])
    assert path.endswith("/0/"), path  # the pk is the path's last segment (urls.py)
    return path[: -len("0/")]


def load_case(request, pk: int, perm: str) -> Case:
    """A page that reads the case (the case page, the plan's history, the services, the permit timeline): the
    case if the user sees it (404 otherwise, its reading audited), then ``perm`` on it (403 otherwise)."""
    require_perm(request, "cases.view_cases")
    case = selectors.case_detail(actor=request.user, pk=pk)
    require_perm(request, perm, case)
    return case


def case_for_action(request, pk: int, perm: str, *, prefetch: tuple = ()) -> Case:
    """A page that writes on the case: the same 404 and 403 as ``load_case``, but only what the action needs
    is loaded, and a post is audited by its service alone (a form shown is audited as a read)."""
    require_perm(request, "cases.view_cases")
    case = selectors.case_for_action(actor=request.user, pk=pk, prefetch=prefetch, shown=request.method != "POST")
    require_perm(request, perm, case)
    return case


def one(items, pk: int):
    """A record among the case's own, or 404: another case's record does not exist here."""
    for item in items:
        if item.pk == pk:
            return item
    raise Http404


def section(case: Case, anchor: str) -> str:
    return f"{reverse('cases:case_detail', kwargs={'pk': case.pk})}#{anchor}"


def back_to(case: Case, anchor: str):
    return redirect(section(case, anchor))


def name_of(user) -> str:
    return user.get_full_name() or user.username


def form_page(request, case: Case, form, *, title, submit, anchor, intro=""):
    """A form of its own page, with the way back to its section of the case."""
    context = {
        "case": case,
        "form": form,
        "title": title,
        "submit": submit,
        "intro": intro,
        "back": section(case, anchor),
    }
    return render(request, "cases/path_form.html", context)


def write(form, service, **kwargs):
    """Calls a service; its validation errors go on the form (a rule of the whole record, such as a closed
    case, on the form as a whole), and nothing is returned."""
    try:
        return service(**kwargs)
    except ValidationError as error:
        add_errors(form, error)
        return None


def day(value) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")
