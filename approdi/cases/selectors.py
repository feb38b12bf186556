"""Case reads, always for the acting user: the case team sees its cases; the Ufficio Filtro all of its programme."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db.models import Case as Case_
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, When, Window
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from approdi.accounts.actor import Actor
from approdi.accounts.rules import LEGAL_SEATS
from approdi.audit.models import Action, AuditEntry
from approdi.audit.services import record_view
from approdi.core import files
from approdi.core.conflicts import Conflict
from approdi.core.permissions import ensure
from approdi.directory.models import Body, BodyType
from approdi.people.models import Person
from approdi.people.person_code import NotEnoughFacts, code_search
from approdi.shelter.models import DiaryEntry

from . import deadlines
from .models import (
    Appointment,
    AssistedReturn,
    BreakGlass,
    Case,
    Document,
    ExternalTransfer,
    Goal,
    Hearing,
    LegalMatter,
    Note,
    PlanAction,
    Review,
    ServiceDelivery,
    ServiceType,
    TeamMember,
    Transfer,
)
from .models.break_glass import REFUSED_OBJECT_TYPE
from .models.onward import RECEIVING_TYPES, RETURN_TYPES

if TYPE_CHECKING:
    from typing import TypedDict

    from django_stubs_ext import WithAnnotations

    class _Team(TypedDict):
        active_members: list[TeamMember]

    CaseDetail = WithAnnotations[Case, _Team]  # a case as case_detail() loads it: with its current team


def _sees_whole_programme(actor: Actor) -> bool:
    return actor.has_perm("cases.assign_case")


def cases_visible(*, actor: Actor) -> QuerySet[Case]:
    ensure(actor, "cases.view_cases")
    cases = Case.objects.all()
    if not _sees_whole_programme(actor):
        # Her active seats, and the cases she opened in an emergency (break-glass) while the access lasts.
        seats = TeamMember.objects.filter(user=actor, removed_at__isnull=True).values("case_id")
        cases = cases.filter(Q(pk__in=seats) | Q(pk__in=emergency_cases(actor=actor)))
    return cases


def emergency_cases(*, actor: Actor):
    """Ids of the cases the actor opened in an emergency and still may read (the subquery of ``cases_visible``)."""
    return BreakGlass.objects.active().filter(user=actor).values("case_id")


def emergency_accesses(*, actor: Actor) -> list[BreakGlass]:
    """The actor's break-glass accesses in force, for the banner every page shows while one lasts."""
    if not actor.has_perm("cases.break_glass"):
        return []
    return list(
        BreakGlass.objects.active()
        .filter(user=actor, case__programme_id=actor.active_membership.programme_id)
        .select_related("case__person")
        .defer(*_unlisted("case__person"))
        .order_by("ends_at")
    )


def break_glass_review(*, actor: Actor) -> QuerySet[BreakGlass]:
    """Every emergency access of the programme, newest first, for the DPO (of a partner: its own cases')."""
    from approdi.accounts.scoping import is_network_wide

    ensure(actor, "cases.review_break_glass")
    grants = BreakGlass.objects.select_related("case__person", "case__lead_organisation", "user")
    membership = actor.active_membership
    if not is_network_wide(membership):
        grants = grants.filter(case__lead_organisation_id=membership.organisation_id)
    return grants.defer(*_unlisted("case__person")).order_by("-started_at", "-id")


def refused_emergency_accesses(*, actor: Actor) -> QuerySet[AuditEntry]:
    """The programme's emergency accesses refused (no such open case, no reason), newest first, for the DPO (of a
    partner: its own users' attempts)."""
    from approdi.accounts.scoping import is_network_wide

    ensure(actor, "cases.review_break_glass")
    membership = actor.active_membership
    attempts = AuditEntry.objects.filter(
        object_type=REFUSED_OBJECT_TYPE, action=Action.PERMISSION_DENIED, programme_id=membership.programme_id
    )
    if not is_network_wide(membership):
        attempts = attempts.filter(organisation_id=membership.organisation_id)
    return attempts.order_by("-at", "-id")


def legal_cases(cases: QuerySet[Case], *, actor: Actor) -> QuerySet[Case]:
    """Of ``cases``, those whose legal records (permits, legal matters, hearings, their deadlines) the actor
    reads: where she holds a legal seat (``rules.LEGAL_SEATS``, as ``cases.view_legal``), or all of them for the
    Ufficio Filtro of the lead entity."""
    if _sees_whole_programme(actor):
        return cases
    seats = TeamMember.objects.filter(user=actor, removed_at__isnull=True, role__in=LEGAL_SEATS)
    return cases.filter(pk__in=seats.values("case_id"))


_unlisted = Person.unlisted


_PERSON_UNLISTED = _unlisted("person")


def case_list(*, actor: Actor, status: str = "", code: str = "") -> QuerySet[Case]:
    """The cases the actor sees, in the order of the index ``case_list``; ``code``: see ``person_code.code_search``."""
    cases = (
        cases_visible(actor=actor)
        .select_related("person", "lead_organisation", "case_manager")
        .defer(*_PERSON_UNLISTED)
    )
    if status:
        cases = cases.filter(status=status)
    if code.strip():
        try:
            cases = cases.filter(code_search(code, "person__code"))
        except NotEnoughFacts:  # punctuation only: no code to look for
            cases = cases.none()
    return cases.order_by("status", "-start", "-id")


def case_detail(*, actor: Actor, pk: int) -> CaseDetail:
    """A case with its team, plan, services, integration and legal records. Reading it is audited."""
    case = (
        cases_visible(actor=actor)
        .select_related(
            "person",
            "lead_organisation",
            "case_manager",
            "programme",
            "continued_in__to_case__programme",
            "continued_from__from_case__programme",
        )
        .prefetch_related(
            Prefetch(
                "members",
                queryset=TeamMember.objects.filter(removed_at__isnull=True).select_related("user", "organisation"),
                to_attr="active_members",
            ),
            Prefetch("goals", queryset=Goal.objects.prefetch_related("actions__owner")),
            Prefetch(
                "reviews", queryset=Review.objects.select_related("reviewed_by").prefetch_related("progress__goal")
            ),
            Prefetch(
                "services", queryset=ServiceDelivery.objects.select_related("service_type", "organisation", "operator")
            ),
            "activities",
            "permits",
            Prefetch("legal_matters", queryset=LegalMatter.objects.prefetch_related("hearings")),
            Prefetch("appointments", queryset=Appointment.objects.select_related("operator")),
            Prefetch(
                "transfers",
                queryset=Transfer.objects.select_related("to_user", "to_organisation", "from_organisation"),
            ),
            Prefetch("external_transfers", queryset=ExternalTransfer.objects.select_related("body")),
            Prefetch("assisted_returns", queryset=AssistedReturn.objects.select_related("body")),
        )
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404
    case._approdi_seats = {m.user_id: m.role for m in case.active_members}
    record_view(actor=actor, obj=case, fields=["person"])
    return case


def case_for_action(*, actor: Actor, pk: int, prefetch: Iterable[str | Prefetch] = (), shown: bool = False) -> Case:
    """The case a write page acts on, seen as ``case_detail`` sees it (404 when the actor does not see it).

    Only the case, the person and the active team (what the permission rules read) are loaded, with
    ``prefetch`` when the action walks the case's records; anything else loads when it is read. A write is
    not audited as a read: the service's own audit row says who acted on the case. ``shown``: the page
    shows the case before anything is posted (a form and the record it changes), a read audited as the
    case page's.
    """
    case = (
        cases_visible(actor=actor)
        .select_related("person")
        .prefetch_related(
            Prefetch(
                "members",
                queryset=TeamMember.objects.filter(removed_at__isnull=True).select_related("user"),
                to_attr="active_members",
            ),
            *prefetch,
        )
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404
    case._approdi_seats = {m.user_id: m.role for m in case.active_members}
    if shown:
        record_view(actor=actor, obj=case, fields=["person"])
    return case


def seat_of(*, actor: Actor, case: Case) -> str | None:
    return case.seat_of(actor)


def _ensure_reads_case_records(actor: Actor, case: Case) -> None:
    """The team works on the case; a user who opened it in an emergency reads it (``cases.read_case``)."""
    ensure(actor, "cases.read_case", case)


def readable_on_case(*, actor: Actor, case: Case) -> Q:
    """Of a case's notes and documents, those the actor may read: the whole team's, those of her own role on
    the team, and her own. The one rule of ``Note.Confidentiality`` (and ``SPECIAL_STAY_WITH_THE_ROLE``)."""
    seat = seat_of(actor=actor, case=case)
    readable = Q(confidentiality=Note.Confidentiality.TEAM) | Q(author=actor)
    if seat is not None:
        readable |= Q(confidentiality=Note.Confidentiality.ROLE, author_role=seat)
    return readable


def notes(*, actor: Actor, case: Case) -> QuerySet[Note]:
    """The notes the actor may read: the team's, and those of her own role on the team (or her own)."""
    _ensure_reads_case_records(actor, case)
    return case.notes.filter(readable_on_case(actor=actor, case=case)).select_related("author")


def shelter_diary(*, actor: Actor, case: Case) -> QuerySet[DiaryEntry]:
    """The educators' diary of the person's stays, for her case team (and whom opened the case in an emergency)."""
    _ensure_reads_case_records(actor, case)
    return DiaryEntry.objects.filter(placement__person_id=case.person_id).select_related(
        "author", "placement__structure"
    )


def service_types(*, actor: Actor) -> QuerySet[ServiceType]:
    return ServiceType.objects.filter(programme_id=actor.active_membership.programme_id)


def team_candidates(*, actor: Actor, case: Case):
    """Users who may sit on the team: of the lead organisation, or of any partner if the person consented."""
    from approdi.accounts.models import User
    from approdi.people.models import ConsentPurpose
    from approdi.people.services import has_consent

    ensure(actor, "cases.manage_case", case)
    seats = case_seat_memberships(case)
    if not has_consent(case.person, ConsentPurpose.NETWORK_SHARING):
        seats = seats.filter(organisation_id=case.lead_organisation_id)
    return User.objects.filter(is_active=True, pk__in=seats.values("user_id")).order_by(
        "last_name", "first_name", "username"
    )


def case_seat_memberships(case: Case):
    """Memberships that may take a seat on the case: acting (approved, never at a law-enforcement body) and of a
    role that works on cases, in the case's programme. Every list of team, manager and transfer candidates
    starts here; the services' own check (``services.case._membership``) reads the same ``acting()``."""
    from approdi.accounts.models import Membership

    from .services.case import SEAT_FOR_ROLE

    return Membership.objects.acting().filter(programme_id=case.programme_id, role__in=list(SEAT_FOR_ROLE))


def transfer_for_receiver(*, actor: Actor, pk: int) -> Transfer:
    """A transfer sent to the actor: she sees what she is asked to take on, not the whole case."""
    found = (
        Transfer.objects.filter(pk=pk, to_user=actor)
        .select_related("case__person", "from_organisation", "requested_by")
        .first()
    )
    if found is None:
        raise Http404
    return found


SHOWN = 20  # each list of My work shows its most urgent 20; "N more" opens the whole list (``whole``)
# The lists My work bounds, by the name of the link that opens one whole (``?all=overdue``).
WHOLE_LISTS = {
    "overdue": "overdue_actions",
    "deadlines": "deadlines",
    "transfers": "transfers",
    "followups": "follow_ups",
    "reviews": "reviews_due",
}


@dataclass(frozen=True)
class OverdueAction:
    """An action of My work's list, read as a row: a list of hundreds builds no plan action, goal and case each."""

    id: int
    goal_id: int
    description: str
    due: date
    done_on: date | None
    case_id: int
    person_code: str
    owner: Actor  # hers by the filter


@dataclass
class MyWork:
    today: date
    appointments: list[Appointment] = field(default_factory=list)
    hearings_today: list[Hearing] = field(default_factory=list)
    overdue_actions: list[OverdueAction] = field(default_factory=list)
    deadlines: list[deadlines.Deadline] = field(default_factory=list)
    transfers: list[Transfer] = field(default_factory=list)
    reviews_due: list[Case] = field(default_factory=list)
    follow_ups: list[ExternalTransfer] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)  # by WHOLE_LISTS' key: how many the list holds in all

    def more(self) -> dict[str, int]:
        """By WHOLE_LISTS' key: how many of the list are not shown."""
        return {key: self.totals[key] - len(getattr(self, name)) for key, name in WHOLE_LISTS.items()}


def _most_urgent(rows: QuerySet, limit: int | None) -> tuple[list, int]:
    """The first ``limit`` of ``rows`` (all of them if None) and how many there are, in the same statement."""
    if limit is None:
        found = list(rows)
        return found, len(found)
    found = list(rows.annotate(_total=Window(Count("pk")))[:limit])
    if not found:
        return found, 0
    first = found[0]
    return found, first["_total"] if isinstance(first, dict) else first._total


def my_deadlines(*, actor: Actor, today: date | None = None) -> list[deadlines.Deadline]:
    """Permits expiring and hearings falling within 30 days on the actor's open cases where she reads them."""
    ensure(actor, "cases.view_cases")
    return deadlines.upcoming(
        cases=legal_cases(_my_open_cases(actor), actor=actor), today=today or timezone.localdate()
    )


def _my_open_cases(actor: Actor) -> QuerySet[Case]:
    seats = TeamMember.objects.filter(user=actor, removed_at__isnull=True).values("case_id")
    return Case.objects.filter(pk__in=seats).exclude(status=Case.Status.CLOSED)


def my_work(*, actor: Actor, today: date | None = None, shown: int | None = None, whole: str = "") -> MyWork:
    """Today's appointments and hearings, overdue actions, deadlines of the actor's cases, transfers to answer.

    ``shown``: each list of WHOLE_LISTS keeps its most urgent ``shown`` (most overdue, soonest first), except the
    one named by ``whole``; ``totals`` says how many each holds. None: every list whole (the API)."""
    ensure(actor, "cases.view_cases")
    today = today or timezone.localdate()

    def limit(key: str) -> int | None:
        return None if key == whole else shown

    zone = timezone.get_current_timezone()
    day_start = datetime.combine(today, time.min, tzinfo=zone)
    day_end = day_start + timedelta(days=1)
    mine = _my_open_cases(actor)
    work = MyWork(today=today)
    work.appointments = list(
        Appointment.objects.filter(operator=actor, starts_at__gte=day_start, starts_at__lt=day_end)
        .select_related("case__person", "operator")
        .defer(*_unlisted("case__person"))
    )
    legal = legal_cases(mine, actor=actor)
    upcoming, hearings = deadlines.upcoming_and_hearings(cases=legal, today=today)
    work.hearings_today = [h for h in hearings if h.starts_at < day_end]  # from today on, by the same calendar
    overdue = (
        PlanAction.objects.filter(owner=actor, done_on__isnull=True, due__lt=today)
        .exclude(goal__case__status=Case.Status.CLOSED)  # a closed case's plan is history, not work
        .order_by("due", "pk")
        .values("id", "goal_id", "description", "due", "done_on", "goal__case_id", "goal__case__person__code")
    )
    rows, work.totals["overdue"] = _most_urgent(overdue, limit("overdue"))
    work.overdue_actions = [
        OverdueAction(
            id=row["id"],
            goal_id=row["goal_id"],
            description=row["description"],
            due=row["due"],
            done_on=row["done_on"],
            case_id=row["goal__case_id"],
            person_code=row["goal__case__person__code"],
            owner=actor,
        )
        for row in rows
    ]
    work.totals["deadlines"] = len(upcoming)  # within 30 days: a few, sorted in Python with the hearings
    work.deadlines = upcoming[: limit("deadlines")]
    transfers = (
        Transfer.objects.filter(to_user=actor, status=Transfer.Status.PENDING)
        .select_related("case__person", "from_organisation", "to_organisation", "to_user")
        .defer(*_unlisted("case__person"))
        .order_by("requested_at", "pk")
    )
    work.transfers, work.totals["transfers"] = _most_urgent(transfers, limit("transfers"))
    first_due = Review.objects.filter(case=OuterRef("pk"), next_review__lte=today).order_by("next_review")
    reviews = (
        mine.annotate(review_due=Subquery(first_due.values("next_review")[:1]))
        .filter(review_due__isnull=False)
        .exclude(Exists(Review.objects.filter(case=OuterRef("pk"), date__gte=today)))
        .select_related("person")
        .only("type", "person__code")
        .order_by("review_due", "pk")
    )
    work.reviews_due, work.totals["reviews"] = _most_urgent(reviews, limit("reviews"))
    # A month after she arrived at another project: her case is closed, her case manager asks how she is.
    follow_ups = (
        ExternalTransfer.objects.filter(case__case_manager=actor, followed_up_on__isnull=True, follow_up_due__lte=today)
        .select_related("case__person", "body")
        .defer(*_unlisted("case__person"))
        .order_by("follow_up_due", "pk")
    )
    work.follow_ups, work.totals["followups"] = _most_urgent(follow_ups, limit("followups"))
    return work


def receiving_projects(*, actor: Actor, case: Case) -> QuerySet[Body]:
    """The directory's projects of the network a person of the case may be transferred to."""
    ensure(actor, "cases.manage_case", case)
    return Body.objects.filter(programme_id=case.programme_id, type__in=RECEIVING_TYPES).order_by("name", "id")


def case_manager_candidates(*, actor: Actor, case: Case):
    """Users the Ufficio Filtro may give the case to: anyone working on cases in the programme."""
    from approdi.accounts.models import User

    ensure(actor, "cases.assign_case", case)
    return User.objects.filter(is_active=True, pk__in=case_seat_memberships(case).values("user_id")).order_by(
        "last_name", "first_name", "username"
    )


def transfer_candidates(*, actor: Actor, case: Case):
    """Users of the other organisations of the programme who work on cases (the service checks consent)."""
    from approdi.accounts.models import Membership, User

    ensure(actor, "cases.manage_case", case)
    at_the_lead = Membership.objects.filter(
        programme_id=case.programme_id, organisation_id=case.lead_organisation_id
    ).values("user_id")
    return (
        User.objects.filter(is_active=True, pk__in=case_seat_memberships(case).values("user_id"))
        .exclude(pk__in=at_the_lead)
        .order_by("last_name", "first_name", "username")
    )


def next_deadlines(
    cases: Iterable[Case], *, actor: Actor, today: date
) -> dict[int, tuple[date | None, datetime | None]]:
    """Of each of ``cases`` (a page already read), by id: the next expiry of the permits
    ``deadlines.watched_permits`` watch and the next hearing from today on. One query whatever the page's length,
    whose two subqueries run for the page's cases only, never for the whole list being sorted. Both stay empty on
    the cases whose legal records the actor does not read."""
    from django.db.models import OuterRef, Subquery

    from .models import Permit

    ids = [case.pk for case in cases]
    if not ids:
        return {}
    zone = timezone.get_current_timezone()
    day_start = datetime.combine(today, time.min, tzinfo=zone)
    readable = legal_cases(Case.objects.all(), actor=actor)
    permits = deadlines.watched_permits(Permit.objects.filter(case=OuterRef("pk"), case__in=readable)).order_by(
        "expiry"
    )
    hearings = Hearing.objects.filter(
        matter__case=OuterRef("pk"), matter__case__in=readable, starts_at__gte=day_start
    ).order_by("starts_at")
    rows = (
        Case.objects.filter(pk__in=ids)
        .annotate(
            permit_expiry=Subquery(permits.values("expiry")[:1]),
            hearing_at=Subquery(hearings.values("starts_at")[:1]),
        )
        .values_list("pk", "permit_expiry", "hearing_at")
    )
    return {pk: (expiry, hearing) for pk, expiry, hearing in rows}


# Documents ----------------------------------------------------------------------------------------


def case_documents(*, actor: Actor, case: Case) -> QuerySet[Document]:
    """The case's documents the actor may read (the notes' rule), without the removed ones; whom opened the case in
    an emergency reads the team's, as she reads its notes."""
    _ensure_reads_case_records(actor, case)
    return (
        case.kept_documents.filter(removed_at__isnull=True)
        .filter(readable_on_case(actor=actor, case=case))
        .select_related("author")
    )


def person_documents(*, actor: Actor, person: Person) -> QuerySet[Document]:
    """The documents of the person's record (not of one of her cases), for the Ufficio Filtro."""
    ensure(actor, "cases.person_documents")
    return person.kept_documents.filter(case__isnull=True, removed_at__isnull=True).select_related("author")


def readable_document(*, actor: Actor, pk: int) -> Document:
    """A document the actor may read, or 404 (whether it does not exist, was removed or is not hers to read)."""
    document = Document.objects.select_related("person").filter(pk=pk, removed_at__isnull=True).first()
    if document is None:
        raise Http404
    if document.case_id is None:
        if not actor.has_perm("cases.person_documents"):
            raise Http404
        return document
    if not actor.has_perm("cases.view_cases"):
        raise Http404
    case = (
        cases_visible(actor=actor)
        .prefetch_related(
            Prefetch(
                "members",
                queryset=TeamMember.objects.filter(removed_at__isnull=True),
                to_attr="active_members",
            )
        )
        .filter(pk=document.case_id)
        .first()
    )
    if case is None:
        raise Http404
    case._approdi_seats = {m.user_id: m.role for m in case.active_members}
    if not actor.has_perm("cases.read_case", case):
        raise Http404
    if not case.kept_documents.filter(pk=document.pk).filter(readable_on_case(actor=actor, case=case)).exists():
        raise Http404
    document.case = case
    return document


def document_content(*, actor: Actor, pk: int) -> tuple[Document, bytes]:
    """A document and its file, decrypted, for the actor who may read it; every download is audited."""
    document = readable_document(actor=actor, pk=pk)
    try:
        content = files.load(document.stored_as)
    except (OSError, ValueError) as error:  # the file is missing, or its key was removed from the settings
        raise Conflict(
            _(
                "The file of this document cannot be read (it is missing, or its key was removed): ask the "
                "administrator to restore it from a backup."
            )
        ) from error
    record_view(actor=actor, obj=document, fields=["file"])
    return document, content


def removed_documents(*, actor: Actor) -> QuerySet[Document]:
    """Removed documents whose files wait for the DPO's purge, oldest removal first (no content, no name)."""
    ensure(actor, "cases.purge_documents")
    return (
        Document.objects.filter(removed_at__isnull=False, purged_at__isnull=True)
        .select_related("person", "removed_by")
        .defer(*Person.unlisted("person"))
        .order_by("removed_at", "pk")
    )


def return_bodies(*, actor: Actor, case: Case) -> QuerySet[Body]:
    """The directory's IOM entries (and whom acts for it) a return of the case may be asked of, IOM first."""
    ensure(actor, "cases.manage_case", case)
    bodies = Body.objects.filter(programme_id=case.programme_id, type__in=RETURN_TYPES)
    return bodies.annotate(iom_first=Case_(When(type=BodyType.IOM, then=0), default=1)).order_by(
        "iom_first", "name", "id"
    )


def cases_to_continue(*, actor: Actor) -> tuple[list, list[Case], list]:
    """For the coordinator acting in an edition: the editions before it she coordinates, their cases still open
    (her code, never her identity), and the cases continued into this edition already."""
    from approdi.network.models import Programme

    from .models import Continuation
    from .services.continuation import earlier_editions

    editions: list[Programme] = earlier_editions(actor=actor)
    with scopes_disabled():
        open_cases = list(
            Case.objects.filter(programme__in=editions, continued_in__isnull=True)
            .exclude(status=Case.Status.CLOSED)
            .select_related("person", "programme", "lead_organisation")
            .defer(*Person.unlisted("person"))
            .order_by("programme__start", "start", "pk")
        )
        done = list(
            Continuation.objects.filter(to_case__programme=actor.active_membership.programme)
            .select_related("from_case__programme", "to_case__person")
            .defer(*Person.unlisted("to_case__person"))
            .order_by("-day", "-pk")
        )
    return editions, open_cases, done
