"""Case routes of /api/v1/: the case and its team, transfers, notes, plan, services, integration, legal.

Thin handlers over ``approdi.cases.selectors`` and ``approdi.cases.services`` (the same the pages
call): they turn ids and usernames into records, call one selector or service with
``actor=request.user`` and shape the answer. Rules, validation, scoping and the audit trail live in
those modules: reading a case is audited by ``case_detail``, every write by its service, and reading
the notes or the services delivered is audited here, as a read of the case.

**Who.** A case is seen by its team, and by the Ufficio Filtro of the lead entity for the whole
programme. A case, or a record of a case, that the caller does not see answers **404** exactly like
one that does not exist (a colleague of the same organisation off the team included). A role that
may not take the action answers **403**: a role without cases (a coordinator), or a team member
without the right seat (an educator recording a permit, a legal advisor closing the case). Permits, legal
matters, hearings and their deadlines are kept to the legal advisors, the case manager and the Ufficio
Filtro: for the rest of the team the case answers them as null and the deadlines leave them out.

**Which programme.** As in every route: ``programme`` in the query, the ``X-Approdi-Programme``
header or the JSON body names the membership to act under, else the newest.

**Answers.** 201 for a record created, 200 with the record for a change, 204 for a seat ended; 422 for
a malformed request (a type, a choice, a date), 400 for data the service refuses (a transfer or a
share without the person's consent, an action owner off the team, a date before the case), 409 when
the case's state refuses it (a closed case, a transfer already waiting or already answered: often
another request got there first; changes of one case's state are serialised, so concurrent requests
get 409, never a half-closed case), all with the fields in error in the single envelope of
``errors.py``, in the caller's language. Nothing is written on a refusal.
"""

from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled
from ninja import Router, Status
from ninja.pagination import paginate

from approdi.accounts.models import Membership, User
from approdi.audit.services import record_view
from approdi.cases import selectors
from approdi.cases.models import Activity, Case, Continuation, Goal, LegalMatter, Permit, PlanAction, Transfer
from approdi.cases.services import case as case_services
from approdi.cases.services import delivery, integration, legal, plan
from approdi.core.permissions import require_perm

from ..common import CreatedOut, ErrorOut, LimitOffset
from . import inputs, schemas

router = Router(tags=["cases"])


VIEW, WORK, MANAGE, ASSIGN, LEGAL, READ_LEGAL = (
    "cases.view_cases",
    "cases.work_on_case",
    "cases.manage_case",
    "cases.assign_case",
    "cases.record_legal",
    "cases.view_legal",
)


# --- finding records -------------------------------------------------------------------------------


def _case(request: HttpRequest, id: int, perm: str = WORK) -> Case:
    """The case if the caller sees it (else 404, as if missing) and may do ``perm`` on it (else 403)."""
    require_perm(request, VIEW)
    case = selectors.cases_visible(actor=request.user).select_related("person", "programme").filter(pk=id).first()
    if case is None:
        raise Http404
    require_perm(request, perm, case)
    return case


def _of_case(request: HttpRequest, queryset: QuerySet, id: int, *, via: str, perm: str) -> Model:
    """A record of a case the caller sees (``via``: the path to its case), checked like the case itself."""
    require_perm(request, VIEW)
    visible = selectors.cases_visible(actor=request.user)
    found = queryset.filter(pk=id, **{f"{via}__in": visible}).select_related(f"{via}__person").first()
    if found is None:
        raise Http404
    case = found
    for step in via.split("__"):
        case = getattr(case, step)
    require_perm(request, perm, case)
    return found


def _colleague(case: Case, username: str, field: str) -> User:
    """A user of the case's programme, by username; anyone else is a field error."""
    user = User.objects.filter(
        username=username,
        is_active=True,
        pk__in=Membership.objects.acting().filter(programme_id=case.programme_id).values("user_id"),
    ).first()
    if user is None:
        raise ValidationError({field: [_("Nobody with this username works in the programme.")]})
    return user


@contextmanager
def _named(**names: str):
    """Puts a service's field errors under the body's names (its ``day`` is the body's ``date``)."""
    try:
        yield
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        # The same class: a conflict stays a conflict (409) under the body's names.
        raise type(error)({names.get(k, k): v for k, v in error.error_dict.items()}) from None


def _read(request: HttpRequest, case: Case, what: str) -> None:
    record_view(actor=request.user, obj=case, fields=[what])


# --- the case --------------------------------------------------------------------------------------


@router.get("/cases", response=schemas.CaseListOut)
@paginate(LimitOffset)
def list_cases(request, status: schemas.StatusFilter = "", code: str = ""):
    """The cases the caller sees (her team's; the whole programme for the Ufficio Filtro): ``{"items", "count"}``.

    ``status`` filters by status; ``code`` by the person's code, whole or its beginning (``AP-K7Q``, ``k7q``), or
    by an identifier mapped into the code space as the contacts' ``person_code`` is.
    """
    require_perm(request, VIEW)
    return selectors.case_list(actor=request.user, status=status, code=code)


@router.get("/cases/deadlines", response=list[schemas.DeadlineOut])
def my_deadlines(request):
    """Permits expiring and hearings falling within 30 days on the caller's open cases, soonest first."""
    require_perm(request, VIEW)
    return selectors.my_deadlines(actor=request.user)


@router.get("/my-work", response=schemas.MyWorkOut)
def my_work(request):
    """Today's appointments and hearings, overdue actions, deadlines, transfers to answer, reviews due."""
    require_perm(request, VIEW)
    return selectors.my_work(actor=request.user)


@router.get("/cases/{id}", response=schemas.CaseOut)
def case_detail(request, id: int):
    """The case with its team, plan, reviews, services, integration, permits, legal matters, appointments
    and transfers. The person is given by her code. Reading it is audited."""
    require_perm(request, VIEW)
    c = selectors.case_detail(actor=request.user, pk=id)
    return c  # permits and legal matters: null for whoever does not read them (the schema asks)


@router.post("/cases/{id}/assign", response={200: schemas.CaseSummaryOut, 409: ErrorOut})
def assign(request, id: int, payload: inputs.AssignIn):
    """The Ufficio Filtro gives the case to a case manager, whose organisation leads it from then on."""
    c = _case(request, id, ASSIGN)
    manager = _colleague(c, payload.case_manager, "case_manager")
    with _named(user="case_manager"):
        c = case_services.assign_case(actor=request.user, case=c, case_manager=manager)
    return c


@router.post("/cases/{id}/team", response={201: CreatedOut, 409: ErrorOut})
def add_to_team(request, id: int, payload: inputs.SeatIn):
    """Adds a named user to the team; a user of another organisation needs the person's consent to sharing."""
    c = _case(request, id, MANAGE)
    user = _colleague(c, payload.user, "user")
    seat = case_services.add_team_member(actor=request.user, case=c, user=user, role=payload.role)
    return Status(201, {"id": seat.pk})


@router.delete("/cases/{id}/team/{seat_id}", response={204: None})
def remove_from_team(request, id: int, seat_id: int):
    """Ends a seat on the team (revokes a share); who had access, and until when, stays on record."""
    c = _case(request, id, MANAGE)
    seat = c.members.filter(pk=seat_id).first()
    if seat is None:
        raise Http404
    case_services.remove_team_member(actor=request.user, case=c, seat=seat)
    return Status(204, None)


@router.post("/cases/{id}/transfers", response={201: schemas.TransferOut, 409: ErrorOut})
def request_transfer(request, id: int, payload: inputs.TransferIn):
    """Proposes the case to a named user of another organisation: it moves only when she accepts."""
    c = _case(request, id, MANAGE)
    receiver = _colleague(c, payload.to_user, "to_user")
    with _named(user="to_user"):
        transfer = case_services.request_transfer(actor=request.user, case=c, to_user=receiver, reason=payload.reason)
    return Status(201, transfer)


@router.post("/transfers/{id}/accept", response={200: schemas.CaseSummaryOut, 409: ErrorOut})
def accept_transfer(request, id: int, payload: inputs.AnswerIn):
    """The receiver takes the case on: her organisation leads it and she manages it."""
    require_perm(request, VIEW)
    transfer = selectors.transfer_for_receiver(actor=request.user, pk=id)
    return case_services.accept_transfer(actor=request.user, transfer=transfer, answer=payload.answer)


@router.post("/transfers/{id}/reject", response={200: schemas.TransferOut, 409: ErrorOut})
def reject_transfer(request, id: int, payload: inputs.AnswerIn):
    """The receiver declines, saying why."""
    require_perm(request, VIEW)
    transfer = selectors.transfer_for_receiver(actor=request.user, pk=id)
    return case_services.reject_transfer(actor=request.user, transfer=transfer, answer=payload.answer)


@router.post("/transfers/{id}/revoke", response={200: schemas.TransferOut, 409: ErrorOut})
def revoke_transfer(request, id: int):
    """The sender withdraws a transfer still waiting for an answer."""
    transfer = _of_case(request, Transfer.objects.all(), id, via="case", perm=MANAGE)
    return case_services.revoke_transfer(actor=request.user, transfer=transfer)


@router.post("/cases/{id}/status", response={200: schemas.CaseSummaryOut, 409: ErrorOut})
def set_status(request, id: int, payload: inputs.StatusIn):
    """Suspends an active case or resumes a suspended one (``/close`` closes it)."""
    c = _case(request, id, MANAGE)
    return case_services.set_status(actor=request.user, case=c, status=payload.status)


@router.post("/cases/{id}/close", response={200: schemas.CaseSummaryOut, 409: ErrorOut})
def close(request, id: int, payload: inputs.CloseIn):
    """Closes with an outcome; the person's exit record is written when it was her last open case."""
    c = _case(request, id, MANAGE)
    with _named(day="date"):
        c = case_services.close_case(actor=request.user, case=c, day=payload.date, outcome=payload.outcome)
    return c


# --- notes -----------------------------------------------------------------------------------------


@router.get("/cases/{id}/notes", response=list[schemas.NoteOut])
def notes(request, id: int):
    """The notes the caller may read: the team's, and those kept to her own role on the team."""
    c = _case(request, id)
    found = list(selectors.notes(actor=request.user, case=c))
    _read(request, c, "notes")
    return found


@router.get("/cases/{id}/paths", response=schemas.CasePathsOut)
def paths(request, id: int):
    """Paths that leave the project: transfers to another project of the network, assisted voluntary returns (their
    steps' dates), and the cases of the edition before and after it when it was continued. Read by the team (or the
    Ufficio Filtro); audited."""
    c = _case(request, id)
    answer = {
        "external_transfers": list(c.external_transfers.select_related("body").order_by("-sent_on", "-id")),
        "assisted_returns": list(c.assisted_returns.select_related("body").order_by("-requested_on", "-id")),
        "continued_from": None,
        "continued_in": None,
    }
    with scopes_disabled():  # the other case is of another edition
        before = Continuation.objects.filter(to_case=c).select_related("from_case__programme").first()
        after = Continuation.objects.filter(from_case=c).select_related("to_case__programme").first()
    if before is not None:
        answer["continued_from"] = {
            "case": before.from_case_id,
            "programme": before.from_case.programme.code,
            "day": before.day,
        }
    if after is not None:
        answer["continued_in"] = {"case": after.to_case_id, "programme": after.to_case.programme.code, "day": after.day}
    _read(request, c, "paths")
    return answer


@router.post("/cases/{id}/notes", response={201: schemas.NoteOut})
def write_note(request, id: int, payload: inputs.NoteIn):
    """A note; legal, psychological and health notes are always kept to the author's role on the team."""
    c = _case(request, id)
    with _named(day="date"):
        note = case_services.write_note(
            actor=request.user,
            case=c,
            day=payload.date,
            text=payload.text,
            domain=payload.domain,
            confidentiality=payload.confidentiality,
        )
    return Status(201, note)


# --- the individual plan and the appointments ------------------------------------------------------


@router.post("/cases/{id}/goals", response={201: CreatedOut})
def add_goal(request, id: int, payload: inputs.GoalIn):
    c = _case(request, id)
    goal = plan.add_goal(actor=request.user, case=c, domain=payload.domain, description=payload.description)
    return Status(201, {"id": goal.pk})


@router.post("/goals/{id}/actions", response={201: schemas.ActionOut})
def add_action(request, id: int, payload: inputs.ActionIn):
    """An action towards a goal, with its owner on the team and its due date."""
    goal = _of_case(request, Goal.objects.all(), id, via="case", perm=WORK)
    owner = _colleague(goal.case, payload.owner, "owner")
    action = plan.add_action(
        actor=request.user, goal=goal, description=payload.description, owner=owner, due=payload.due
    )
    return Status(201, action)


@router.post("/actions/{id}/done", response=schemas.ActionOut)
def complete_action(request, id: int, payload: inputs.DoneIn):
    action = _of_case(request, PlanAction.objects.select_related("owner"), id, via="goal__case", perm=WORK)
    with _named(done_on="date", day="date"):
        return plan.complete_action(actor=request.user, action=action, day=payload.date)


@router.post("/cases/{id}/reviews", response={201: CreatedOut})
def review(request, id: int, payload: inputs.ReviewIn):
    """A periodic review: each goal's status and progress at this date (the goals take the new status)."""
    c = _case(request, id)
    with _named(day="date"):
        review = plan.review_plan(
            actor=request.user,
            case=c,
            day=payload.date,
            summary=payload.summary,
            next_review=payload.next_review,
            progress={p.goal: (p.status, p.note) for p in payload.progress},
        )
    return Status(201, {"id": review.pk})


@router.post("/cases/{id}/appointments", response={201: schemas.AppointmentOut})
def add_appointment(request, id: int, payload: inputs.AppointmentIn):
    c = _case(request, id)
    operator = _colleague(c, payload.operator, "operator") if payload.operator else request.user
    appointment = plan.add_appointment(
        actor=request.user,
        case=c,
        starts_at=payload.starts_at,
        title=payload.title,
        place=payload.place,
        operator=operator,
    )
    return Status(201, appointment)


# --- services delivered ----------------------------------------------------------------------------


@router.get("/service-types", response=list[schemas.ServiceTypeOut])
def service_types(request):
    """The programme's reference list: code, name, unit and unit cost."""
    if not request.user.has_perm("cases.manage_service_types"):
        require_perm(request, VIEW)
    return list(selectors.service_types(actor=request.user).values("code", "name", "unit", "unit_cost", "active"))


@router.get("/cases/{id}/services", response=list[schemas.ServiceOut])
def services(request, id: int):
    """The services delivered to the person of the case, newest first, with their cost."""
    c = _case(request, id)
    found = list(c.services.select_related("service_type", "organisation", "operator"))
    _read(request, c, "services")
    return found


@router.post("/cases/{id}/services", response={201: schemas.ServiceOut})
def record_service(request, id: int, payload: inputs.ServiceIn):
    """A service the caller's organisation delivered; its unit cost is the list's on the day it is recorded."""
    c = _case(request, id)
    service_type = selectors.service_types(actor=request.user).filter(code=payload.service_type).first()
    if service_type is None:
        raise ValidationError({"service_type": [_("Choose a service of this programme's list.")]})
    with _named(day="date"):
        delivered = delivery.record_service(
            actor=request.user,
            case=c,
            service_type=service_type,
            day=payload.date,
            quantity=payload.quantity,
            duration_minutes=payload.duration_minutes,
            reason=payload.amend_reason,
        )
    return Status(201, delivered)


# --- integration -----------------------------------------------------------------------------------


@router.post("/cases/{id}/activities", response={201: schemas.ActivityOut})
def record_activity(request, id: int, payload: inputs.ActivityIn):
    """An Italian course, training, internship, work grant, job or housing outcome; ``kind`` decides
    which fields are required."""
    c = _case(request, id)
    fields = payload.dict(exclude={"programme", "kind"})
    activity = integration.record_activity(actor=request.user, case=c, kind=payload.kind, **fields)
    return Status(201, activity)


@router.patch("/activities/{id}", response=schemas.ActivityOut)
def update_activity(request, id: int, payload: inputs.ActivityPatch):
    """Changes the fields sent: attendance, the end, the certificate, completion."""
    activity = _of_case(request, Activity.objects.all(), id, via="case", perm=WORK)
    fields = payload.dict(exclude_unset=True, exclude={"programme"})
    return integration.update_activity(actor=request.user, activity=activity, **fields)


# --- legal -----------------------------------------------------------------------------------------


@router.post("/cases/{id}/permits", response={201: schemas.PermitOut})
def apply_for_permit(request, id: int, payload: inputs.PermitIn):
    """A permit application; with ``previous``, the renewal or conversion of that issued permit."""
    c = _case(request, id, LEGAL)
    previous = None
    if payload.previous is not None:
        previous = c.permits.filter(pk=payload.previous).first()
        if previous is None:
            raise ValidationError({"previous": [_("That permit belongs to another case.")]})
    permit = legal.apply_for_permit(
        actor=request.user,
        case=c,
        type=payload.type,
        application_date=payload.application_date,
        questura=payload.questura,
        previous=previous,
        change=payload.change,
    )
    return Status(201, permit)


@router.post("/permits/{id}/issue", response=schemas.PermitOut)
def issue_permit(request, id: int, payload: inputs.IssueIn):
    """The Questura issued it; a renewal or a conversion retires the permit it follows."""
    permit = _of_case(request, Permit.objects.select_related("previous"), id, via="case", perm=LEGAL)
    return legal.issue_permit(actor=request.user, permit=permit, issue_date=payload.issue_date, expiry=payload.expiry)


@router.post("/permits/{id}/refuse", response=schemas.PermitOut)
def refuse_permit(request, id: int):
    permit = _of_case(request, Permit.objects.all(), id, via="case", perm=LEGAL)
    return legal.refuse_permit(actor=request.user, permit=permit)


@router.post("/cases/{id}/legal-matters", response={201: schemas.LegalMatterOut})
def open_matter(request, id: int, payload: inputs.LegalMatterIn):
    """A complaint, a criminal proceeding or an asylum application."""
    c = _case(request, id, LEGAL)
    with _named(day="date"):
        matter = legal.open_matter(
            actor=request.user,
            case=c,
            kind=payload.kind,
            day=payload.date,
            authority=payload.authority,
            reference=payload.reference,
        )
    return Status(201, matter)


@router.post("/legal-matters/{id}/close", response=schemas.LegalMatterOut)
def close_matter(request, id: int, payload: inputs.CloseMatterIn):
    matter = _of_case(request, LegalMatter.objects.all(), id, via="case", perm=LEGAL)
    return legal.close_matter(actor=request.user, matter=matter, outcome=payload.outcome)


@router.post("/legal-matters/{id}/hearings", response={201: schemas.HearingOut})
def schedule_hearing(request, id: int, payload: inputs.HearingIn):
    """A court hearing, or the Commissione Territoriale's interview of an asylum application."""
    matter = _of_case(request, LegalMatter.objects.all(), id, via="case", perm=LEGAL)
    hearing = legal.schedule_hearing(
        actor=request.user, matter=matter, starts_at=payload.starts_at, place=payload.place, note=payload.note
    )
    return Status(201, hearing)
