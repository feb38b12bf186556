"""What the case page shows to the acting user: her rights on the case and the forms she may use."""

from __future__ import annotations

from django.utils import timezone

from approdi.intake.models import ConsentPurpose
from approdi.intake.services import has_consent

from .. import selectors
from ..forms.case_forms import AssignForm, CloseForm, NoteForm, TeamMemberForm, TransferForm
from ..models import Case, Transfer


def perms_on_case(user, case: Case) -> dict[str, bool]:
    return {
        "work": user.has_perm("cases.work_on_case", case),
        "manage": user.has_perm("cases.manage_case", case),
        "legal": user.has_perm("cases.record_legal", case),
        "read_legal": user.has_perm("cases.view_legal", case),
    }


def detail_context(request, case: selectors.CaseDetail, *, error_section: str = "", **bound) -> dict:
    """The case page. ``bound`` replaces a blank form by the one just posted, with its errors."""
    user = request.user
    today = timezone.localdate()
    rights = perms_on_case(user, case)
    is_open = case.status != Case.Status.CLOSED
    seat = selectors.seat_of(actor=user, case=case)
    transfers = list(case.transfers.all())
    pending = next((t for t in transfers if t.status == Transfer.Status.PENDING), None)
    context = {
        "case": case,
        "perms_on_case": rights,
        "is_open": is_open,
        "seat": seat,
        "transfers": transfers,
        "pending_transfer": pending,
        "error_section": error_section,
        "notes": [],
        "diary": [],
    }
    if rights["work"]:
        context["notes"] = list(selectors.notes(actor=user, case=case))
        context["diary"] = list(selectors.shelter_diary(actor=user, case=case))
    if not is_open:
        return context
    if seat is not None:
        context["note_form"] = bound.get("note_form") or NoteForm(initial={"day": today}, auto_id="note_%s")
    if user.has_perm("cases.assign_case", case):
        context["assign_form"] = bound.get("assign_form") or AssignForm(
            users=selectors.case_manager_candidates(actor=user, case=case),
            case=case,
            initial={"case_manager": case.case_manager_id},
            auto_id="assign_%s",
        )
    if rights["manage"]:
        context["shared_consent"] = has_consent(case.person, ConsentPurpose.NETWORK_SHARING)
        on_team = [m.user_id for m in case.active_members]
        context["team_form"] = bound.get("team_form") or TeamMemberForm(
            users=selectors.team_candidates(actor=user, case=case).exclude(pk__in=on_team),
            case=case,
            auto_id="team_%s",
        )
        if pending is None or "transfer_form" in bound:
            context["transfer_form"] = bound.get("transfer_form") or TransferForm(
                users=selectors.transfer_candidates(actor=user, case=case), case=case, auto_id="transfer_%s"
            )
        context["close_form"] = bound.get("close_form") or CloseForm(initial={"day": today}, auto_id="close_%s")
    return context
