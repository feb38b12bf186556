"""The case: the list, the case page and what it posts (assignment, notes, suspension, closure), My work.

The team and transfers are in ``team``. Each action loads the case through the selector (an invisible
case is 404), then checks the permission (403), then calls the service. A refused form comes back on the
case page with its errors.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from approdi.accounts import notifications
from approdi.core.forms import add_errors
from approdi.core.paginator import CappedPaginator
from approdi.core.permissions import require_perm
from approdi.people.flag_forms import flag_panel
from approdi.people.flags import with_flags
from approdi.people.models import ConsentPurpose, ProgrammeRecord
from approdi.people.services import has_consent

from .. import deadlines, my_work_sections, selectors
from ..forms.case import AssignForm, CaseFilterForm, CloseForm, NoteForm, StatusForm, TeamMemberForm, TransferForm
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
from ..models import Case, Note, Transfer
from ..services import case as services
from ._common import back_to, case_for_action, case_path, load_case, name_of

# The case page ------------------------------------------------------------------------------------


def perms_on_case(user, case: Case) -> dict[str, bool]:
    return {
        "work": user.has_perm("cases.work_on_case", case),
        "manage": user.has_perm("cases.manage_case", case),
        "legal": user.has_perm("cases.record_legal", case),
        "read_legal": user.has_perm("cases.view_legal", case),
        "read": user.has_perm("cases.read_case", case),
    }


def detail_context(request, case: Case, *, error_section: str = "", **bound) -> dict:
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
        "documents": [],
    }
    with_flags([case.person])
    context |= flag_panel(user, case.person, back=request.get_full_path())
    if rights["read_legal"]:
        context["watched_permits"] = set(deadlines.watched_permits(case.permits.all()).values_list("pk", flat=True))
    if rights["read"]:  # the team, or whom opened the case in an emergency (break-glass: reading only)
        context["notes"] = list(selectors.notes(actor=user, case=case))
        context["diary"] = list(selectors.shelter_diary(actor=user, case=case))
        context["documents"] = documents = list(selectors.case_documents(actor=user, case=case))
        for document in documents:
            document.case = case  # the rule reads the case's manager
        context["removable_documents"] = {d.pk for d in documents if user.has_perm("cases.remove_document", d)}
    context |= _onward(user, case, rights, today, bound)
    context |= _returns(user, case, rights, today, bound)
    context |= _continuation(case)
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


def _onward(user, case: Case, rights: dict[str, bool], today: date, bound: dict) -> dict:
    """Transfers to another project of the network: the one under way with the form of its next step, and the
    follow-up a month after her arrival (the case is closed by then)."""
    transfers = list(case.external_transfers.all())
    current = next((t for t in transfers if t.under_way), None)
    follow = next((t for t in transfers if t.arrived_on and not t.followed_up_on), None)
    context: dict = {"external_transfers": transfers, "onward_current": current, "onward_follow": follow}
    if not rights["manage"]:
        return context
    if follow is not None:
        context["onward_follow_up_form"] = bound.get("onward_follow_up_form") or FollowUpForm(
            initial={"day": today}, auto_id="onward_follow_up_%s"
        )
    if case.status == Case.Status.CLOSED:
        return context
    refused = next((key for key in ("onward_form", "onward_answer_form", "onward_arrival_form") if key in bound), None)
    if refused is not None:  # the form just posted, with its errors, even if the transfer moved on meanwhile
        context[refused] = bound[refused]
    elif current is None:
        context["onward_form"] = ExternalTransferForm(
            bodies=selectors.receiving_projects(actor=user, case=case), auto_id="onward_%s"
        )
    elif current.answer == current.Answer.PENDING:
        context["onward_answer_form"] = ExternalAnswerForm(auto_id="onward_answer_%s")
    else:
        context["onward_arrival_form"] = ArrivalForm(auto_id="onward_arrival_%s")
    return context


# The next step of a return, the form that records it (the case is closed from her departure on).
RETURN_STEPS = {
    "answer": ("return_answer_form", ReturnAnswerForm),
    "documents": ("return_documents_form", ReturnDocumentsForm),
    "departed": ("return_departed_form", DepartureForm),
    "arrived": ("return_arrived_form", ReturnArrivalForm),
    "reintegration": ("return_reintegration_form", ReintegrationForm),
}
RETURN_FORMS = ("return_request_form", "return_withdraw_form", *(key for key, _form in RETURN_STEPS.values()))


def _returns(user, case: Case, rights: dict[str, bool], today: date, bound: dict) -> dict:
    """Assisted voluntary returns: each with its steps' dates, and the form of the next step of the current one."""
    items = list(case.assisted_returns.all())
    current = next((r for r in items if r.step), None)
    context: dict = {"assisted_returns": items, "return_current": current}
    if not rights["manage"]:
        return context
    refused = next((key for key in RETURN_FORMS if key in bound), None)
    if refused is not None:  # the form just posted, with its errors
        context[refused] = bound[refused]
        return context
    is_open = case.status != Case.Status.CLOSED
    if current is None:
        if is_open:
            context["return_request_form"] = ReturnRequestForm(
                bodies=selectors.return_bodies(actor=user, case=case),
                initial={"requested_on": today},
                auto_id="return_request_form_%s",
            )
        return context
    key, form_class = RETURN_STEPS[current.step]
    if is_open or current.step in ("arrived", "reintegration"):
        context[key] = form_class(initial={"day": today}, auto_id=f"{key}_%s")
    if current.under_way and is_open:
        context["return_withdraw_form"] = WithdrawReturnForm(initial={"day": today}, auto_id="return_withdraw_form_%s")
    return context


def _continuation(case: Case) -> dict:
    """The case it continues (of the edition before) and the case it continues in (of the next edition)."""
    found = {}
    for name in ("continued_from", "continued_in"):
        try:
            found[name] = getattr(case, name)
        except ObjectDoesNotExist:
            found[name] = None
    return found


def submit(request, case: Case, form, *, section: str, key: str, act: Callable[[dict], str]):
    """Runs ``act`` with the form's data; its answer is the success message. Errors stay on the form."""
    if form.is_valid():
        try:
            done = act(form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, done)
            return back_to(case, section)
    # Read the case again: a refused service may have changed the object before its transaction rolled back.
    fresh = selectors.case_detail(actor=request.user, pk=case.pk)
    return render(
        request, "cases/case_detail.html", detail_context(request, fresh, error_section=section, **{key: form})
    )


# The list -----------------------------------------------------------------------------------------


def _next_deadline(permit_expiry: date | None, hearing_at: datetime | None, today: date) -> dict | None:
    """The nearer of the case's permit expiry and next hearing, with its alert level."""
    found = []
    if permit_expiry:
        found.append((permit_expiry, "permit"))
    if hearing_at:
        found.append((timezone.localtime(hearing_at).date(), "hearing"))
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
    cases = selectors.case_list(actor=request.user, status=filters.get("status", ""), code=filters.get("code", ""))
    page = CappedPaginator(cases, 50).get_page(request.GET.get("page"))
    # The deadlines of the page's cases only, once the page is read (not of every case being sorted).
    page.object_list = list(page.object_list)
    found = selectors.next_deadlines(page.object_list, actor=request.user, today=today)
    for case in page:
        case.next_deadline = _next_deadline(*found.get(case.pk, (None, None)), today)
    with_flags(case.person for case in page)
    return render(request, "cases/case_list.html", {"page": page, "form": form, "case_path": case_path()})


@login_required
def case_detail(request, pk: int):
    case = load_case(request, pk, "cases.read_case")
    return render(request, "cases/case_detail.html", detail_context(request, case))


# What the case page posts -------------------------------------------------------------------------


@login_required
@require_POST
def assign(request, pk: int):
    case = case_for_action(request, pk, "cases.assign_case")
    users = selectors.case_manager_candidates(actor=request.user, case=case)
    form = AssignForm(request.POST, users=users, case=case, auto_id="assign_%s")

    def act(data) -> str:
        services.assign_case(actor=request.user, case=case, case_manager=data["case_manager"])
        return _("%(name)s manages the case now.") % {"name": name_of(data["case_manager"])}

    return submit(request, case, form, section="summary", key="assign_form", act=act)


@login_required
@require_POST
def note_add(request, pk: int):
    case = case_for_action(request, pk, "cases.work_on_case")
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

    return submit(request, case, form, section="notes", key="note_form", act=act)


@login_required
@require_POST
def status(request, pk: int):
    case = case_for_action(request, pk, "cases.manage_case")
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
    case = case_for_action(request, pk, "cases.manage_case")
    form = CloseForm(request.POST, auto_id="close_%s")

    def act(data) -> str:
        services.close_case(actor=request.user, case=case, day=data["day"], outcome=data["outcome"])
        exit_written = ProgrammeRecord.objects.filter(
            person_id=case.person_id, kind=ProgrammeRecord.Kind.EXIT, date=data["day"]
        ).exists()
        if exit_written:
            return _("The case is closed, and the person's exit record from the programme has been written.")
        return _("The case is closed. The person has other open cases: her exit record waits for the last one.")

    return submit(request, case, form, section="closure", key="close_form", act=act)


# My work ------------------------------------------------------------------------------------------

UNREAD_SHOWN = 50  # the newest events not yet seen; older ones wait below them


@login_required
def my_work(request):
    require_perm(request, "cases.view_cases")
    whole = request.GET.get("all", "")
    work = selectors.my_work(actor=request.user, shown=selectors.SHOWN, whole=whole)
    due = [{"deadline": d, "level": d.level(work.today), "days_left": d.days_left(work.today)} for d in work.deadlines]
    needs = notifications.summary(actor=request.user, today=work.today)
    unread = list(notifications.unread(actor=request.user)[:UNREAD_SHOWN])
    # What the apps above cases owe her (my_work_sections.py): the case conferences' actions.
    more = [render_to_string(s.template, s.context, request=request) for s in my_work_sections.sections(request)]
    context = {
        "work": work,
        "deadlines": due,
        "more": work.more(),
        "case_path": case_path(),
        "needs": needs,
        "unread": unread,
        "sections": more,
    }
    return render(request, "cases/my_work.html", context)
