"""Case pages: the list, the case, a transfer sent to me, "My work"; the case page's actions are in
``case_actions``."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from approdi.core.paginator import CappedPaginator
from approdi.core.permissions import require_perm

from .. import deadlines, selectors
from ..forms.case_forms import AnswerForm, CaseFilterForm, RejectForm
from ..models import Transfer
from ..services import case as services
from . import case_actions
from .case_actions import put_errors
from .case_context import detail_context


def _next_deadline(case, today: date) -> dict | None:
    """The nearer of the case's permit expiry and next hearing, with its alert level."""
    found = []
    if case.next_permit_expiry:
        found.append((case.next_permit_expiry, "permit"))
    if case.next_hearing_at:
        found.append((timezone.localtime(case.next_hearing_at).date(), "hearing"))
    if not found:
        return None
    due, kind = min(found)
    return {"due": due, "kind": kind, "level": deadlines.level(due, today), "days_left": (due - today).days}


@login_required
def case_list(request):
    require_perm(request, "cases.view_cases")
    form = CaseFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    cases = selectors.with_next_deadline(
        selectors.case_list(actor=request.user, status=filters.get("status", ""), code=filters.get("code", "")),
        actor=request.user,
        today=today,
    )
    page = CappedPaginator(cases, 50).get_page(request.GET.get("page"))
    for case in page:
        case.next_deadline = _next_deadline(case, today)
    return render(request, "cases/case_list.html", {"page": page, "form": form})


@login_required
def case_detail(request, pk: int):
    case = case_actions.load_case(request, pk, "cases.work_on_case")
    return render(request, "cases/case_detail.html", detail_context(request, case))


@login_required
def transfer_inbox(request, pk: int):
    """A transfer sent to me: what I am asked to take on, and my answer. Anyone else gets 404."""
    require_perm(request, "cases.view_cases")
    transfer = selectors.transfer_for_receiver(actor=request.user, pk=pk)
    accept_form = AnswerForm(auto_id="accept_%s")
    reject_form = RejectForm(auto_id="reject_%s")
    if request.method == "POST":
        decision = request.POST.get("decision")
        if decision == "accept":
            accept_form = AnswerForm(request.POST, auto_id="accept_%s")
            if accept_form.is_valid():
                try:
                    case = services.accept_transfer(
                        actor=request.user, transfer=transfer, answer=accept_form.cleaned_data["answer"]
                    )
                except ValidationError as error:
                    put_errors(accept_form, error)
                else:
                    messages.success(request, _("You have accepted the case: your organisation leads it now."))
                    return redirect("cases:case_detail", pk=case.pk)
        elif decision == "reject":
            reject_form = RejectForm(request.POST, auto_id="reject_%s")
            if reject_form.is_valid():
                try:
                    services.reject_transfer(
                        actor=request.user, transfer=transfer, answer=reject_form.cleaned_data["answer"]
                    )
                except ValidationError as error:
                    put_errors(reject_form, error)
                else:
                    messages.success(request, _("You have refused the case: the sender reads your reason."))
                    return redirect("cases:my_work")
        else:
            messages.error(request, _("Choose whether to accept or refuse the case."))
    return render(
        request,
        "cases/transfer.html",
        {
            "transfer": transfer,
            "is_pending": transfer.status == Transfer.Status.PENDING,
            "accept_form": accept_form,
            "reject_form": reject_form,
        },
    )


@login_required
def my_work(request):
    require_perm(request, "cases.view_cases")
    work = selectors.my_work(actor=request.user)
    due = [{"deadline": d, "level": d.level(work.today), "days_left": d.days_left(work.today)} for d in work.deadlines]
    return render(request, "cases/my_work.html", {"work": work, "deadlines": due})


urlpatterns = [
    path("", case_list, name="case_list"),
    path("my-work/", my_work, name="my_work"),
    path("transfers/<int:pk>/", transfer_inbox, name="transfer"),
    path("<int:pk>/", case_detail, name="case_detail"),
    path("<int:pk>/assign/", case_actions.assign, name="case_assign"),
    path("<int:pk>/team/", case_actions.team_add, name="team_add"),
    path("<int:pk>/team/<int:seat>/remove/", case_actions.team_remove, name="team_remove"),
    path("<int:pk>/transfer/", case_actions.transfer_request, name="transfer_request"),
    path("<int:pk>/transfers/<int:transfer>/revoke/", case_actions.transfer_revoke, name="transfer_revoke"),
    path("<int:pk>/notes/", case_actions.note_add, name="note_add"),
    path("<int:pk>/status/", case_actions.status, name="case_status"),
    path("<int:pk>/close/", case_actions.close, name="case_close"),
]
