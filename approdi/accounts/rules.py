"""Who may do what: every permission of Approdi is declared here, once.

Predicates read the membership the request acts under (``user.active_membership``, set by
the middleware and by API authentication). Record visibility (which rows exist for a user)
is the job of scopes and selectors; these rules decide which actions a role may take.
"""

import rules

from .roles import ROLES_WITH_PEOPLES_DATA, Role


def _role(user) -> str | None:
    membership = getattr(user, "active_membership", None)
    return membership.role if membership is not None else None


def has_role(*roles: str):
    @rules.predicate(name=f"has_role({', '.join(roles)})")
    def predicate(user) -> bool:
        return _role(user) in roles

    return predicate


@rules.predicate
def sees_peoples_data(user) -> bool:
    return _role(user) in ROLES_WITH_PEOPLES_DATA


@rules.predicate
def manages_structure(user, structure) -> bool:
    membership = getattr(user, "active_membership", None)
    return membership is not None and structure is not None and structure.organisation_id == membership.organisation_id


@rules.predicate
def at_lead_entity(user) -> bool:
    from .scoping import at_lead_entity as membership_at_lead_entity

    return membership_at_lead_entity(getattr(user, "active_membership", None))


# The Ufficio Filtro is the lead entity's office (DESIGN.md §5): a ``filtro`` membership anywhere else grants
# nothing, even if one were created behind the services' back. Every rule names the office through this.
filtro = has_role(Role.FILTRO) & at_lead_entity


def has_role_or_filtro(*roles: str):
    """``roles`` anywhere, or the Ufficio Filtro at the lead entity."""
    return has_role(*roles) | filtro


is_member = has_role(*Role.values)

rules.add_perm("network.view_reference_data", is_member)
rules.add_perm("accounts.manage_users", has_role(Role.ADMIN))


@rules.predicate
def may_approve_grant(user, membership) -> bool:
    """The second person of a grant: in its programme, neither who granted it nor who receives it."""
    if membership is None:  # the role's check, before a grant is named
        return True
    acting = user.active_membership
    return (
        membership.status == membership.Status.PENDING
        and membership.programme_id == acting.programme_id
        and user.pk not in (membership.user_id, membership.granted_by_id)
    )


# Administrators grant roles; the lead entity's coordinators of the programme approve those that see people's data.
rules.add_perm("accounts.approve_grants", has_role(Role.COORDINATOR) & at_lead_entity & may_approve_grant)
rules.add_perm("audit.search_log", has_role(Role.DPO))
# The register of processing activities (GDPR art. 30, approdi/core/processing.py): the DPO files it.
rules.add_perm("core.view_processing_record", has_role(Role.DPO))
# A person's request of access and portability (approdi/intake/access_file.py): the controller's DPO answers it.
rules.add_perm("people.answer_access_request", has_role(Role.DPO) & at_lead_entity)


@rules.predicate
def second_person_of_erasure(user, request) -> bool:
    """Whom decides an erasure request: never whom recorded it."""
    return request is None or (request.requested_by_id != user.pk and request.status == request.Status.PENDING)


# A person's request of erasure (approdi/intake/erasure.py): the DPO records it, a lead coordinator approves it.
rules.add_perm("intake.request_erasure", has_role(Role.DPO) & at_lead_entity)
rules.add_perm("intake.decide_erasure", has_role(Role.COORDINATOR) & at_lead_entity & second_person_of_erasure)
rules.add_perm("intake.view_erasure_requests", (has_role(Role.DPO) | has_role(Role.COORDINATOR)) & at_lead_entity)
# The retention schedule (approdi/core/retention.py): the lead entity's coordinators and DPO read and set it.
rules.add_perm("network.change_retention", (has_role(Role.DPO) | has_role(Role.COORDINATOR)) & at_lead_entity)
# The public site's texts (approdi/public/): the lead entity's coordinators write them for the whole network.
rules.add_perm("public.edit_texts", has_role(Role.COORDINATOR) & at_lead_entity)
rules.add_perm("shelter.view_structure", is_member)
# The directory of the network and its protocols (approdi/directory/): every member reads them (contact data of
# professionals, no personal data); the lead entity's coordinators keep them; every coordinator sees renewals due.
rules.add_perm("directory.view_directory", is_member)
rules.add_perm("directory.manage_directory", has_role(Role.COORDINATOR) & at_lead_entity)
rules.add_perm("directory.view_protocols", is_member)
rules.add_perm("directory.manage_protocols", has_role(Role.COORDINATOR) & at_lead_entity)
rules.add_perm("directory.follow_renewals", has_role(Role.COORDINATOR))


# Training, awareness and capacity building (approdi/training/): every member reads the events (counts by
# organisation and role, no person's data); the lead entity's coordinators keep every event, a partner's
# coordinators the events their organisation organises.
@rules.predicate
def organises_event(user, event) -> bool:
    """Her organisation organises the event; before an event is named (the page), the role's check alone."""
    membership = getattr(user, "active_membership", None)
    return event is None or (membership is not None and event.organiser_id == membership.organisation_id)


rules.add_perm("training.view_events", is_member)
rules.add_perm("training.manage_events", has_role(Role.COORDINATOR) & (at_lead_entity | organises_event))
# A structure's address is secret: its own staff and the Ufficio Filtro only.
rules.add_perm("shelter.view_structure_secrets", sees_peoples_data & (manages_structure | filtro))

# Outreach: operators record and read their organisation's outreach records; coordinators and the
# Ufficio Filtro see aggregates; referrals are read in full by the Ufficio Filtro only.
FRONTLINE = (Role.OUTREACH, Role.CASE_WORKER, Role.LEGAL, Role.SHELTER)
rules.add_perm("outreach.record_contact", has_role(Role.OUTREACH))
rules.add_perm("outreach.view_contacts", has_role(Role.OUTREACH))
rules.add_perm("outreach.view_counts", has_role_or_filtro(Role.OUTREACH, Role.COORDINATOR))
rules.add_perm("outreach.record_referral", has_role_or_filtro(*FRONTLINE))
rules.add_perm("outreach.view_referrals", has_role_or_filtro(*FRONTLINE))
rules.add_perm("outreach.view_referral_identity", filtro)
rules.add_perm("outreach.import_records", has_role_or_filtro(Role.COORDINATOR))
rules.add_perm("outreach.export_contacts", has_role(Role.OUTREACH))
rules.add_perm("outreach.export_referrals", filtro)


# Ufficio Filtro (the lead entity's office): the queue, identities, screenings, assessments, decisions.
rules.add_perm("intake.work_queue", filtro)

# Residential reception: the bed board and the waiting list for the Ufficio Filtro and coordinators;
# placements by the Ufficio Filtro; residents and the diary for the educators of the structure.
# The educators too, for their own structures only (``shelter.selectors.board_structures`` narrows the rows).
rules.add_perm("shelter.view_board", has_role_or_filtro(Role.COORDINATOR, Role.SHELTER))
rules.add_perm("shelter.view_every_board", has_role_or_filtro(Role.COORDINATOR))
rules.add_perm("shelter.place", filtro)
rules.add_perm("shelter.view_residents", has_role_or_filtro(Role.SHELTER))
rules.add_perm("shelter.write_diary", has_role_or_filtro(Role.SHELTER))
rules.add_perm("shelter.view_occupancy", has_role_or_filtro(Role.COORDINATOR, Role.SHELTER))
manages_its_structure = (has_role(Role.SHELTER) & manages_structure) | filtro


@rules.predicate
def named_structure_is_own(user, structure) -> bool:
    """Her organisation's structure; before a structure is named (the page), the role's check alone."""
    return structure is None or manages_structure(user, structure)


# A night emergency entry (approdi/shelter/night.py): the on-call educator of the structure takes a person in
# before any decision; the Ufficio Filtro regularises it with ``intake.work_queue``.
rules.add_perm("shelter.record_night_entry", has_role(Role.SHELTER) & named_structure_is_own)
rules.add_perm("shelter.manage_structure", manages_its_structure)
# A resident's exit (docs/product.md: the educator keeps "the residents of her own structures: their plan,
# daily notes, exits"): the educators of the placement's structure, and the Ufficio Filtro. The object is the
# structure; placing and moving to another structure stay the Filtro's (``shelter.place``).
rules.add_perm("shelter.end_stay", manages_its_structure)
# A resident's move to the next stage, by the educators of the structure she leaves and of the one she enters
# (the service asks for both); a move into another organisation's structure stays the Filtro's.
rules.add_perm("shelter.move_stage", manages_its_structure)

# Monitoring: the funder's figures for coordinators and the Ufficio Filtro.
rules.add_perm("reports.view_summary", has_role_or_filtro(Role.COORDINATOR))
rules.add_perm("shelter.configure_stages", (has_role(Role.COORDINATOR) & at_lead_entity) | filtro)


# Case paths. Which cases a user sees is the selectors' job (the case team; the whole programme for
# the Ufficio Filtro); these rules say what a member may do on a case they see.
def _seat(user, case) -> str | None:
    """The user's role on the case team, read once per case object."""
    if case is None or not getattr(user, "is_authenticated", False):
        return None
    return case.seat_of(user)


@rules.predicate
def on_case_team(user, case) -> bool:
    return _seat(user, case) is not None


@rules.predicate
def manages_case(user, case) -> bool:
    return case is not None and case.case_manager_id == user.pk


def seat_in(*team_roles: str):
    @rules.predicate(name=f"seat_in({', '.join(team_roles)})")
    def predicate(user, case) -> bool:
        return _seat(user, case) in team_roles

    return predicate


@rules.predicate
def completes_action(user, action) -> bool:
    """An action of the plan is marked done by whom owes it or by the case manager, while on the case team."""
    if action is None:
        return False
    case = action.goal.case
    return _seat(user, case) is not None and user.pk in (action.owner_id, case.case_manager_id)


@rules.predicate
def in_emergency_on(user, case) -> bool:
    """The user opened the case in an emergency (break-glass) and her access has not expired."""
    if case is None or not getattr(user, "is_authenticated", False):
        return False
    return case.emergency_access_of(user) is not None


CASE_ROLES = (Role.CASE_WORKER, Role.LEGAL, Role.SHELTER)
rules.add_perm("cases.view_cases", has_role_or_filtro(*CASE_ROLES))
works_on_case = (has_role(*CASE_ROLES) & on_case_team) | filtro
rules.add_perm("cases.work_on_case", works_on_case)
# Break-glass (README, "Emergency access"): a member of a case role off a case's team opens it with a reason for
# ``APPRODI_BREAK_GLASS_HOURS``; the selectors then list it (``cases_visible``) and she reads the case page, the
# team's notes and the shelter diary, nothing she could write. The DPO reviews every access.
rules.add_perm("cases.break_glass", has_role(*CASE_ROLES))
rules.add_perm("cases.read_in_emergency", has_role(*CASE_ROLES) & in_emergency_on)
# Reading the case page, its team's notes and the shelter diary: the team, the Filtro, or an emergency access.
rules.add_perm("cases.read_case", works_on_case | (has_role(*CASE_ROLES) & in_emergency_on))
rules.add_perm("cases.review_break_glass", has_role(Role.DPO))
rules.add_perm("cases.manage_case", (has_role(*CASE_ROLES) & manages_case) | filtro)
rules.add_perm("cases.assign_case", filtro)
# A case open when an edition ended goes on in the next one: a coordinator of the lead entity, acting in the next
# edition (cases/services/continuation.py checks she coordinates the ended one too).
rules.add_perm("cases.continue_case", has_role(Role.COORDINATOR) & at_lead_entity)
rules.add_perm("cases.complete_action", (has_role(*CASE_ROLES) & completes_action) | filtro)
# Legal matters, hearings and permits (and their deadlines) are kept to the legal advisors, the case manager and
# the Ufficio Filtro (DESIGN.md §5): the rest of the team neither reads nor records them. The selectors filter
# lists of cases by the same seats (``LEGAL_SEATS``).
LEGAL_SEATS = ("legal", "case_manager")
reads_legal = (has_role(*CASE_ROLES) & seat_in(*LEGAL_SEATS)) | filtro
rules.add_perm("cases.view_legal", reads_legal)
rules.add_perm("cases.record_legal", reads_legal)


# Documents (approdi/cases/models/document.py). On a case, its readers upload them (``cases.work_on_case``) and read
# them by the notes' rule (``cases.selectors.readable_on_case``); the person's record keeps the Ufficio Filtro's.
# Who uploaded a document, or the case manager, removes it; only the lead entity's DPO purges a removed one.
@rules.predicate
def removes_document(user, document) -> bool:
    if document is None:  # the role's check, before a document is named
        return True
    case = document.case
    return user.pk == document.author_id or (case is not None and case.case_manager_id == user.pk)


rules.add_perm("cases.person_documents", filtro)
rules.add_perm("cases.remove_document", (has_role(*CASE_ROLES) & removes_document) | filtro)
rules.add_perm("cases.purge_documents", has_role(Role.DPO) & at_lead_entity)
rules.add_perm("cases.manage_service_types", has_role(Role.COORDINATOR, Role.ADMIN) & at_lead_entity)


# Safety flags on a person (``people.flags``): whoever keeps her (the Ufficio Filtro, her case team) reads them,
# raises one, and asks to lift one; the lift is approved by a second of them, never by whom asked for it.
@rules.predicate
def on_persons_case_team(user, person) -> bool:
    if person is None or not getattr(user, "is_authenticated", False):
        return False
    return person.cases.filter(members__user=user, members__removed_at__isnull=True).exists()


keeps_person = (has_role(*CASE_ROLES) & on_persons_case_team) | filtro


@rules.predicate
def approves_lift(user, flag) -> bool:
    """The second person of a lift: asked for by someone else, and she keeps the person too."""
    if flag is None or flag.lift_requested_by_id in (None, user.pk):
        return False
    return keeps_person.test(user, flag.person)


rules.add_perm("people.view_safety_flags", keeps_person)
rules.add_perm("people.raise_safety_flag", keeps_person)
rules.add_perm("people.request_flag_lift", keeps_person)
rules.add_perm("people.approve_flag_lift", approves_lift)


# A case conference's follow-up action (approdi/intake) is marked done by whom owes it, and by nobody else.
@rules.predicate
def owns_conference_action(user, action) -> bool:
    return action is not None and action.owner_id == user.pk


rules.add_perm("intake.complete_conference_action", is_member & owns_conference_action)


# The network's governance tables and working groups (approdi/governance/): every member finds the tables she sits
# at (the coordinators every table); the lead entity's coordinators add tables and run any of them, a table's
# convenor runs hers; an action of a meeting is marked done by whom owes it, and by nobody else.
@rules.predicate
def sits_at_table(user, table) -> bool:
    if table is None:
        return True
    return table.convenor_id == user.pk or table.users.filter(pk=user.pk).exists()


@rules.predicate
def convenes(user, table) -> bool:
    return table is not None and table.convenor_id == user.pk


rules.add_perm("governance.view_tables", is_member)
rules.add_perm("governance.view_every_table", has_role(Role.COORDINATOR))
rules.add_perm("governance.view_table", has_role(Role.COORDINATOR) | (is_member & sits_at_table))
rules.add_perm("governance.add_table", has_role(Role.COORDINATOR) & at_lead_entity)
rules.add_perm("governance.run_table", (has_role(Role.COORDINATOR) & at_lead_entity) | (is_member & convenes))
rules.add_perm("governance.complete_action", is_member & owns_conference_action)
rules.add_perm("governance.use_calendar", is_member)


# Funder reports (DESIGN.md §1, §6): the lead entity owes them, so its coordinators prepare and approve
# them; approval needs a second coordinator unless the programme allows self-approval explicitly.
@rules.predicate
def may_approve_report(user, report) -> bool:
    if report is None:  # the role's check, before a report is named
        return True
    return report.prepared_by_id != user.pk or report.programme.allow_self_approval


# Closed periods (approdi/network/closing.py): a change dated in a period already reported to the funder,
# or in an ended edition, is the lead entity's coordinators' alone, with a reason the audit keeps.
@rules.predicate
def amends_closed_periods(user) -> bool:
    """A coordinator at the lead entity of the programme the user acts in, whichever of her roles acts now.

    The services' own test (``closing.is_lead_coordinator``), so a page offers the reason field to exactly whom
    the service will accept it from: the head of the Ufficio Filtro who is also a coordinator, acting as Filtro.
    """
    membership = getattr(user, "active_membership", None)
    if membership is None:
        return False
    from approdi.network.closing import is_lead_coordinator

    return is_lead_coordinator(user, membership.programme)


rules.add_perm("network.amend_closed_period", amends_closed_periods)
# Who corrects what (README, "Closed periods"). Contacts carry codes, no identity, and coordinators read every
# partner's contacts as figures: the lead coordinator reaches the indoor and drop-in forms to correct a closed
# period, and the service saves only a closed date from her (``closing.ensure_may_write``). Referrals,
# placements and services delivered name a person: they stay with whom may see her (frontline, Ufficio Filtro,
# case team); a lead coordinator who also holds that role corrects them from it, with a reason.
rules.add_perm("outreach.correct_contacts", has_role(Role.OUTREACH) | amends_closed_periods)
rules.add_perm("reports.view_funder_reports", has_role(Role.COORDINATOR) & at_lead_entity)
rules.add_perm("reports.prepare_report", has_role(Role.COORDINATOR) & at_lead_entity)
rules.add_perm("reports.approve_report", has_role(Role.COORDINATOR) & at_lead_entity & may_approve_report)
# Background exports: the roles that export something (each kind also needs its own export permission).
rules.add_perm("reports.export_in_background", has_role_or_filtro(Role.COORDINATOR, Role.OUTREACH))
# The programme dashboard: targets, trends, breakdowns and the records behind them, as codes, in the user's scope.
rules.add_perm("reports.view_dashboard", has_role_or_filtro(Role.COORDINATOR))
# Services delivered and reimbursement (rendicontazione): coordinators and the Ufficio Filtro read the figures,
# each within her scope (a partner's coordinator, her organisation's); the lead entity sets partners' budgets.
rules.add_perm("reports.view_reimbursement", has_role_or_filtro(Role.COORDINATOR))
rules.add_perm("network.manage_budgets", has_role(Role.COORDINATOR, Role.ADMIN) & at_lead_entity)
rules.add_perm("network.manage_targets", has_role(Role.COORDINATOR, Role.ADMIN) & at_lead_entity)
rules.add_perm("network.manage_partners", has_role(Role.COORDINATOR, Role.ADMIN) & at_lead_entity)
# Setting a network up: editions (period, funder, co-funding), organisations, areas and structures.
rules.add_perm("network.manage_editions", has_role(Role.COORDINATOR, Role.ADMIN) & at_lead_entity)
rules.add_perm("network.manage_reference_data", has_role(Role.COORDINATOR, Role.ADMIN) & at_lead_entity)
sets_up_network = has_role(Role.COORDINATOR, Role.ADMIN) & at_lead_entity
rules.add_perm("shelter.add_structure", sets_up_network)
# A structure's beds, from a date (``shelter.services.change_capacity``): its own educators and the Ufficio Filtro
# as it runs, the lead entity's set-up managers as they set the network up. A date in a closed period is
# ``network.amend_closed_period`` besides.
rules.add_perm("shelter.change_capacity", manages_its_structure | sets_up_network)
# Exports meant to leave the network (docs/disclosure.md): the suppressed publication tables and the
# anonymised HTCDS file cover every partner's records, so only the lead entity's coordinators make them.
rules.add_perm("reports.export_anonymised", has_role(Role.COORDINATOR) & at_lead_entity)
# The on-call roster for nights, weekends and holidays (approdi/oncall): the lead entity's set-up managers plan it;
# the Ufficio Filtro reads it too (its helpline referrals name who was on call).
rules.add_perm("oncall.manage_roster", sets_up_network)
rules.add_perm("oncall.view_roster", sets_up_network | filtro)
