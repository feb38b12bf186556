"""A transfer to another project of the network, from the case page: sent, answered, her arrival (which closes
the case), the follow-up a month later; and an assisted voluntary return, step by step. Each loads the case (404),
checks the permission (403), calls the service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from approdi.core.forms import add_errors

from .. import selectors
from ..forms.onward import (
    ArrivalForm,
    DepartureForm,
    ExternalAnswerForm,
    ExternalTransferForm,
    FollowUpForm,
    ReintegrationForm,
    ReturnAnswerForm,
    ReturnArrivalForm,
    ReturnDocumentsForm,
    ReturnRequestForm,
    WithdrawReturnForm,
)
from ..services import assisted_return as returns
from ..services import onward as services
from ._common import back_to, case_for_action, one
from .case import detail_context, submit

SECTION = "onward"
MANAGE = "cases.manage_case"


@login_required
@require_POST
def onward_send(request, pk: int):
    case = case_for_action(request, pk, MANAGE)
    bodies = selectors.receiving_projects(actor=request.user, case=case)
    form = ExternalTransferForm(request.POST, bodies=bodies, auto_id="onward_%s")

    def act(data) -> str:
        services.send_external_transfer(actor=request.user, case=case, body=data["body"], sent_on=data["sent_on"])
        return _("Transfer to %(project)s recorded: record its answer when it comes.") % {"project": data["body"]}

    return submit(request, case, form, section=SECTION, key="onward_form", act=act)


@login_required
@require_POST
def onward_answer(request, pk: int, transfer: int):
    case = case_for_action(request, pk, MANAGE)
    found = one(case.external_transfers.all(), transfer)
    form = ExternalAnswerForm(request.POST, auto_id="onward_answer_%s")

    def act(data) -> str:
        accepted = data["answer"] == "accepted"
        services.answer_external_transfer(actor=request.user, transfer=found, accepted=accepted, day=data["day"])
        if accepted:
            return _("Accepted: record the day she arrives, and the case closes as transferred.")
        return _("Refused: the case goes on here.")

    return submit(request, case, form, section=SECTION, key="onward_answer_form", act=act)


@login_required
@require_POST
def onward_arrived(request, pk: int, transfer: int):
    case = case_for_action(request, pk, MANAGE)
    found = one(case.external_transfers.all(), transfer)
    form = ArrivalForm(request.POST, auto_id="onward_arrival_%s")

    def act(data) -> str:
        services.record_arrival(actor=request.user, transfer=found, day=data["day"])
        return _("She arrived: the case is closed as transferred. Her follow-up is on your My work in a month.")

    return submit(request, case, form, section=SECTION, key="onward_arrival_form", act=act)


@login_required
@require_POST
def onward_follow_up(request, pk: int, transfer: int):
    """The follow-up, on a case that is closed by then: its own page section, with its errors."""
    case = case_for_action(request, pk, MANAGE)
    found = one(case.external_transfers.all(), transfer)
    form = FollowUpForm(request.POST, auto_id="onward_follow_up_%s")
    if form.is_valid():
        try:
            services.record_follow_up(
                actor=request.user, transfer=found, day=form.cleaned_data["day"], text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Follow-up recorded."))
            return back_to(case, SECTION)
    fresh = selectors.case_detail(actor=request.user, pk=case.pk)
    context = detail_context(request, fresh, error_section=SECTION, onward_follow_up_form=form)
    return render(request, "cases/case_detail.html", context)


# An assisted voluntary return ---------------------------------------------------------------------------------

RETURN = "return"


def _return_step(request, pk: int, item: int, form_class, key: str, act):
    case = case_for_action(request, pk, MANAGE)
    found = one(case.assisted_returns.all(), item)
    form = form_class(request.POST, auto_id=f"{key}_%s")
    return submit(request, case, form, section=RETURN, key=key, act=lambda data: act(found, data))


@login_required
@require_POST
def return_request(request, pk: int):
    case = case_for_action(request, pk, MANAGE)
    bodies = selectors.return_bodies(actor=request.user, case=case)
    form = ReturnRequestForm(request.POST, bodies=bodies, auto_id="return_request_%s")

    def act(data) -> str:
        returns.request_return(
            actor=request.user, case=case, body=data["body"], requested_on=data["requested_on"], notes=data["notes"]
        )
        return _("Request to %(body)s recorded: record IOM's answer when it comes.") % {"body": data["body"]}

    return submit(request, case, form, section=RETURN, key="return_request_form", act=act)


@login_required
@require_POST
def return_answer(request, pk: int, item: int):
    def act(found, data) -> str:
        accepted = data["answer"] == "accepted"
        returns.answer_return(
            actor=request.user, item=found, accepted=accepted, day=data["day"], reference=data["reference"]
        )
        if accepted:
            return _("Accepted by IOM: the case team is told. Record her travel documents when they are ready.")
        return _("Refused by IOM: the case goes on here.")

    return _return_step(request, pk, item, ReturnAnswerForm, "return_answer_form", act)


@login_required
@require_POST
def return_documents(request, pk: int, item: int):
    def act(found, data) -> str:
        returns.record_documents(
            actor=request.user, item=found, day=data["day"], departure_planned=data["departure_planned"]
        )
        return _("Travel documents and departure recorded: the case team is told.")

    return _return_step(request, pk, item, ReturnDocumentsForm, "return_documents_form", act)


@login_required
@require_POST
def return_departed(request, pk: int, item: int):
    def act(found, data) -> str:
        returns.confirm_departure(actor=request.user, item=found, day=data["day"])
        return _("Departure confirmed: the case is closed as an assisted voluntary return.")

    return _return_step(request, pk, item, DepartureForm, "return_departed_form", act)


@login_required
@require_POST
def return_arrived(request, pk: int, item: int):
    def act(found, data) -> str:
        returns.confirm_arrival(actor=request.user, item=found, day=data["day"])
        return _("Arrival confirmed: the reintegration follow-up is on your My work in three months.")

    return _return_step(request, pk, item, ReturnArrivalForm, "return_arrived_form", act)


@login_required
@require_POST
def return_reintegration(request, pk: int, item: int):
    def act(found, data) -> str:
        returns.record_reintegration(actor=request.user, item=found, day=data["day"], text=data["text"])
        return _("Reintegration follow-up recorded.")

    return _return_step(request, pk, item, ReintegrationForm, "return_reintegration_form", act)


@login_required
@require_POST
def return_withdraw(request, pk: int, item: int):
    def act(found, data) -> str:
        returns.withdraw_return(actor=request.user, item=found, day=data["day"])
        return _("Return withdrawn: the case goes on here.")

    return _return_step(request, pk, item, WithdrawReturnForm, "return_withdraw_form", act)
