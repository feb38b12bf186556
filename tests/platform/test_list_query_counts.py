"""Every list page and API list answers in as many queries for 12 rows as for 2 (issue #20: no N+1).

Each route is read twice by the same user: with 2 rows of what it lists, then with 12; the counts must be equal.
The routes are listed explicitly (``PAGES``, ``API``) beside the rows each one lists; ``test_every_list_is_pinned``
walks the URLconf and the API schema so that a new list cannot be added without a pin here, or a reason in
``NOT_LISTS`` that it lists nothing growing. The first call of each client warms it up: a token's first use writes
its last use (once a minute), and a session's first page reads what later pages find cached.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from itertools import count

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from approdi.accounts.models import Notification
from approdi.accounts.services import issue_token
from approdi.audit.services import record_view
from approdi.cases.models import (
    Appointment,
    BreakGlass,
    Case,
    Document,
    Goal,
    Note,
    PlanAction,
    ServiceDelivery,
    TeamMember,
)
from approdi.directory.models import Body, Protocol, Referent
from approdi.intake.models import CaseConference, ErasureRequest, FollowUpAction
from approdi.oncall.models import OnCallShift
from approdi.outreach.models import Contact, Outing, Referral
from approdi.people.models import Person
from approdi.shelter.models import PlacementRequest, Structure
from approdi.shelter.services import sync_beds
from tests.builders import registered_person, verified_client
from tests.builders.case_world import build_case_world
from tests.builders.shelter import place
from tests.platform.test_every_route import COLLECTION_ROUTES, api_paths

pytestmark = pytest.mark.django_db

FEW, MANY = 2, 12
_serial = count(1)


# --- what the lists show: ``n`` more rows of one kind -----------------------------------------------------------


def _contacts(w, n: int, channel: str = "street") -> None:
    with scopes_disabled():
        Contact.objects.bulk_create(
            Contact(
                programme=w.network.programme,
                organisation=w.network.partner,
                channel=channel,
                date=date(2024, 3, 1) + timedelta(days=next(_serial) % 200),
                area=w.network.area,
                person_code=f"AP-LIST{next(_serial):05d}",
                created_by=w.outreach,
            )
            for _ in range(n)
        )


def _accesses(w, n: int) -> None:
    _contacts(w, n, channel="drop_in")


def _outings(w, n: int) -> None:
    with scopes_disabled():
        for _ in range(n):
            outing = Outing.objects.create(
                programme=w.network.programme,
                organisation=w.network.partner,
                team="Unità notturna",
                date=date(2024, 3, 5),
                shift="night",
                area=w.network.area,
                created_by=w.outreach,
            )
            outing.operators.add(w.outreach)


def _referrals(w, n: int) -> None:
    urgencies = ("routine", "priority", "immediate")
    with scopes_disabled():
        Referral.objects.bulk_create(
            Referral(
                programme=w.network.programme,
                organisation=w.network.partner,
                date=date(2024, 3, 2),
                source_type="police",
                person_code=f"AP-REF{next(_serial):05d}",
                urgency=urgencies[i % 3],
                given_name="Blessing",
                assignee=w.world.filtro if i % 2 else None,
                created_by=w.outreach,
            )
            for i in range(n)
        )


def _people(w, n: int) -> list[Person]:
    return [
        registered_person(w.network, code=f"AP-PERS{next(_serial):05d}", created_by=w.world.filtro) for _ in range(n)
    ]


def _cases(w, n: int) -> None:
    """Cases managed by the world's case manager, each with a note, an overdue action and an appointment today."""
    today = timezone.localdate()
    with scopes_disabled():
        for person in _people(w, n):
            case = Case.objects.create(
                programme=w.network.programme,
                person=person,
                lead_organisation=w.network.partner,
                case_manager=w.world.manager,
                type="territorial",
                start=date(2024, 2, 1),
            )
            TeamMember.objects.create(
                case=case,
                user=w.world.manager,
                organisation=w.network.partner,
                role="case_manager",
                added_by=w.world.filtro,
            )
            Note.objects.create(
                case=case, date=date(2024, 3, 1), author_role="case_manager", text="Colloquio", author=w.world.manager
            )
            goal = Goal.objects.create(case=case, domain="work", description="Lavoro", created_by=w.world.manager)
            PlanAction.objects.create(goal=goal, description="CV", owner=w.world.manager, due=today - timedelta(days=3))
            Appointment.objects.create(
                case=case,
                starts_at=timezone.make_aware(datetime.combine(today, time(10))),
                title="Colloquio",
                operator=w.world.manager,
                created_by=w.world.manager,
            )


def _needs(w, n: int) -> None:
    """What needs the case manager (My work's "What needs you"): events not yet seen, conference actions due."""
    today = timezone.localdate()
    manager = w.world.manager
    with scopes_disabled():
        for person in _people(w, n):
            Notification.objects.create(
                programme=w.network.programme, recipient=manager, kind="assigned", code=person.code, path="/cases/"
            )
            conference = CaseConference.objects.create(
                person=person, date=today, decisions="Percorso", created_by=w.world.filtro
            )
            FollowUpAction.objects.create(conference=conference, description="Questura", owner=manager, due=today)


def _case_records(w, n: int) -> None:
    """Notes and services delivered on the world's case (its own lists: the case's notes, its services)."""
    case, manager = w.world.case, w.world.manager
    with scopes_disabled():
        for _ in range(n):
            Note.objects.create(
                case=case, date=date(2024, 3, 1), author_role="case_manager", text="Colloquio", author=manager
            )
            ServiceDelivery.objects.create(
                case=case,
                service_type=w.world.interview,
                date=date(2024, 3, 1),
                unit_cost="35.00",
                organisation=w.network.partner,
                operator=manager,
            )


def _audit(w, n: int) -> None:
    with scopes_disabled():
        for person in _people(w, n):
            record_view(actor=w.world.filtro, obj=person, fields=["given_name"])


def _erasure_requests(w, n: int) -> None:
    """Requests of erasure of the world's person, each recorded by the DPO."""
    with scopes_disabled():
        for _ in range(n):
            ErasureRequest.objects.create(
                programme=w.network.programme,
                person=w.world.person,
                person_code=w.world.person.code,
                kind="anonymise",
                received_on=date(2025, 1, 2),
                requested_by=w.auditor,
            )


def _emergency_accesses(w, n: int) -> None:
    """Emergency accesses to the world's case, each by an on-call educator of her own."""
    now = timezone.now()
    with scopes_disabled():
        for _ in range(n):
            serial = next(_serial)
            BreakGlass.objects.create(
                case=w.world.case,
                user=w.make_user(f"glass{serial}", w.network.other, "shelter", w.network.programme),
                role="shelter",
                reason="Chiamata notturna urgente",
                started_at=now - timedelta(hours=serial),
                ends_at=now - timedelta(hours=serial) + timedelta(hours=4),
            )


def _removed_documents(w, n: int) -> None:
    """Documents of the world's case, removed and waiting for the DPO's purge."""
    case, manager = w.world.case, w.world.manager
    with scopes_disabled():
        for _ in range(n):
            Document.objects.create(
                person=case.person,
                case=case,
                kind="other",
                date=date(2024, 3, 1),
                domain="general",
                confidentiality="team",
                author_role="case_manager",
                content_type="application/pdf",
                size=9,
                stored_as=f"{next(_serial):032x}",
                author=manager,
                removed_at=timezone.now(),
                removed_by=manager,
            )


def _shifts(w, n: int) -> None:
    """Night shifts of the coming days, each taken by a colleague of her own."""
    night = timezone.make_aware(datetime.combine(timezone.localdate(), time(20)))
    with scopes_disabled():
        for _ in range(n):
            serial = next(_serial)
            OnCallShift.objects.create(
                programme=w.network.programme,
                organisation=w.network.lead,
                user=w.make_user(f"oncall{serial}", w.network.lead, "shelter", w.network.programme),
                phone="+39 02 0000 0000",
                start=night + timedelta(days=serial % 20),
                end=night + timedelta(days=serial % 20, hours=10),
                created_by=w.world.coordinator,
            )


def _structures(w, n: int, beds: int = 1) -> list[Structure]:
    """Structures of the partner in the programme, with their beds."""
    made = []
    with scopes_disabled():
        for _ in range(n):
            structure = Structure.objects.create(
                code=f"S-LIST{next(_serial):04d}",
                name="Casa",
                organisation=w.network.partner,
                type="women",
                gender="women",
                area=w.network.area,
                beds=beds,
            )
            structure.programmes.set([w.network.programme])
            sync_beds(structure)
            made.append(structure)
    return made


def _stays(w, n: int) -> None:
    """People in reception for long enough to be past the first stage's length and near 18 months on a path."""
    (structure,) = _structures(w, 1, beds=n)
    for person in _people(w, n):
        place(w.world.filtro, person, structure, start=timezone.localdate() - timedelta(days=540))


def _requests(w, n: int) -> None:
    """Open requests for a place, urgent or not."""
    with scopes_disabled():
        PlacementRequest.objects.bulk_create(
            PlacementRequest(programme=w.network.programme, person=person, stage="first", urgent=i % 2 == 0)
            for i, person in enumerate(_people(w, n))
        )


def _users(w, n: int) -> None:
    for _ in range(n):
        w.make_user(f"member{next(_serial)}", w.network.lead, "case_worker", w.network.programme)


def _bodies(w, n: int) -> None:
    """Bodies of the directory, each with an area and a referent, and a protocol with two of them as parties."""
    with scopes_disabled():
        made = []
        for _ in range(n):
            serial = next(_serial)
            body = Body.objects.create(programme=w.network.programme, name=f"Ente {serial:05d}", type="ngo")
            body.areas.set([w.network.area])
            Referent.objects.create(body=body, name=f"Sportello {serial}", role="Segreteria", phone="02 1")
            made.append(body)
            protocol = Protocol.objects.create(
                programme=w.network.programme,
                kind="protocol",
                title=f"Protocollo {serial:05d}",
                subject="Collaborazione",
                signed_on=date(2024, 1, 1),
            )
            protocol.parties.set(made[-2:])


def _tables(w, n: int) -> None:
    """Governance tables, each with a member, a referent, a meeting to come and an action the case manager owes."""
    from approdi.directory.models import Body as DirectoryBody
    from approdi.governance.models import Meeting, MeetingAction, Table

    with scopes_disabled():
        for _ in range(n):
            serial = next(_serial)
            table = Table.objects.create(
                programme=w.network.programme,
                name=f"Tavolo {serial:05d}",
                kind="technical",
                convenor=w.world.coordinator,
                recurrence=1,
                first_day=date(2026, 1, 13),
                start_time=time(10),
            )
            body = DirectoryBody.objects.create(programme=w.network.programme, name=f"Ente T{serial:05d}", type="ngo")
            table.users.set([w.world.manager])
            table.referents.set([Referent.objects.create(body=body, name="Sportello", role="Segreteria", phone="1")])
            starts = timezone.now() + timedelta(days=serial % 30 + 1)
            meeting = Meeting.objects.create(
                table=table, starts_at=starts, ends_at=starts + timedelta(hours=2), created_by=w.world.coordinator
            )
            MeetingAction.objects.create(
                meeting=meeting, description=f"Azione {serial}", owner=w.world.manager, due=date(2030, 1, 1)
            )


def _events(w, n: int) -> None:
    """Training events of the programme, each with a row of participants from the directory and one typed."""
    from approdi.training.models import Event, Participation

    with scopes_disabled():
        for _ in range(n):
            serial = next(_serial)
            body = Body.objects.create(programme=w.network.programme, name=f"Ente formato {serial:05d}", type="ngo")
            event = Event.objects.create(
                programme=w.network.programme,
                kind="awareness",
                title=f"Evento {serial:05d}",
                organiser=w.network.partner,
                area=w.network.area,
                date=date(2024, 3, 1),
                audience="community",
                hours=2,
            )
            Participation.objects.create(event=event, body=body, role="operator", participants=3)
            typed = f"CAS {serial}"
            Participation.objects.create(event=event, organisation_name=typed, role="operator", participants=2)


# --- the routes ---------------------------------------------------------------------------------------------------

# page name → (who reads it, its query string, the rows it lists)
PAGES = {
    "outreach:contact_list": ("outreach", {}, _contacts),
    "outreach:referral_list": ("outreach", {}, _referrals),
    "outreach:index": ("outreach", {}, _outings),  # the latest outings
    "intake:queue": ("filtro", {}, _referrals),
    "intake:queue?urgency": ("filtro", {"order": "urgency"}, _referrals),
    "intake:person_list": ("filtro", {}, _people),
    "cases:case_list": ("manager", {}, _cases),
    "cases:case_list?filtro": ("filtro", {}, _cases),
    "cases:my_work": ("manager", {}, _cases),
    "cases:my_work?needs": ("manager", {}, _needs),
    # a list of My work opened whole (its "N more" link): every overdue action, as many queries
    "cases:my_work?all": ("manager", {"all": "overdue"}, _cases),
    "cases:service_list": ("manager", {}, _case_records),  # of one case
    "cases:removed_documents": ("auditor", {}, _removed_documents),
    "audit:log": ("auditor", {}, _audit),
    "audit:export": ("auditor", {}, _audit),
    "cases:break_glass_review": ("auditor", {}, _emergency_accesses),
    "access:erasure_requests": ("auditor", {}, _erasure_requests),
    "oncall:roster": ("coordinator", {}, _shifts),
    "oncall:roster_print": ("coordinator", {}, _shifts),
    "oncall:roster_ical": ("coordinator", {}, _shifts),
    "shelter:structure_list": ("filtro", {}, _structures),
    "shelter:board": ("filtro", {}, _structures),
    "shelter:board?stays": ("filtro", {}, _stays),
    "shelter:waiting_list": ("filtro", {}, _requests),
    "shelter:alerts": ("filtro", {}, _stays),
    "accounts:users": ("admin", {}, _users),
    "directory:body_list": ("outreach", {}, _bodies),
    "directory:body_list?search": ("outreach", {"q": "Ente", "area": "__area__"}, _bodies),
    "directory:body_print": ("outreach", {}, _bodies),
    "directory:export_csv": ("outreach", {}, _bodies),
    "directory:export_vcard": ("outreach", {}, _bodies),
    "directory:protocol_list": ("outreach", {}, _bodies),
    "governance:table_list": ("coordinator", {}, _tables),
    "governance:table_list?member": ("manager", {}, _tables),
    "cases:my_work?tables": ("manager", {}, _tables),
    "training:event_list": ("outreach", {}, _events),
    "training:export_csv": ("outreach", {}, _events),
}
# API path → (who reads it, its query string, the rows it lists)
API = {
    "/api/v1/contacts": ("outreach", {}, _contacts),
    "/api/v1/accesses": ("outreach", {}, _accesses),
    # a full page: the rows and the count up to the cap, at both sizes (a short page needs no count)
    "/api/v1/contacts?full": ("outreach", {"limit": 1}, _contacts),
    "/api/v1/accesses?full": ("outreach", {"limit": 1}, _accesses),
    "/api/v1/referrals?full": ("filtro", {"limit": 1}, _referrals),
    "/api/v1/outings": ("outreach", {}, _outings),
    "/api/v1/referrals": ("outreach", {}, _referrals),
    "/api/v1/referrals?filtro": ("filtro", {}, _referrals),
    "/api/v1/persons": ("filtro", {}, _people),
    "/api/v1/cases": ("manager", {}, _cases),
    "/api/v1/cases?filtro": ("filtro", {}, _cases),
    "/api/v1/my-work": ("manager", {}, _cases),
    "/api/v1/cases/deadlines": ("manager", {}, _cases),
    "/api/v1/cases/{id}/notes": ("manager", {}, _case_records),
    "/api/v1/cases/{id}/services": ("manager", {}, _case_records),
    "/api/v1/structures": ("filtro", {}, _structures),
    "/api/v1/board": ("filtro", {}, _structures),
    "/api/v1/board?stays": ("filtro", {}, _stays),
    "/api/v1/waiting-list": ("filtro", {}, _requests),
    "/api/v1/audit": ("auditor", {}, _audit),
}
# Collection pages and API routes that list nothing growing with the data (forms, one record, a figure, reference
# lists kept by hand), and lists not pinned here yet, with where their count is pinned instead.
NOT_LISTS = {
    # forms and actions
    "accounts:two_factor", "accounts:logout", "accounts:logout_everywhere", "accounts:switch", "accounts:my_account",
    "accounts:revoke_token", "accounts:notice_emails", "accounts:notice_read", "accounts:deactivate",
    "accounts:add_role", "accounts:grant_approve",
    "accounts:grant_reject", "network:new_edition", "network:edition", "network:change_co_funding",
    "network:remove_co_funding", "shelter:structure_new", "shelter:structure_settings", "outreach:outing_create",
    "outreach:outing_offline", "outreach:person_code", "outreach:contact_create", "outreach:referral_create",
    "outreach:import",
    "outreach_sync", "outreach:service_worker", "outreach:manifest", "outreach:offline_key",
    "outreach:import_template", "outreach:export", "intake:person_create", "intake:records_export",
    "reports:funder_prepare", "reports:job_create", "network:programme_detail", "oncall:shift_remove",
    "shelter:night_entry", "cases:emergency_open", "cases:document_purge", "directory:body_new",
    "cases:continue_case",
    # the cases still open when an edition ended, read once for the page (tests/reports/test_summary_crossing.py)
    "cases:continue_list",
    "directory:protocol_new", "governance:table_new",
    # a user's calendar address: one at most (tests/governance/test_calendar.py)
    "governance:calendar",
    "training:event_new",
    # the register of processing activities: one per programme, its length the schema's (tests/platform/)
    "audit:processing_record", "audit:processing_record_pdf",
    # a person's request of access: a form; the file it gives back is one person's (tests/intake/)
    "access:request", "access:erasure_decide",
    # the retention schedule: one line per kind of record, a fixed number (tests/intake/)
    "access:retention",
    # figures over a period (their own pins: tests/reports, tests/outreach/test_counts.py, tests/shelter)
    "core:home", "outreach:counts", "reports:summary", "reports:dashboard", "reports:drilldown",
    "shelter:occupancy", "reports:reimbursement", "reports:publication", "reports:htcds",
    "/api/v1/outreach/counts", "/api/v1/reports/summary", "/api/v1/me",
    # reference lists kept by hand (tens of rows: organisations, areas, materials, programmes, indicators)
    "network:programme_list", "network:organisations", "network:areas", "network:materials", "network:budgets",
    "network:targets", "network:partners", "cases:service_types", "/api/v1/organisations", "/api/v1/areas",
    "/api/v1/programmes", "/api/v1/service-types", "/api/v1/indicators",
    # the public site's texts: 35 per language, written by the lead coordinators
    "public_texts:languages", "public_texts:edit",
    # the leaflets: one row per language of the public site, no query at all
    "public_texts:leaflets",
    # the public site's desks: a few offices the lead coordinators keep; their form
    "public_texts:desks", "public_texts:desk_new", "public_texts:desk_edit", "public_texts:desk_remove",
    # not pinned here yet (issue #20): the reports' lists (their pages are being reworked by the dashboard's change)
    # and the roles awaiting approval
    "accounts:grants", "reports:funder_list", "reports:job_list", "reports:reimbursement_deliveries",
    "/api/v1/reports/funder",
}  # fmt: skip


class World:
    def __init__(self, network, make_user):
        self.network = network
        self.world = build_case_world(network, make_user)
        self.outreach = make_user("street", network.partner, "outreach", network.programme)
        self.auditor = make_user("auditor", network.lead, "dpo", network.programme)
        self.admin = make_user("sysadmin", network.lead, "admin", network.programme)
        self.make_user = make_user

    def user(self, role: str):
        return {"outreach": self.outreach, "auditor": self.auditor, "admin": self.admin}.get(role) or getattr(
            self.world, role
        )


@pytest.fixture
def world(network, make_user) -> World:
    return World(network, make_user)


def _queries(get) -> tuple[int, int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = get()
    return response.status_code, len(captured), "\n".join(q["sql"] for q in captured.captured_queries)


def _pinned(world: World, grow, get) -> None:
    grow(world, FEW)
    get()  # warm up: the token's last use, what the session caches
    status, few, few_sql = _queries(get)
    grow(world, MANY - FEW)
    again, many, many_sql = _queries(get)
    assert status == again == 200
    assert few == many, f"{few} queries with {FEW} rows:\n{few_sql}\n\n{many} with {MANY}:\n{many_sql}"


@pytest.mark.parametrize("name", sorted(PAGES))
def test_list_page_queries_do_not_grow(name, world):
    role, query, grow = PAGES[name]
    client = verified_client(world.user(role))
    name = name.split("?")[0]
    url = reverse(name, kwargs={"pk": world.world.case.pk} if name == "cases:service_list" else None)
    query = {k: world.network.area.pk if v == "__area__" else v for k, v in query.items()}
    _pinned(world, grow, lambda: client.get(url, query))


@pytest.mark.parametrize("path", sorted(API))
def test_api_list_queries_do_not_grow(path, world):
    role, query, grow = API[path]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user=world.user(role))[1]}"}
    url = path.split("?")[0].replace("{id}", str(world.world.case.pk))
    _pinned(world, grow, lambda: Client().get(url, {"programme": "P-1", **query}, **headers))


def test_every_list_is_pinned():
    """A collection page or API list without a pin here (or a reason in ``NOT_LISTS``) fails."""
    pinned = {name.split("?")[0] for name in (*PAGES, *API)}
    lists_of_a_case = {"cases:service_list", "/api/v1/cases/{id}/notes", "/api/v1/cases/{id}/services"}
    collections = (
        set(COLLECTION_ROUTES)
        | {path for path, method in api_paths() if method == "GET" and "{" not in path}
        | lists_of_a_case
    )
    unknown = collections - pinned - NOT_LISTS - {"api:openapi-json", "/api/v1/openapi.json", "/api/v1/docs"}
    assert not unknown, f"pin the query count of these lists here: {sorted(unknown)}"
    assert not (pinned & NOT_LISTS)
