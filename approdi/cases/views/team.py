"""The case team and transfers: a seat given or taken back, a transfer sent or revoked, and the page of
a transfer sent to me with my answer."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from approdi.core.forms import add_errors
from approdi.core.permissions import require_perm

from .. import selectors
from ..forms.case import AnswerForm, RejectForm, TeamMemberForm, TransferForm
from ..models import Transfer
from ..services import case as services
from ._common import back_to, case_for_action, name_of
from .case import submit


@login_required
@require_POST
def team_add(request, pk: int):
    case = case_for_action(request, pk, "cases.manage_case")
    users = selectors.team_candidates(actor=request.user, case=case)
    form = TeamMemberForm(request.POST, users=users, case=case, auto_id="team_%s")

    def act(data) -> str:
        seat = services.add_team_member(actor=request.user, case=case, user=data["user"], role=data["role"])
        return _("%(name)s is on the team as %(role)s.") % {
            "name": name_of(data["user"]),
            "role": seat.get_role_display(),
        }

    return submit(request, case, form, section="team", key="team_form", act=act)


@login_required
@require_POST
def team_remove(request, pk: int, seat: int):
    case = case_for_action(request, pk, "cases.manage_case")
    found = next((m for m in case.active_members if m.pk == seat), None)
    if found is None:
        raise Http404
    try:
        services.remove_team_member(actor=request.user, case=case, seat=found)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s is no longer on the team.") % {"name": name_of(found.user)})
    return back_to(case, "team")


@login_required
@require_POST
def transfer_request(request, pk: int):
    case = case_for_action(request, pk, "cases.manage_case")
    users = selectors.transfer_candidates(actor=request.user, case=case)
    form = TransferForm(request.POST, users=users, case=case, auto_id="transfer_%s")

    def act(data) -> str:
        services.request_transfer(actor=request.user, case=case, to_user=data["to_user"], reason=data["reason"])
        return _("Transfer sent to %(name)s: the case moves when she accepts.") % {"name": name_of(data["to_user"])}

    return submit(request, case, form, section="transfers", key="transfer_form", act=act)


@login_required
@require_POST
def transfer_revoke(request, pk: int, transfer: int):
    case = case_for_action(request, pk, "cases.manage_case")
    found = next((t for t in case.transfers.all() if t.pk == transfer), None)
    if found is None:
        raise Http404
    try:
        services.revoke_transfer(actor=request.user, transfer=found)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The transfer has been revoked."))
    return back_to(case, "transfers")


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
                    add_errors(accept_form, error)
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
                    add_errors(reject_form, error)
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
