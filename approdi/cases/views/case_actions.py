"""What the case page posts: assignment, team, transfers, notes, suspension and closure.

Each action loads the case through the selector (an invisible case is 404), then checks the permission
(403), then calls the service. A refused form comes back on the case page with its errors.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from approdi.core.forms import add_errors
from approdi.core.permissions import require_perm
from approdi.intake.models import ProgrammeRecord

from .. import selectors
from ..forms.case_forms import AssignForm, CloseForm, NoteForm, StatusForm, TeamMemberForm, TransferForm
from ..models import Case, Note
from ..services import case as services
from .case_context import detail_context


def load_case(request, pk: int, perm: str) -> selectors.CaseDetail:
    """The case if the user sees it (404 otherwise), then ``perm`` on it (403 otherwise)."""
    require_perm(request, "cases.view_cases")
    case = selectors.case_detail(actor=request.user, pk=pk)
    require_perm(request, perm, case)
    return case


def back_to(case: Case, section: str):
    return redirect(f"{reverse('cases:case_detail', args=[case.pk])}#{section}")


def name_of(user) -> str:
    return user.get_full_name() or user.username


def put_errors(form, error: ValidationError) -> None:
    """A service's errors on the form: by field when it names them, else on the form as a whole."""
    if hasattr(error, "error_dict"):
        add_errors(form, error)
    else:
        form.add_error(None, error.messages)


def _submit(request, case: Case, form, *, section: str, key: str, act: Callable[[dict], str]):
    """Runs ``act`` with the form's data; its answer is the success message. Errors stay on the form."""
    if form.is_valid():
        try:
            done = act(form.cleaned_data)
        except ValidationError as error:
            put_errors(form, error)
        else:
            messages.success(request, done)
            return back_to(case, section)
    # Read the case again: a refused service may have changed the object before its transaction rolled back.
    fresh = selectors.case_detail(actor=request.user, pk=case.pk)
    return render(
        request, "cases/case_detail.html", detail_context(request, fresh, error_section=section, **{key: form})
    )


@login_required
@require_POST
def assign(request, pk: int):
    case = load_case(request, pk, "cases.assign_case")
    users = selectors.case_manager_candidates(actor=request.user, case=case)
    form = AssignForm(request.POST, users=users, case=case, auto_id="assign_%s")

    def act(data) -> str:
        services.assign_case(actor=request.user, case=case, case_manager=data["case_manager"])
        return _("%(name)s manages the case now.") % {"name": name_of(data["case_manager"])}

    return _submit(request, case, form, section="summary", key="assign_form", act=act)


@login_required
@require_POST
def team_add(request, pk: int):
    case = load_case(request, pk, "cases.manage_case")
    users = selectors.team_candidates(actor=request.user, case=case)
    form = TeamMemberForm(request.POST, users=users, case=case, auto_id="team_%s")

    def act(data) -> str:
        seat = services.add_team_member(actor=request.user, case=case, user=data["user"], role=data["role"])
        return _("%(name)s is on the team as %(role)s.") % {
            "name": name_of(data["user"]),
            "role": seat.get_role_display(),
        }

    return _submit(request, case, form, section="team", key="team_form", act=act)


@login_required
@require_POST
def team_remove(request, pk: int, seat: int):
    case = load_case(request, pk, "cases.manage_case")
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
    case = load_case(request, pk, "cases.manage_case")
    users = selectors.transfer_candidates(actor=request.user, case=case)
    form = TransferForm(request.POST, users=users, case=case, auto_id="transfer_%s")

    def act(data) -> str:
        services.request_transfer(actor=request.user, case=case, to_user=data["to_user"], reason=data["reason"])
        return _("Transfer sent to %(name)s: the case moves when she accepts.") % {"name": name_of(data["to_user"])}

    return _submit(request, case, form, section="transfers", key="transfer_form", act=act)


@login_required
@require_POST
def transfer_revoke(request, pk: int, transfer: int):
    case = load_case(request, pk, "cases.manage_case")
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
@require_POST
def note_add(request, pk: int):
    case = load_case(request, pk, "cases.work_on_case")
    form = NoteForm(request.POST, auto_id="note_%s")

    def act(data) -> str:
        note = services.write_note(
            actor=request.user,
            case=case,
            day=data["day"],
            text=data["text"],
            domain=data["domain"],
            confidentiality=data["confidentiality"],
        )
        if note.confidentiality == Note.Confidentiality.ROLE:
            return _("Note saved: only the %(role)s seats of the team can read it.") % {
                "role": note.get_author_role_display()
            }
        return _("Note saved: the whole case team can read it.")

    return _submit(request, case, form, section="notes", key="note_form", act=act)


@login_required
@require_POST
def status(request, pk: int):
    case = load_case(request, pk, "cases.manage_case")
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to suspend or resume the case."))
        return back_to(case, "closure")
    try:
        services.set_status(actor=request.user, case=case, status=form.cleaned_data["status"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if case.status == Case.Status.SUSPENDED:
            messages.success(request, _("The case is suspended."))
        else:
            messages.success(request, _("The case is active again."))
    return back_to(case, "closure")


@login_required
@require_POST
def close(request, pk: int):
    case = load_case(request, pk, "cases.manage_case")
    form = CloseForm(request.POST, auto_id="close_%s")

    def act(data) -> str:
        services.close_case(actor=request.user, case=case, day=data["day"], outcome=data["outcome"])
        exit_written = ProgrammeRecord.objects.filter(
            person_id=case.person_id, kind=ProgrammeRecord.Kind.EXIT, date=data["day"]
        ).exists()
        if exit_written:
            return _("The case is closed, and the person's exit record from the programme has been written.")
        return _("The case is closed. The person has other open cases: her exit record waits for the last one.")

    return _submit(request, case, form, section="closure", key="close_form", act=act)
